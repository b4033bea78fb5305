"""What post stages write and read: scores, with their stage name and model version.

Writes send plain tuples to
the driver's ``executemany``: a million posts with five fields each is seconds, not minutes.

With SQLite, a process that scores batches for another (a sift worker) can go further: it
encodes the batch's score rows into a small in-memory SQLite database (:func:`encode_scores`,
sent back as bytes) and the single writer merges it with one ``INSERT ... SELECT``
(:meth:`Scores.add_chunk`), so binding thirteen rows a post leaves the writer.

A stage may give some fields a usual value (``defaults``): the method that decided, the same for
every post of a stage version, or an empty list of cues that most posts have. Such a value is
stored once in ``score_defaults`` and a post gets a row of its own only where it differs; the
readers (:meth:`Scores.latest`) give every post the usual value through its row of
the stage's ``anchor`` field, so what they return is what per-post rows would give.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import compress, repeat

import numpy as np
import pandas as pd
from sqlalchemy import and_, delete, literal, select, union_all

from wildsift.store import schema
from wildsift.store.id_lists import SQLITE_CHUNK
from wildsift.store.pg_bulk import NULL, copy_text, float_field, text_field
from wildsift.store.repository import Repository, driver_connection
from wildsift.store.rows import frame_of as _frame
from wildsift.store.rows import now as _now
from wildsift.store.sqlite_bulk import attached_chunk, sqlite_datetime

SCORE_COLUMNS = ("post_pk", "stage", "model_version", "field", "value", "text_value",
                 "scored_at")
_CHUNK = "score_chunk"  # the name a chunk of scores is attached under while it is merged
# A chunk holds what varies per row (post, value) apart from what is the same for a whole
# field of a batch (stage, version, field, time): binding 2 values a row instead of 7.
_CHUNK_TABLES = ("CREATE TABLE parts (part INTEGER PRIMARY KEY, stage, model_version, field, scored_at)",
                 "CREATE TABLE rows (part, post_pk, value, text_value)",
                 "CREATE TABLE defaults (stage, model_version, field, anchor, value, text_value)")
# ORDER BY rowid: rows get their rowids in the order executemany of the same rows would give
_MERGE = (f"INSERT INTO main.scores ({', '.join(SCORE_COLUMNS)}) "
          "SELECT r.post_pk, p.stage, p.model_version, p.field, r.value, r.text_value, "
          f"p.scored_at FROM {_CHUNK}.rows AS r JOIN {_CHUNK}.parts AS p ON p.part = r.part "
          "ORDER BY r.rowid")
_DEFAULT_COLUMNS = ("stage", "model_version", "field", "anchor", "value", "text_value")
_MERGE_DEFAULTS = (f"INSERT OR IGNORE INTO main.score_defaults ({', '.join(_DEFAULT_COLUMNS)}) "
                   f"SELECT {', '.join(_DEFAULT_COLUMNS)} FROM {_CHUNK}.defaults")
# a usual value that differs from the one stored for the same (stage, version, field): a bug
_CONFLICTING_DEFAULTS = (f"SELECT d.stage, d.field FROM {_CHUNK}.defaults AS d JOIN "
                         "main.score_defaults AS m ON m.stage = d.stage AND m.model_version = "
                         "d.model_version AND m.field = d.field WHERE m.value IS NOT d.value OR "
                         "m.text_value IS NOT d.text_value OR m.anchor IS NOT d.anchor")

Defaults = Mapping[str, object]  # field -> its usual value for a stage version


def default_rows(stage: str, model_version: str, fields: Sequence[str],
                 defaults: Defaults | None) -> list[tuple]:
    """``score_defaults`` rows for the stored ``fields`` that have a usual value, each anchored
    on the first stored field without one (a post has a row of that field whenever the stage
    scored it)."""
    usual = [field for field in fields if defaults and field in defaults]
    if not usual:
        return []
    anchors = [field for field in fields if field not in usual]
    if not anchors:
        raise ValueError(f"stage {stage!r}: every stored field has a usual value, so no row "
                         "would say which posts it scored; store one field per post")
    rows = []
    for field in usual:
        value = defaults[field]  # type: ignore[index]
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        rows.append((stage, model_version, field, anchors[0],
                     float(value) if isinstance(value, (int, float)) and numeric else None,
                     None if numeric or value is None else str(value)))
    return rows


def _unusual(values: list, default: object) -> list[bool]:
    """Which values differ from a field's usual value (those get rows of their own)."""
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return [v is None or math.isnan(v) or v != float(default) for v in values]
    usual = None if default is None else str(default)
    return [v != usual for v in values]


