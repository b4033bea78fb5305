"""Cursors: where a live source stopped, per (source, query), so the next run goes on from there."""

from __future__ import annotations

from sqlalchemy import Connection, select

from wildsift.store import schema
from wildsift.store.repository import Repository
from wildsift.store.rows import now as _now


class Cursors(Repository):
    """The cursors table."""

    def get(self, source: str, query: str) -> str | None:
        c = schema.cursors.c
        with self.engine.connect() as conn:
            return conn.execute(
                select(c.cursor).where(c.source == source, c.query == query)
            ).scalar_one_or_none()

    def set(self, source: str, query: str, cursor: str, conn: Connection | None = None) -> None:
        statement = self.upsert(schema.cursors).values(
            source=source, query=query, cursor=cursor, updated_at=_now()
        )
        statement = statement.on_conflict_do_update(
            index_elements=["source", "query"],
            set_={"cursor": statement.excluded.cursor, "updated_at": statement.excluded.updated_at},
        )
        with self.begin(conn) as tx:
            tx.execute(statement)
