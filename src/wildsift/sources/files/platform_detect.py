"""Which platform export a file is (Meta Content Library, CrowdTangle, Weibo), and its reader.

Called by :mod:`wildsift.sources.files.detect` before it falls back to plain CSV / JSON Lines:
``json_format`` with the keys of the first JSON object (or of the first item of an array),
``csv_format`` with the header's columns. Each answers None for what is not its own.
"""

from __future__ import annotations

from pathlib import Path

from wildsift.sources.files.platform_formats import PLATFORM_FORMATS

_STATUS_KEYS = {"idstr", "mblogid", "text_raw", "mblog"}


def json_format(keys: set[str], first: dict | None = None) -> str | None:
    """``mcl-json`` or ``weibo-json`` from the keys of the first object, else None."""
    from wildsift.sources.meta.mapping import flatten, record_kind

    if ("weibo" in keys and "user" in keys) or keys & _STATUS_KEYS or keys >= {"ok", "data"}:
        return "weibo-json"
    if keys >= {"data", "paging"}:  # a saved MCL response
        return "mcl-json"
    if keys >= {"id", "creation_time"} or (first is not None and record_kind(
            set(flatten(first))) is not None):
        return "mcl-json"
    data = first.get("data") if isinstance(first, dict) else None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return json_format(set(data[0]), data[0])
    if isinstance(data, dict) and ({"list", "cards", "statuses"} & set(data)):
        return "weibo-json"
    if "statuses" in keys:
        return "weibo-json"
    return None


def array_format(item_keys: set[str]) -> str | None:
    """The format of a JSON array whose first item has these keys."""
    return json_format(item_keys, None) if item_keys else None


def csv_format(columns: list[str]) -> str | None:
    """The format of a CSV header (columns as written), else None."""
    from wildsift.sources.files.crowdtangle import is_crowdtangle
    from wildsift.sources.meta.mapping import record_kind

    names = {c.strip() for c in columns}
    if is_crowdtangle(names):
        return "crowdtangle-csv"
    if {"微博id", "微博正文"} <= names:
        return "weibo-spider-csv"
    if {"id", "bid", "正文"} <= names:
        return "weibo-crawler-csv"
    if record_kind(names) is not None and (
            any("." in c for c in names) or "creation_time" in names):
        return "mcl-csv"
    return None


def open_platform(path: Path, fmt: str, platform: str | None):
    """The reader of a platform format (``platform``: only MCL files take one)."""
    from wildsift.errors import ConfigError

    if platform and not fmt.startswith("mcl"):
        raise ConfigError(f"--platform applies to csv, jsonl, 4cat-csv and mcl files; {fmt} "
                          "names its platform")
    if fmt == "mcl-csv":
        from wildsift.sources.meta.files import MclCsvReader

        return MclCsvReader(path, platform=platform)
    if fmt == "mcl-json":
        from wildsift.sources.meta.files import MclJsonReader

        return MclJsonReader(path, platform=platform)
    if fmt == "crowdtangle-csv":
        from wildsift.sources.files.crowdtangle import CrowdTangleReader

        return CrowdTangleReader(path)
    from wildsift.sources.weibo import files

    return {"weibo-crawler-csv": files.WeiboCrawlerCsvReader,
            "weibo-spider-csv": files.WeiboSpiderCsvReader,
            "weibo-json": files.WeiboJsonReader}[fmt](path)


__all__ = ["PLATFORM_FORMATS", "array_format", "csv_format", "json_format", "open_platform"]
