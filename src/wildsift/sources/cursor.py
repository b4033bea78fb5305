"""A live source's cursor: a small JSON object stored as text with each committed page.

Each connector decides what its cursor holds (the newest id seen, a page token while back-filling,
a date slice); these two helpers read and write it the same way everywhere. A cursor that is not
a JSON object (a damaged row, an older wildsift's bare id) reads as empty, or as ``{bare: value}``
when the connector names the key a bare value meant.
"""

from __future__ import annotations

import json
from datetime import datetime


def load_cursor(cursor: str | None, *, bare: str | None = None) -> dict:
    """The stored cursor as a dict; ``bare``: the key a plain numeric cursor stands for."""
    if not cursor:
        return {}
    try:
        state = json.loads(cursor)
    except ValueError:
        return {bare: cursor} if bare and cursor.isdigit() else {}
    return state if isinstance(state, dict) else {}


def dump_cursor(state: dict, *, drop_none: bool = False) -> str:
    """The cursor to store (keys sorted, so equal states are equal strings)."""
    if drop_none:
        state = {key: value for key, value in state.items() if value is not None}
    return json.dumps(state, sort_keys=True, ensure_ascii=False)


def cursor_datetime(value) -> datetime | None:
    """A date a connector stored in its cursor (ISO 8601); None when absent or unreadable."""
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
