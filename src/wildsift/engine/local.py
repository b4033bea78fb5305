"""The local engine: run stages over a store's posts in bounded batches, on this machine.

Memory stays bounded by ``batch_size`` whatever the number of posts (keyset pagination in
``Store.posts.iter``); batches are written in order as they are scored, so an interrupted run
resumes where it stopped: posts already scored by the selecting stage are not read again.

With ``workers > 1`` the stages run in a pool of worker processes (one per core by default; the
stages reach each worker once, through its initializer) while this process reads posts and
writes scores; at most ``workers + 1`` batches are in flight, so memory stays bounded. With a
SQLite store each worker also encodes its batch's score rows (``encode_scores``), so this
process, the single writer, merges them in one statement instead of binding every row.

Image stages run here too (:func:`run_images`), over distinct pictures rather than posts, before
the post stages: what they store reaches post stages as declared reads the store serves
(``store.images.post_reads``: ``ocr_text``, ``image_score``, ``n_images``), and a picture's new
outputs make the post stages that read them stale for the posts showing it (their rows are
forgotten before the outputs are stored, so an interrupted run can only rescore too much).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wildsift.engine.stage import Stage, check_pipeline, declared, run_stages
from wildsift.engine.workers import guarded
from wildsift.privacy.media import MediaStore
from wildsift.store import Store
from wildsift.store.images import POST_READS, READ_SOURCES
from wildsift.store.picture_languages import PictureLanguages
from wildsift.store.posts import Pending
from wildsift.store.scores import encode_scores

POST_COLUMNS = ("pk", "platform", "post_id", "text", "lang")


@dataclass(slots=True)
class RunCounts:
    """What a run did: posts scored, batches written, and posts its last decision kept."""

    posts: int = 0
    batches: int = 0
    largest_batch: int = 0
    kept: int = 0  # posts whose ``decision`` column (default ``relevant``) is 1


def stored_fields(stage: Stage) -> tuple[str, ...]:
    """The fields of a stage that go to the scores table (``stores``, else all it adds)."""
    return tuple(declared(stage, "stores"))


def stored_defaults(stage: Stage) -> dict[str, object]:
    """The usual values of a stage's stored fields (its ``defaults``: the method that decided,
    an empty cue list), which the store keeps once per version instead of once per post."""
    fields = set(stored_fields(stage))
    return {f: v for f, v in dict(declared(stage, "defaults") or {}).items() if f in fields}


def kept_rows(stage: Stage, scored: pd.DataFrame) -> pd.DataFrame:
    """The rows of a scored batch whose outputs ``stage`` stores: all of them, or for a stage
    that ``keeps_only`` a decision column (the location of kept posts), the posts it keeps."""
    column = declared(stage, "keeps_only")
    if column is None:
        return scored
    if column not in scored:
        return scored.iloc[:0]
    return scored[pd.to_numeric(scored[column], errors="coerce").fillna(0).to_numpy() == 1]


def pending_of(stages: Sequence[Stage], select_by: Stage | Sequence[Stage]) -> list[Pending]:
    """What selects the posts of a run: those any ``select_by`` stage still has to do at its
    version (a stage that keeps only a decision's posts: those the decision keeps)."""
    selecting = [select_by] if isinstance(select_by, Stage) else list(select_by)
    pending = []
    for stage in selecting:
        if not stored_fields(stage):
            continue
        column = declared(stage, "keeps_only")
        decider = next((other for other in reversed(stages[:list(stages).index(stage)])
                        if column in other.adds), None) if column else None
        kept_by = (decider.name, str(decider.version), str(column)) if decider else None
        pending.append(Pending(stage.name, str(stage.version), kept_by))
    return pending


_WORKER_STAGES: Sequence[Stage] = ()
_WORKER_ENCODES = False


def _init_worker(stages: Sequence[Stage], encodes: bool = False) -> None:
    global _WORKER_STAGES, _WORKER_ENCODES
    _WORKER_STAGES = stages
    _WORKER_ENCODES = encodes


def score_chunk(stages: Sequence[Stage], scored: pd.DataFrame) -> bytes:
    """Every stage's stored fields of a scored batch, encoded for ``Store.scores.add_chunk``."""
    return encode_scores((stage.name, stage.version, kept_rows(stage, scored),
                          stored_fields(stage), stored_defaults(stage)) for stage in stages)


def returned_columns(stages: Sequence[Stage], scored: pd.DataFrame) -> list[str]:
    """What a worker sends back: the posts' keys and what the stages added, not the text and
    other columns they read (pickling those back cost the writer ~1 s a 100,000 posts)."""
    added = dict.fromkeys(field for stage in stages for field in stage.adds)
    return ["pk", *(c for c in added if c in scored.columns and c != "pk")]


def _score_in_worker(batch: pd.DataFrame) -> tuple[pd.DataFrame, bytes | None]:
    scored = run_stages(_WORKER_STAGES, batch)
    chunk = score_chunk(_WORKER_STAGES, scored) if _WORKER_ENCODES else None
    return scored[returned_columns(_WORKER_STAGES, scored)], chunk


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


Scored = tuple[pd.DataFrame, bytes | None, int]  # a batch, its encoded scores (or None), size


def _scored_in_process(stages: Sequence[Stage],
                       batches: Iterator[pd.DataFrame]) -> Iterator[Scored]:
    for batch in batches:
        yield run_stages(stages, batch), None, len(batch)


def _start_pool(stages: Sequence[Stage], workers: int, encodes: bool = False
                ) -> ProcessPoolExecutor:
    """Worker processes holding the stages, started now (forked where the platform can, before
    any progress-bar thread exists; elsewhere the stages are pickled once per worker).
    ``encodes``: the workers also encode each batch's score rows (a SQLite store)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    start, args = guarded(_init_worker, list(stages), encodes)  # workers die with this process
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start,
                               initargs=args)
    pool.submit(int).result()  # launches the workers
    return pool


def _scored_in_pool(pool: ProcessPoolExecutor, batches: Iterator[pd.DataFrame],
                    workers: int) -> Iterator[Scored]:
    """Scored batches, in input order, with at most workers + 1 batches in flight."""
    pending: deque[tuple[Future, int]] = deque()
    for batch in batches:
        pending.append((pool.submit(_score_in_worker, batch), len(batch)))
        if len(pending) > workers:
            future, size = pending.popleft()
            yield *future.result(), size
    while pending:
        future, size = pending.popleft()
        yield *future.result(), size


def read_batches(store: Store, stages: Sequence[Stage], columns: Sequence[str],
                 pending: Sequence[Pending], batch_size: int) -> Iterator[pd.DataFrame]:
    """The posts ``pending`` selects, in batches, with ``columns`` and the image-derived reads
    any stage declares (served by the store from the image stages' outputs)."""
    wanted = {c for stage in stages for c in (*stage.reads, *declared(stage, "optional_reads"))}
    image_reads = [c for c in POST_READS if c in wanted or c in columns]
    post_columns = [c for c in columns if c not in POST_READS]
    for batch in store.posts.iter(post_columns, batch_size=batch_size, unscored_by=pending):
        yield store.images.post_reads(batch, image_reads) if image_reads else batch


def run_local(store: Store, stages: Sequence[Stage], *,
              select_by: Stage | Sequence[Stage], batch_size: int = 5000,
              progress: bool = True, columns: Sequence[str] = POST_COLUMNS,
              workers: int | None = None, decision: str = "relevant") -> RunCounts:
    """Score every post a ``select_by`` stage (one, or several: the whole chain) has still to
    do at its current version (:func:`pending_of`); each stage stores only what it has not.

    Each stage's stored fields are written with ``Store.scores.write(stage.name, stage.version,
    ...)``; a stage that declares ``matches`` (the column of what it found) has them kept in the
    matches table. ``columns``: the post columns stages read, besides the image-derived ones the
    store serves (:func:`read_batches`).
    ``workers``: scoring processes (default: one per CPU; 1 scores in this process, as does a
    run of a single batch). ``decision``: the column whose kept posts :attr:`RunCounts.kept`
    counts.
    """
    check_pipeline(stages, (*columns, *POST_READS))
    counts = RunCounts()
    workers = default_workers() if workers is None else max(1, int(workers))
    total = store.posts.count()
    batches = read_batches(store, stages, columns, pending_of(stages, select_by), batch_size)
    pool = (_start_pool(stages, workers, encodes=store.scores.takes_chunks)
            if workers > 1 and total > batch_size else None)
    try:
        scored_batches = (_scored_in_pool(pool, batches, workers) if pool is not None
                          else _scored_in_process(stages, batches))
        _write_all(store, stages, select_by, scored_batches, counts, total, progress, decision)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return counts


def _write_all(store: Store, stages: Sequence[Stage], select_by: Stage | Sequence[Stage],
               scored_batches: Iterator[Scored], counts: RunCounts, total: int,
               progress: bool, decision: str = "relevant") -> None:
    """Store each scored batch, updating counts and the progress bar."""
    with Progress(TextColumn("[bold]sift"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), disable=not progress, transient=False) as bar:
        task = bar.add_task("sift", total=total)
        for scored, chunk, size in scored_batches:
            _write_batch(store, stages, select_by, scored, chunk)
            if decision in scored:
                counts.kept += int(pd.to_numeric(scored[decision], errors="coerce")
                                   .fillna(0).sum())
            counts.posts += size
            counts.batches += 1
            counts.largest_batch = max(counts.largest_batch, size)
            bar.advance(task, size)


def _write_batch(store: Store, stages: Sequence[Stage], select_by: Stage | Sequence[Stage],
                 scored: pd.DataFrame, chunk: bytes | None) -> None:
    """Each stage's stored fields of a scored batch, except posts the stage has already scored
    at its version (a lone selecting stage has none: it chose the batch); the worker's encoded
    chunk when nothing is to be left out (the usual case), else row by row."""
    for stage in stages:  # what a stage found, kept apart from scores (lexicon matches)
        found = declared(stage, "matches")
        if found and found in scored:
            store.matches.replace_found(scored["pk"].tolist(), scored[found].tolist())
    done: dict[int, set[int]] = {}
    for i, stage in enumerate(stages):
        if stored_fields(stage) and stage is not select_by:
            found = store.scores.scored_pks(stage.name, stage.version, scored["pk"])
            if found:
                done[i] = found
    if chunk is not None and not done:
        store.scores.add_chunk(chunk)
        return
    for i, stage in enumerate(stages):
        fields = stored_fields(stage)
        rows = scored if i not in done else scored[~scored["pk"].isin(done[i])]
        rows = kept_rows(stage, rows)
        if fields and len(rows):
            store.scores.write(stage.name, stage.version, rows, fields, stored_defaults(stage))


# -- image stages: over distinct pictures, before the post stages ---------------------------
@dataclass
class ImageRun:
    """What one image stage did."""

    stage: str
    version: str
    images: int = 0
    missing_files: int = 0
    changed: int = 0  # pictures whose new outputs post stages read (OCR text found, a score)
    stale_posts: int = 0  # posts showing them, whose reading stages' rows were forgotten
    errors: int = 0  # pictures the stage could not read (its ``error`` column)
    error_reasons: list[str] = field(default_factory=list)  # the first few, for the log
    with_text: int = 0  # pictures given OCR text that is not empty


ImageMapper = Callable[[Stage, Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]


def map_in_process(stage: Stage, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Run an image stage here, batch by batch (the local engine; Ray's is
    ``engine.ray_images.map_on_ray``)."""
    for batch in batches:
        yield stage(batch)


def image_readers(post_stages: Sequence[Stage]) -> dict[str, list[str]]:
    """Per image output (``ocr_text``, ``image_relevance``), the post stages that read it
    (declared reads or optional reads of :data:`~wildsift.store.images.POST_READS`)."""
    out: dict[str, list[str]] = {}
    for read, source in READ_SOURCES.items():
        readers = [stage.name for stage in post_stages
                   if read in (*stage.reads, *declared(stage, "optional_reads"))]
        if readers:
            out[source] = readers
    return out


def run_images(store: Store, stages: Sequence[Stage], media_dir: Path, *,
               readers: Mapping[str, Sequence[str]] | None = None, batch_size: int = 64,
               progress: Callable[[str, int], None] | None = None,
               map_images: ImageMapper = map_in_process) -> list[ImageRun]:
    """Run each image stage on the pictures it has still to do, batch by batch (each stored
    as it comes back: an interrupted run resumes with what is left). A stage gets a batch of
    ``sha256`` and ``path`` (the cleaned file under ``media_dir``, and ``languages`` when it
    reads them) and returns the same keys with its ``fills`` (columns of ``images``),
    ``scores`` (per-image outputs) and, optionally, ``error`` (why a picture could not be
    read: counted, not stored). ``map_images`` runs a stage over the batches: here
    (:func:`map_in_process`) or on Ray actors (``engine.ray_images.map_on_ray``).
    ``readers`` (:func:`image_readers`): the post stages to rescore when a picture gets an
    output they read; their rows for the posts showing it are forgotten first."""
    runs = []
    for stage in stages:
        run = ImageRun(stage.name, str(stage.version))
        batches = image_batches(store, stage, media_dir, batch_size, run)
        for out in map_images(stage, batches):
            store_image_outputs(store, stage, out, readers or {}, run, progress)
        runs.append(run)
    return runs


def image_batches(store: Store, stage: Stage, media_dir: Path, batch_size: int,
                  run: ImageRun) -> Iterator[pd.DataFrame]:
    """The pictures ``stage`` has still to do, in batches of ``sha256`` and ``path`` (files
    missing under ``media_dir`` are counted in ``run`` and left out), with the ``languages``
    of the posts showing each picture when the stage reads them (served by the store)."""
    media = MediaStore(media_dir)
    wanted = (*stage.reads, *declared(stage, "optional_reads"))
    languages = PictureLanguages(store) if "languages" in wanted else None
    for batch in _images_todo(store, stage, batch_size):
        paths = [media.find(key) for key in batch["sha256"]]
        run.missing_files += sum(path is None for path in paths)
        batch = batch.assign(path=[None if p is None else str(p) for p in paths])
        batch = batch[batch["path"].notna()].reset_index(drop=True)
        if batch.empty:
            continue
        if languages is not None:
            batch["languages"] = languages.column(batch["sha256"].tolist())
        yield batch


def store_image_outputs(store: Store, stage: Stage, out: pd.DataFrame,
                        readers: Mapping[str, Sequence[str]], run: ImageRun,
                        progress: Callable[[str, int], None] | None = None) -> None:
    """Store one batch of a stage's outputs, after forgetting the rows of the post stages that
    read them (:func:`_forget_stale`)."""
    if "error" in out:
        reasons = [str(e) for e in out["error"] if not pd.isna(e)]
        run.errors += len(reasons)
        run.error_reasons += reasons[:max(0, 20 - len(run.error_reasons))]
        out = out.drop(columns=["error"])
    if "ocr_text" in declared(stage, "fills") and "ocr_text" in out:
        run.with_text += int((out["ocr_text"].fillna("").astype(str).str.strip() != "").sum())
    _forget_stale(store, stage, out, readers, run)
    if declared(stage, "fills"):
        store.images.update(out, declared(stage, "fills"))
    if declared(stage, "scores"):
        store.images.write_scores(stage.name, str(stage.version), out,
                                  declared(stage, "scores"))
    run.images += len(out)
    if progress is not None:
        progress(stage.name, run.images)


def _forget_stale(store: Store, stage: Stage, out: pd.DataFrame,
                  readers: Mapping[str, Sequence[str]], run: ImageRun) -> None:
    """Before a batch's outputs are stored: forget the rows of the post stages that read them,
    for the posts showing a picture with a new output (OCR text that is not empty; a score)."""
    outputs = (*declared(stage, "fills"), *declared(stage, "scores"))
    changed: set[str] = set()
    for output in outputs:
        if output not in readers or output not in out:
            continue
        if output == "ocr_text":
            texts = out[output].fillna("").astype(str).str.strip()
            changed |= set(out.loc[texts != "", "sha256"])
        else:
            changed |= set(out["sha256"])
    if not changed:
        return
    posts = store.images.posts_showing(changed)
    stages = sorted({name for output in outputs for name in readers.get(output, ())})
    store.scores.forget(stages, posts)
    run.changed += len(changed)
    run.stale_posts += len(posts)


def _images_todo(store: Store, stage: Stage, batch_size: int) -> Iterator[pd.DataFrame]:
    """Batches of the pictures the stage has not done: those whose ``todo_column`` is empty,
    or, for a stage with only scores, those it has not scored at its version. The keys are
    listed once (a million hashes fit in memory)."""
    todo_column = declared(stage, "todo_column")
    if todo_column is not None:
        keys = store.images.frame(("sha256",), missing=todo_column)["sha256"].tolist()
    else:
        done = store.images.scores_done(stage.name, str(stage.version))
        keys = [k for k in store.images.frame(("sha256",))["sha256"] if k not in done]
    for start in range(0, len(keys), batch_size):
        yield pd.DataFrame({"sha256": keys[start:start + batch_size]})
