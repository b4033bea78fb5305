"""The local engine: run stages over a store's posts in bounded batches, in this process.

Memory stays bounded by ``batch_size`` whatever the number of posts (keyset pagination in
``Store.iter_posts``); each batch is written before the next is read, so an interrupted run
resumes where it stopped: posts already scored by the selecting stage are not read again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wildsift.engine.stage import Stage, check_pipeline, run_stages
from wildsift.store import Store

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


def run_local(store: Store, stages: Sequence[Stage], *, select_by: Stage, batch_size: int = 5000,
              progress: bool = True, after_batch: Callable[[pd.DataFrame], None] | None = None,
              columns: Sequence[str] = POST_COLUMNS) -> RunCounts:
    """Score every post ``select_by`` has not scored at its current version.

    Each stage's stored fields are written with ``Store.write_scores(stage.name, stage.version,
    ...)``; ``after_batch`` gets the fully scored batch (for extra outputs such as matches).
    """
    check_pipeline(stages, columns)
    counts = RunCounts()
    batches = store.iter_posts(columns, batch_size=batch_size,
                               unscored_by=(select_by.name, select_by.version))
    with Progress(TextColumn("[bold]sift"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), disable=not progress, transient=False) as bar:
        task = bar.add_task("sift", total=store.count_posts())
        for batch in batches:
            scored = run_stages(stages, batch)
            if after_batch is not None:
                after_batch(scored)
            for stage in stages:
                fields = stored_fields(stage)
                if not fields:
                    continue
                rows = scored
                if stage is not select_by:  # earlier stages may have scored these already
                    done = store.scored_pks(stage.name, stage.version, scored["pk"])
                    rows = scored[~scored["pk"].isin(done)]
                if len(rows):
                    store.write_scores(stage.name, stage.version, rows, fields)
            counts.posts += len(batch)
            counts.batches += 1
            counts.largest_batch = max(counts.largest_batch, len(batch))
            bar.advance(task, len(batch))
    return counts
