"""Quarantine: records that could not be read, kept with where they were and why (never their
content: it may hold personal data), so nothing is lost silently."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy import Connection, select

from wildsift.records import Quarantined
from wildsift.store import schema
from wildsift.store.repository import Repository
from wildsift.store.rows import now as _now


class Quarantine(Repository):
    """The quarantine table."""

    def add(self, items: Sequence[Quarantined], conn: Connection | None = None) -> None:
        if not items:
            return
        now = _now()
        rows = [dataclasses.asdict(item) | {"created_at": now} for item in items]
        with self.begin(conn) as tx:
            tx.execute(schema.quarantine.insert(), rows)

    def all(self) -> list[Quarantined]:
        q = schema.quarantine.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(q.source, q.location, q.reason, q.field).order_by(q.id)).all()
        return [Quarantined(source=r[0], location=r[1], reason=r[2], field=r[3]) for r in rows]
