"""The local engine: run stages over a store's posts in bounded batches, on this machine.

Memory stays bounded by ``batch_size`` whatever the number of posts (keyset pagination in
``Store.posts.iter``); batches are written in order as they are scored, so an interrupted run
resumes where it stopped: posts already scored by the selecting stage are not read again.

With ``workers > 1`` the stages run in a pool of worker processes (one per core by default; the
stages reach each worker once, through its initializer) while this process reads posts and
writes scores; at most ``workers + 1`` batches are in flight, so memory stays bounded. With a
SQLite store each worker also encodes its batch's score rows (``encode_scores``), so this
process, the single writer, merges them in one statement instead of binding every row.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wildsift.engine.stage import Stage, check_pipeline, run_stages
from wildsift.engine.workers import guarded
from wildsift.store import Store
from wildsift.store.posts import Pending
from wildsift.store.scores import encode_scores

POST_COLUMNS = ("pk", "platform", "post_id", "text", "lang")


@dataclass(slots=True)
class RunCounts:
    """What a run did: posts scored and batches written."""

    posts: int = 0
    batches: int = 0
    largest_batch: int = 0


def stored_fields(stage: Stage) -> tuple[str, ...]:
    """The fields of a stage that go to the scores table (``stores``, else all it adds)."""
    return tuple(getattr(stage, "stores", stage.adds))


def stored_defaults(stage: Stage) -> dict[str, object]:
    """The usual values of a stage's stored fields (its ``defaults``: the method that decided,
    an empty cue list), which the store keeps once per version instead of once per post."""
    fields = set(stored_fields(stage))
    return {f: v for f, v in dict(getattr(stage, "defaults", None) or {}).items() if f in fields}


def kept_rows(stage: Stage, scored: pd.DataFrame) -> pd.DataFrame:
    """The rows of a scored batch whose outputs ``stage`` stores: all of them, or for a stage
    that ``keeps_only`` a decision column (the location of kept posts), the posts it keeps."""
    column = getattr(stage, "keeps_only", None)
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
        column = getattr(stage, "keeps_only", None)
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


def run_local(store: Store, stages: Sequence[Stage], *,
              select_by: Stage | Sequence[Stage], batch_size: int = 5000,
              progress: bool = True, after_batch: Callable[[pd.DataFrame], None] | None = None,
              columns: Sequence[str] = POST_COLUMNS, workers: int | None = None,
              prepare_batch: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> RunCounts:
    """Score every post a ``select_by`` stage (one, or several: the whole chain) has still to
    do at its current version (:func:`pending_of`); each stage stores only what it has not.

    Each stage's stored fields are written with ``Store.scores.write(stage.name, stage.version,
    ...)``; ``after_batch`` gets each scored batch's keys and added columns (for extra outputs
    such as matches).
    ``workers``: scoring processes (default: one per CPU; 1 scores in this process, as does a
    run of a single batch). ``prepare_batch``: adds columns to each batch read, in this
    process, before the stages see it (e.g. the posts' OCR text from their images).
    """
    check_pipeline(stages, columns)
    counts = RunCounts()
    workers = default_workers() if workers is None else max(1, int(workers))
    total = store.posts.count()
    batches = store.posts.iter(columns, batch_size=batch_size,
                               unscored_by=pending_of(stages, select_by))
    if prepare_batch is not None:
        batches = (prepare_batch(batch) for batch in batches)
    pool = (_start_pool(stages, workers, encodes=store.scores.takes_chunks)
            if workers > 1 and total > batch_size else None)
    try:
        scored_batches = (_scored_in_pool(pool, batches, workers) if pool is not None
                          else _scored_in_process(stages, batches))
        _write_all(store, stages, select_by, scored_batches, counts, total, progress, after_batch)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return counts


def _write_all(store: Store, stages: Sequence[Stage], select_by: Stage | Sequence[Stage],
               scored_batches: Iterator[Scored], counts: RunCounts, total: int,
               progress: bool, after_batch: Callable[[pd.DataFrame], None] | None) -> None:
    """Store each scored batch (and call after_batch), updating counts and the progress bar."""
    with Progress(TextColumn("[bold]sift"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), disable=not progress, transient=False) as bar:
        task = bar.add_task("sift", total=total)
        for scored, chunk, size in scored_batches:
            if after_batch is not None:
                after_batch(scored)
            _write_batch(store, stages, select_by, scored, chunk)
            counts.posts += size
            counts.batches += 1
            counts.largest_batch = max(counts.largest_batch, size)
            bar.advance(task, size)


def _write_batch(store: Store, stages: Sequence[Stage], select_by: Stage | Sequence[Stage],
                 scored: pd.DataFrame, chunk: bytes | None) -> None:
    """Each stage's stored fields of a scored batch, except posts the stage has already scored
    at its version (a lone selecting stage has none: it chose the batch); the worker's encoded
    chunk when nothing is to be left out (the usual case), else row by row."""
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
