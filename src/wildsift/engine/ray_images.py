"""Image stages on Ray: each stage in a pool of Ray actors, batches of pictures streamed to them.

The driver (the ``wildsift sift`` process) still lists the pictures a stage has to do and stores
what comes back (``engine.local.run_images``), so a run on Ray stores the same rows as a local
one and resumes the same way. What changes is where ``stage(batch)`` runs:

- **Actors hold the stage.** It is put in Ray's object store once and each actor unpickles it
  when it starts; stages load their models there (OpenCV's face cascades, the image network on
  the actor's own device: its GPU when ``num_gpus`` gives it one), never on the driver's behalf.
- **Pictures travel as bytes.** A node of a cluster need not see the study's media folder: the
  driver reads each cleaned file (EXIF already stripped at ingest) and the actor writes it to a
  temporary file of its own for the stage, deleted after the batch.
- **Streaming, bounded.** At most two batches per actor are in flight, and outputs come back
  in order; a study's pictures never sit in the object store all at once. Ray core actors
  rather than Ray Data here: a dataset would be built from every batch first (the pictures'
  bytes included), and the stages run one at a time anyway.

The embedding cache of the image model stays on the driver's machine and is not used on Ray
(``ImageModelStage.__getstate__``): actors embed the pictures they get.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd

from wildsift.engine.ray import RayOptions, connect, import_ray
from wildsift.engine.stage import Stage, declared

log = logging.getLogger(__name__)
BYTES = "__wildsift_image_bytes"  # the column that carries each picture's file
SUFFIX = "__wildsift_image_suffix"


class ImageStageActor:
    """One image stage inside a Ray actor, with a private folder for the pictures it gets."""

    def __init__(self, stage: Stage):
        self.stage = stage
        self.folder = Path(tempfile.mkdtemp(prefix="wildsift-images-"))

    def run(self, batch: pd.DataFrame) -> pd.DataFrame:
        files = [self.folder / f"{key}{suffix}"
                 for key, suffix in zip(batch["sha256"], batch[SUFFIX])]
        for file, data in zip(files, batch[BYTES]):
            file.write_bytes(data)
        try:
            return self.stage(batch.drop(columns=[BYTES, SUFFIX])
                              .assign(path=[str(file) for file in files]))
        finally:
            for file in files:
                file.unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def with_bytes(batch: pd.DataFrame) -> pd.DataFrame:
    """A batch of pictures with their files' bytes (and suffix) in place of the local paths."""
    paths = [Path(p) for p in batch["path"]]
    return batch.drop(columns=["path"]).assign(**{BYTES: [p.read_bytes() for p in paths],
                                                  SUFFIX: [p.suffix for p in paths]})


def map_on_ray(stage: Stage, batches: Iterator[pd.DataFrame],
               options: RayOptions | None = None) -> Iterator[pd.DataFrame]:
    """``stage`` over ``batches`` in Ray actors (one CPU each, ``options.num_gpus`` GPUs when
    the stage ``uses_gpu`` and the cluster has GPUs); outputs in the order of the batches.
    No actor starts when there is nothing to do."""
    options = options or RayOptions()
    ray = import_ray()
    first = next(batches, None)
    if first is None:
        return
    connect(ray, options.address)
    resources = ray.cluster_resources()
    size = options.concurrency or max(1, int(resources.get("CPU", 1)))
    gpus = ((options.num_gpus if options.num_gpus is not None else 1.0)
            if declared(stage, "uses_gpu") and resources.get("GPU", 0) > 0 else 0)
    if gpus:  # no more actors than the GPUs can hold: one that never starts would get batches
        size = max(1, min(size, int(resources["GPU"] / gpus)))
    actor_class = ray.remote(num_cpus=1, num_gpus=gpus)(ImageStageActor)
    stage_ref = ray.put(stage)  # pickled once; each actor unpickles (and loads) its own
    actors: list[Any] = []
    in_flight: deque[Any] = deque()
    try:
        for i, batch in enumerate(chain([first], batches)):
            if len(actors) < size:  # one more actor per batch, up to the pool's size
                actors.append(actor_class.remote(stage_ref))
            in_flight.append(actors[i % len(actors)].run.remote(with_bytes(batch)))
            if len(in_flight) >= 2 * len(actors):
                yield ray.get(in_flight.popleft())
        while in_flight:
            yield ray.get(in_flight.popleft())
    finally:
        for actor in actors:
            try:
                ray.get(actor.close.remote())
            except Exception as error:  # noqa: BLE001 - a dead actor has nothing left to clean
                log.debug("image actor already gone: %s", error)
            ray.kill(actor)

