"""Zeeschuimer NDJSON: what the browser extension captured, one item per line.

A line is ``{"id", "item_id", "timestamp_collected", "source_platform", "source_platform_url",
"source_url", "user_agent", "data": {...}}``: ``data`` is the platform's own item, mapped by
:mod:`wildsift.sources.files.zeeschuimer_map` according to ``source_platform``. One file may mix
platforms (Zeeschuimer exports one per platform, but researchers concatenate them).
"""

from __future__ import annotations

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.files.lines import LineImport
from wildsift.sources.files.zeeschuimer_map import map_item

FORMAT = "zeeschuimer"


class ZeeschuimerReader(LineImport):
    """Zeeschuimer's NDJSON export."""

    format = FORMAT

    def map_line(self, obj: dict, line: int) -> list[RawPost | Quarantined]:
        where = self.where(line)
        if "data" not in obj:
            raise RecordError("not a Zeeschuimer item (no 'data')", location=where, field="data")
        return [map_item(obj.get("source_platform"), obj["data"], source=self.source,
                         location=where)]
