"""Helpers for the sift tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import pytest

from wildsift.engine.local import RunCounts, run_local


class TextSays:
    """A stand-in for the relevance stage that says what a test wants of each post: its
    ``(relevance, relevant)`` by post pk (0.0 / 0 for posts not named)."""

    name, version = "relevance", "text-says"
    reads: tuple[str, ...] = ()
    adds = ("text_relevance", "text_relevant", "text_relevance_method")
    stores: tuple[str, ...] = ()

    def __init__(self, said: Mapping[int, tuple[float, int]], method: str = "rules"):
        self.said, self.method = dict(said), method

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        said = [self.said.get(int(pk), (0.0, 0)) for pk in batch["pk"]]
        return batch.assign(text_relevance=[s[0] for s in said],
                            text_relevant=[s[1] for s in said],
                            text_relevance_method=self.method)


@pytest.fixture
def fuse() -> Callable[..., RunCounts]:
    """``fuse(study, stage, said)``: one pass of the engine with the text decisions ``said``
    (see :class:`TextSays`) and the fusion ``stage``, as ``wildsift sift`` runs it."""

    def run(study, stage, said: Mapping[int, tuple[float, int]]) -> RunCounts:
        return run_local(study.store, [TextSays(said), stage], select_by=[stage], workers=1,
                         progress=False, columns=("pk",))

    return run