def field_values(frame: pd.DataFrame, field: str) -> tuple[bool, list]:
    """(numeric?, values) of a field as stored: floats in ``value`` (a missing one, NaN, as
    NULL: what SQLite stores for NaN, so both backends hold the same), else str (None kept) in
    ``text_value``."""
    column = frame[field]
    if pd.api.types.is_numeric_dtype(column):
        return True, [None if v != v else v for v in column.to_numpy(dtype=np.float64).tolist()]
    return False, [None if v is None else str(v) for v in column.tolist()]


def field_rows(frame: pd.DataFrame, field: str, pks: list,
               defaults: Defaults | None) -> tuple[bool, list, list]:
    """(numeric?, post keys, values) of a field's own rows: every post's, or with a usual value
    only the posts that differ from it."""
    numeric, values = field_values(frame, field)
    if defaults and field in defaults:
        keep = _unusual(values, defaults[field])
        return numeric, list(compress(pks, keep)), list(compress(values, keep))
    return numeric, pks, values


def score_rows(stage: str, model_version: str, frame: pd.DataFrame, fields: Sequence[str],
               scored_at: object, defaults: Defaults | None = None) -> list[tuple]:
    """The rows :meth:`Scores.write` stores for ``frame``, field by field."""
    pks = [int(pk) for pk in frame["pk"].tolist()]
    rows: list[tuple] = []
    for field in fields:
        numeric, keys, values = field_rows(frame, field, pks, defaults)
        rows.extend(zip(keys, repeat(stage), repeat(model_version), repeat(field),
                        values if numeric else repeat(None),
                        repeat(None) if numeric else values, repeat(scored_at)))
    return rows


def score_copy_lines(stage: str, model_version: str, frame: pd.DataFrame,
                     fields: Sequence[str], scored_at: datetime,
                     defaults: Defaults | None = None) -> Iterator[str]:
    """The rows of :func:`score_rows` as PostgreSQL COPY text lines (what COPY stores is what
    ``executemany`` of those rows stores)."""
    pks = [str(int(pk)) for pk in frame["pk"].tolist()]
    when = scored_at.isoformat()
    for field in fields:
        numeric, keys, values = field_rows(frame, field, pks, defaults)
        middle = "\t".join(text_field(v) for v in (stage, model_version, field))
        if numeric:
            for pk, value in zip(keys, values):
                yield f"{pk}\t{middle}\t{float_field(value)}\t{NULL}\t{when}\n"
        else:
            for pk, value in zip(keys, values):
                yield f"{pk}\t{middle}\t{NULL}\t{text_field(value)}\t{when}\n"


ScorePart = tuple[str, str, pd.DataFrame, Sequence[str], "Defaults | None"]


def encode_scores(parts: Iterable[ScorePart], when: datetime | None = None) -> bytes:
    """Score rows of ``(stage, model_version, frame, fields, defaults)`` parts, in order, as a
    serialised SQLite database for :meth:`Scores.add_chunk` (SQLite stores only)."""
    scored_at = sqlite_datetime(when or _now())  # what SQLAlchemy's SQLite DateTime stores
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for statement in _CHUNK_TABLES:
            db.execute(statement)
        db.execute("BEGIN")
        part = 0
        for stage, version, frame, fields, defaults in parts:
            if not len(frame):
                continue
            db.executemany("INSERT INTO defaults VALUES (?, ?, ?, ?, ?, ?)",
                           default_rows(stage, version, fields, defaults))
            pks = [int(pk) for pk in frame["pk"].tolist()]
            for field in fields:
                part += 1
                db.execute("INSERT INTO parts VALUES (?, ?, ?, ?, ?)",
                           (part, stage, version, field, scored_at))
                numeric, keys, values = field_rows(frame, field, pks, defaults)
                columns = "?, NULL" if numeric else "NULL, ?"
                db.executemany(f"INSERT INTO rows VALUES ({part}, ?, {columns})",
                               zip(keys, values))
        db.execute("COMMIT")
        return db.serialize()
    finally:
        db.close()


