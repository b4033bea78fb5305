"""Run live sources: fetch page by page, protect, commit each page with its cursor.

A page and its cursor are written by :meth:`wildsift.store.Store.save_page` in one transaction
(posts, quarantine entries, cursor), so a run killed at any point loses nothing and writes nothing
twice: the next run refetches at most the one page that was not committed
(tests/reliability/test_mine_crash.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wildsift.errors import ConfigError
from wildsift.lexicon import Lexicon
from wildsift.privacy.faces import blur_at_ingest
from wildsift.privacy.ingest import Protector
from wildsift.privacy.media import MediaStore
from wildsift.records import IngestCounts
from wildsift.sources.base import Source
from wildsift.sources.download import MediaDownloader
from wildsift.sources.ingest import protect_page
from wildsift.sources.media import attach_media
from wildsift.sources.registry import build_source


@dataclass(slots=True)
class QueryResult:
    """What one query of one source did: its hashtags, pages and counts."""

    source: str
    query: str
    terms: list[str] = field(default_factory=list)
    pages: int = 0
    calls: list[str] = field(default_factory=list)  # --dry-run: the first call per term
    quota: int = 0  # --dry-run: what those calls cost, in the platform's unit
    unit: str = "request"
    counts: IngestCounts = field(default_factory=IngestCounts)


def run_term(study, source: Source, term: str, *, max_pages: int,
             protector: Protector | None = None,
             downloader: MediaDownloader | None = None) -> tuple[int, IngestCounts]:
    """Fetch ``term`` from ``source`` until nothing more is new (at most ``max_pages``);
    with a ``downloader``, the posts' images are fetched and cleaned before the page commits."""
    protector = protector or Protector.for_study(study)
    store = study.store
    counts = IngestCounts()
    cursor = store.cursors.get(source.name, term)
    pages = 0
    while pages < max_pages:
        page = source.fetch(term, cursor)
        pages += 1
        posts, quarantined = protect_page(protector, page.records)
        if downloader is not None:
            quarantined += attach_media(posts, downloader, MediaStore(study.media_dir),
                                        source=source.name)
        # Deletions before the page's cursor is committed: a kill in between refetches the page
        # and erases again (a no-op), so no deletion is ever skipped.
        erased = erase_deleted(store, protector, source.platform, page.deletions,
                               f"deleted at the source ({source.name})")
        stored = store.save_page(posts, quarantined, source.name, term, page.next_cursor)
        counts.add(IngestCounts(read=len(page.records), stored=stored,
                                duplicates=len(posts) - stored, quarantined=len(quarantined),
                                erased=erased))
        cursor = page.next_cursor or cursor
        if not page.more:
            break
    return pages, counts


def audit_key(protector: Protector) -> bytes:
    """The key of the erasure audit's hashes, derived from the study secret: without the
    secret an audit row cannot be matched against candidate ids (docs/privacy.md)."""
    return bytes.fromhex(protector.pseudonyms.digest("erasure-audit", "key", 64))


def erase_deleted(store, protector: Protector, platform: str, source_ids: list[str],
                  reason: str, unshown: set[str] | None = None) -> int:
    """Erase the posts with these source ids (as the source gives them); returns how many
    were stored and are now gone. Ids become stored ids the way ingest makes them;
    ``unshown`` receives the sha256 of images no remaining post shows."""
    if not source_ids:
        return 0
    post_ids = [protector.post_id(platform, sid) for sid in source_ids]
    return store.erasures.erase(platform, post_ids, reason, key=audit_key(protector),
                             unshown=unshown)


def selected_sources(study, name: str | None) -> list:
    sources = list(study.settings.sources)
    if name is not None:
        sources = [s for s in sources if s.name == name]
        if not sources:
            known = ", ".join(s.name for s in study.settings.sources) or "none"
            raise ConfigError(f"no source named '{name}' in wildsift.toml (configured: {known})")
    if not sources:
        raise ConfigError("no [[sources]] in wildsift.toml; add one (see the commented example "
                          "in that file) or use 'wildsift import FILE'")
    return sources


def mine_source(study, settings, *, dry_run: bool = False, lexicon=None,
                **options) -> list[QueryResult]:
    """Every query of one configured source; ``dry_run`` lists the calls and fetches nothing."""
    languages = study.settings.study.languages
    lexicon = lexicon if lexicon is not None else Lexicon.for_study(study)  # + its own terms
    source = build_source(settings, study_root=study.root, dry_run=dry_run, **options)
    if hasattr(source, "bind_store"):  # e.g. YouTube keeps its daily quota in the cursor table
        source.bind_store(study.store)
    results = []
    protector = None if dry_run else Protector.for_study(study)
    downloader = (MediaDownloader(transform=blur_at_ingest(study.settings.privacy.blur_faces))
                  if settings.download_media and not dry_run else None)
    try:
        for query in settings.queries:
            result = QueryResult(settings.name, query,
                                 source.terms(query, languages, lexicon))
            for term in result.terms:
                if dry_run:
                    call = source.describe(term, study.store.cursors.get(source.name, term))
                    result.calls.append(call.request)
                    result.quota += call.quota
                    result.unit = call.unit
                    continue
                pages, counts = run_term(study, source, term, max_pages=settings.max_pages,
                                         protector=protector, downloader=downloader)
                result.pages += pages
                result.counts.add(counts)
            results.append(result)
    finally:
        source.close()
        if downloader is not None:
            downloader.close()
    return results
