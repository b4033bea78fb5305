"""Objects inside one JSON document, streamed: the items of ``[...]``, ``{"data": [...]}``,
``{"user": {...}, "weibo": [...]}`` and the like, without loading the document.

Several exports are one JSON document rather than one object per line: a Meta Content Library
job saved with ``write_data_to_file`` (an array of records), weibo-crawler's and weiboSpider's
``<user id>.json`` (``{"user": ..., "weibo": [...]}``), a saved Weibo web API answer
(``{"ok": 1, "data": {"list": [...]}}``). :func:`iter_objects` walks the document with ijson
and hands over each object found at one of the given prefixes, so memory stays bounded by one
item. yajl (ijson's C parser) refuses integers beyond 64 bits: such a file is read again with
ijson's pure-Python parser, the objects already given left out (as the Telegram importer does).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import ijson
import ijson.backends.python as ijson_python

from wildsift.sources.files.lines import open_binary

_DEPTH = {"start_map": 1, "end_map": -1, "start_array": 1, "end_array": -1}


class DamagedJson(Exception):
    """The document is cut off or not JSON after ``count`` objects (``what``: JSON or UTF-8)."""

    def __init__(self, count: int, what: str):
        super().__init__(f"not valid {what} after item #{count}")
        self.count = count
        self.what = what


class _Overflow(Exception):
    pass


def iter_objects(path: Path, prefixes: Mapping[str, str]) -> Iterator[tuple[str, Any, int]]:
    """``(kind, object, end offset)`` for each object whose ijson prefix is a key of
    ``prefixes`` (``"item"``, ``"data.list.item"``, ``"user"``); ``kind`` is its value.
    Raises :class:`DamagedJson` where the document stops being readable."""
    given = 0
    try:
        for found in _walk(path, prefixes, ijson.parse):
            given += 1
            yield found
    except _Overflow:
        for index, found in enumerate(_walk(path, prefixes, ijson_python.parse)):
            if index >= given:
                yield found


def _walk(path: Path, prefixes: Mapping[str, str], parse) -> Iterator[tuple[str, Any, int]]:
    count = 0
    with open_binary(path) as handle:
        builder: ijson.ObjectBuilder | None = None
        kind = ""
        depth = 0
        try:
            for prefix, event, value in parse(handle, use_float=True):
                if builder is not None:
                    builder.event(event, value)
                    depth += _DEPTH.get(event, 0)
                    if depth == 0:
                        count += 1
                        yield kind, builder.value, handle.tell()
                        builder = None
                elif event in ("start_map", "start_array") and prefix in prefixes:
                    builder, depth, kind = ijson.ObjectBuilder(), 1, prefixes[prefix]
                    builder.event(event, value)
        except (ijson.JSONError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            if "integer overflow" in str(exc) and parse is not ijson_python.parse:
                raise _Overflow from None
            raise DamagedJson(count, "UTF-8" if isinstance(exc, UnicodeDecodeError)
                              else "JSON") from None


def first_keys(head: bytes, prefix: str) -> set[str]:
    """The keys of the first object at ``prefix`` in the first bytes of a document (when the
    head ends inside it: the keys seen so far)."""
    keys: set[str] = set()
    try:
        for found, event, value in ijson.parse(io.BytesIO(head)):
            if found == prefix and event == "map_key":
                keys.add(value)
            elif found == prefix and event == "end_map":
                break
    except ijson.JSONError:
        pass
    return keys
