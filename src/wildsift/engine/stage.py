"""The stage contract: a function from a batch (pandas DataFrame) to the same batch with columns added.

One contract for every stage, whatever it runs over. A stage declares its name and version
(stored with everything it makes), what it reads and what it adds, so a plan can be checked when
it is built; stages know nothing of the store: the same object runs in-process here and inside
Ray Data ``map_batches``. Besides the required attributes of :class:`Stage`, a stage may declare
(:data:`OPTIONAL`, read with :func:`declared`, which gives the default when it does not):

- ``over``: ``"posts"`` (a batch of posts) or ``"images"`` (a batch of distinct pictures, with
  ``sha256`` and ``path``);
- ``optional_reads``: columns used when present (a post's OCR text, profile, hashtags);
- ``stores``: the added columns kept as scores (default: all it adds); ``defaults``: their usual
  values, kept once per version;
- ``keeps_only``: a decision column: the stage stores only the posts it keeps (location);
- ``matches``: a column of what it found, kept in the matches table (the lexicon);
- images: ``fills`` (columns of the images table it fills), ``scores`` (per-image outputs) and
  ``todo_column`` (the images column whose emptiness says a picture is still to do; None: the
  pictures it has not scored at its version); an image stage may read ``languages`` (of the
  posts showing each picture, served by the store) and may return an ``error`` column (why a
  picture could not be read), which the engine counts and does not store, so a stage keeps no
  tally of its own and runs the same in a Ray actor;
- ``uses_gpu``: the Ray engine asks for a GPU per actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from wildsift.errors import ConfigError


@runtime_checkable
class Stage(Protocol):
    name: str
    version: str
    reads: tuple[str, ...]
    adds: tuple[str, ...]

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame: ...


OPTIONAL: dict[str, Any] = {"over": "posts", "optional_reads": (), "stores": None,
                            "defaults": None, "keeps_only": None, "matches": None,
                            "fills": (), "scores": (), "todo_column": None, "uses_gpu": False}


def declared(stage: Stage, name: str) -> Any:
    """The stage's optional declaration ``name`` (:data:`OPTIONAL`), or its default; ``stores``
    defaults to everything the stage adds."""
    value = getattr(stage, name, OPTIONAL[name])
    if name == "stores" and value is None:
        return tuple(stage.adds)
    return value


def check_pipeline(stages: Sequence[Stage], available: Sequence[str]) -> None:
    """Fail early, naming the stage, when a stage reads a column nothing before it provides."""
    have = set(available)
    for stage in stages:
        missing = [col for col in stage.reads if col not in have]
        if missing:
            raise ConfigError(
                f"stage '{stage.name}' reads {missing}, which neither the posts nor an earlier "
                f"stage provide (available: {sorted(have)})"
            )
        have.update(stage.adds)


def run_stages(stages: Sequence[Stage], batch: pd.DataFrame) -> pd.DataFrame:
    for stage in stages:
        batch = stage(batch)
    return batch
