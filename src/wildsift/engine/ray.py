"""The Ray Data engine: the same post stages as the local engine, as ``map_batches`` on Ray.

What runs where (docs/scaling.md):

- **The driver** (the ``wildsift sift`` process) reads the posts the selecting stage has not
  scored, in batches, with the columns the plan declares (and the image-derived ones, such as
  ``ocr_text``, which the store serves: ``engine.local.read_batches``); it hands them
  to Ray, then writes each scored batch back through the local engine's own writer, so the
  stored rows are the same and a rerun writes nothing new (posts already scored at the stage's
  version are not read again).
- **Ray actors** hold the stages (:class:`StagesActor`): each actor receives the stages, with
  their loaded models, once when it starts, then scores batch after batch (``map_batches`` with
  an actor pool of ``concurrency`` actors, one CPU each, and ``num_gpus`` each when a stage
  declares ``uses_gpu`` and the cluster has GPUs). Actors never open the store.

Batches reach Ray either through its object store (default: ``ray.put`` per batch) or as Parquet
shards the driver writes to a folder every node can read (``RayOptions.shards``): then the
dataset holds the shards' paths and each actor reads its shard itself (no separate read tasks,
which on a small cluster would wait for CPUs the actors hold). Ray is imported only here and only when used; without it the error
names the extra to install.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from wildsift.engine.local import (
    POST_COLUMNS,
    RunCounts,
    _write_all,
    pending_of,
    read_batches,
    returned_columns,
    score_chunk,
)
from wildsift.store.images import POST_READS
from wildsift.engine.stage import Stage, check_pipeline, declared, run_stages
from wildsift.errors import ConfigError
from wildsift.store import Store

EXTRA = "pip install 'wildsift[ray]'"
CHUNK_COLUMN, ROWS_COLUMN = "__wildsift_score_chunk", "__wildsift_rows"
SHARD = "shard"  # the column of shard paths, when batches go as Parquet files


class RayUnavailable(ConfigError):
    """Ray Data is not installed here."""


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide: ``address`` of a cluster ("auto", "ray://head:10001"; None: start
    or join a local Ray), stage actors (``concurrency``; None: one per CPU of the cluster),
    GPUs per actor for stages that use one (``num_gpus``; None: 1 when the cluster has GPUs),
    and ``shards``: a folder every node can read, to pass batches as Parquet files."""

    address: str | None = None
    concurrency: int | None = None
    num_gpus: float | None = None
    shards: Path | None = None


def import_ray() -> Any:
    """The ``ray`` module with Ray Data, or :class:`RayUnavailable` naming the extra."""
    try:
        import ray
        import ray.data
    except ImportError as error:
        raise RayUnavailable(f"the Ray engine needs Ray Data, which is not installed here: "
                             f"{EXTRA} ({error})") from error
    return ray


def connect(ray: Any, address: str | None) -> None:
    """Join the cluster at ``address`` (or start a local Ray) unless this process already is
    connected; Ray shuts itself down when the process exits."""
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, logging_level=logging.WARNING,
                 configure_logging=True)


class StagesActor:
    """The stages inside one Ray actor: they arrive once, with their models, when the actor
    starts; each call scores one batch and returns its keys and added columns (and, for a
    SQLite store, its encoded score rows, as the local engine's workers do, so the driver merges
    them in one statement)."""

    def __init__(self, stages: Sequence[Stage], encodes: bool, from_shards: bool = False):
        self.stages = list(stages)
        self.encodes = encodes
        self.from_shards = from_shards

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        if self.from_shards:  # a batch of shard paths: the posts are in those files
            batch = _lists_back(pd.concat([pd.read_parquet(path) for path in batch[SHARD]],
                                          ignore_index=True))
        scored = run_stages(self.stages, batch)
        chunk = score_chunk(self.stages, scored) if self.encodes and len(scored) else None
        scored = scored[returned_columns(self.stages, scored)]  # not the text read: less to send
        if chunk is not None:
            scored = scored.assign(**{CHUNK_COLUMN: [chunk] + [None] * (len(scored) - 1),
                                      ROWS_COLUMN: len(scored)})
        return scored


def _lists_back(batch: pd.DataFrame) -> pd.DataFrame:
    """Parquet shards read back with list columns as numpy arrays: lists again, as the store
    reads them (objects passed through Ray's object store come back unchanged)."""
    for name in batch.columns:
        if batch[name].dtype == object and any(isinstance(v, np.ndarray) for v in batch[name]):
            batch[name] = [v.tolist() if isinstance(v, np.ndarray) else v for v in batch[name]]
    return batch


