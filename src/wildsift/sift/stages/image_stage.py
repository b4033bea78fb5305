"""Image stages: like text stages, but over distinct images (by sha256), not posts.

An image stage is a callable from a batch of images to columns::

    batch: DataFrame with ``sha256`` and ``path`` (the cleaned file under the study's media/)
    ->     DataFrame with ``sha256`` and the stage's ``fills`` and ``scores`` columns

``fills`` are columns of the ``images`` table (phash, ocr_text, faces ...); ``scores`` are
per-image model outputs stored in ``image_scores`` with the stage's name and version. A stage
runs only on images that still need it: those whose ``todo_column`` is empty, or, for a stage
with only scores, those it has not scored in this version. A reused photo is processed once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import pandas as pd

from wildsift.privacy.media import MediaStore


@runtime_checkable
class ImageStage(Protocol):
    name: str
    version: str
    fills: tuple[str, ...]
    scores: tuple[str, ...]
    todo_column: str | None

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame: ...


@dataclass
class ImageRun:
    """What one image stage did."""

    stage: str
    version: str
    images: int = 0
    missing_files: int = 0


def run_image_stages(study, stages: Sequence[ImageStage], *, batch_size: int = 64,
                     progress: Callable[[str, int], None] | None = None) -> list[ImageRun]:
    """Link downloaded media to images, then run each stage on the images that need it."""
    store = study.store
    store.images.link_media()
    media = MediaStore(study.media_dir)
    runs = []
    for stage in stages:
        run = ImageRun(stage.name, stage.version)
        for batch in _todo(store, stage, batch_size):
            paths = [media.find(key) for key in batch["sha256"]]
            run.missing_files += sum(path is None for path in paths)
            batch = batch.assign(path=paths)
            batch = batch[batch["path"].notna()]
            if batch.empty:
                continue
            out = stage(batch.reset_index(drop=True))
            if stage.fills:
                store.images.update(out, stage.fills)
            if stage.scores:
                store.images.write_scores(stage.name, stage.version, out, stage.scores)
            run.images += len(out)
            if progress is not None:
                progress(stage.name, run.images)
        runs.append(run)
    return runs


def _todo(store, stage: ImageStage, batch_size: int):
    """Batches of the images the stage has not done. The keys are listed once (a million
    hashes fit in memory); each batch is stored before the next, so an interrupted run
    resumes with what is left."""
    if stage.todo_column is not None:
        keys = store.images.frame(("sha256",), missing=stage.todo_column)["sha256"].tolist()
    else:
        done = store.images.scores_done(stage.name, stage.version)
        keys = [k for k in store.images.frame(("sha256",))["sha256"] if k not in done]
    for start in range(0, len(keys), batch_size):
        yield pd.DataFrame({"sha256": keys[start:start + batch_size]})
