"""Which exports a study wrote, so that an erasure can reach them too (``wildsift comply``).

A post deleted at the source must leave the study's exports as well as its database. Every
file or folder ``wildsift export`` (and ``label export`` / ``label next --export``) writes is
recorded in ``exports.json`` in the study folder: its absolute path, kind and format, never
its content. After an erasure, :func:`purge_exports` rewrites each recorded export without the
rows of posts the store no longer holds (every post of an export was stored when it was
written, so a post missing now was erased), and removes, from recorded media folders, images
no remaining post shows. A file that cannot be read back is deleted, and said so. Exports
copied elsewhere are beyond the study's reach: docs/privacy.md says so.

Rewrites are atomic (a temporary file beside the export, then a rename), so a kill leaves the
old or the new file, and the next ``wildsift comply`` finishes the job.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RECORD_NAME = "exports.json"
KINDS = ("posts", "places", "labels", "queue", "media", "routes", "network", "alerts")


@dataclass
class ExportPurge:
    """What :func:`purge_exports` did, for the command's summary."""

    rewritten: list[str] = field(default_factory=list)  # "path (-N rows)"
    deleted: list[str] = field(default_factory=list)  # "path: why"
    gone: list[str] = field(default_factory=list)  # recorded, no longer there
    media_removed: int = 0


def _record_path(root: Path) -> Path:
    return Path(root) / RECORD_NAME


def recorded_exports(root: Path) -> list[dict]:
    """The recorded exports: dicts with path, kind, format, written_at (oldest first)."""
    path = _record_path(root)
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return []  # an unreadable record is rewritten by the next record_export
    return [item for item in items if isinstance(item, dict) and item.get("path")]


def _save(root: Path, items: list[dict]) -> None:
    path = _record_path(root)
    temporary = path.with_suffix(f".tmp{os.getpid()}")
    temporary.write_text(json.dumps(items, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def record_export(root: Path, out: Path, kind: str, fmt: str) -> None:
    """Remember that ``out`` (a file, or a folder of images for kind "media") was written."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    target = str(Path(out).resolve())
    items = [item for item in recorded_exports(root) if item["path"] != target]
    items.append({"path": target, "kind": kind, "format": fmt,
                  "written_at": datetime.now(UTC).isoformat(timespec="seconds")})
    _save(root, items)


def purge_exports(root: Path, store) -> ExportPurge:
    """Bring every recorded export in line with the store after an erasure."""
    done = ExportPurge()
    kept: list[dict] = []
    referenced: set[str] | None = None
    for item in recorded_exports(root):
        path = Path(item["path"])
        if not path.exists():
            done.gone.append(str(path))
            continue
        if item.get("kind") == "media":
            if referenced is None:
                referenced = store.media.referenced()
            done.media_removed += _purge_media_folder(path, referenced)
            kept.append(item)
            continue
        try:
            removed = (_purge_alerts(path, item.get("format", ""), store)
                       if item.get("kind") == "alerts"
                       else _purge_rows(path, item.get("format", ""), store))
        except (OSError, ValueError, KeyError, csv.Error) as exc:
            path.unlink(missing_ok=True)
            done.deleted.append(f"{path}: could not be read back to remove erased posts "
                                f"({type(exc).__name__}), deleted; export it again")
            continue
        if removed:
            done.rewritten.append(f"{path} (-{removed} rows)")
        kept.append(item)
    if kept != recorded_exports(root) or done.gone or done.deleted:
        _save(root, kept)
    return done


def _purge_media_folder(folder: Path, referenced: set[str]) -> int:
    removed = 0
    for entry in folder.iterdir():
        sha = entry.name.split(".", 1)[0]
        if entry.is_file() and len(sha) == 64 and sha not in referenced:
            entry.unlink()
            removed += 1
    return removed


def _keys(rows: list[dict]) -> list[tuple[str | None, str]]:
    return [(row.get("platform") or None, str(row["post_id"])) for row in rows]


def _purge_rows(path: Path, fmt: str, store) -> int:
    """Rewrite ``path`` without rows of posts the store no longer holds; returns rows removed."""
    if fmt == "jsonl":
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        rows = [json.loads(line) for line in lines if line.strip()]
        present = store.posts.present_keys(_keys(rows))
        keep = [line for line, row in zip([x for x in lines if x.strip()], rows)
                if (row.get("platform") or None, str(row["post_id"])) in present]
        if len(keep) == len(rows):
            return 0
        _replace(path, lambda handle: handle.write("".join(keep).encode("utf-8")))
        return len(rows) - len(keep)
    if fmt == "csv":
        csv.field_size_limit(sys.maxsize)
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            body = list(reader)
        index = {name: i for i, name in enumerate(header)}
        rows = [{"post_id": r[index["post_id"]],
                 "platform": r[index["platform"]] if "platform" in index else None}
                for r in body]
        present = store.posts.present_keys(_keys(rows))
        keep = [r for r, row in zip(body, rows)
                if ((row["platform"] or None), row["post_id"]) in present]
        if len(keep) == len(body):
            return 0

        def write(handle) -> None:
            import io

            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(keep)
            handle.write(text.getvalue().encode("utf-8"))

        _replace(path, write)
        return len(body) - len(keep)
    if fmt == "parquet":
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        ids = [str(v) for v in table.column("post_id").to_pylist()]
        platforms = (table.column("platform").to_pylist() if "platform" in table.column_names
                     else [None] * len(ids))
        present = store.posts.present_keys(zip(platforms, ids))
        mask = [(pl or None, pid) in present for pl, pid in zip(platforms, ids)]
        if all(mask):
            return 0
        import pyarrow as pa

        kept = pc.filter(table, pa.array(mask))
        _replace(path, lambda handle: pq.write_table(kept, handle))
        return len(ids) - kept.num_rows
    if fmt == "geojson":
        return _purge_features(path, store)
    raise ValueError(f"unknown export format {fmt!r}")


def _purge_alerts(path: Path, fmt: str, store) -> int:
    """Alerts without the ids of erased posts in their ``posts`` lists (each alert stays: its
    counts are aggregates); returns the post ids removed. JSON, JSON Lines or CSV."""
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header, alerts = list(reader.fieldnames or []), list(reader)
        lists = [[p for p in (a.get("posts") or "").split("|") if p] for a in alerts]
    else:
        text = path.read_text(encoding="utf-8")
        alerts = (json.loads(text) if fmt == "json"
                  else [json.loads(line) for line in text.splitlines() if line.strip()])
        lists = [list(a.get("posts") or []) for a in alerts]
    keys = [tuple(p.split(":", 1)) if ":" in p else (None, p) for ids in lists for p in ids]
    present = store.posts.present_keys(keys)
    kept = [[p for p in ids if (tuple(p.split(":", 1)) if ":" in p else (None, p)) in present]
            for ids in lists]
    removed = sum(len(a) - len(b) for a, b in zip(lists, kept))
    if not removed:
        return 0
    if fmt == "csv":
        for alert, ids in zip(alerts, kept):
            alert["posts"] = "|".join(ids)

        def write(handle) -> None:
            import io

            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(alerts)
            handle.write(out.getvalue().encode("utf-8"))

        _replace(path, write)
        return removed
    for alert, ids in zip(alerts, kept):
        alert["posts"] = ids
    body = (json.dumps(alerts, indent=1, ensure_ascii=False) + "\n" if fmt == "json" else
            "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in alerts))
    _replace(path, lambda handle: handle.write(body.encode("utf-8")))
    return removed


def _purge_features(path: Path, store) -> int:
    """A GeoJSON FeatureCollection without the features of erased posts."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    features = collection["features"]
    present = store.posts.present_keys(_keys([f["properties"] for f in features]))
    keep = [f for f in features if (f["properties"].get("platform") or None,
                                    str(f["properties"]["post_id"])) in present]
    if len(keep) == len(features):
        return 0
    text = json.dumps({**collection, "features": keep}, ensure_ascii=False) + "\n"
    _replace(path, lambda handle: handle.write(text.encode("utf-8")))
    return len(features) - len(keep)


def _replace(path: Path, write) -> None:
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with temporary.open("wb") as handle:
        write(handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