def _score_rows_query(fields: Sequence[str] | None, where: Sequence = ()):
    """(post_pk, field, value, text_value) of the posts' own score rows and of the usual values
    they get through their anchor rows, oldest first; at equal times a post's own row comes
    last, so it wins (see :func:`_latest_by_field`)."""
    s, d = schema.scores, schema.score_defaults
    own = select(s.c.post_pk, s.c.field, s.c.value, s.c.text_value, s.c.scored_at,
                 literal(1).label("tier")).where(*where)
    usual = select(s.c.post_pk, d.c.field, d.c.value, d.c.text_value, s.c.scored_at,
                   literal(0).label("tier")).select_from(s.join(d, and_(
                       d.c.stage == s.c.stage, d.c.model_version == s.c.model_version,
                       d.c.anchor == s.c.field))).where(*where)
    if fields:
        own = own.where(s.c.field.in_(list(fields)))
        usual = usual.where(d.c.field.in_(list(fields)))
    rows = union_all(own, usual).subquery()
    return select(rows.c.post_pk, rows.c.field, rows.c.value, rows.c.text_value).order_by(
        rows.c.scored_at, rows.c.tier)


def _latest_by_field(frame: pd.DataFrame) -> pd.DataFrame:
    """Score rows (post_pk, field, value, text_value; oldest first) to one row per post and one
    column per field, the latest value of each (the same rules as ``Scores.latest``)."""
    if frame.empty:
        return pd.DataFrame({"post_pk": []})
    latest = frame.drop_duplicates(["post_pk", "field"], keep="last")
    out = pd.DataFrame({"post_pk": latest["post_pk"].drop_duplicates().sort_values().to_numpy()})
    for field, part in latest.groupby("field", sort=True):
        numeric = part["value"].notna()
        values = part["value"] if numeric.all() else (
            part["value"].astype(object).where(numeric, part["text_value"]))
        out[field] = out["post_pk"].map(
            pd.Series(values.to_numpy(), index=part["post_pk"].to_numpy()))
    return out




