"""4CAT exports: a dataset downloaded as CSV, or as NDJSON (the items as collected).

**CSV**: the columns of the data source's ``map_item`` (``id``, ``thread_id``, ``timestamp``,
``unix_timestamp``, ``body``, ``author``, ``subject``, ``hashtags`` joined by commas,
``image_url(s)``, ``video_url``, ``url``, ...). ``timestamp`` is written in the 4CAT server's
local time for some sources, so ``unix_timestamp`` (UTC) wins when present. The platform is not
a column: it comes from ``--platform``, else the domain of the row's ``url`` (``tiktok.com`` ->
tiktok), else ``4cat``. Other columns (likes, ``author_fullname``, ...) are listed as ignored.

**NDJSON**: each line is the platform's item as Zeeschuimer captured it, with Zeeschuimer's
envelope under ``__import_meta``; it maps like a Zeeschuimer file. Datasets 4CAT collected
itself have no such envelope: export those as CSV.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawMedia, RawPost
from wildsift.sources.base import SHAPE_ERRORS, unexpected_shape
from wildsift.sources.fields import to_raw_post
from wildsift.sources.files.lines import LineImport, open_binary
from wildsift.sources.files.reader import Chunk, FileReader
from wildsift.sources.files.zeeschuimer_map import map_item

CSV = "4cat-csv"
NDJSON = "4cat-ndjson"
DEFAULT_PLATFORM = "4cat"
# 4CAT column -> what it feeds ("id" and "text" are what FileReader requires of a CSV header)
COLUMNS = {
    "id": "id", "body": "text", "timestamp": "timestamp", "unix_timestamp": "unix_timestamp",
    "author": "author", "subject": "subject", "title": "subject", "hashtags": "hashtags",
    "image_url": "images", "image_urls": "images", "images": "images", "video_url": "video",
    "url": "url", "tiktok_url": "url", "post_url": "url", "link_url": "link",
}
DOMAINS = {
    "tiktok.com": "tiktok", "instagram.com": "instagram", "threads.net": "threads",
    "threads.com": "threads", "douyin.com": "douyin", "xiaohongshu.com": "rednote",
    "x.com": "x", "twitter.com": "x", "t.me": "telegram", "reddit.com": "reddit",
    "youtube.com": "youtube", "bsky.app": "bluesky", "vk.com": "vk", "linkedin.com": "linkedin",
}


def platform_of(url: Any) -> str | None:
    """tiktok for ``https://www.tiktok.com/@a/video/1``; None when the domain is not known."""
    if not isinstance(url, str) or "://" not in url:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.").removeprefix("m.")
    return DOMAINS.get(host)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class FourCatCsvReader(FileReader):
    """A 4CAT dataset exported as CSV."""

    def __init__(self, path, *, platform: str | None = None):
        super().__init__(path, format="csv", platform=platform or DEFAULT_PLATFORM)
        self.format = CSV
        self.fixed_platform = platform.lower() if platform else None
        self._plan = dict(COLUMNS)

    def chunks(self, size: int = 1000) -> Iterator[Chunk]:
        with open_binary(self.path) as handle:
            yield from self._csv(handle, size)

    def _parse_csv(self, chunk: Chunk) -> list[RawPost | Quarantined]:
        fields = chunk.fields
        out: list[RawPost | Quarantined] = []
        for item in chunk.items:
            if isinstance(item, Quarantined):
                out.append(item)
                continue
            start, row = item
            cells = {f: cell for f, cell in zip(fields, row) if f is not None and cell != ""}
            out.append(self._row(cells, start))
        return out

    def _row(self, cells: dict[str, str], line: int) -> RawPost | Quarantined:
        subject, body = cells.get("subject", "").strip(), cells.get("text", "")
        values: dict[str, Any] = {
            "id": cells.get("id"),
            "text": f"{subject}\n{body}" if subject and subject not in body else body,
            "created_at": cells.get("unix_timestamp") or cells.get("timestamp"),
            "author": cells.get("author"),
            "hashtags": [t.lstrip("#") for t in _split(cells.get("hashtags", ""))],
            "media": _split(cells.get("images", "")),
        }
        platform = self.fixed_platform or platform_of(cells.get("url")) or self.platform
        try:
            post = _to_raw_post(values, platform, self.source, self._where(line))
        except RecordError as exc:
            return self._quarantine(line, exc.reason, exc.field)
        except SHAPE_ERRORS as exc:
            return self._quarantine(line, unexpected_shape(exc, "a 4CAT CSV row"))
        post.media.extend(RawMedia(url=u, kind="video") for u in _split(cells.get("video", "")))
        return post


def _to_raw_post(values: dict, platform: str, source: str, location: str) -> RawPost:
    return to_raw_post({k: v for k, v in values.items() if v not in (None, "", [])},
                       platform=platform, source=source, location=location)


class FourCatNdjsonReader(LineImport):
    """A 4CAT dataset of Zeeschuimer items exported as NDJSON."""

    format = NDJSON

    def map_line(self, obj: dict, line: int) -> list[RawPost | Quarantined]:
        where = self.where(line)
        meta = obj.pop("__import_meta", None)
        if not isinstance(meta, dict):
            raise RecordError("no '__import_meta': only datasets imported from Zeeschuimer "
                              "can be read as NDJSON; download this dataset as CSV",
                              location=where, field="__import_meta")
        return [map_item(meta.get("source_platform"), obj, source=self.source, location=where)]
