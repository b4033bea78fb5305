"""Select rows whose key is in a long list of ids, on either backend.

An ``IN (...)`` clause binds one parameter per id; PostgreSQL's protocol refuses more than
65,535 parameters in one statement ("number of parameters must be between 0 and 65535"), and
SQLite's limit is 32,766 (999 before 3.32). A study of 100,000 labelled posts passes that easily,
so every read keyed by a caller's id list goes through :func:`select_in`: on PostgreSQL the ids
travel as one array parameter (``key = ANY(:ids)``, one statement, one index scan); on SQLite
they go in chunks well under the limit. The rows come back in the query's order when the key is
the query's first ``ORDER BY`` column (chunks are taken in sorted key order).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import ColumnElement

SQLITE_CHUNK = 900  # under SQLite's oldest limit (999), leaving room for other parameters


def select_in(conn: Connection, query: Select, key: ColumnElement, ids: Iterable,
              *, limit: int | None = None) -> list[Row]:
    """Rows of ``query`` where ``key`` is one of ``ids`` (deduplicated), at most ``limit``."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    if conn.dialect.name == "postgresql":
        array = bindparam("ids_", wanted, type_=ARRAY(key.type))
        query = query.where(key == any_(array))
        return list(conn.execute(query if limit is None else query.limit(limit)).all())
    rows: list[Row] = []
    for start in range(0, len(wanted), SQLITE_CHUNK):
        rows += conn.execute(query.where(key.in_(wanted[start:start + SQLITE_CHUNK]))).all()
        if limit is not None and len(rows) >= limit:
            return rows[:limit]
    return rows
