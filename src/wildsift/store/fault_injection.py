"""Inject a full disk or an I/O error at the Nth row the store writes (tests and benchmarks).

Why a trigger: the fault must strike *inside* the database's transaction, as a real full disk
does, and on every write path, including the ones that bypass SQLAlchemy (SQLite chunks merged
by the raw driver, PostgreSQL COPY). A row trigger sees all of them:

- SQLite: on every new connection of this process, a Python function counts row writes and
  TEMP triggers (per connection, never stored in the study file) on every table call it; at
  the Nth row the trigger runs ``RAISE(ROLLBACK, 'database or disk is full')`` (or
  ``'disk I/O error'``): the statement fails and SQLite rolls the whole transaction back.
- PostgreSQL: a sequence counts row writes of every process; row triggers on every table raise
  ``disk_full`` (SQLSTATE 53100, "could not extend file ..: No space left on device") or
  ``io_error`` (58030, "could not write to file ..: Input/output error") at the Nth, and the
  server aborts the transaction. The triggers live in the database while the block runs and
  are dropped after it.

Nothing here runs unless a test or benchmark enters :func:`write_faults`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.pool import Pool

KINDS = {
    "full": ("database or disk is full", "53100",
             'could not extend file "base/1/2619": No space left on device'),
    "eio": ("disk I/O error", "58030",
            'could not write to file "base/1/2619": Input/output error'),
}
_SKIP_TABLES = ("alembic_version",)
_PG_PREFIX = "wildsift_fault"
_names = itertools.count()


@dataclass
class WriteFaults:
    """Rows written since the block began (``writes``) and whether the fault struck."""

    at: int | None
    kind: str
    backend: str
    writes: int = 0
    struck: bool = False
    _url: str = field(default="", repr=False)
    _live: bool = field(default=True, repr=False)

    def count(self) -> int:
        """Rows written so far (PostgreSQL: by any process); after the block, the final count."""
        if self.backend == "postgresql" and self._live:
            engine = create_engine(self._url)
            try:
                with engine.connect() as conn:
                    value, called = conn.execute(text(
                        f"SELECT last_value, is_called FROM {_PG_PREFIX}_count")).one()
            finally:
                engine.dispose()
            self.writes = int(value) if called else 0
            self.struck = self.at is not None and self.writes >= self.at
        return self.writes

    def _tick(self) -> int:
        self.writes += 1
        if self.at is not None and self.writes == self.at:
            self.struck = True
            return 1
        return 0


@contextmanager
def write_faults(url: str, *, at: int | None, kind: str = "full") -> Iterator[WriteFaults]:
    """Within the block, the ``at``-th row written to the store at ``url`` fails as ``kind``
    ("full" or "eio") would; ``at=None`` only counts rows (to learn how many a run writes)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {sorted(KINDS)}, not {kind!r}")
    backend = url.split(":", 1)[0].split("+", 1)[0]
    faults = WriteFaults(at, kind, backend, _url=url)
    if backend == "sqlite":
        with _sqlite(faults):
            yield faults
    elif backend == "postgresql":
        with _postgresql(url, faults):
            yield faults
    else:
        raise ValueError(f"no fault injection for {backend}")


@contextmanager
def _sqlite(faults: WriteFaults) -> Iterator[None]:
    function = f"wildsift_write_fault_{next(_names)}"
    message = KINDS[faults.kind][0]

    def on_connect(dbapi_connection, _record) -> None:
        if not hasattr(dbapi_connection, "create_function"):
            return  # another driver's pool
        dbapi_connection.create_function(function, 0, faults._tick)
        tables = [row[0] for row in dbapi_connection.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            if table in _SKIP_TABLES:
                continue
            for op in ("INSERT", "UPDATE", "DELETE"):
                dbapi_connection.execute(
                    f'CREATE TEMP TRIGGER IF NOT EXISTS "{function}_{table}_{op}" BEFORE {op} '
                    f'ON main."{table}" WHEN {function}() '
                    f"BEGIN SELECT RAISE(ROLLBACK, '{message}'); END")

    event.listen(Pool, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Pool, "connect", on_connect)


@contextmanager
def _postgresql(url: str, faults: WriteFaults) -> Iterator[None]:
    _, code, message = KINDS[faults.kind]
    at = -1 if faults.at is None else int(faults.at)
    engine = create_engine(url)
    tables = [t for t in inspect(engine).get_table_names() if t not in _SKIP_TABLES]
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SEQUENCE IF EXISTS {_PG_PREFIX}_count"))
            conn.execute(text(f"CREATE SEQUENCE {_PG_PREFIX}_count"))
            conn.execute(text(
                f"CREATE OR REPLACE FUNCTION {_PG_PREFIX}() RETURNS trigger AS $$ BEGIN "
                f"IF nextval('{_PG_PREFIX}_count') = {at} THEN RAISE EXCEPTION USING "
                f"ERRCODE = '{code}', MESSAGE = '{message}'; END IF; "
                "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ "
                "LANGUAGE plpgsql"))
            for table in tables:
                conn.execute(text(
                    f'CREATE TRIGGER {_PG_PREFIX} BEFORE INSERT OR UPDATE OR DELETE ON "{table}" '
                    f"FOR EACH ROW EXECUTE FUNCTION {_PG_PREFIX}()"))
        yield
    finally:
        faults.count()
        faults._live = False
        with engine.begin() as conn:
            for table in tables:
                conn.execute(text(f'DROP TRIGGER IF EXISTS {_PG_PREFIX} ON "{table}"'))
            conn.execute(text(f"DROP FUNCTION IF EXISTS {_PG_PREFIX}()"))
            conn.execute(text(f"DROP SEQUENCE IF EXISTS {_PG_PREFIX}_count"))
        engine.dispose()
