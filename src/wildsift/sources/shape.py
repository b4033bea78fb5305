"""The last check of a RawPost before privacy and the store: right types, values that fit.

Mappers build RawPosts from what a platform or a file says, and a damaged item can slip a list
into ``place`` or a 40-character ``lang`` past them. The store would refuse such a row and the
whole batch with it (SQLite: "type 'list' is not supported"; PostgreSQL: "value too long"), so
:func:`check_shape` raises a RecordError naming the field instead, and the record alone is
quarantined. Only types are checked, and the length of ``platform`` (part of the key): the
other column lengths (``lang`` 16, ``country`` 2, ``place`` 256 in ``store/schema.py``) are
enforced by PostgreSQL but not SQLite, and some connectors store longer values on purpose
(VK's country names), so refusing them here would change what those connectors keep.
"""

from __future__ import annotations

import math
from datetime import datetime

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost

_TEXT = ("author", "author_description", "reply_to", "repost_of", "label", "lang", "country",
         "place", "query", "source")
_LIMITS = {"platform": 32}  # a key column; other lengths are the mappers' business (see below)


def check_shape(raw: RawPost) -> None:
    """RecordError (with the field) if ``raw`` holds a value its column cannot take."""
    where = raw.location
    for name in ("platform", "source_id"):
        value = getattr(raw, name)
        if not isinstance(value, str) or not value:
            raise RecordError(f"{name} is not a non-empty string", location=where, field=name)
    if not isinstance(raw.text, str):
        raise RecordError("text is not a string", location=where, field="text")
    for name in _TEXT:
        if not isinstance(getattr(raw, name), str | None):
            raise RecordError(f"{name} is not a string", location=where, field=name)
    for name, limit in _LIMITS.items():
        value = getattr(raw, name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise RecordError(f"{name} is not a string of at most {limit} characters",
                              location=where, field=name)
    for name in ("lat", "lon"):
        value = getattr(raw, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value)):
            raise RecordError(f"{name} is not a finite number", location=where, field=name)
    if raw.created_at is not None and not isinstance(raw.created_at, datetime):
        raise RecordError("created_at is not a date", location=where, field="created_at")
    for name in ("mentions", "hashtags"):
        value = getattr(raw, name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RecordError(f"{name} is not a list of strings", location=where, field=name)
    if not isinstance(raw.media, list) or not all(
            isinstance(m, RawMedia) and isinstance(m.url, str) and
            isinstance(m.thumbnail, str | None) for m in raw.media):
        raise RecordError("media is not a list of URLs or paths", location=where, field="media")
