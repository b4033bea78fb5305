"""Refresh registry facts for the lexicon's species into a dated snapshot in the study folder.

Run on demand (``wildsift lexicon refresh --from gbif|iucn|cites``), never during a sift or a
report, so a report reads only local files. Names a registry does not know are listed in the
snapshot's ``missing`` entry rather than dropped without a word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx

from wildsift.lexicon.registries import cites, gbif, iucn
from wildsift.lexicon.registries.http import RegistryClient, token_from_env
from wildsift.lexicon.registries.snapshot import SOURCES, Snapshot, today, write_snapshot

_MODULES = {"gbif": gbif, "iucn": iucn, "cites": cites}


def _headers(source: str, token: str | None) -> dict[str, str]:
    if source == "gbif":
        return {}
    module = _MODULES[source]
    token = token or token_from_env(module.TOKEN_ENV, source.upper(), module.SIGNUP)
    if source == "iucn":
        return {"Authorization": f"Bearer {token}"}
    return {"X-Authentication-Token": token}


def refresh(study_folder: Path, source: str, names: Iterable[str], *,
            base_url: str | None = None, token: str | None = None, date: str | None = None,
            transport: httpx.BaseTransport | None = None,
            progress: Callable[[str], None] | None = None) -> tuple[Path, Snapshot]:
    """Ask ``source`` about each scientific name and write ``registries/<source>-<date>.json``."""
    if source not in SOURCES:
        raise ValueError(f"unknown registry {source!r}: choose one of {', '.join(SOURCES)}")
    module = _MODULES[source]
    url = base_url or module.BASE_URL
    taxa: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    with RegistryClient(source, url, _headers(source, token), transport) as client:
        for name in sorted(set(names)):
            facts = module.fetch(client, name)
            if progress:
                progress(name)
            if facts is None:
                missing.append(name)
            else:
                taxa[name] = facts
    snapshot = Snapshot(source, date or today(), url, taxa, missing)
    return write_snapshot(study_folder, snapshot), snapshot
