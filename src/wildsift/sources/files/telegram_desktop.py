"""Telegram Desktop's ``result.json`` ("Export chat history", format JSON), streamed.

The export is one JSON document: ``{"name", "type", "id", "messages": [...]}`` for one chat, or
``{"chats": {"list": [{... "messages": [...]}]}, ...}`` for a whole account. It is read with
ijson event by event, so a export of any size stays in bounded memory. Per message:
``date`` is the exporting computer's local time without a zone, so ``date_unixtime`` (UTC) wins;
``text`` is a string or a list of strings and ``{type, text}`` entities (hashtags, mentions);
``from_id`` is ``user123``/``channel123`` and becomes ``user:123``/``channel:123`` (so does a
forward's ``forwarded_from_id``, the account forwarded, as ``repost_of``; the ``forwarded_from``
name is not read), and the post id ``<chat id>_<message id>``, as the Telegram API connector
writes them, so an import and a live run of one channel agree. Service messages (joins, pins, calls) and messages with neither
text nor media are skipped and counted in :attr:`TelegramDesktopReader.skipped`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ijson
import ijson.backends.python as ijson_python

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawMedia, RawPost
from wildsift.sources.base import SHAPE_ERRORS, FileSourceError, unexpected_shape
from wildsift.sources.files.lines import file_size, open_binary

FORMAT = "telegram-desktop"
PLATFORM = "telegram"
_NOT_INCLUDED = "(File not included"
_VIDEO_TYPES = {"video_file", "animation", "video_message"}
_MESSAGES = ("messages.item", "chats.list.item.messages.item")


class _IntegerOverflow(Exception):
    """The C parser met an integer beyond 64 bits (read again with the Python parser)."""


_CHAT_IDS = {"id": "messages.item", "chats.list.item.id": "chats.list.item.messages.item"}


class TelegramDesktopReader:
    """Iterate a Telegram Desktop JSON export as ``RawPost | Quarantined``."""

    format = FORMAT

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.source = f"import:{self.path.name}"
        self.size = file_size(self.path)
        self.bytes_read = 0
        self.skipped: Counter[str] = Counter()
        self.unknown_columns: list[str] = []

    def note_unknown(self, columns: Iterable[str]) -> None:
        """Nothing to note: the export's keys are fixed."""

    def __iter__(self) -> Iterator[RawPost | Quarantined]:
        yielded = 0
        try:
            for record in self._read(ijson.parse):
                yielded += 1
                yield record
        except _IntegerOverflow:
            # yajl (ijson's C backend) refuses integers beyond 64 bits; ijson's pure-Python
            # parser reads them. It is slower, so only such a file is read again with it, from
            # the start, the records already given left out.
            self.skipped.clear()
            for index, record in enumerate(self._read(ijson_python.parse)):
                if index >= yielded:
                    yield record

    def _read(self, parse) -> Iterator[RawPost | Quarantined]:
        with open_binary(self.path) as handle:
            chat: str | None = None
            count = 0
            builder: ijson.ObjectBuilder | None = None
            depth = 0
            try:
                for prefix, event, value in parse(handle, use_float=True):
                    if builder is not None:
                        builder.event(event, value)
                        depth += {"start_map": 1, "end_map": -1, "start_array": 1,
                                  "end_array": -1}.get(event, 0)
                        if depth == 0:
                            count += 1
                            self.bytes_read = handle.tell()
                            record = self._message(builder.value, chat, count)
                            builder = None
                            if record is not None:
                                yield record
                    elif event == "start_map" and prefix in _MESSAGES:
                        builder, depth = ijson.ObjectBuilder(), 1
                        builder.event(event, value)
                    elif prefix in _CHAT_IDS and event == "number":
                        chat = str(value)
            # ijson's pure-Python parser (the fallback for huge integers) raises the json
            # module's JSONDecodeError on a control character inside a string
            except (ijson.JSONError, json.JSONDecodeError, UnicodeDecodeError) as exc:
                if "integer overflow" in str(exc) and parse is not ijson_python.parse:
                    raise _IntegerOverflow from None
                what = "UTF-8" if isinstance(exc, UnicodeDecodeError) else "JSON"
                yield Quarantined(source=self.path.name,
                                  location=f"{self.path.name}:message #{count + 1}",
                                  reason=f"not valid {what} after message #{count} (the export "
                                  "is cut off or damaged); export the chat again", field=None)
            self.bytes_read = self.size
            if count == 0 and chat is None:
                raise FileSourceError(f"{self.path.name} is not a Telegram Desktop export (no "
                                      "'messages'); export it with 'Export chat history', "
                                      "format JSON")

    def _message(self, message: Any, chat: str | None, index: int) -> RawPost | Quarantined | None:
        where = f"{self.path.name}:message #{index}"
        try:
            return self._map(message, chat, where)
        except RecordError as exc:
            return Quarantined(source=self.path.name, location=exc.location or where,
                               reason=exc.reason, field=exc.field)
        except SHAPE_ERRORS as exc:
            return Quarantined(source=self.path.name, location=where,
                               reason=unexpected_shape(exc, "a Telegram Desktop message"))

    def _map(self, message: Any, chat: str | None, where: str) -> RawPost | None:
        if not isinstance(message, dict):
            raise RecordError("a message is not a JSON object", location=where)
        if message.get("type") != "message":
            self.skipped["service messages"] += 1
            return None
        number = message.get("id")
        if not isinstance(number, int) or isinstance(number, bool):
            raise RecordError("message without a numeric id", location=where, field="id")
        if chat is None:
            raise RecordError("message before the chat's id", location=where, field="id")
        where = f"{self.path.name}:message {number}"
        text, hashtags, mentions = flatten_text(message.get("text"), message.get("text_entities"))
        media = self._media(message)
        if not text.strip() and not media:
            self.skipped["messages without text or media"] += 1
            return None
        place = message.get("location_information")
        lat = lon = None
        if isinstance(place, dict) and isinstance(place.get("latitude"), (int, float)):
            lat, lon = float(place["latitude"]), float(place.get("longitude") or 0.0)
        return RawPost(
            platform=PLATFORM, source_id=f"{chat}_{number}", text=text,
            created_at=_date(message, where), author=account(message.get("from_id")),
            repost_of=account(message.get("forwarded_from_id")),
            lat=lat, lon=lon, mentions=mentions, hashtags=hashtags, media=media,
            source=self.source, location=where)

    def _media(self, message: dict) -> list[RawMedia]:
        folder = self.path.parent
        out = []
        photo = message.get("photo")
        if isinstance(photo, str) and photo and not photo.startswith(_NOT_INCLUDED):
            out.append(RawMedia(url=str(folder / photo), kind="image"))
        video = message.get("file")
        if (message.get("media_type") in _VIDEO_TYPES and isinstance(video, str) and video
                and not video.startswith(_NOT_INCLUDED)):
            still = message.get("thumbnail")
            out.append(RawMedia(url=str(folder / video), kind="video",
                                thumbnail=str(folder / still) if isinstance(still, str) and
                                still and not still.startswith(_NOT_INCLUDED) else None))
        return out


