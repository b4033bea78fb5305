"""Field values of an imported record: names, column mapping and parsing into a RawPost.

Pure functions shared by the CSV and JSONL readers. A bad value raises
:class:`wildsift.errors.RecordError` naming the field; the reader turns it into a quarantined
record and goes on.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from wildsift.errors import ConfigError, RecordError
from wildsift.records import RawMedia, RawPost

FIELDS = (
    "id", "created_at", "text", "author", "author_description", "author_location", "lang",
    "lat", "lon", "place", "country", "reply_to", "repost_of", "mentions", "hashtags", "media",
    "platform", "label",
)
REQUIRED = ("id", "text")
LIST_SEPARATOR = "|"

_VIDEO_EXT = {".mp4", ".mov", ".webm", ".avi", ".mkv", ".m4v", ".3gp", ".gif"}
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%a %b %d %H:%M:%S %z %Y",  # Twitter/X v1.1 exports
    "%d %b %Y %H:%M:%S", "%d %b %Y", "%b %d, %Y %H:%M", "%b %d, %Y",
)
_LABELS = {
    "1": "1", "0": "0", "1.0": "1", "0.0": "0", "true": "1", "false": "0", "yes": "1", "no": "0",
    "y": "1", "n": "0", "relevant": "1", "irrelevant": "0", "not relevant": "0",
    "not_relevant": "0", "positive": "1", "negative": "0",
}
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")
_EPOCH = re.compile(r"\d{9,13}(\.\d+)?")
_COUNTRY = re.compile(r"[A-Z]{2}")


def _shape(value: str) -> str:
    """What a bad value looks like, never the value: a shifted row can put a phone number or a
    name in any column, and quarantine reasons are stored and printed."""
    kinds = [name for name, test in (("letters", str.isalpha), ("digits", str.isdigit),
                                      ("spaces", str.isspace)) if any(map(test, value))]
    rest = "other characters" if any(not (c.isalnum() or c.isspace()) for c in value) else ""
    return f"{len(value)} characters: " + ", ".join(kinds + ([rest] if rest else []))


def parse_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``["text=body", ...]`` -> ``{"text": "body"}``; unknown fields are a ConfigError."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, column = pair.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not name or not column:
            raise ConfigError(f"--map {pair!r}: write FIELD=COLUMN, e.g. --map text=body")
        mapping[name] = column
    check_mapping(mapping)
    return mapping


def check_mapping(mapping: Mapping[str, str]) -> None:
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ConfigError(f"cannot map unknown field(s) {unknown}; fields are: {', '.join(FIELDS)}")


def column_plan(mapping: Mapping[str, str]) -> dict[str, str]:
    """Column name -> field: mapped columns first, then every field under its own name.

    A field that is mapped to another column no longer reads the column of its own name.
    """
    plan: dict[str, str] = {column: field for field, column in mapping.items()}
    for field in FIELDS:
        if field not in mapping and field not in plan:
            plan.setdefault(field, field)
    return plan


# -- value parsing ---------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    if value is None or value == "":
        return True
    if type(value) is str:  # the common case, first
        return value.isspace()
    return (isinstance(value, str) and value.strip() == "") or (
        isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str | None:
    if type(value) is str:
        return value if value and not value.isspace() else None
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if not isinstance(value, str) else value


def parse_datetime(value: Any) -> datetime:
    """ISO 8601, common export formats, RFC 2822 or a Unix epoch (s or ms) -> aware UTC."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, UTC)
    raw = str(value).strip()
    parsed: datetime | None = None
    if len(raw) >= 10 and raw[4] == "-":  # ISO 8601, what most exports write: the C parser first
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            pass
        else:
            return (parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed).astimezone(UTC)
    if _EPOCH.fullmatch(raw):
        return parse_datetime(float(raw))
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    except ValueError:
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            raise ValueError(f"unrecognised date ({_shape(raw)}); use ISO 8601 such as "
                             "2024-05-01T12:30:00Z") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # exports without a zone are taken as UTC
    return parsed.astimezone(UTC)


def record_datetime(value: Any, where: str, field: str) -> datetime | None:
    """A platform's date field as aware UTC (None when absent); a RecordError naming the field
    when it cannot be read, so the item is quarantined and the page goes on."""
    if value in (None, ""):
        return None
    try:
        return parse_datetime(value)
    except (ValueError, OverflowError, OSError):
        raise RecordError("unparseable date (not ISO 8601)", location=where, field=field) from None