def _unpacked(scored: pd.DataFrame) -> tuple[pd.DataFrame, bytes | None, int]:
    """A scored batch back on the driver: its frame, its encoded score rows when they cover
    exactly these rows (Ray may split a block), else None (the rows are written one by one)."""
    if CHUNK_COLUMN not in scored:
        return scored, None, len(scored)
    rows = scored[ROWS_COLUMN].to_numpy()
    chunks = [c for c in scored[CHUNK_COLUMN] if c is not None]
    whole = len(chunks) == 1 and len(rows) and int(rows[0]) == len(scored)
    frame = scored.drop(columns=[CHUNK_COLUMN, ROWS_COLUMN])
    return frame, chunks[0] if whole else None, len(frame)


def run_ray(store: Store, stages: Sequence[Stage], *, select_by: Stage | Sequence[Stage],
            batch_size: int = 5000, progress: bool = True,
            columns: Sequence[str] = POST_COLUMNS, workers: int | None = None,
            decision: str = "relevant", options: RayOptions | None = None) -> RunCounts:
    """:func:`~wildsift.engine.local.run_local` on Ray: score every post ``select_by`` has not
    scored at its current version, the stages in Ray actors, the writes here. ``workers`` is
    accepted for the same signature; the actor count is ``options.concurrency``."""
    options = options or RayOptions()
    ray = import_ray()  # before reading anything: a missing extra fails at once
    check_pipeline(stages, (*columns, *POST_READS))
    counts = RunCounts()
    total = store.posts.count()
    batches = read_batches(store, stages, columns, pending_of(stages, select_by), batch_size)
    first = next(batches, None)
    if first is None:  # nothing to do: no Ray started
        return counts
    connect(ray, options.address)
    with _data_context(ray, progress):
        dataset = _dataset(ray, _chain(first, batches), options)
        scored = _scored(ray, dataset, stages, store.scores.takes_chunks, options)
        _write_all(store, stages, select_by, (_unpacked(b) for b in scored), counts, total,
                   progress, decision)
    return counts


def _chain(first: pd.DataFrame, rest: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    yield first
    yield from rest


def _dataset(ray: Any, batches: Iterator[pd.DataFrame], options: RayOptions) -> Any:
    """The batches as a Ray dataset: one block per batch in Ray's object store, or Parquet
    shards written under ``options.shards`` (a new folder per run), one row per shard path."""
    if options.shards is None:
        return ray.data.from_pandas_refs([ray.put(batch) for batch in batches])
    Path(options.shards).mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="sift-", dir=options.shards))
    paths = []
    for i, batch in enumerate(batches):
        paths.append(str(folder / f"part-{i:06d}.parquet"))
        batch.to_parquet(paths[-1], index=False)
    return ray.data.from_items([{SHARD: path} for path in paths])


def _scored(ray: Any, dataset: Any, stages: Sequence[Stage], encodes: bool,
            options: RayOptions) -> Iterator[pd.DataFrame]:
    """The scored batches, as the actors finish them (in any order: each write is a whole
    batch and keyed by post, so order does not change what is stored)."""
    resources = ray.cluster_resources()
    concurrency = options.concurrency or max(1, int(resources.get("CPU", 1)))
    wants_gpu = any(declared(stage, "uses_gpu") for stage in stages)
    gpus = (options.num_gpus if options.num_gpus is not None else 1.0) \
        if wants_gpu and resources.get("GPU", 0) > 0 else 0
    shards = options.shards is not None
    mapped = dataset.map_batches(StagesActor, fn_constructor_args=(list(stages), encodes, shards),
                                 batch_size=1 if shards else None, batch_format="pandas",
                                 zero_copy_batch=False,
                                 concurrency=concurrency, num_cpus=1, num_gpus=gpus or None)
    yield from mapped.iter_batches(batch_size=None, batch_format="pandas")


class _data_context:
    """Ray Data settings for one run, restored after it: pandas batches stay pandas blocks
    (no Arrow round trip that would turn lists into arrays or change dtypes), and Ray's own
    progress bars stay off (the driver shows one)."""

    SETTINGS: ClassVar[dict[str, bool]] = {"batch_to_block_arrow_format": False,
                                           "enable_arrow_backed_pandas_conversion": False,
                                           "enable_progress_bars": False}

    def __init__(self, ray: Any, progress: bool):
        self.context = ray.data.DataContext.get_current()
        self.saved: dict[str, Any] = {}

    def __enter__(self) -> None:
        for name, value in self.SETTINGS.items():
            if hasattr(self.context, name):
                self.saved[name] = getattr(self.context, name)
                setattr(self.context, name, value)

    def __exit__(self, *_exc: object) -> None:
        for name, value in self.saved.items():
            setattr(self.context, name, value)
