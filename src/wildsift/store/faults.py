"""A full disk or an I/O error under the store: one clear message, and the batch rolled back.

Without this, SQLite's "database or disk is full" or PostgreSQL's "could not extend file ...
No space left on device" reached the user as a traceback. Every write of the store is one
transaction, so such a failure rolls back the batch being written and leaves what was
committed before it intact; the message says so, names the database, and says how to go on
(free space, run the same command again: imports and sift resume where they stopped).

Errors that go through SQLAlchemy are translated by a ``handle_error`` listener
(:func:`install`); the store's few raw-driver bulk writes use :func:`translated`. PostgreSQL's
COPY (``store/pg_bulk.py``) runs on the driver's cursor, outside both: :func:`install` gives
each psycopg connection a cursor whose ``copy`` translates too (before, a full disk during a
sift's COPY ended in a traceback that quoted the COPY line being sent).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Engine, event

from wildsift.errors import StoreError

FULL = ("database or disk is full", "no space left on device", "disk quota exceeded",
        "could not extend file", "diskfull")
BROKEN = ("disk i/o error", "input/output error", "read-only file system",
          "attempt to write a readonly database")


class StoreWriteError(StoreError):
    """The store could not write: the disk is full or failed. Nothing half-written is kept."""


def describe(exc: BaseException, where: str) -> StoreWriteError | None:
    """The clear error for a full disk or an I/O failure; None for any other error."""
    text = f"{type(exc).__name__} {exc}".lower()
    if any(marker in text for marker in FULL):
        what = "the disk is full (No space left on device)"
    elif any(marker in text for marker in BROKEN):
        what = f"the disk failed ({str(exc).splitlines()[0][:200]})"
    else:
        return None
    return StoreWriteError(
        f"cannot write to the store {where}: {what}. The batch being written was rolled back; "
        "everything committed before it is intact. Free some space (or fix the disk) and run "
        "the same command again: it goes on where it stopped.")


def where_of(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return f"{url.get_backend_name()}://{url.host or 'localhost'}/{url.database}"


def install(engine: Engine) -> None:
    """Translate full-disk and I/O errors raised through SQLAlchemy on ``engine``."""
    where = where_of(engine)

    def handle(context) -> None:
        error = describe(context.original_exception, where)
        if error is not None:
            raise error from context.original_exception

    event.listen(engine, "handle_error", handle)
    if engine.dialect.name == "postgresql":

        def on_connect(dbapi_connection, _record) -> None:
            factory = getattr(dbapi_connection, "cursor_factory", None)
            if factory is not None:
                dbapi_connection.cursor_factory = _translating_cursor(factory, where)

        event.listen(engine, "connect", on_connect)


@cache
def _translating_cursor(base: type, where: str) -> type:
    """``base`` (a psycopg cursor class) whose ``copy`` turns disk errors into the clear one."""

    class TranslatingCursor(base):
        @contextmanager
        def copy(self, *args, **kwargs):
            try:
                with super().copy(*args, **kwargs) as copy:
                    yield copy
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - only the disk errors are translated
                error = describe(exc, where)
                if error is None:
                    raise
                raise error from exc

    return TranslatingCursor


@contextmanager
def translated(engine: Engine) -> Iterator[None]:
    """Translate full-disk and I/O errors of raw driver calls made inside the block."""
    try:
        yield
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - only the disk errors are translated
        error = describe(exc, where_of(engine))
        if error is None:
            raise
        raise error from exc
