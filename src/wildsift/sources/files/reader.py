"""Read a researcher's CSV or JSONL export into RawPost records, streaming.

Memory stays bounded whatever the file size: bytes are read line by line and decoded as UTF-8 one
line at a time, so one bad byte sets aside one record (with ``file:line`` and the byte offset) and
not the file. Columns are recognised by name (:data:`wildsift.sources.fields.FIELDS`, any case);
``mapping`` (FIELD -> COLUMN, from ``--map`` or the study's ``[import-map]``) names other columns.
For JSONL a mapped column may be a dotted path into nested objects (``user.name``).
Unknown columns are ignored and listed once in :attr:`FileReader.unknown_columns`.

A post id is unique on its platform only. A record whose platform neither a column nor
``--platform`` names gets the file's own platform, :func:`file_platform` (``file-`` and a hash of
the file's first bytes): two exports of different platforms that both number their posts 1, 2,
3 are then kept apart instead of the second being dropped as duplicates, and importing the same
file again still stores nothing twice. The CLI says so and names ``--platform``, which declares
several files one platform (their shared posts are then stored once).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import SHAPE_ERRORS, FileSourceError, unexpected_shape
from wildsift.sources.fields import (
    REQUIRED,
    check_mapping,
    column_plan,
    to_raw_post,
)
from wildsift.sources.files.csv_replay import Replay, swallowed

FORMATS = ("csv", "jsonl")
_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
_CSV_FIELD_LIMIT = 16 * 1024 * 1024
_NAMESPACE_BYTES = 64 * 1024
FILE_PLATFORM = "file_platform"  # the note counting records that took the file's platform


def file_platform(path: Path) -> str:
    """The platform of a file's posts that name none: ``file-`` + 12 hex digits of the sha256
    of its first 64 KiB (the whole file when shorter).

    Why the first bytes and not the name or the whole content: the same export imported again
    (renamed, moved, or grown by appending rows, as a resumed or daily export is) keeps its
    namespace, so resuming dedupes; two different exports differ in their first records. Only
    64 KiB are read, so a 1 GB file costs nothing more. A file under 64 KiB that grows changes
    its namespace: such files, and exports of one platform cut into several files, should be
    imported with ``--platform``.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(_NAMESPACE_BYTES)
    except OSError as exc:
        raise FileSourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    return "file-" + hashlib.sha256(head.removeprefix(b"\xef\xbb\xbf")).hexdigest()[:12]


def guess_format(path: Path) -> str:
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise FileSourceError(f"cannot guess the format of {path.name}; pass --format csv or "
                              "--format jsonl")
    return fmt


