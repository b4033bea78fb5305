"""Store: write posts, matches, scores, labels, quarantined records and cursors; read batches.

One class for SQLite and PostgreSQL (SQLAlchemy Core). Writes are idempotent where it matters:
a post is keyed by (platform, post_id), so re-importing a file adds nothing twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import repeat

import numpy as np
import pandas as pd
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from wildsift.errors import StoreError
from wildsift.records import Label, Post, Quarantined
from wildsift.store import schema
from wildsift.store.migrate import upgrade
from wildsift.store.sqlite_bulk import (
    CHUNK_SCHEMA,
    SQLITE_INSERT_POST,
    SQLITE_MERGE_LABELS,
    SQLITE_MERGE_POSTS,
    SQLITE_UPSERT_LABEL,
    sqlite_datetime,
    sqlite_post_row,
)

POST_COLUMNS = [c.name for c in schema.posts.columns]


def _now() -> datetime:
    return datetime.now(UTC)


def _frame(rows: Sequence, columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame from result rows; plain tuples make this ~5x faster than Row objects."""
    return pd.DataFrame([tuple(row) for row in rows], columns=list(columns))


def _latest_by_field(frame: pd.DataFrame) -> pd.DataFrame:
    """Score rows (post_pk, field, value, text_value; oldest first) to one row per post and one
    column per field, the latest value of each (the same rules as ``Store.latest_scores``)."""
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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    """A study's database. Open with :meth:`open`; everything else is plain method calls."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._insert = sqlite.insert if engine.dialect.name == "sqlite" else postgresql.insert

    @classmethod
    def open(cls, url: str) -> Store:
        try:
            engine = create_engine(url, future=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            elif engine.dialect.name != "postgresql":
                raise StoreError(f"unsupported storage URL {engine.url!r}: use sqlite or postgresql")
            upgrade(engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open store {url.split('@')[-1]}: {exc}") from exc
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- posts ----------------------------------------------------------------------------
    def add_posts(self, posts: Sequence[Post]) -> int:
        """Insert posts not stored yet; returns how many were new (the rest are duplicates)."""
        if not posts:
            return 0
        now = _now()
        if self.engine.dialect.name == "sqlite":
            # The DBAPI directly: executemany without RETURNING, new rows counted by
            # total_changes (SQLAlchemy's per-parameter processing was ~20% of an import).
            rows = [sqlite_post_row(post, now) for post in posts]
            with self.engine.begin() as conn:
                raw = conn.connection.driver_connection
                # Bulk writes: a larger page cache for the random-order unique index, and fewer
                # WAL checkpoints (each one rewrites the pages just written); both per connection.
                raw.execute("PRAGMA cache_size=-65536")
                raw.execute("PRAGMA wal_autocheckpoint=10000")
                before = raw.total_changes
                raw.executemany(SQLITE_INSERT_POST, rows)
                return raw.total_changes - before
        rows = []
        for post in posts:
            row = {name: getattr(post, name) for name in POST_COLUMNS if name != "pk"}
            row["media"] = [dataclasses.asdict(m) for m in post.media]
            row["collected_at"] = post.collected_at or now
            rows.append(row)
        statement = self._insert(schema.posts).on_conflict_do_nothing(
            index_elements=["platform", "post_id"]
        ).returning(schema.posts.c.pk)
        with self.engine.begin() as conn:
            result = conn.execute(statement, rows)
            return len(result.all())

    def add_chunk(self, chunk: bytes) -> tuple[int, int]:
        """SQLite only: merge posts and labels encoded by :func:`sqlite_bulk.encode_chunk` (in a
        worker process); returns (new posts, labels stored). Same rules as :meth:`add_posts`
        and :meth:`add_labels`: a post already stored is skipped, a label is upserted."""
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA cache_size=-65536")
            raw.execute("PRAGMA wal_autocheckpoint=10000")
            raw.execute(f"ATTACH DATABASE ':memory:' AS {CHUNK_SCHEMA}")
            try:
                raw.deserialize(chunk, name=CHUNK_SCHEMA)
                try:
                    before = raw.total_changes
                    raw.execute(SQLITE_MERGE_POSTS)
                    stored = raw.total_changes - before
                    raw.execute(SQLITE_MERGE_LABELS, (sqlite_datetime(_now()),))
                    labels = raw.total_changes - before - stored
                    raw.commit()
                except BaseException:
                    raw.rollback()
                    raise
            finally:
                raw.execute(f"DETACH DATABASE {CHUNK_SCHEMA}")
        return stored, labels

    def count_posts(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.posts)).scalar_one()

    def iter_posts(
        self,
        columns: Sequence[str] = ("pk", "platform", "post_id", "text", "lang"),
        *,
        batch_size: int = 5000,
        unscored_by: tuple[str, str] | None = None,
    ) -> Iterator[pd.DataFrame]:
        """Batches of posts as DataFrames (keyset pagination: bounded memory, any size).

        ``unscored_by=(stage, model_version)`` yields only posts that stage has not scored.
        """
        p = schema.posts.c
        cols = [p[name] for name in columns]
        if "pk" not in columns:
            cols.insert(0, p.pk)
        last = 0
        while True:
            query = select(*cols).where(p.pk > last).order_by(p.pk).limit(batch_size)
            if unscored_by is not None:
                s = schema.scores.c
                # NOT EXISTS, correlated: one index probe per post (ix_scores_stage_post);
                # NOT IN (subquery) re-reads every score of the stage per batch (quadratic).
                done = select(s.post_pk).where(
                    s.stage == unscored_by[0], s.model_version == unscored_by[1],
                    s.post_pk == p.pk,
                )
                query = query.where(~done.exists())
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            frame = _frame(rows, [c.name for c in cols])
            last = int(frame["pk"].iloc[-1])
            yield frame

    def posts_frame(self, columns: Sequence[str] = tuple(POST_COLUMNS), *,
                    pks: Sequence[int] | None = None) -> pd.DataFrame:
        """All posts (or those with the given ``pks``), selected columns, in one DataFrame."""
        p = schema.posts.c
        query = select(*[p[c] for c in columns]).order_by(p.pk)
        with self.engine.connect() as conn:
            if pks is None:
                rows = conn.execute(query).all()
            else:
                wanted = sorted({int(pk) for pk in pks})
                rows = []
                for start in range(0, len(wanted), 500):
                    rows += conn.execute(query.where(p.pk.in_(wanted[start:start + 500]))).all()
        return _frame(rows, columns)

    # -- stage outputs --------------------------------------------------------------------
    def write_scores(self, stage: str, model_version: str, frame: pd.DataFrame,
                     fields: Sequence[str]) -> None:
        """Store stage outputs: numeric fields in ``value``, others in ``text_value``.

        Rows are plain tuples sent with the driver's executemany (no per-row dicts or type
        processing): a million posts with five fields each is seconds, not minutes.
        """
        if not len(frame) or not fields:
            return
        dialect = self.engine.dialect
        when = schema.scores.c.scored_at.type.dialect_impl(dialect).bind_processor(dialect)
        now = when(_now()) if when is not None else _now()
        pks = [int(pk) for pk in frame["pk"].tolist()]
        rows: list[tuple] = []
        for field in fields:
            column = frame[field]
            if pd.api.types.is_numeric_dtype(column):
                values = column.to_numpy(dtype=np.float64).tolist()
                rows.extend(zip(pks, repeat(stage), repeat(model_version), repeat(field),
                                values, repeat(None), repeat(now)))
            else:
                texts = [None if v is None else str(v) for v in column.tolist()]
                rows.extend(zip(pks, repeat(stage), repeat(model_version), repeat(field),
                                repeat(None), texts, repeat(now)))
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = (f"INSERT INTO {schema.scores.name} (post_pk, stage, model_version, field, value, "
               f"text_value, scored_at) VALUES ({', '.join([mark] * 7)})")
        with self.engine.begin() as conn:
            conn.exec_driver_sql(sql, rows)

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

    def latest_scores(self, fields: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per post, one column per score field, from the latest scoring of each.

        A field's column is numeric when all its latest values are numbers, else it holds
        numbers and texts. Built per field rather than with a pivot (a million posts in seconds).
        """
        s = schema.scores.c
        query = select(s.post_pk, s.field, s.value, s.text_value)
        if fields:
            query = query.where(s.field.in_(list(fields)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(s.scored_at)).all()
        return _latest_by_field(_frame(rows, ["post_pk", "field", "value", "text_value"]))

    def score_versions(self) -> list[tuple[str, str]]:
        """Distinct (stage, model_version) pairs that wrote scores (an index-only scan)."""
        s = schema.scores.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(s.stage, s.model_version).distinct()).all()
        return sorted((str(stage), str(version)) for stage, version in rows)

    def latest_scores_between(self, fields: Sequence[str], first_pk: int, last_pk: int, *,
                              versions: Sequence[tuple[str, str]] | None = None) -> pd.DataFrame:
        """:meth:`latest_scores` of the posts with ``first_pk <= pk <= last_pk`` only.

        For reading a study batch by batch in bounded memory. ``versions`` (from
        :meth:`score_versions`) lets the query use the (stage, model_version, post_pk) index;
        without it every call scans the scores table.
        """
        s = schema.scores.c
        query = select(s.post_pk, s.field, s.value, s.text_value).where(
            s.field.in_(list(fields)), s.post_pk.between(int(first_pk), int(last_pk)))
        if versions is not None:
            if not versions:
                return pd.DataFrame({"post_pk": []})
            query = query.where(s.stage.in_(sorted({v[0] for v in versions})),
                                s.model_version.in_(sorted({v[1] for v in versions})))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(s.scored_at)).all()
        return _latest_by_field(_frame(rows, ["post_pk", "field", "value", "text_value"]))

    def matches_between(self, first_pk: int, last_pk: int) -> pd.DataFrame:
        """:meth:`matches_frame` of the posts with ``first_pk <= pk <= last_pk`` only."""
        m = schema.matches.c
        query = select(m.post_pk, m.taxon, m.product, m.lang, m.term, m.kind).where(
            m.post_pk.between(int(first_pk), int(last_pk)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return _frame(rows, ["post_pk", "taxon", "product", "lang", "term", "kind"])

    def replace_matches(self, frame: pd.DataFrame, pks: Iterable[int] | None = None) -> None:
        """Store lexicon matches (columns post_pk, taxon, product, lang, term, kind).

        Earlier matches of the posts in ``pks`` (default: the posts in ``frame``) are removed
        first, so a post re-matched by a new lexicon keeps no stale match. Plain tuples through
        the driver's executemany (no per-row dicts or statement compiling).
        """
        pks = sorted({int(pk) for pk in (frame["post_pk"] if pks is None else pks)})
        columns = ["post_pk", "taxon", "product", "lang", "term", "kind"]
        rows = list(zip([int(pk) for pk in frame["post_pk"].tolist()],
                        *[[None if pd.isna(v) else v for v in frame[c].tolist()]
                          for c in columns[1:]]))
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        table = schema.matches.name
        with self.engine.begin() as conn:
            if pks:
                conn.exec_driver_sql(f"DELETE FROM {table} WHERE post_pk = {mark}",
                                     [(pk,) for pk in pks])
            if rows:
                conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                     f"({', '.join([mark] * len(columns))})", rows)

    def matches_frame(self) -> pd.DataFrame:
        m = schema.matches.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(m.post_pk, m.taxon, m.product, m.lang, m.term, m.kind)).all()
        return _frame(rows, ["post_pk", "taxon", "product", "lang", "term", "kind"])

    # -- labels ---------------------------------------------------------------------------
    def add_labels(self, labels: Sequence[Label]) -> tuple[int, list[str]]:
        """Upsert labels by post_id; returns (stored, post ids not found).

        A label that names its platform is matched on (platform, post_id) only.
        """
        if not labels:
            return 0, []
        if self.engine.dialect.name == "sqlite" and all(lab.platform for lab in labels):
            # One indexed upsert per label, the post's pk found by a subquery (no round trip).
            now = sqlite_datetime(_now())
            rows = [(lab.field, lab.value, lab.annotator,
                     sqlite_datetime(lab.created_at) if lab.created_at else now,
                     lab.platform, lab.post_id) for lab in labels]
            with self.engine.begin() as conn:
                raw = conn.connection.driver_connection
                before = raw.total_changes
                raw.executemany(SQLITE_UPSERT_LABEL, rows)
                stored = raw.total_changes - before
                missing: list[str] = []
                if stored < len(rows):
                    keys = list(dict.fromkeys((lab.platform, lab.post_id) for lab in labels))
                    found = set()
                    for start in range(0, len(keys), 400):
                        chunk = keys[start:start + 400]
                        found.update(raw.execute(
                            "SELECT platform, post_id FROM posts WHERE (platform, post_id) IN "
                            f"(VALUES {','.join(['(?, ?)'] * len(chunk))})",
                            [x for key in chunk for x in key]).fetchall())
                    missing = [lab.post_id for lab in labels
                               if (lab.platform, lab.post_id) not in found]
            return stored, missing
        p = schema.posts.c
        ids = sorted({label.post_id for label in labels})
        pk_of: dict[tuple[str | None, str], int] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                for pk, platform, post_id in conn.execute(
                    select(p.pk, p.platform, p.post_id).where(p.post_id.in_(ids[start:start + 500]))
                ):
                    pk_of[(None, post_id)] = pk
                    pk_of[(platform, post_id)] = pk
        rows, missing = [], []
        for label in labels:
            pk = pk_of.get((label.platform, label.post_id))
            if pk is None:
                missing.append(label.post_id)
                continue
            rows.append({"post_pk": pk, "field": label.field,
                         "value": label.value, "annotator": label.annotator,
                         "created_at": label.created_at or _now()})
        if rows:
            statement = self._insert(schema.labels)
            statement = statement.on_conflict_do_update(
                index_elements=["post_pk", "field", "annotator"],
                set_={"value": statement.excluded.value, "created_at": statement.excluded.created_at},
            )
            with self.engine.begin() as conn:
                conn.execute(statement, rows)
        return len(rows), missing

    def labels_frame(self, field: str | None = None) -> pd.DataFrame:
        """Labels joined to posts: post_pk, post_id, field, value, annotator, created_at."""
        lab, p = schema.labels.c, schema.posts.c
        query = select(lab.post_pk, p.post_id, lab.field, lab.value, lab.annotator,
                       lab.created_at).join(schema.posts, p.pk == lab.post_pk)
        if field:
            query = query.where(lab.field == field)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(lab.post_pk)).all()
        return pd.DataFrame(rows, columns=["post_pk", "post_id", "field", "value", "annotator",
                                           "created_at"])

    # -- quarantine and cursors -----------------------------------------------------------
    def quarantine(self, items: Sequence[Quarantined]) -> None:
        if not items:
            return
        now = _now()
        rows = [dataclasses.asdict(item) | {"created_at": now} for item in items]
        with self.engine.begin() as conn:
            conn.execute(schema.quarantine.insert(), rows)

    def quarantined(self) -> list[Quarantined]:
        q = schema.quarantine.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(q.source, q.location, q.reason, q.field).order_by(q.id)).all()
        return [Quarantined(source=r[0], location=r[1], reason=r[2], field=r[3]) for r in rows]

    def get_cursor(self, source: str, query: str) -> str | None:
        c = schema.cursors.c
        with self.engine.connect() as conn:
            return conn.execute(
                select(c.cursor).where(c.source == source, c.query == query)
            ).scalar_one_or_none()

    def set_cursor(self, source: str, query: str, cursor: str) -> None:
        statement = self._insert(schema.cursors).values(
            source=source, query=query, cursor=cursor, updated_at=_now()
        )
        statement = statement.on_conflict_do_update(
            index_elements=["source", "query"],
            set_={"cursor": statement.excluded.cursor, "updated_at": statement.excluded.updated_at},
        )
        with self.engine.begin() as conn:
            conn.execute(statement)

    def save_page(self, posts: Sequence[Post], quarantined: Sequence[Quarantined],
                  source: str, query: str, cursor: str | None) -> int:
        """Commit one page of a live source, then its cursor.

        In that order: a kill between the two re-fetches the page on the next run, and its posts
        then count as duplicates, so nothing is lost and nothing is stored twice.
        """
        stored = self.add_posts(posts)
        self.quarantine(quarantined)
        if cursor is not None:
            self.set_cursor(source, query, cursor)
        return stored