def parse_coordinate(value: Any, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a number ({_shape(str(value))})") from None
    limit = 90.0 if field == "lat" else 180.0
    if not math.isfinite(number) or abs(number) > limit:
        raise ValueError(f"{number} is out of range [-{limit:g}, {limit:g}]")
    return number


def normalise_label(value: Any) -> str | None:
    """1/0, true/false, yes/no, relevant/irrelevant -> "1" / "0"; blank -> None."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    key = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    label = _LABELS.get(key.strip().lower())
    if label is None:
        raise ValueError(f"not a relevance label ({_shape(key)}); use 1/0, true/false or "
                         "relevant/irrelevant")
    return label


def parse_list(value: Any) -> list[str]:
    """A JSON list, or a string separated by '|'."""
    if _blank(value):
        return []
    items = value if isinstance(value, list) else str(value).split(LIST_SEPARATOR)
    return [str(item).strip() for item in items if not _blank(item)]


def media_kind(url: str) -> str:
    name = url.split("?", 1)[0].rstrip("/").rpartition("/")[2]
    suffix = posixpath.splitext(name)[1].lower()  # as PurePath.suffix, without building a path
    return "video" if suffix in _VIDEO_EXT else "image"


# -- a whole record --------------------------------------------------------------------------
def _coordinate(field: str) -> Callable[[Any], float]:
    return lambda value: parse_coordinate(value, field)


def _media(value: Any) -> list[RawMedia]:
    return [RawMedia(url=url, kind=media_kind(url)) for url in parse_list(value)]


def _country(value: Any) -> str:
    code = str(value).strip().upper()
    if not _COUNTRY.fullmatch(code):
        raise ValueError(f"not an ISO 3166-1 alpha-2 code such as VN ({_shape(code)})")
    return code


def _lang(value: Any) -> str:
    code = str(value).strip()
    if len(code) > 16:
        raise ValueError("is not a language code such as vi or zh-Hans")
    return code


def _platform(value: Any) -> str:
    name = str(value).strip().lower()
    if not _PLATFORM.match(name):
        raise ValueError(f"not a platform name such as 'twitter' ({_shape(name)})")
    return name


# One converter per field, chosen once (not by comparing field names for every value).
CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "lat": _coordinate("lat"), "lon": _coordinate("lon"), "created_at": parse_datetime,
    "label": normalise_label, "mentions": parse_list, "hashtags": parse_list, "media": _media,
    "country": _country, "lang": _lang, "platform": _platform,
}


def _convert(field: str, value: Any, platform: str) -> Any:
    return CONVERTERS.get(field, _text)(value)


def to_raw_post(values: Mapping[str, Any], *, platform: str, source: str,
                location: str) -> RawPost:
    """Field values (already renamed from columns) -> RawPost, or RecordError naming the field."""
    for field in REQUIRED:
        if _blank(values.get(field)) and not (field == "text" and values.get("media")):
            raise RecordError(f"required field '{field}' is missing or empty",
                              location=location, field=field)
    converted: dict[str, Any] = {}
    get = CONVERTERS.get
    for field, value in values.items():
        if value is None or value == "":
            continue
        try:
            if type(value) is str:
                if value.isspace():
                    continue
                converter = get(field)
                converted[field] = value if converter is None else converter(value)
            elif not _blank(value):
                converted[field] = get(field, _text)(value)
        except ValueError as exc:
            raise RecordError(str(exc), location=location, field=field) from None
        except (OverflowError, OSError):  # e.g. an integer date beyond any time
            raise RecordError("out of range", location=location, field=field) from None
    if ("lat" in converted) != ("lon" in converted):
        missing = "lon" if "lat" in converted else "lat"
        raise RecordError("a coordinate needs both lat and lon", location=location, field=missing)
    get = converted.get
    return RawPost(
        platform=converted.pop("platform", None) or platform,
        source_id=converted.pop("id"),
        text=converted.pop("text", None) or "",
        created_at=get("created_at"),
        author=get("author"),
        author_description=get("author_description"),
        author_location=get("author_location"),
        lang=get("lang"),
        lat=get("lat"),
        lon=get("lon"),
        place=get("place"),
        country=get("country"),
        reply_to=get("reply_to"),
        repost_of=get("repost_of"),
        mentions=get("mentions") or [],
        hashtags=get("hashtags") or [],
        media=get("media") or [],
        source=source,
        label=get("label"),
        location=location,
    )
