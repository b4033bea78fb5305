"""Store records from any source: privacy first, then posts in batches, quarantine, labels.

Every RawPost passes through :class:`wildsift.privacy.ingest.Protector` before the first write;
nothing a source read is stored as it came. Posts are keyed by (platform, post_id), so ingesting
the same file twice stores nothing twice: the second time every post counts as a duplicate.

With ``workers > 1`` the costly part (parsing a file's records and privacy) runs in worker
processes, chunk by chunk, while this process reads ahead and writes the chunks that are done, in
file order. Only protected posts come back from a worker; at most ``workers + 1`` chunks are in
flight, so memory stays bounded, and each chunk is written before the next one, so an
interrupted import resumes by running it again (what was stored counts as duplicates). The
workers die with this process, even when it is killed with SIGKILL
(:mod:`wildsift.engine.workers`).
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter

from wildsift.engine.workers import guarded
from wildsift.errors import RecordError
from wildsift.privacy.ingest import Protector
from wildsift.privacy.rotation import link_recorder
from wildsift.records import IngestCounts, Label, Post, Quarantined, RawPost
from wildsift.sources.base import SHAPE_ERRORS, unexpected_shape
from wildsift.sources.fields import normalise_label
from wildsift.sources.local_media import LocalMedia, MediaCounts
from wildsift.sources.shape import check_shape
from wildsift.store.sqlite_bulk import encode_chunk

LABEL_FIELD = "relevant"
LABEL_ANNOTATOR = "import"
PARALLEL_FROM_BYTES = 4 * 1024 * 1024  # by default, smaller files import in this process


@dataclass(slots=True)
class ImportCounts(IngestCounts):
    """IngestCounts plus how many relevance labels came with the records."""

    labels: int = 0
    images: int = 0  # images the media step stored (LocalMedia: files beside an import)
    images_refused: int = 0  # of them set aside (quarantined; their posts are kept)
    videos: int = 0  # local video files found (their frames are taken by `wildsift sift`)
    images_missing: int = 0  # local media paths with no file

    def add_media(self, media: MediaCounts) -> None:
        self.images += media.stored
        self.images_refused += media.refused
        self.videos += media.videos
        self.images_missing += media.missing


def ingest(study, records: Iterable[RawPost | Quarantined], *, batch_size: int = 5000,
           progress: Callable[[ImportCounts], None] | None = None,
           workers: int | None = None, media: LocalMedia | None = None) -> ImportCounts:
    """Protect and store ``records``; returns read / stored / duplicates / quarantined / labels.

    ``progress`` is called with the running counts after each committed batch. ``workers``:
    processes that parse and protect (default: one per CPU, or this process alone for a file
    under 4 MB); 1 runs everything in this process. ``media``: store the local images the
    records name (:class:`~wildsift.sources.local_media.LocalMedia`) after privacy and before
    each post is written; a refused image is quarantined, its post kept.
    """
    if workers is None:
        size = getattr(records, "size", None)
        workers = 1 if size is not None and size < PARALLEL_FROM_BYTES else (os.cpu_count() or 1)
    with _fewer_collections():
        return _ingest(study, records, batch_size, progress, workers, media)


def _ingest(study, records: Iterable[RawPost | Quarantined], batch_size: int,
            progress: Callable[[ImportCounts], None] | None, workers: int,
            media: LocalMedia | None = None) -> ImportCounts:
    writer = _Writer(study.store, progress)
    if workers <= 1:
        protector = Protector.for_study(study)
        batch: list[RawPost | Quarantined] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                writer.write(*_protect(protector, batch, media), _taken(media))
                batch.clear()
        writer.write(*_protect(protector, batch, media), _taken(media))
        return writer.counts
    reader = records if hasattr(records, "chunks") and hasattr(records, "parse") else None
    jobs: Iterator = reader.chunks(batch_size) if reader is not None else _batches(records,
                                                                                   batch_size)
    start, args = guarded(_start_worker, _protector_settings(study), reader, media)
    with ProcessPoolExecutor(max_workers=workers, initializer=start, initargs=args) as pool:
        pending: deque = deque()
        for job in jobs:
            pending.append(pool.submit(_work, job))
            if len(pending) > workers:
                _collect(pending.popleft().result(), reader, writer)
        while pending:
            _collect(pending.popleft().result(), reader, writer)
    return writer.counts


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Each batch allocates ~10^5 small objects that live until it is written: with the default
    thresholds the cyclic GC runs again and again over the whole heap (pandas, SQLAlchemy, ...),
    which cost more than a third of the time. The heap as it is now is frozen out of its scans
    and young objects are collected less often (no cycles are made per record)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class _Writer:
    """Writes protected batches in order and keeps the running counts."""

    def __init__(self, store, progress: Callable[[ImportCounts], None] | None):
        self.store = store
        self.progress = progress
        self.counts = ImportCounts()
        self.seen = _SeenQuarantine(store)

    def write(self, posts: list[Post], quarantined: list[Quarantined], read: int,
              media: MediaCounts | None = None) -> None:
        counts = self.counts
        counts.read += read
        counts.add(_store_batch(self.store, posts, self.seen.new(quarantined), counts))
        counts.quarantined += len(quarantined) - _media(counts, media)
        if self.progress is not None:
            self.progress(counts)

    def write_chunk(self, chunk: bytes, n_posts: int, quarantined: list[Quarantined],
                    read: int, media: MediaCounts | None = None) -> None:
        """A batch a worker encoded (SQLite): merged by the store in one statement."""
        counts = self.counts
        counts.read += read
        stored, labels = self.store.posts.add_chunk(chunk) if n_posts else (0, 0)
        self.store.quarantine.add(self.seen.new(quarantined))
        counts.labels += labels
        counts.add(IngestCounts(stored=stored, duplicates=n_posts - stored))
        counts.quarantined += len(quarantined) - _media(counts, media)
        if self.progress is not None:
            self.progress(counts)


def _media(counts: ImportCounts, media: MediaCounts | None) -> int:
    """Add a batch's media counts; returns its refused images (quarantine entries that are
    not records: their posts were stored)."""
    if media is None:
        return 0
    counts.add_media(media)
    return media.refused


def _taken(media: LocalMedia | None) -> MediaCounts | None:
    return media.take_counts() if media is not None else None


def _protect(protector: Protector, records: Iterable[RawPost | Quarantined],
             media: LocalMedia | None = None) -> tuple[list[Post], list[Quarantined], int]:
    """Posts and quarantined records of one batch, in order, and how many records were read.

    A record whose label cannot be read, or that privacy refuses, is quarantined with its reason.
    With ``media``, each post's local images are stored after privacy (refusals quarantined).
    """
    posts: list[Post] = []
    quarantined: list[Quarantined] = []
    read = 0
    for record in records:
        read += 1
        if isinstance(record, Quarantined):
            quarantined.append(record)
            continue
        try:
            check_shape(record)
        except RecordError as exc:
            quarantined.append(Quarantined(source=record.source, location=record.location,
                                           reason=exc.reason, field=exc.field))
            continue
        try:
            record.label = normalise_label(record.label)
        except ValueError as exc:
            quarantined.append(Quarantined(source=record.source, location=record.location,
                                           reason=str(exc), field="label"))
            continue
        try:
            post = protector.protect(record)
        except RecordError as exc:
            quarantined.append(Quarantined(source=record.source, location=record.location,
                                           reason=exc.reason, field=exc.field))
            continue
        except SHAPE_ERRORS as exc:  # privacy could not read it: set aside, never stored raw
            quarantined.append(Quarantined(source=record.source, location=record.location,
                                           reason=unexpected_shape(exc, "a post privacy can "
                                                                        "read")))
            continue
        if media is not None and record.media:
            quarantined += media.attach(record, post)
        posts.append(post)
    return posts, quarantined, read


def _batches(records: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- worker processes -------------------------------------------------------------------------
_worker: dict = {}


def _protector_settings(study) -> dict:
    privacy = study.settings.privacy
    return {"secret": study.secret, "keep_source_ids": privacy.keep_source_ids,
            "phone_regions": privacy.phone_regions, "redact": privacy.redact,
            "chunks": study.store.engine.dialect.name == "sqlite", "root": study.root}


_POST_FIELDS = attrgetter(*(f.name for f in dataclasses.fields(Post)))


def _start_worker(settings: dict, reader, media: LocalMedia | None = None) -> None:
    """Once per worker process: the Protector (and its caches), the file reader's plan and
    the media step."""
    gc.freeze()  # the heap inherited from the parent is not garbage: keep the GC off it
    gc.set_threshold(max(gc.get_threshold()[0], 50_000), *gc.get_threshold()[1:])
    options = {k: v for k, v in settings.items() if k not in ("secret", "chunks", "root")}
    _worker["protector"] = Protector(settings["secret"], **options,
                                     links=link_recorder(settings["root"], settings["secret"]))
    _worker["chunks"] = settings["chunks"]
    _worker["reader"] = reader
    _worker["media"] = media


def _work(job) -> tuple[bytes | list[tuple], int, list[Quarantined], int, list[str],
                        MediaCounts | None, Counter | None]:
    """In a worker: parse and protect one chunk. For SQLite the posts come back encoded as a
    small database (:func:`encode_chunk`), which the writer merges in C; otherwise as tuples
    (pickled ~3x faster than dataclasses)."""
    reader = _worker["reader"]
    records = reader.parse(job) if reader is not None else job
    media = _worker.get("media")
    posts, quarantined, read = _protect(_worker["protector"], records, media)
    unknown = reader.unknown_columns if reader is not None else []
    notes = _take_notes(reader)
    if _worker["chunks"]:
        unique = _unique(posts)
        labels = [(p.platform, p.post_id, LABEL_FIELD, p.label, LABEL_ANNOTATOR)
                  for p in unique if p.label is not None]
        payload = encode_chunk(unique, labels, datetime.now(UTC))
    else:
        payload = [_POST_FIELDS(post) for post in posts]
    return payload, len(posts), quarantined, read, unknown, _taken(media), notes


def _take_notes(reader) -> Counter | None:
    """What a worker's copy of the reader counted in its last chunk (e.g. records given the
    file's own platform), handed to the parent's reader and reset here."""
    notes = getattr(reader, "notes", None)
    if not notes:
        return None
    taken = Counter(notes)
    notes.clear()
    return taken


def _collect(result, reader, writer: _Writer) -> None:
    payload, n_posts, quarantined, read, unknown, media, notes = result
    if unknown:
        reader.note_unknown(unknown)
    if notes:
        reader.notes.update(notes)
    if isinstance(payload, bytes):
        writer.write_chunk(payload, n_posts, quarantined, read, media)
    else:
        writer.write([Post(*row) for row in payload], quarantined, read, media)


def _unique(posts: Sequence[Post]) -> list[Post]:
    """Posts of a batch, a (platform, post_id) seen before in the batch left out (the first
    wins, as in the store)."""
    unique: dict[tuple[str, str], Post] = {}
    for post in posts:
        unique.setdefault((post.platform, post.post_id), post)
    return list(unique.values())


def _store_batch(store, posts: Sequence[Post], quarantined: Sequence[Quarantined],
                 counts: ImportCounts) -> IngestCounts:
    """One batch: posts (duplicates within the batch counted once), quarantine, labels."""
    unique = _unique(posts)
    stored = store.posts.add(unique) if unique else 0
    store.quarantine.add(list(quarantined))
    labels = [Label(post_id=p.post_id, field=LABEL_FIELD, value=p.label, annotator=LABEL_ANNOTATOR,
                    platform=p.platform) for p in unique if p.label is not None]
    if labels:
        counts.labels += store.labels.add(labels)[0]
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
            self.keys |= {_key(q) for q in self.store.quarantine.all() if q.source in fresh_sources}
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
    posts, quarantined, _read = _protect(protector, records)
    return posts, quarantined