def account(from_id: Any) -> str | None:
    """``user123`` -> ``user:123``, ``channel123`` -> ``channel:123`` (the API connector's
    names); anything else as it is."""
    if not isinstance(from_id, str) or not from_id:
        return None
    for kind in ("user", "channel", "chat"):
        if from_id.startswith(kind) and from_id[len(kind):].isdigit():
            return f"{kind}:{from_id[len(kind):]}"
    return from_id


def flatten_text(text: Any, entities: Any = None) -> tuple[str, list[str], list[str]]:
    """(text, hashtags, mentions) of ``text`` (a string, or a list of strings and entities)."""
    parts = text if isinstance(text, list) else entities if isinstance(entities, list) and (
        not isinstance(text, str)) else None
    if parts is None:
        return (text if isinstance(text, str) else ""), [], []
    out, hashtags, mentions = [], [], []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        if not isinstance(part, dict):
            continue
        value = part.get("text") if isinstance(part.get("text"), str) else ""
        out.append(value)
        kind = part.get("type")
        if kind == "hashtag" and value.strip("#"):
            hashtags.append(value.lstrip("#"))
        elif kind == "mention" and value.strip("@"):
            mentions.append(value.lstrip("@"))
        elif kind == "mention_name" and part.get("user_id") is not None:
            mentions.append(f"user:{part['user_id']}")
    return "".join(out), hashtags, mentions


def _date(message: dict, where: str) -> datetime | None:
    stamp = message.get("date_unixtime")
    if stamp not in (None, ""):
        try:
            return datetime.fromtimestamp(int(stamp), UTC)
        except (TypeError, ValueError, OverflowError):
            raise RecordError("date_unixtime is not a Unix time", location=where,
                              field="date_unixtime") from None
    local = message.get("date")
    if not local:
        return None
    try:  # older exports: local time of the exporting computer, zone unknown: taken as UTC
        parsed = datetime.fromisoformat(str(local))
    except ValueError:
        raise RecordError("unparseable date", location=where, field="date") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
