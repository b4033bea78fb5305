"""Meta Content Library result files as researchers save them, read into posts.

Inside the clean room results leave a session as files: a job's ``write_data_to_file`` (a JSON
array of records), a response's text saved as it is (``{"data": [...], "paging": ...}``), one
record per line, or a table written with ``pandas.json_normalize(...).to_csv()`` (nested fields
as dotted columns: ``post_owner.id``, ``statistics.reaction_count``). Facebook posts,
Marketplace listings, comments and Instagram posts are told apart by their fields
(:func:`wildsift.sources.meta.mapping.record_kind`); comments do not say their platform, so
``--platform instagram`` names it for Instagram comments (default facebook).

IDs must stay text: a CSV opened and saved in a spreadsheet turns a 16-digit id into
``9.6378E+15``; such rows are quarantined with the reason, never stored under a wrong id.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import SHAPE_ERRORS, FileSourceError, unexpected_shape
from wildsift.sources.files.json_items import DamagedJson, iter_objects
from wildsift.sources.files.lines import file_size, loads, open_binary
from wildsift.sources.files.reader import Chunk, FileReader
from wildsift.sources.meta.mapping import FACEBOOK, map_record

CSV = "mcl-csv"
JSON = "mcl-json"
_TEXT_COLUMNS = ("text", "caption", "description", "listing_details.title")
WHAT = "a Meta Content Library record"


def _platform(platform: str | None) -> str | None:
    if platform is None:
        return None
    name = platform.strip().lower()
    if name not in ("facebook", "instagram"):
        raise FileSourceError(f"--platform {platform!r}: MCL files hold facebook or instagram "
                              "records")
    return name


class MclCsvReader(FileReader):
    """A table of MCL records (dotted column names)."""

    def __init__(self, path: Path | str, *, platform: str | None = None):
        self.hint = _platform(platform)
        super().__init__(path, format="csv", platform=self.hint or FACEBOOK)
        self.format = CSV
        # decided here, not when reading: the reader is pickled into ingest's workers
        header = self._header()
        self._plan = {column.lower(): column for column in header}
        self._plan.pop("text", None)
        self._alias = next((c for c in _TEXT_COLUMNS if c in header), None)
        if self._alias is None:
            raise FileSourceError(f"{self.path.name} has none of the columns "
                                  f"{', '.join(_TEXT_COLUMNS)}; is it an MCL export?")
        self._plan[self._alias.lower()] = "text"

    def chunks(self, size: int = 1000) -> Iterator[Chunk]:
        with open_binary(self.path) as handle:
            yield from self._csv(handle, size)

    def _header(self) -> list[str]:
        import csv

        with open_binary(self.path) as handle:
            first = handle.readline().decode("utf-8", errors="replace").lstrip("\ufeff")
        try:
            return [c.strip() for c in next(csv.reader([first]))]
        except (csv.Error, StopIteration):
            raise FileSourceError(f"{self.path.name}:1: cannot read the header") from None

    def _parse_csv(self, chunk: Chunk) -> list[RawPost | Quarantined]:
        out: list[RawPost | Quarantined] = []
        for item in chunk.items:
            if isinstance(item, Quarantined):
                out.append(item)
                continue
            line, row = item
            cells = {(self._alias if f == "text" else f): cell
                     for f, cell in zip(chunk.fields, row) if f is not None and cell != ""}
            out.append(self._map(cells, line))
        return out

    def _map(self, cells: dict[str, Any], line: int) -> RawPost | Quarantined:
        try:
            return map_record(cells, source=self.source, location=self._where(line),
                              platform=self.hint)
        except RecordError as exc:
            return self._quarantine(line, exc.reason, exc.field)
        except SHAPE_ERRORS as exc:
            return self._quarantine(line, unexpected_shape(exc, WHAT))


class MclJsonReader:
    """MCL records as a JSON array, a saved response (``data``) or one record per line."""

    format = JSON

    def __init__(self, path: Path | str, *, platform: str | None = None):
        self.path = Path(path)
        self.hint = _platform(platform)
        self.source = f"import:{self.path.name}"
        self.size = file_size(self.path)
        self.bytes_read = 0
        self.unknown_columns: list[str] = []

    def note_unknown(self, columns) -> None:
        """Nothing to note: the records' fields are known."""

    def __iter__(self) -> Iterator[RawPost | Quarantined]:
        with open_binary(self.path) as handle:
            first = handle.readline()
        first = first.removeprefix(b"\xef\xbb\xbf").strip()
        if first.startswith(b"{") and _one_record(first):
            yield from self._lines()
        else:
            yield from self._document()

    def _lines(self) -> Iterator[RawPost | Quarantined]:
        with open_binary(self.path) as handle:
            for number, raw in enumerate(handle, start=1):
                self.bytes_read += len(raw)
                if raw.strip():
                    yield self._line(raw.removeprefix(b"\xef\xbb\xbf"), number)

    def _line(self, raw: bytes, number: int) -> RawPost | Quarantined:
        where = f"{self.path.name}:{number}"
        try:
            record = loads(raw)
        except orjson.JSONDecodeError as exc:
            return Quarantined(self.path.name, where, f"not valid JSON: {exc.msg}")
        return self._map(record, where)

    def _document(self) -> Iterator[RawPost | Quarantined]:
        count = 0
        try:
            for _kind, record, offset in iter_objects(self.path, {"item": "record",
                                                                  "data.item": "record"}):
                count += 1
                self.bytes_read = offset
                yield self._map(record, f"{self.path.name}:record #{count}")
        except DamagedJson as exc:
            yield Quarantined(self.path.name, f"{self.path.name}:record #{count + 1}",
                              f"not valid {exc.what} after record #{count} (the file is cut "
                              "off or damaged); save the results again")
        self.bytes_read = self.size
        if count == 0:
            raise FileSourceError(f"{self.path.name} holds no MCL records (a JSON array, or "
                                  "an object with 'data', or one record per line)")

    def _map(self, record: Any, where: str) -> RawPost | Quarantined:
        try:
            return map_record(record, source=self.source, location=where, platform=self.hint)
        except RecordError as exc:
            return Quarantined(self.path.name, exc.location or where, exc.reason, exc.field)
        except SHAPE_ERRORS as exc:
            return Quarantined(self.path.name, where, unexpected_shape(exc, WHAT))


def _one_record(line: bytes) -> bool:
    """Is the first line a whole record (JSON Lines) rather than the start of a document?"""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return isinstance(value, dict) and "data" not in value
