"""The stage contract: a function from a batch (pandas DataFrame) to the same batch with columns added.

A stage declares what it reads and what it adds, so a pipeline can be checked when it is built,
and carries a name and version that are stored with every score it makes. Stages know nothing of
the store: the same object runs in-process here and inside Ray Data ``map_batches``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import pandas as pd

from wildsift.errors import ConfigError


@runtime_checkable
class Stage(Protocol):
    name: str
    version: str
    reads: tuple[str, ...]
    adds: tuple[str, ...]

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame: ...


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
