"""Deletion compliance: erase what was deleted at the source (``wildsift comply``).

Two ways a deletion reaches the study:

- Bluesky publishes every deletion on Jetstream: :func:`comply_jetstream` reads the stream's
  delete events (only those) from where the last compliance run stopped up to now;
- X (batch compliance jobs), Reddit and others give lists of deleted ids:
  :func:`read_deleted_ids` reads such a list and :func:`erase_listed` erases what the study holds.

Source ids become stored ids the way ingest makes them (:meth:`Protector.post_id`), so an id list
works whether or not the study keeps source ids. Erasure goes through
:meth:`wildsift.store.Store.erasures.erase` (one transaction per chunk: complete or absent), which
keeps an audit row with a keyed hash of the stored id, never the id itself; then
:func:`sweep_media` deletes image files no remaining post shows (``wildsift comply`` also
rewrites the recorded exports and vacuums the store: docs/privacy.md, Deletion).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from wildsift.errors import ConfigError, InputError
from wildsift.privacy.ingest import Protector
from wildsift.privacy.media import is_temporary
from wildsift.records import IngestCounts
from wildsift.sources.bluesky.mapping import is_post_uri
from wildsift.sources.run import erase_deleted, run_term
from wildsift.sources.weibo.ids import post_mid

_REDDIT = re.compile(r"^(t[1-6]_)?([0-9a-z]+)$")
_SHAPES = {
    "bluesky": "an at://did:.../app.bsky.feed.post/<rkey> URI",
    "x": "a numeric tweet id",
    "reddit": "a Reddit id or fullname (t3_abc123)",
    "weibo": "a Weibo mid (5012345678901234) or bid (NxYzAbCdE)",
}


@dataclass(slots=True)
class IdList:
    """The ids of a deletion list, and its lines that are no id of the platform."""

    ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "file:line: why"


def normalise_id(platform: str, value: str) -> str | None:
    """The source id as the platform's connector writes it, or None when it is not one."""
    value = value.strip()
    if platform == "bluesky":
        return value if is_post_uri(value) else None
    if platform == "x":
        return value if value.isdigit() else None
    if platform == "reddit":
        match = _REDDIT.match(value.lower())
        if not match:
            return None
        return value.lower() if match.group(1) else f"t3_{match.group(2)}"
    if platform == "weibo":  # stored under the mid; weiboSpider and post URLs give the bid
        return post_mid(value)
    return value or None


def read_deleted_ids(path: Path, platform: str) -> IdList:
    """One id per line (blank lines and ``#`` comments skipped; a JSON line of an X compliance
    job result ``{"id": "...", "action": "delete", ...}`` is read too)."""
    import json

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the id list ({exc})") from None
    result = IdList()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                item = json.loads(line)
            except ValueError:
                result.problems.append(f"{path}:{number}: not valid JSON")
                continue
            line = str(item.get("id", "")) if isinstance(item, dict) else ""
        source_id = normalise_id(platform, line)
        if source_id is None:
            result.problems.append(f"{path}:{number}: not {_SHAPES.get(platform, 'an id')}")
            continue
        result.ids.append(source_id)
    return result


def erase_listed(study, platform: str, source_ids: list[str], reason: str,
                 unshown: set[str] | None = None) -> int:
    """Erase the listed posts the study holds; returns how many were erased. Each chunk of
    5,000 ids is one transaction: a kill leaves every post erased with its audit row, or not
    touched. ``unshown`` receives the sha256 of images no remaining post shows."""
    protector = Protector.for_study(study)
    erased = 0
    for start in range(0, len(source_ids), 5000):
        erased += erase_deleted(study.store, protector, platform,
                                source_ids[start:start + 5000], reason, unshown)
    return erased


MEDIA_GRACE_SECONDS = 600.0


def sweep_media(study, unshown: set[str] = frozenset(), *,
                grace_seconds: float = MEDIA_GRACE_SECONDS) -> int:
    """Delete files under ``media/`` that no stored post shows; returns how many.

    The images an erasure dropped (``unshown``) go at once. Other files nobody shows (left by a
    compliance run killed between its commit and this sweep) go once older than
    ``grace_seconds``: an import writes an image before it commits the post that shows it, and
    a sweep running beside it must not take that file. A file a remaining post shows stays,
    but not a temporary file a writer killed mid-write left beside it (``<sha256>.tmp<pid>``),
    once older than ``grace_seconds``.
    """
    root = study.media_dir
    referenced = study.store.media.referenced()
    now = time.time()
    removed = 0
    for entry in root.glob("*/*"):
        sha = entry.name.split(".", 1)[0]
        if len(sha) != 64 or not entry.is_file():
            continue
        if sha in referenced and not is_temporary(entry):
            continue
        if sha in unshown or now - entry.stat().st_mtime > grace_seconds:
            entry.unlink(missing_ok=True)
            removed += 1
    return removed


def jetstream_settings(study, name: str | None = None):
    """The study's Jetstream source (the one named, else the only one)."""
    found = [s for s in study.settings.sources if s.type == "jetstream"
             and (name is None or s.name == name)]
    if not found:
        raise ConfigError("no [[sources]] of type \"jetstream\" in wildsift.toml"
                          + (f" named '{name}'" if name else "") + "; add one (see "
                          "docs/sources.md, Jetstream) to read Bluesky's delete events")
    if len(found) > 1:
        raise ConfigError("several Jetstream sources: choose one with --source")
    return found[0]


def comply_jetstream(study, settings, **options) -> tuple[IngestCounts, int]:
    """Read the Jetstream's delete events from the last compliance run up to now, and erase the
    posts the study holds: (counts, deletions read). Its cursor is its own: mining is not moved
    on by it."""
    from wildsift.sources.registry import build_source

    source = build_source(settings, study_root=study.root, deletions_only=True, **options)
    try:
        term = source.terms("", [], None)[0]
        _pages, counts = run_term(study, source, term, max_pages=1_000_000)
    finally:
        source.close()
    return counts, source.seen["deletions"]
