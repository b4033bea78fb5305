"""Lexicon matches: which taxon, product and term the lexicon stage found in each post."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy import select

from wildsift.store import schema
from wildsift.store.pg_bulk import copy_text, text_field
from wildsift.store.repository import Repository
from wildsift.store.rows import frame_of as _frame


def _missing_as_none(value: object) -> object:
    """None for a missing value (None, NaN, NA), else the value; strings skip ``pd.isna``."""
    if value is None or isinstance(value, str):
        return value
    return None if pd.isna(value) else value


MATCH_COLUMNS = ["post_pk", "taxon", "product", "lang", "term", "kind"]


class Matches(Repository):
    """The matches table."""

    def replace_found(self, pks: Sequence[int], found: Sequence[Sequence[dict]]) -> None:
        """Store what a stage found in each post (``found[i]``: the match dicts of ``pks[i]``,
        keys taxon, product, lang, term, kind), replacing the posts' earlier matches."""
        rows = [dict(match, post_pk=int(pk)) for pk, matches in zip(pks, found)
                for match in matches]
        self.replace(pd.DataFrame(rows, columns=MATCH_COLUMNS), pks=pks)

    def replace(self, frame: pd.DataFrame, pks: Iterable[int] | None = None) -> None:
        """Store lexicon matches (columns post_pk, taxon, product, lang, term, kind).

        Earlier matches of the posts in ``pks`` (default: the posts in ``frame``) are removed
        first, so a post re-matched by a new lexicon keeps no stale match. Plain tuples through
        the driver's executemany (no per-row dicts or statement compiling).
        """
        pks = sorted({int(pk) for pk in (frame["post_pk"] if pks is None else pks)})
        columns = ["post_pk", "taxon", "product", "lang", "term", "kind"]
        rows = list(zip([int(pk) for pk in frame["post_pk"].tolist()],
                        *[[_missing_as_none(v) for v in frame[c].tolist()]
                          for c in columns[1:]]))
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        table = schema.matches.name
        if not self.is_sqlite:  # one array, one COPY (store/pg_bulk.py)
            with self.engine.begin() as conn:
                if pks:
                    conn.exec_driver_sql(f"DELETE FROM {table} WHERE post_pk = ANY(%s)", (pks,))
                copy_text(conn, table, columns, (
                    f"{row[0]}\t" + "\t".join(
                        text_field(None if v is None else str(v)) for v in row[1:]) + "\n"
                    for row in rows))
            return
        with self.engine.begin() as conn:
            if pks and pks[-1] - pks[0] + 1 == len(pks):  # a batch of consecutive posts
                conn.exec_driver_sql(f"DELETE FROM {table} WHERE post_pk BETWEEN {mark} AND "
                                     f"{mark}", (pks[0], pks[-1]))
            elif pks:
                conn.exec_driver_sql(f"DELETE FROM {table} WHERE post_pk = {mark}",
                                     [(pk,) for pk in pks])
            if rows:
                conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                     f"({', '.join([mark] * len(columns))})", rows)

    def between(self, first_pk: int, last_pk: int) -> pd.DataFrame:
        """:meth:`matches_frame` of the posts with ``first_pk <= pk <= last_pk`` only."""
        m = schema.matches.c
        query = select(m.post_pk, m.taxon, m.product, m.lang, m.term, m.kind).where(
            m.post_pk.between(int(first_pk), int(last_pk)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return _frame(rows, ["post_pk", "taxon", "product", "lang", "term", "kind"])

    def frame(self) -> pd.DataFrame:
        m = schema.matches.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(m.post_pk, m.taxon, m.product, m.lang, m.term, m.kind)).all()
        return _frame(rows, ["post_pk", "taxon", "product", "lang", "term", "kind"])

    def terms(self, pks: Sequence[int]) -> dict[int, list[str]]:
        """Lexicon terms matched in each of ``pks`` (as "term (taxon)"), for showing a post."""
        m = schema.matches.c
        wanted = sorted({int(pk) for pk in pks})
        found: dict[int, list[str]] = {pk: [] for pk in wanted}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                rows = conn.execute(select(m.post_pk, m.term, m.taxon).where(
                    m.post_pk.in_(wanted[start:start + 500]))).all()
                for pk, term, taxon in rows:
                    text = f"{term} ({taxon})"
                    if text not in found[int(pk)]:
                        found[int(pk)].append(text)
        return found
