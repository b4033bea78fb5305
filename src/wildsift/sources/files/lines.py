"""What the line-delimited JSON importers share (twarc2, Zeeschuimer, 4CAT NDJSON): streaming.

Each line is one JSON object. The main process only reads bytes and cuts the file into chunks;
decoding, JSON parsing (orjson, which validates UTF-8 on the way) and the platform mapping happen
in :meth:`LineImport.parse`, which :func:`wildsift.sources.ingest.ingest` runs in worker
processes. A line that is not UTF-8, not JSON or not an object, and an item the mapping refuses,
is quarantined with ``file:line`` (and the field); reasons never quote a value.
Subclasses implement :meth:`LineImport.map_line`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import SHAPE_ERRORS, FileSourceError, unexpected_shape
from wildsift.sources.files.reader import Chunk

_LONG_NUMBER = re.compile(rb"\d{20}")  # 64-bit integers have at most 20 digits
# The same test without the regex engine, which tries a match at every digit of a 50 KB twarc2
# page (~1-2 ms a page, more than orjson takes to parse it): every ASCII digit becomes "0",
# every other byte " ", and one substring search looks for 20 "0"s in a row.
_DIGIT_MASK = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_TWENTY_DIGITS = b"0" * 20
_BYTES_PER_RECORD = 1024  # a chunk also ends after size * this many bytes (twarc2 pages are big)


def open_binary(path: Path):
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a folder, not a file")
        return path.open("rb")
    except OSError as exc:
        raise FileSourceError(f"cannot read {path}: {exc.strerror or exc}") from None


def file_size(path: Path) -> int:
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a folder, not a file")
        return path.stat().st_size
    except OSError as exc:
        raise FileSourceError(f"cannot read {path}: {exc.strerror or exc}") from None


def loads(raw: bytes) -> Any:
    """orjson, except for integers beyond 64 bits, which orjson reads as floats: such a line is
    parsed again with the standard library so that no id loses digits."""
    value = orjson.loads(raw)
    if not has_long_number(raw) or not _has_big_float(value):
        return value
    return json.loads(raw)


def has_long_number(raw: bytes) -> bool:
    """Does ``raw`` hold 20 ASCII digits in a row (what ``_LONG_NUMBER.search`` finds)?"""
    return _TWENTY_DIGITS in raw.translate(_DIGIT_MASK)


def _has_big_float(value: Any) -> bool:
    if isinstance(value, float):
        return abs(value) >= 2 ** 63
    if isinstance(value, dict):
        return any(_has_big_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_big_float(v) for v in value)
    return False


class LineImport:
    """A JSON-lines export read as ``RawPost | Quarantined``, one pass, bounded memory."""

    format = ""

    @property
    def what(self) -> str:
        """What one line should be, for quarantine reasons."""
        return f"a {self.format} item"

    def __init__(self, path: Path | str, *, platform: str | None = None):
        self.path = Path(path)
        self.platform = platform.lower() if platform else None
        self.source = f"import:{self.path.name}"
        self.bytes_read = 0
        self.size = file_size(self.path)

    @property
    def unknown_columns(self) -> list[str]:
        """Fixed formats have no unknown columns (kept for the FileReader interface)."""
        return []

    def note_unknown(self, columns: Iterable[str]) -> None:
        """Nothing to note: see :attr:`unknown_columns`."""

    def __iter__(self) -> Iterator[RawPost | Quarantined]:
        for chunk in self.chunks():
            yield from self.parse(chunk)

    def chunks(self, size: int = 1000) -> Iterator[Chunk]:
        """Lines as ``(line number, byte offset, bytes)``, up to ``size`` lines or about
        ``size`` KiB a chunk; blank lines are left out."""
        limit = size * _BYTES_PER_RECORD
        with open_binary(self.path) as handle:
            items: list = []
            held = 0
            offset = 0
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                    offset += 3
                start = offset
                offset += len(raw)
                self.bytes_read = offset
                if raw.isspace():
                    continue
                items.append((number, start, raw))
                held += len(raw)
                if len(items) >= size or held >= limit:
                    yield Chunk(items)
                    items, held = [], 0
            if items:
                yield Chunk(items)

    def parse(self, chunk: Chunk) -> list[RawPost | Quarantined]:
        out: list[RawPost | Quarantined] = []
        for number, offset, raw in chunk.items:
            try:
                obj = loads(raw)
            except orjson.JSONDecodeError as exc:
                out.append(self._quarantine(number, _why_not_json(raw, offset, exc)))
                continue
            if not isinstance(obj, dict):
                out.append(self._quarantine(number, "not a JSON object; each line must be {...}"))
                continue
            try:
                out.extend(self.map_line(obj, number))
            except RecordError as exc:
                out.append(self._quarantine(number, exc.reason, exc.field, exc.location))
            except SHAPE_ERRORS as exc:  # a shape the mapper did not expect: this line only
                out.append(self._quarantine(number, unexpected_shape(exc, self.what)))
        return out

    def map_line(self, obj: dict, line: int) -> list[RawPost | Quarantined]:
        """The records of one parsed line (RecordError: the whole line is quarantined)."""
        raise NotImplementedError

    def where(self, line: int) -> str:
        return f"{self.path.name}:{line}"

    def _quarantine(self, line: int, reason: str, field: str | None = None,
                    location: str | None = None) -> Quarantined:
        where = self.where(line)
        if location and location.startswith(where):
            where = location  # keeps "(tweet 123)" a mapper added
        return Quarantined(source=self.path.name, location=where, reason=reason, field=field)


def _why_not_json(raw: bytes, offset: int, exc: orjson.JSONDecodeError) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"not valid UTF-8 at byte {offset + bad.start}"
    return f"not valid JSON: {exc.msg} at column {exc.colno}"
