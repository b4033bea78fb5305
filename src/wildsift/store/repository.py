"""What every repository of a store shares: the engine, and the dialect's upsert.

A repository is one family of tables (posts, scores, images, ...) with the reads and writes the
rest of wildsift needs; :class:`wildsift.store.Store` holds one of each. The SQLite and
PostgreSQL bulk paths live inside the repositories (with :mod:`.sqlite_bulk` and
:mod:`.pg_bulk`), so no module outside ``store/`` asks which database it talks to.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite


class Repository:
    """One family of tables over a store's engine."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        # INSERT ... ON CONFLICT of the dialect (both speak it, with their own constructs)
        self.upsert = sqlite.insert if self.is_sqlite else postgresql.insert

    @contextmanager
    def begin(self, conn: Connection | None = None) -> Iterator[Connection]:
        """A transaction of its own, or ``conn``'s when the caller writes several repositories
        in one (e.g. :meth:`wildsift.store.Store.save_page`): committed by whoever began it."""
        if conn is not None:
            yield conn
            return
        with self.engine.begin() as own:
            yield own

    def count_rows(self, table) -> int:
        """Rows in ``table`` (one of :mod:`.schema`)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def driver_connection(conn: Connection) -> Any:
    """The DBAPI connection under ``conn`` (sqlite3 or psycopg), for the bulk paths that bypass
    SQLAlchemy's per-row processing."""
    raw = conn.connection.driver_connection
    if raw is None:  # a closed or invalidated connection
        raise RuntimeError("the database connection is closed")
    return raw
