"""Store: write posts, labels, quarantined records and cursors; read posts in batches.

One class for SQLite and PostgreSQL (SQLAlchemy Core). Writes are idempotent where it matters:
a post is keyed by (platform, post_id), so re-importing a file adds nothing twice. What stages
write and read (scores, lexicon matches) is in :mod:`wildsift.store.outputs`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence

import pandas as pd
from sqlalchemy import JSON, Engine, Text, cast, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from wildsift.errors import StoreError
from wildsift.records import Label, Post, Quarantined
from wildsift.store import schema
from wildsift.store.erasure import Erasure
from wildsift.store.faults import install as install_fault_messages
from wildsift.store.faults import translated
from wildsift.store.images import Images
from wildsift.store.media_reuse import MediaReuse
from wildsift.store.migrate import upgrade
from wildsift.store.outputs import StageOutputs
from wildsift.store.queue import LabelQueue
from wildsift.store.rows import frame_of as _frame
from wildsift.store.rows import now as _now
from wildsift.store.sqlite_bulk import (
    CHUNK_SCHEMA,
    SQLITE_INSERT_POST,
    SQLITE_MERGE_LABELS,
    SQLITE_MERGE_POSTS,
    SQLITE_UPSERT_LABEL,
    attached_chunk,
    sqlite_datetime,
    sqlite_post_row,
)

POST_COLUMNS = [c.name for c in schema.posts.columns]


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted content is overwritten with zeros (Debian's build does so by default, others do
    # not): an erased post leaves no bytes in the file even before `comply` vacuums it.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _json_value(raw: str | None) -> object:
    """What SQLAlchemy's JSON type returns for a stored text (a new list for "[]")."""
    if raw is None:
        return None
    return [] if raw == "[]" else json.loads(raw)


class Store(StageOutputs, LabelQueue, MediaReuse, Erasure, Images):
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
            install_fault_messages(engine)
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
            with translated(self.engine), self.engine.begin() as conn:
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
        with translated(self.engine), self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA cache_size=-65536")
            raw.execute("PRAGMA wal_autocheckpoint=10000")
            with attached_chunk(raw, chunk, CHUNK_SCHEMA):
                before = raw.total_changes
                raw.execute(SQLITE_MERGE_POSTS)
                stored = raw.total_changes - before
                raw.execute(SQLITE_MERGE_LABELS, (sqlite_datetime(_now()),))
                labels = raw.total_changes - before - stored
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
        # JSON columns read as text and decoded here: most hold "[]", which skips json.loads
        json_columns = [name for name in columns if isinstance(p[name].type, JSON)]
        cols = [cast(p[name], Text).label(name) if name in json_columns else p[name]
                for name in columns]
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
            for name in json_columns:
                frame[name] = [_json_value(v) for v in frame[name].tolist()]
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
            with translated(self.engine), self.engine.begin() as conn:
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
