"""Store records from any source: privacy first, then posts in batches, quarantine, labels.

Every RawPost passes through :class:`wildsift.privacy.ingest.Protector` before the first write;
nothing a source read is stored as it came. Posts are keyed by (platform, post_id), so ingesting
the same file twice stores nothing twice: the second time every post counts as a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from wildsift.errors import RecordError
from wildsift.privacy.ingest import Protector
from wildsift.records import IngestCounts, Label, Post, Quarantined, RawPost
from wildsift.sources.fields import normalise_label

LABEL_FIELD = "relevant"
LABEL_ANNOTATOR = "import"


@dataclass(slots=True)
class ImportCounts(IngestCounts):
    """IngestCounts plus how many relevance labels came with the records."""

    labels: int = 0


def ingest(study, records: Iterable[RawPost | Quarantined], *, batch_size: int = 5000,
           progress: Callable[[ImportCounts], None] | None = None) -> ImportCounts:
    """Protect and store ``records``; returns read / stored / duplicates / quarantined / labels.

    ``progress`` is called with the running counts after each committed batch.
    """
    protector = Protector.for_study(study)
    store = study.store
    counts = ImportCounts()
    posts: list[Post] = []
    quarantined: list[Quarantined] = []
    seen = _SeenQuarantine(store)

    def flush() -> None:
        counts.add(_store_batch(store, posts, seen.new(quarantined), counts))
        counts.quarantined += len(quarantined)
        posts.clear()
        quarantined.clear()
        if progress is not None:
            progress(counts)

    for record in records:
        counts.read += 1
        if isinstance(record, Quarantined):
            quarantined.append(record)
        else:
            try:
                record.label = normalise_label(record.label)
            except ValueError as exc:
                quarantined.append(Quarantined(source=record.source, location=record.location,
                                               reason=str(exc), field="label"))
                continue
            posts.append(protector.protect(record))
        if len(posts) + len(quarantined) >= batch_size:
            flush()
    flush()
    return counts


def _store_batch(store, posts: Sequence[Post], quarantined: Sequence[Quarantined],
                 counts: ImportCounts) -> IngestCounts:
    """One batch: posts (duplicates within the batch counted once), quarantine, labels."""
    unique: dict[tuple[str, str], Post] = {}
    for post in posts:
        unique.setdefault((post.platform, post.post_id), post)
    stored = store.add_posts(list(unique.values())) if unique else 0
    store.quarantine(list(quarantined))
    labels = [Label(post_id=p.post_id, field=LABEL_FIELD, value=p.label, annotator=LABEL_ANNOTATOR)
              for p in unique.values() if p.label is not None]
    if labels:
        counts.labels += store.add_labels(labels)[0]
    return IngestCounts(stored=stored, duplicates=len(posts) - stored)


class _SeenQuarantine:
    """Quarantined records already stored, so re-importing a file does not list them twice."""

    def __init__(self, store):
        self.store = store
        self.sources: set[str] = set()
        self.keys: set[tuple] = set()

    def new(self, items: Sequence[Quarantined]) -> list[Quarantined]:
        fresh_sources = {q.source for q in items} - self.sources
        if fresh_sources:
            self.sources |= fresh_sources
            self.keys |= {_key(q) for q in self.store.quarantined() if q.source in fresh_sources}
        out = []
        for item in items:
            if _key(item) not in self.keys:
                self.keys.add(_key(item))
                out.append(item)
        return out


def _key(item: Quarantined) -> tuple:
    return (item.source, item.location, item.field, item.reason)


def protect_page(protector: Protector, records: Iterable[RawPost | Quarantined]
                 ) -> tuple[list[Post], list[Quarantined]]:
    """Split a live source's page into protected posts and quarantined records."""
    posts: list[Post] = []
    quarantined: list[Quarantined] = []
    for record in records:
        if isinstance(record, Quarantined):
            quarantined.append(record)
        else:
            try:
                posts.append(protector.protect(record))
            except RecordError as exc:
                quarantined.append(Quarantined(source=record.source, location=record.location,
                                               reason=exc.reason, field=exc.field))
    return posts, quarantined