class FileReader:
    """Iterate an export file as ``RawPost | Quarantined``; one pass, bounded memory."""

    def __init__(self, path: Path | str, *, format: str | None = None,
                 mapping: Mapping[str, str] | None = None, platform: str | None = None):
        self.path = Path(path)
        self.format = format or guess_format(self.path)
        if self.format not in FORMATS:
            raise FileSourceError(f"unknown format {self.format!r} for {self.path.name}; "
                                  f"use one of {', '.join(FORMATS)}")
        self.mapping = dict(mapping or {})
        check_mapping(self.mapping)
        self.platform = platform.lower() if platform else ""  # "": the file's, below
        self.platform_declared = platform is not None
        self.notes: Counter[str] = Counter()  # e.g. FILE_PLATFORM: records given the file's
        self.source = f"import:{self.path.name}"
        self.bytes_read = 0
        self._unknown: set[str] = set()
        self._plan = {column.lower(): field for column, field in column_plan(self.mapping).items()}
        self._dotted = {field: column.split(".") for field, column in self.mapping.items()
                        if "." in column}
        self._used_roots = {path[0].lower() for path in self._dotted.values()}
        self._keys: dict[str, str | None] = {}  # JSON key -> field, learnt as keys appear
        try:
            self.size = self.path.stat().st_size
            if self.path.is_dir():
                raise IsADirectoryError(21, "is a folder, not a file")
        except OSError as exc:
            raise FileSourceError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        if not self.platform_declared:
            self.platform = file_platform(self.path)

    @property
    def file_platform_posts(self) -> int:
        """Records that named no platform and took this file's own (see :func:`file_platform`)."""
        return self.notes[FILE_PLATFORM]

    @property
    def unknown_columns(self) -> list[str]:
        """Columns (or JSON keys) that map to no field, each listed once."""
        return sorted(self._unknown)

    def note_unknown(self, columns: Iterable[str]) -> None:
        """Columns another process found unknown while parsing this file's chunks."""
        self._unknown.update(columns)

    def __iter__(self) -> Iterator[RawPost | Quarantined]:
        for chunk in self.chunks():
            yield from self.parse(chunk)

    def chunks(self, size: int = 1000) -> Iterator[Chunk]:
        """The file cut into chunks of up to ``size`` records, read and decoded but not parsed.

        Reading is cheap and sequential; :meth:`parse` is the costly part and may run in another
        process (a chunk and this reader pickle), see :func:`wildsift.sources.ingest.ingest`.
        """
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise FileSourceError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        with handle:
            if self.format == "csv":
                yield from self._csv(handle, size)
            else:
                yield from self._jsonl(handle, size)

    def parse(self, chunk: Chunk) -> list[RawPost | Quarantined]:
        """The records of one chunk, in file order (unknown columns are noted on this reader)."""
        if chunk.fields is not None:
            return self._parse_csv(chunk)
        return self._parse_jsonl(chunk)

    # -- shared ---------------------------------------------------------------------------
    def _where(self, line: int) -> str:
        return f"{self.path.name}:{line}"

    def _quarantine(self, line: int, reason: str, field: str | None = None) -> Quarantined:
        return Quarantined(source=self.path.name, location=self._where(line), reason=reason,
                           field=field)

    def _record(self, values: dict[str, Any], line: int) -> RawPost | Quarantined:
        try:
            post = to_raw_post(values, platform=self.platform, source=self.source,
                               location=self._where(line))
        except RecordError as exc:
            return self._quarantine(line, exc.reason, exc.field)
        except SHAPE_ERRORS as exc:  # a value of a type no converter expects (nested JSON)
            return self._quarantine(line, unexpected_shape(exc, f"a {self.format} record"))
        if not self.platform_declared and post.platform == self.platform:
            self.notes[FILE_PLATFORM] += 1
        return post

    def _lines(self, handle: BinaryIO, bad: dict[int, int]) -> Iterator[str]:
        """Decoded lines; a line that is not UTF-8 is decoded with U+FFFD and noted in ``bad``."""
        for number, raw in enumerate(handle, start=1):
            offset = self.bytes_read
            self.bytes_read += len(raw)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad[number] = offset + exc.start
                text = raw.decode("utf-8", errors="replace")
            if number == 1:
                text = text.lstrip("\ufeff")
            yield text

    # -- CSV ------------------------------------------------------------------------------
    def _csv(self, handle: BinaryIO, size: int) -> Iterator[Chunk]:
        csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
        bad: dict[int, int] = {}
        replay = Replay(enumerate(self._lines(handle, bad), start=1))
        reader = csv.reader(replay)
        try:
            header = next(reader)
        except StopIteration:
            raise FileSourceError(f"{self.path.name} is empty; a CSV export needs a header "
                                  "row") from None
        except csv.Error as exc:
            raise FileSourceError(f"{self.path.name}:1: cannot read the header: {exc}") from None
        fields: list[str | None] = []
        for column in header:
            field = self._plan.get(column.strip().lower())
            if field in fields:
                field = None
            if field is None:
                self._unknown.add(column.strip())
            fields.append(field)
        for required in REQUIRED:
            if required not in fields:
                raise FileSourceError(
                    f"{self.path.name} has no column for '{required}'; its columns are "
                    f"{', '.join(c.strip() for c in header)}; add --map {required}=COLUMN")
        items: list = []
        while True:
            if len(items) >= size:
                yield Chunk(items, fields)
                items = []
            replay.next_row()
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # e.g. an open quote ran into the field size limit
                lines = replay.row
                items.append(self._quarantine(lines[0][0] if lines else 0,
                                              f"not a valid CSV row: {exc}"))
                replay.give_back(lines[1:])
                continue
            lines = replay.row
            start, last = lines[0][0], lines[-1][0]
            if not row:
                continue
            if swallowed(row, lines, len(fields)):
                bad.pop(start, None)
                items.append(self._quarantine(start, "an unbalanced quote on this line; only "
                                              "this line is set aside, the next are read again"))
                replay.give_back(lines[1:])
                continue
            bad_at = [bad.pop(n) for n in range(start, last + 1) if n in bad]
            if bad_at:
                field = next((f for f, cell in zip(fields, row) if f and "\ufffd" in cell), None)
                items.append(self._quarantine(start, f"not valid UTF-8 at byte {bad_at[0]}",
                                              field))
                continue
            if len(row) > len(fields):
                items.append(self._quarantine(start, f"row has {len(row)} cells but the header "
                                              f"has {len(fields)}; check quoting of this line"))
                continue
            items.append((start, row))
        if items:
            yield Chunk(items, fields)

    def _parse_csv(self, chunk: Chunk) -> list[RawPost | Quarantined]:
        fields = chunk.fields
        out: list[RawPost | Quarantined] = []
        for item in chunk.items:
            if isinstance(item, Quarantined):
                out.append(item)
                continue
            start, row = item
            out.append(self._record({f: cell for f, cell in zip(fields, row) if f is not None},
                                    start))
        return out

    # -- JSONL ----------------------------------------------------------------------------
    def _jsonl(self, handle: BinaryIO, size: int) -> Iterator[Chunk]:
        bad: dict[int, int] = {}
        items: list = []
        for number, line in enumerate(self._lines(handle, bad), start=1):
            if number in bad:
                items.append(self._quarantine(number, f"not valid UTF-8 at byte {bad.pop(number)}"))
            elif not line.isspace():
                items.append((number, line))
            if len(items) >= size:
                yield Chunk(items)
                items = []
        if items:
            yield Chunk(items)

    def _parse_jsonl(self, chunk: Chunk) -> list[RawPost | Quarantined]:
        out: list[RawPost | Quarantined] = []
        keys = self._keys
        dotted = self._dotted
        loads = json.loads
        for item in chunk.items:
            if isinstance(item, Quarantined):
                out.append(item)
                continue
            number, line = item
            try:
                obj = loads(line)
            except json.JSONDecodeError as exc:
                out.append(self._quarantine(number,
                                            f"not valid JSON: {exc.msg} at column {exc.colno}"))
                continue
            if not isinstance(obj, dict):
                out.append(self._quarantine(number, "not a JSON object; each line must be {...}"))
                continue
            values: dict[str, Any] = {}
            for key, value in obj.items():
                field = keys.get(key, _UNSEEN)
                if field is _UNSEEN:
                    field = self._learn(key)
                if field is not None and field not in values:
                    values[field] = value
            for field, path in dotted.items():
                values[field] = _dig(obj, path)
            out.append(self._record(values, number))
        return out

    def _learn(self, key: str) -> str | None:
        """The field a JSON key feeds (None: unknown, listed once), remembered per key."""
        lowered = str(key).lower()
        field = self._plan.get(lowered)
        if field is None or field in self._dotted:
            if lowered not in self._used_roots:
                self._unknown.add(str(key))
            field = None
        self._keys[key] = field
        return field


_UNSEEN = object()


@dataclass(slots=True)
class Chunk:
    """Records read from a file but not parsed: ``(line, text)`` for JSONL, ``(line, cells)`` with
    the header's ``fields`` for CSV, or a record already set aside (:class:`Quarantined`)."""

    items: list
    fields: list[str | None] | None = None


def _dig(obj: Any, path: list[str]) -> Any:
    for part in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj
