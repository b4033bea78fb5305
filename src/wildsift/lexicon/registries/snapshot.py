"""Dated snapshots of what a registry said about the lexicon's taxa, kept in the study folder.

``<study>/registries/<source>-<YYYY-MM-DD>.json`` holds ``{"source", "retrieved", "base_url",
"taxa": {scientific name: facts}}``. Facts per source:

- ``gbif``: ``usage_key``, ``native_range`` (ISO alpha-2, establishmentMeans NATIVE or none
  given), ``introduced`` (INTRODUCED, INVASIVE, NATURALISED);
- ``iucn``: ``iucn`` (category code), ``year`` (published), ``assessment_id``;
- ``cites``: ``cites`` (appendix of the species as a whole), ``cites_populations``
  ({appendix: [ISO alpha-2]}), ``effective_at``.

A later snapshot of the same source replaces an earlier one; nothing is ever edited in place,
so a report can say which snapshot each fact came from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wildsift.errors import ConfigError

SOURCES = ("gbif", "iucn", "cites")
_NAME = re.compile(r"^(gbif|iucn|cites)-(\d{4}-\d{2}-\d{2})\.json$")


@dataclass
class Snapshot:
    source: str
    retrieved: str  # ISO date
    base_url: str
    taxa: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # names the registry did not know

    @property
    def label(self) -> str:
        """How a report names the snapshot: 'iucn 2026-12-07'."""
        return f"{self.source} {self.retrieved}"


def snapshot_dir(study_folder: Path) -> Path:
    return Path(study_folder) / "registries"


def write_snapshot(study_folder: Path, snapshot: Snapshot) -> Path:
    """Write ``snapshot`` atomically as ``registries/<source>-<date>.json``; return its path."""
    folder = snapshot_dir(study_folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{snapshot.source}-{snapshot.retrieved}.json"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"source": snapshot.source, "retrieved": snapshot.retrieved,
                               "base_url": snapshot.base_url, "taxa": snapshot.taxa,
                               "missing": snapshot.missing},
                              ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return path


def read_snapshot(path: Path) -> Snapshot:
    """One snapshot file; a malformed one is an error naming the file and the field."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    for key in ("source", "retrieved", "taxa"):
        if key not in raw:
            raise ConfigError(f"{path}: field '{key}' is missing; refresh the registry again")
    if not isinstance(raw["taxa"], dict):
        raise ConfigError(f"{path}: field 'taxa' must be an object of scientific names")
    return Snapshot(raw["source"], raw["retrieved"], raw.get("base_url", ""), raw["taxa"],
                    list(raw.get("missing") or []))


def latest_snapshots(study_folder: Path | None) -> dict[str, Snapshot]:
    """The newest snapshot of each source in the study folder (none: an empty dict)."""
    if study_folder is None:
        return {}
    folder = snapshot_dir(study_folder)
    if not folder.is_dir():
        return {}
    newest: dict[str, tuple[str, Path]] = {}
    for path in folder.iterdir():
        hit = _NAME.match(path.name)
        if hit and (hit.group(1) not in newest or hit.group(2) > newest[hit.group(1)][0]):
            newest[hit.group(1)] = (hit.group(2), path)
    return {source: read_snapshot(path) for source, (_, path) in newest.items()}


def today() -> str:
    return dt.date.today().isoformat()
