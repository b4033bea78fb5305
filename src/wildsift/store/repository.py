"""What every repository of a store shares: the engine, and the dialect's upsert.

A repository is one family of tables (posts, scores, images, ...) with the reads and writes the
rest of wildsift needs; :class:`wildsift.store.Store` holds one of each. The SQLite and
PostgreSQL bulk paths live inside the repositories (with :mod:`.sqlite_bulk` and
:mod:`.pg_bulk`), so no module outside ``store/`` asks which database it talks to.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite


class Repository:
    """One family of tables over a store's engine."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        # INSERT ... ON CONFLICT of the dialect (both speak it, with their own constructs)
        self.upsert = sqlite.insert if self.is_sqlite else postgresql.insert

    def count_rows(self, table) -> int:
        """Rows in ``table`` (one of :mod:`.schema`)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
