"""Posts: written once per (platform, post_id), read in bounded batches.

Writes are idempotent: a post is keyed by (platform, post_id), so re-importing a file adds
nothing twice. With SQLite a worker process can encode a chunk of posts and labels
(:func:`.sqlite_bulk.encode_chunk`) that the single writer merges in one statement
(:meth:`Posts.add_chunk`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import pandas as pd
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Exists,
    Text,
    and_,
    cast,
    func,
    or_,
    select,
    true,
)

from wildsift.records import Post
from wildsift.store import schema
from wildsift.store.faults import translated
from wildsift.store.repository import Repository, driver_connection
from wildsift.store.rows import frame_of as _frame
from wildsift.store.rows import now as _now
from wildsift.store.sqlite_bulk import (
    CHUNK_SCHEMA,
    SQLITE_INSERT_POST,
    SQLITE_MERGE_LABELS,
    SQLITE_MERGE_POSTS,
    attached_chunk,
    sqlite_datetime,
    sqlite_post_row,
)

POST_COLUMNS = [c.name for c in schema.posts.columns]
_CHUNK = 500  # ids per statement: well under SQLite's 32,766 bound parameters


def _json_value(raw: str | None) -> object:
    """What SQLAlchemy's JSON type returns for a stored text (a new list for "[]")."""
    if raw is None:
        return None
    return [] if raw == "[]" else json.loads(raw)


class Pending(NamedTuple):
    """Posts a stage still has to do: those without its rows at ``version``; with ``kept_by``
    (stage, version, field) only those that decision keeps (its field is 1 there)."""

    stage: str
    version: str
    kept_by: tuple[str, str, str] | None = None


def _scored(stage: str, version: str) -> Exists:
    """The post has rows of ``stage`` at ``version``. Correlated EXISTS: one index probe per
    post (ix_scores_stage_post); NOT IN (subquery) re-reads a stage's scores per batch."""
    s = schema.scores.c
    return select(s.post_pk).where(s.stage == stage, s.model_version == version,
                                   s.post_pk == schema.posts.c.pk).exists()


def _pending_clause(unscored_by: tuple[str, str] | Sequence[Pending]) -> ColumnElement[bool]:
    """Posts any of the stages still has to do (see :class:`Pending`)."""
    if len(unscored_by) == 2 and all(isinstance(x, str) for x in unscored_by):
        unscored_by = [Pending(str(unscored_by[0]), str(unscored_by[1]))]
    clauses = []
    for pending in unscored_by:
        assert isinstance(pending, Pending)
        todo = ~_scored(pending.stage, pending.version)
        if pending.kept_by is not None:
            s = schema.scores.c
            stage, version, field = pending.kept_by
            kept = select(s.post_pk).where(
                s.stage == stage, s.model_version == version, s.post_pk == schema.posts.c.pk,
                s.field == field, s.value == 1).exists()
            todo = and_(kept, todo)
        clauses.append(todo)
    return or_(*clauses) if clauses else true()  # no stage that stores: every post


class Posts(Repository):
    """The posts table."""

    def add(self, posts: Sequence[Post], conn: Connection | None = None) -> int:
        """Insert posts not stored yet; returns how many were new (the rest are duplicates).
        ``conn``: write inside the caller's transaction (see :meth:`Repository.begin`)."""
        if not posts:
            return 0
        now = _now()
        if self.is_sqlite:
            # The DBAPI directly: executemany without RETURNING, new rows counted by
            # total_changes (SQLAlchemy's per-parameter processing was ~20% of an import).
            lines = [sqlite_post_row(post, now) for post in posts]
            with translated(self.engine), self.begin(conn) as tx:
                raw = driver_connection(tx)
                # Bulk writes: a larger page cache for the random-order unique index, and fewer
                # WAL checkpoints (each one rewrites the pages just written); both per connection.
                raw.execute("PRAGMA cache_size=-65536")
                raw.execute("PRAGMA wal_autocheckpoint=10000")
                before = raw.total_changes
                raw.executemany(SQLITE_INSERT_POST, lines)
                return raw.total_changes - before
        rows: list[dict[str, Any]] = []
        for post in posts:
            row = {name: getattr(post, name) for name in POST_COLUMNS if name != "pk"}
            row["media"] = [dataclasses.asdict(m) for m in post.media]
            row["collected_at"] = post.collected_at or now
            rows.append(row)
        statement = self.upsert(schema.posts).on_conflict_do_nothing(
            index_elements=["platform", "post_id"]
        ).returning(schema.posts.c.pk)
        with self.begin(conn) as tx:
            result = tx.execute(statement, rows)
            return len(result.all())

    def add_chunk(self, chunk: bytes) -> tuple[int, int]:
        """SQLite only: merge posts and labels encoded by :func:`sqlite_bulk.encode_chunk` (in a
        worker process); returns (new posts, labels stored). Same rules as :meth:`add`
        and :meth:`Labels.add <wildsift.store.labels.Labels.add>`: a post already stored is skipped, a label is upserted."""
        with translated(self.engine), self.engine.connect() as conn:
            raw = driver_connection(conn)
            raw.execute("PRAGMA cache_size=-65536")
            raw.execute("PRAGMA wal_autocheckpoint=10000")
            with attached_chunk(raw, chunk, CHUNK_SCHEMA):
                before = raw.total_changes
                raw.execute(SQLITE_MERGE_POSTS)
                stored = raw.total_changes - before
                raw.execute(SQLITE_MERGE_LABELS, (sqlite_datetime(_now()),))
                labels = raw.total_changes - before - stored
        return stored, labels

    def count_pending(self, pending: Sequence[Pending]) -> int:
        """How many posts any of these stages still has to do (see :class:`Pending`)."""
        query = select(func.count()).select_from(schema.posts).where(_pending_clause(pending))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.posts)).scalar_one()

    def iter(
        self,
        columns: Sequence[str] = ("pk", "platform", "post_id", "text", "lang"),
        *,
        batch_size: int = 5000,
        unscored_by: tuple[str, str] | Sequence[Pending] | None = None,
    ) -> Iterator[pd.DataFrame]:
        """Batches of posts as DataFrames (keyset pagination: bounded memory, any size).

        ``unscored_by=(stage, model_version)`` yields only posts that stage has not scored; a
        sequence of :class:`Pending` yields the posts any of those stages still has to do.
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
                query = query.where(_pending_clause(unscored_by))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            frame = _frame(rows, [c.name for c in cols])
            for name in json_columns:
                frame[name] = [_json_value(v) for v in frame[name].tolist()]
            last = int(frame["pk"].iloc[-1])
            yield frame

    def frame(self, columns: Sequence[str] = tuple(POST_COLUMNS), *,
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

    def present_keys(self, keys: Iterable[tuple[str | None, str]]) -> set[tuple]:
        """Which of these (platform, post_id) keys are stored; a key whose platform is None
        (a label file names none) is present when any platform has that post id."""
        wanted = list(dict.fromkeys((pl, str(pid)) for pl, pid in keys))
        p = schema.posts.c
        present: set[tuple] = set()
        ids = sorted({pid for _pl, pid in wanted})
        stored: set[tuple[str, str]] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), _CHUNK):
                stored.update((r[0], r[1]) for r in conn.execute(select(p.platform, p.post_id)
                              .where(p.post_id.in_(ids[start:start + _CHUNK]))))
        any_platform = {pid for _pl, pid in stored}
        for platform, pid in wanted:
            if (platform, pid) in stored or (platform is None and pid in any_platform):
                present.add((platform, pid))
        return present
