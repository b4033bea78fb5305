"""Image stages: stages over distinct pictures (by sha256), not posts.

They follow the one stage contract (``engine/stage.py``) with ``over = "images"``: a stage is a
callable from a batch of pictures to columns::

    batch: DataFrame with ``sha256`` and ``path`` (the cleaned file under the study's media/)
    ->     DataFrame with ``sha256`` and the stage's ``fills`` and ``scores`` columns

``fills`` are columns of the ``images`` table (phash, ocr_text, faces ...); ``scores`` are
per-image model outputs stored in ``image_scores`` with the stage's name and version. The engine
runs a stage only on pictures that still need it (``todo_column`` empty, or, for a stage with
only scores, not scored at its version), so a reused photo is processed once
(:func:`wildsift.engine.local.run_images`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from wildsift.engine.choice import EngineChoice, image_mapper
from wildsift.engine.local import ImageRun, run_images
from wildsift.engine.stage import Stage


def run_image_stages(study, stages: Sequence[Stage], *, batch_size: int = 64,
                     progress: Callable[[str, int], None] | None = None,
                     readers: Mapping[str, Sequence[str]] | None = None,
                     engine: EngineChoice | None = None) -> list[ImageRun]:
    """Link the study's downloaded media to images, then run each stage on the pictures that
    need it (``readers``: see :func:`~wildsift.engine.local.image_readers`), here or, with a
    Ray ``engine``, in Ray actors."""
    study.store.images.link_media()
    return run_images(study.store, stages, study.media_dir, readers=readers,
                      batch_size=batch_size, progress=progress,
                      map_images=image_mapper(engine))
