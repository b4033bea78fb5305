"""One process at a time for work that must not run twice at once on a study.

Two ``wildsift sift`` runs started together (a cron job and a colleague) would both find the same
posts unscored and both write their scores: the ``scores`` table keeps every row it is given, so
each post would carry two scores per field. A collector and readers are safe beside a ``sift``
(posts are keyed by (platform, post_id) and inserted with ON CONFLICT DO NOTHING; readers see
committed rows only), so only ``sift`` takes this lock. PostgreSQL: a session advisory lock
(released by the server when the process dies); SQLite: ``flock`` on a file beside the database
(released by the kernel when the process dies).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from wildsift.errors import StoreError


class Busy(StoreError):
    """Another process holds the lock; the message says which work and what to do."""


def _busy(name: str) -> Busy:
    return Busy(f"another 'wildsift {name}' is running on this study; it does the same work: "
                f"wait for it to finish (or stop it), then run 'wildsift {name}' again")


@contextmanager
def exclusive(store, name: str) -> Iterator[None]:
    """Hold the study-wide lock ``name`` while the block runs; :class:`Busy` when it is held."""
    engine = store.engine
    if engine.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"wildsift:{name}".encode()).digest()[:8], "big",
                             signed=True)
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar_one()
            conn.commit()  # the lock is the session's: no transaction stays open meanwhile
            if not got:
                raise _busy(name)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    database = engine.url.database
    try:
        import fcntl
    except ImportError:  # no flock (Windows): run unguarded
        fcntl = None  # type: ignore[assignment]
    if fcntl is None or not database or database == ":memory:":
        yield
        return
    with open(Path(f"{database}.{name}.lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(name) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
