"""SQLite bulk writes through the DBAPI: rows as plain tuples, in the exact format SQLAlchemy uses.

SQLAlchemy's per-parameter processing cost ~20% of an import; these helpers build the rows
once, so ``Store`` can hand them to ``sqlite3.executemany``. Values are stored exactly as
SQLAlchemy's SQLite types would store them, so everything reads back through SQLAlchemy.

An import goes further: a worker process encodes a whole batch into a small in-memory SQLite
database (:func:`encode_chunk`, sent back as bytes) and the writing process only merges it
(:data:`SQLITE_MERGE_POSTS`, :data:`SQLITE_MERGE_LABELS`: ``INSERT ... SELECT`` in C), so the
single writer spends a few microseconds a post instead of encoding and binding every value.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from operator import attrgetter

from sqlalchemy import JSON, DateTime

from wildsift.records import Post
from wildsift.store import schema

POST_COLUMNS = [c.name for c in schema.posts.columns]

_SQLITE_POST_COLUMNS = [name for name in POST_COLUMNS if name != "pk"]
_SQLITE_QUOTED = ", ".join('"' + name + '"' for name in _SQLITE_POST_COLUMNS)  # "query" is a keyword
SQLITE_INSERT_POST = (
    f"INSERT INTO posts ({_SQLITE_QUOTED}) "
    f"VALUES ({', '.join('?' * len(_SQLITE_POST_COLUMNS))}) "
    "ON CONFLICT (platform, post_id) DO NOTHING"
)
SQLITE_UPSERT_LABEL = (
    "INSERT INTO labels (post_pk, field, value, annotator, created_at) "
    "SELECT pk, ?, ?, ?, ? FROM posts WHERE platform = ? AND post_id = ? "
    "ON CONFLICT (post_pk, field, annotator) DO UPDATE "
    "SET value = excluded.value, created_at = excluded.created_at"
)
_POST_FIELDS = attrgetter(*_SQLITE_POST_COLUMNS)
_DATETIME_AT = [i for i, c in enumerate(_SQLITE_POST_COLUMNS)
                if isinstance(schema.posts.c[c].type, DateTime)]
_JSON_AT = [i for i, c in enumerate(_SQLITE_POST_COLUMNS)
            if isinstance(schema.posts.c[c].type, JSON)]
_COLLECTED_AT = _SQLITE_POST_COLUMNS.index("collected_at")


def sqlite_datetime(value: datetime | None) -> str | None:
    """What SQLAlchemy's SQLite DateTime stores ("2024-05-01 12:30:00.000000", zone dropped)."""
    return None if value is None else value.isoformat(" ", "microseconds")[:26]


def _sqlite_json(value) -> str:
    """The JSON SQLAlchemy would store; most lists are empty, and those skip json.dumps."""
    if not value:
        return "[]" if isinstance(value, list) else json.dumps(value)
    if isinstance(value, list) and dataclasses.is_dataclass(value[0]):  # media: flat records
        value = [{f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
                 for item in value]
    return json.dumps(value)


def sqlite_post_row(post: Post, now: datetime) -> list:
    row = list(_POST_FIELDS(post))
    if row[_COLLECTED_AT] is None:
        row[_COLLECTED_AT] = now
    for i in _DATETIME_AT:
        row[i] = sqlite_datetime(row[i])
    for i in _JSON_AT:
        row[i] = _sqlite_json(row[i])
    return row


# -- chunks encoded in another process ------------------------------------------------------
CHUNK_SCHEMA = "chunk"  # the name a chunk is attached under while it is merged
_CHUNK_TABLES = (
    f"CREATE TABLE posts ({_SQLITE_QUOTED})",
    "CREATE TABLE labels (platform, post_id, field, value, annotator)",
)
_CHUNK_INSERT_POST = f"INSERT INTO posts VALUES ({', '.join('?' * len(_SQLITE_POST_COLUMNS))})"
# ORDER BY rowid: new posts get their pks in the chunk's (file) order, the first of two equal
# (platform, post_id) wins, exactly as executemany of the same rows would.
SQLITE_MERGE_POSTS = (
    f"INSERT INTO main.posts ({_SQLITE_QUOTED}) "
    f"SELECT {_SQLITE_QUOTED} FROM {CHUNK_SCHEMA}.posts ORDER BY rowid "
    "ON CONFLICT (platform, post_id) DO NOTHING"
)
SQLITE_MERGE_LABELS = (
    "INSERT INTO main.labels (post_pk, field, value, annotator, created_at) "
    f"SELECT p.pk, l.field, l.value, l.annotator, ? FROM {CHUNK_SCHEMA}.labels AS l "
    "JOIN main.posts AS p ON p.platform = l.platform AND p.post_id = l.post_id "
    "WHERE true ON CONFLICT (post_pk, field, annotator) DO UPDATE "
    "SET value = excluded.value, created_at = excluded.created_at"
)


def encode_chunk(posts: Sequence[Post], labels: Sequence[tuple[str, str, str, str, str]],
                 now: datetime) -> bytes:
    """Posts (rows as :func:`sqlite_post_row` makes them) and labels ``(platform, post_id,
    field, value, annotator)`` as a serialised SQLite database, for ``Store.posts.add_chunk``."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for statement in _CHUNK_TABLES:
            db.execute(statement)
        db.execute("BEGIN")
        db.executemany(_CHUNK_INSERT_POST, [sqlite_post_row(post, now) for post in posts])
        if labels:
            db.executemany("INSERT INTO labels VALUES (?, ?, ?, ?, ?)", labels)
        db.execute("COMMIT")
        return db.serialize()
    finally:
        db.close()


@contextmanager
def attached_chunk(raw: sqlite3.Connection, chunk: bytes, name: str) -> Iterator[None]:
    """``chunk`` (a serialised SQLite database a worker built) attached as ``name`` for the
    merge statements run in the block: committed when the block ends, rolled back when it
    fails, detached either way. One mechanism for the post and the score chunks."""
    raw.execute(f"ATTACH DATABASE ':memory:' AS {name}")
    try:
        raw.deserialize(chunk, name=name)
        try:
            yield
            raw.commit()
        except BaseException:
            raw.rollback()
            raise
    finally:
        raw.execute(f"DETACH DATABASE {name}")
