"""PostgreSQL bulk writes through COPY.

``sift`` writes about 16 score rows a post. Sent with ``executemany``, psycopg pipelines one
``INSERT`` per row: at 100,000 posts (1.6 million rows) that was 64 of the 73 s a ``wildsift sift``
took on PostgreSQL (profiled; SQLite took 40 s), client and server each parsing and executing
every row. ``COPY ... FROM STDIN`` streams the same rows as one statement, and the rows are
formatted here as COPY text (psycopg's per-row ``write_row`` cost 4 µs a row in Python).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from sqlalchemy.engine import Connection

from wildsift.store.repository import driver_connection

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text_field(value: str | None) -> str:
    """A text value as COPY text reads it."""
    return NULL if value is None else value.translate(_ESCAPES)


def float_field(value: float | None) -> str:
    """A float as COPY text reads it (NaN and infinities by PostgreSQL's names)."""
    if value is None:
        return NULL
    if math.isfinite(value):
        return repr(value)
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def copy_text(conn: Connection, table: str, columns: Sequence[str],
              lines: Iterable[str]) -> None:
    """COPY ``lines`` (tab-separated COPY text, each ending in a newline) into ``table``,
    in ``conn``'s transaction; sent in blocks of about 1 MB."""
    raw = driver_connection(conn)
    quoted = ", ".join(f'"{name}"' for name in columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        block: list[str] = []
        size = 0
        for line in lines:
            block.append(line)
            size += len(line)
            if size >= 1 << 20:
                copy.write("".join(block))
                block, size = [], 0
        if block:
            copy.write("".join(block))
