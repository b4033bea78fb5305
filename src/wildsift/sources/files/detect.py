"""Which export a file is, from its first bytes (not its extension), and the reader for it.

A ``.json`` may be a twarc2 page per line, flattened tweets, Zeeschuimer items, a 4CAT NDJSON
download, a Telegram Desktop export or plain JSON Lines; a ``.csv`` a 4CAT download or any
spreadsheet. :func:`detect_format` reads the first 256 KiB: the keys of the first JSON object
(with ijson, so a twarc2 page longer than that, or a pretty-printed Telegram export, still
shows its keys) or the CSV header. :func:`open_import` returns the reader of a format; every
reader iterates ``RawPost | Quarantined`` and has ``path``, ``format``, ``source``, ``size``,
``bytes_read`` and ``unknown_columns``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import ijson
import orjson

from wildsift.errors import ConfigError
from wildsift.sources.base import FileSourceError
from wildsift.sources.files.formats import FORMATS, GENERIC
from wildsift.sources.files.fourcat import FourCatCsvReader, FourCatNdjsonReader
from wildsift.sources.files.json_items import first_keys
from wildsift.sources.files.lines import open_binary
from wildsift.sources.files.platform_detect import (
    PLATFORM_FORMATS,
    array_format,
    csv_format,
    json_format,
    open_platform,
)
from wildsift.sources.files.reader import FileReader
from wildsift.sources.files.telegram_desktop import TelegramDesktopReader
from wildsift.sources.files.twarc import TwarcReader
from wildsift.sources.files.zeeschuimer import ZeeschuimerReader

_HEAD = 256 * 1024
_TWEET_KEYS = {"author_id", "edit_history_tweet_ids", "conversation_id"}
_TWEETS = "\0tweets"
_4CAT_COLUMNS = ({"id", "thread_id", "body"}, {"id", "body", "unix_timestamp"})


def _listing() -> str:
    return "; ".join(f"{name} ({what})" for name, what in FORMATS.items())


def detect_format(path: Path | str) -> str:
    """The name of ``path``'s format (a key of :data:`FORMATS`); FileSourceError if none."""
    path = Path(path)
    with open_binary(path) as handle:
        head = handle.read(_HEAD)
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text:
        raise FileSourceError(f"{path.name} is empty; nothing to import")
    if text[:1] == b"{":
        fmt = _json_format(text)
    elif text[:1] == b"[":
        fmt = array_format(first_keys(text, "item"))  # an MCL job's file, Weibo statuses
    else:
        fmt = _csv_format(text)
    if fmt is None:
        raise FileSourceError(f"cannot tell the format of {path.name} from its first lines; "
                              f"pass --format with one of: {_listing()}")
    return fmt


def _json_format(text: bytes) -> str | None:
    for line in text.split(b"\n", 5)[:5]:  # a malformed first line is not the whole file
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            return _by_keys(set(obj), obj)
    keys = _top_keys(text)  # a pretty-printed document, or a first line longer than the head
    if keys is None:
        return None
    if keys & {"messages", "chats", "personal_information"}:
        return "telegram-desktop"
    if found := json_format(keys):  # a pretty-printed crawler file
        return found
    return _by_keys(keys, {}) if len(text) >= _HEAD or text.count(b"\n") < 2 else None


def _top_keys(text: bytes) -> set[str] | None:
    keys: set[str] = set()
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(text)):
            if prefix == "" and event == "map_key":
                keys.add(value)
            elif prefix == "data.item" and event == "map_key" and value in _TWEET_KEYS:
                keys.add(_TWEETS)  # a twarc2 page whose 'includes' lie beyond the head
            elif prefix == "" and event == "end_map":
                break
    except ijson.JSONError:
        pass  # the head ends inside the document: the keys seen so far
    return keys or None


def _by_keys(keys: set[str], obj: dict) -> str:
    if "source_platform" in keys and "data" in keys:
        return "zeeschuimer"
    if "__import_meta" in keys:
        return "4cat-ndjson"
    if "data" in keys and keys & {"includes", "meta", "__twarc", _TWEETS}:
        return "twarc2"
    if "id" in keys and "text" in keys and (
            "__twarc" in keys or (isinstance(obj.get("author"), dict) and "author_id" in keys)):
        return "twarc2-flat"
    if "messages" in keys and keys & {"name", "type"}:
        return "telegram-desktop"
    return json_format(keys, obj or None) or "jsonl"


def _csv_format(text: bytes) -> str | None:
    line = text.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    try:
        header = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return None
    if found := csv_format(header):
        return found
    columns = {c.strip().lower() for c in header}
    if any(wanted <= columns for wanted in _4CAT_COLUMNS):
        return "4cat-csv"
    return "csv" if len(header) > 1 or "id" in columns or "text" in columns else None


def open_import(path: Path | str, *, format: str | None = None,
                mapping: Mapping[str, str] | None = None, platform: str | None = None):
    """The reader for ``path`` in ``format`` (detected when None).

    ``mapping`` (FIELD -> COLUMN) applies to csv and jsonl; ``platform`` to csv, jsonl and
    4cat-csv, whose rows may not say it; the other formats name their platform in the data.
    """
    path = Path(path)
    fmt = (format or "").strip().lower() or detect_format(path)
    if fmt not in FORMATS:
        raise FileSourceError(f"unknown format {fmt!r} for {path.name}; use one of "
                              f"{', '.join(FORMATS)}")
    if fmt in GENERIC:
        return FileReader(path, format=fmt, mapping=mapping, platform=platform)
    if mapping:
        raise ConfigError(f"--map applies to csv and jsonl files, not to {fmt}: its fields "
                          "are known")
    if fmt in PLATFORM_FORMATS:
        return open_platform(path, fmt, platform)
    if fmt == "4cat-csv":
        return FourCatCsvReader(path, platform=platform)
    if platform:
        raise ConfigError(f"--platform applies to csv, jsonl and 4cat-csv; {fmt} items name "
                          "their platform")
    if fmt in ("twarc2", "twarc2-flat"):
        return TwarcReader(path, format=fmt)
    if fmt == "zeeschuimer":
        return ZeeschuimerReader(path)
    if fmt == "4cat-ndjson":
        return FourCatNdjsonReader(path)
    return TelegramDesktopReader(path)
