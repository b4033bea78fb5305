"""Record a run of a plan in the store's ``runs`` table: when, which stages at which versions,
what each did (from the stale counts before and after, so every count is the store's own), and
what was unavailable and why. The report reads this, not the machine that builds it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from wildsift.engine.plan import Plan
from wildsift.store.rows import now
from wildsift.store.runs import RunRecord, StageCount, Unavailable, total

T = TypeVar("T")


def run_recorded(store: Any, plan: Plan, execute: Callable[[], T], *,
                 command: str = "sift",
                 unavailable: Callable[[T], list[Unavailable]] | None = None
                 ) -> tuple[T, RunRecord]:
    """Call ``execute`` (which runs the plan) and store what it did as one run.

    ``unavailable(result)``: more of what could not run, known only once the run is over
    (kept once per ``what``). A run that raises is not recorded: what it committed shows as
    fewer stale items next time."""
    started = now()
    overs = ("posts", "images")
    size_before = {over: total(store.engine, over) for over in overs}
    before, done_before = plan.stale(store), plan.done(store)
    result = execute()
    after, done_after = plan.stale(store), plan.done(store)
    grown = {over: total(store.engine, over) - size_before[over] for over in overs}
    stages = []
    for step in plan.stages:
        size = size_before[step.over] + grown[step.over]
        if step.name in done_before:  # kept posts only: they become due during the run
            scored = max(0, done_after[step.name] - done_before[step.name])
            skipped = max(0, size - scored - after[step.name])
        else:  # images linked during the run were stale when it began, though not counted then
            scored = max(0, before[step.name] + grown[step.over] - after[step.name])
            skipped = max(0, size_before[step.over] - before[step.name])
        stages.append(StageCount(step.name, step.over, step.version, scored=scored,
                                 skipped=skipped, left=after[step.name]))
    missing = {item.what: item for item in plan.unavailable}
    for item in unavailable(result) if unavailable is not None else []:
        missing.setdefault(item.what, item)
    record = RunRecord(command=command, started_at=started, finished_at=now(), stages=stages,
                       unavailable=list(missing.values()))
    store.runs.add(record)
    return result, record
