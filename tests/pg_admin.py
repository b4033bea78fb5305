"""Dropping a test's PostgreSQL database, even while autovacuum visits it.

``DROP DATABASE ... WITH (FORCE)`` ends the test's own connections, but not an autovacuum
worker that the new database's first writes started: it runs as the server's superuser, whom
the test role may not signal, and the drop fails with InsufficientPrivilege (seen once in CI).
Such a worker ends within seconds, so the drop is tried again a few times.
"""

from __future__ import annotations

import time

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError


def drop_database(admin: Engine, name: str, attempts: int = 30, pause: float = 0.5) -> None:
    """Drop database ``name`` through ``admin`` (an AUTOCOMMIT engine on the same server)."""
    for attempt in range(1, attempts + 1):
        try:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            return
        except DBAPIError as error:
            if type(error.orig).__name__ != "InsufficientPrivilege" or attempt == attempts:
                raise
            time.sleep(pause)