class Scores(Repository):
    """The scores of post stages, per (post, stage, version, field), and their usual values."""

    def write(self, stage: str, model_version: str, frame: pd.DataFrame,
                     fields: Sequence[str], defaults: Defaults | None = None) -> None:
        """Store stage outputs: numeric fields in ``value``, others in ``text_value``; a field
        with a usual value in ``defaults`` only where a post differs from it (module docstring).

        Rows are plain tuples sent with the driver's executemany (no per-row dicts or type
        processing): a million posts with five fields each is seconds, not minutes.
        """
        if not len(frame) or not fields:
            return
        dialect = self.engine.dialect
        when = schema.scores.c.scored_at.type.dialect_impl(dialect).bind_processor(dialect)
        now = when(_now()) if when is not None else _now()
        usual = default_rows(stage, model_version, fields, defaults)
        with self.engine.begin() as conn:
            self._add_defaults(conn, usual)
            if dialect.name == "postgresql":  # COPY: 1.6M rows a 100,000 posts (store/pg_bulk.py)
                copy_text(conn, schema.scores.name, SCORE_COLUMNS,
                          score_copy_lines(stage, model_version, frame, fields, _now(), defaults))
                return
            rows = score_rows(stage, model_version, frame, fields, now, defaults)
            mark = "?" if dialect.paramstyle == "qmark" else "%s"
            sql = (f"INSERT INTO {schema.scores.name} (post_pk, stage, model_version, field, "
                   f"value, text_value, scored_at) VALUES ({', '.join([mark] * 7)})")
            if rows:
                conn.exec_driver_sql(sql, rows)

    @staticmethod
    def _add_defaults(conn, rows: list[tuple]) -> None:
        """Store usual values not stored yet; one stored differently for the same (stage,
        version, field) is a bug in the stage (its version must change with its outputs)."""
        d = schema.score_defaults.c
        for row in rows:
            stage, version, field = row[:3]
            found = conn.execute(select(d.anchor, d.value, d.text_value).where(
                d.stage == stage, d.model_version == version, d.field == field)).first()
            if found is None:
                conn.execute(schema.score_defaults.insert().values(
                    dict(zip(_DEFAULT_COLUMNS, row))))
            elif tuple(found) != row[3:]:
                raise ValueError(f"stage {stage!r} at version {version!r} gives {field!r} the "
                                 f"usual value {row[4:]}, but {tuple(found)[1:]} is stored")

    @property
    def takes_chunks(self) -> bool:
        """Whether :meth:`add_chunk` works here (SQLite: chunks are SQLite databases)."""
        return self.is_sqlite

    def add_chunk(self, chunk: bytes) -> int:
        """Store the score rows of an :func:`encode_scores` chunk, in one transaction: what
        :meth:`write` of the same parts would store. Returns the rows stored."""
        from wildsift.store.faults import translated

        with translated(self.engine), self.engine.connect() as conn:
            raw = driver_connection(conn)
            with attached_chunk(raw, chunk, _CHUNK):
                conflict = raw.execute(_CONFLICTING_DEFAULTS).fetchone()
                if conflict is not None:
                    raise ValueError(f"stage {conflict[0]!r} gives {conflict[1]!r} a usual "
                                     "value other than the one stored for its version")
                raw.execute(_MERGE_DEFAULTS)
                before = raw.total_changes
                raw.execute(_MERGE)
                stored = raw.total_changes - before
        return stored

    def scored_pks(self, stage: str, model_version: str, pks: Iterable[int]) -> set[int]:
        """Which of ``pks`` this stage has already scored at this version."""
        s = schema.scores.c
        wanted = sorted({int(pk) for pk in pks})
        if not wanted:
            return set()
        found: set[int] = set()
        with self.engine.connect() as conn:
            if wanted[-1] - wanted[0] < 4 * len(wanted):  # a batch: one index range scan
                found.update(conn.execute(select(s.post_pk).distinct().where(
                    s.stage == stage, s.model_version == model_version,
                    s.post_pk.between(wanted[0], wanted[-1]))).scalars())
                return found.intersection(wanted)
            for start in range(0, len(wanted), 500):
                found.update(conn.execute(select(s.post_pk).distinct().where(
                    s.stage == stage, s.model_version == model_version,
                    s.post_pk.in_(wanted[start:start + 500]))).scalars())
        return found

    def forget(self, stages: Sequence[str], pks: Iterable[int]) -> int:
        """Delete every row of these stages for these posts, at any version: they were made
        without inputs that exist now (new OCR text or image scores of the posts' pictures), so
        the posts are pending for those stages again and the next pass scores them anew.
        Returns the rows deleted."""
        s = schema.scores.c
        wanted = sorted({int(pk) for pk in pks})
        deleted = 0
        with self.engine.begin() as conn:
            for start in range(0, len(wanted) if stages else 0, SQLITE_CHUNK):
                deleted += conn.execute(delete(schema.scores).where(
                    s.stage.in_(list(stages)),
                    s.post_pk.in_(wanted[start:start + SQLITE_CHUNK]))).rowcount or 0
        return deleted

    def latest(self, fields: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per post, one column per score field, from the latest scoring of each.

        A field's column is numeric when all its latest values are numbers, else it holds
        numbers and texts. Built per field rather than with a pivot (a million posts in seconds).
        """
        with self.engine.connect() as conn:
            rows = conn.execute(_score_rows_query(fields)).all()
        return _latest_by_field(_frame(rows, ["post_pk", "field", "value", "text_value"]))

    def versions(self) -> list[tuple[str, str]]:
        """Distinct (stage, model_version) pairs that wrote scores (an index-only scan)."""
        s = schema.scores.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(s.stage, s.model_version).distinct()).all()
        return sorted((str(stage), str(version)) for stage, version in rows)

    def latest_between(self, fields: Sequence[str], first_pk: int, last_pk: int, *,
                              versions: Sequence[tuple[str, str]] | None = None) -> pd.DataFrame:
        """:meth:`latest` of the posts with ``first_pk <= pk <= last_pk`` only.

        For reading a study batch by batch in bounded memory. ``versions`` (from
        :meth:`versions`) lets the query use the (stage, model_version, post_pk) index;
        without it every call scans the scores table.
        """
        s = schema.scores.c
        where = [s.post_pk.between(int(first_pk), int(last_pk))]
        if versions is not None:
            if not versions:
                return pd.DataFrame({"post_pk": []})
            where += [s.stage.in_(sorted({v[0] for v in versions})),
                      s.model_version.in_(sorted({v[1] for v in versions}))]
        with self.engine.connect() as conn:
            rows = conn.execute(_score_rows_query(fields, where)).all()
        return _latest_by_field(_frame(rows, ["post_pk", "field", "value", "text_value"]))



