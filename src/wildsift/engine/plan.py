"""A plan: the ordered stages of a study, each with what it runs over, reads, adds and stores.

``sift`` builds the plan for a study (``sift/plan.py``), the CLI hands it to the engine; the
engine imports no stage. :meth:`Plan.validate` fails early, naming the stage and the column,
when a stage reads what neither the store nor an earlier stage provides (in the spirit of
spaCy's ``analyze_pipes``); :meth:`Plan.explain` says, per stage, how many posts or images it
has still to do at its version, from the store alone (``wildsift sift --explain``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from wildsift.engine.stage import declared
from wildsift.errors import ConfigError
from wildsift.store.posts import Pending
from wildsift.store.runs import Unavailable, stale_images, stale_posts

Over = Literal["posts", "images"]


class PlanError(ConfigError):
    """A stage reads a column that nothing before it provides."""


@dataclass(frozen=True)
class PlannedStage:
    """One step of a plan: the stage's declarations, and the stage itself (opaque here)."""

    name: str
    over: Over
    version: str
    reads: tuple[str, ...] = ()
    optional_reads: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    todo_column: str | None = None  # images: the column an image stage fills (None: scores)
    keeps_only: str | None = None  # posts: the decision column whose kept posts it does
    stage: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, stage: Any) -> PlannedStage:
        """From a stage object's declarations (``engine/stage.py``: an image stage adds its
        ``fills`` and ``scores``)."""
        over = declared(stage, "over")
        adds = tuple(stage.adds)
        stores = (*declared(stage, "fills"), *declared(stage, "scores")) if over == "images" \
            else tuple(declared(stage, "stores"))
        return cls(name=stage.name, over=over, version=str(stage.version),
                   reads=tuple(stage.reads),
                   optional_reads=tuple(declared(stage, "optional_reads")),
                   adds=adds, stores=stores, todo_column=declared(stage, "todo_column"),
                   keeps_only=declared(stage, "keeps_only"), stage=stage)


@dataclass(frozen=True)
class ExplainRow:
    stage: str
    over: Over
    reads: tuple[str, ...]
    adds: tuple[str, ...]
    version: str
    stale: int


@dataclass
class Plan:
    """The stages of a study in order, the columns the store serves to them, and what could
    not be planned on this machine (a missing package or program, a setting turned off)."""

    stages: list[PlannedStage]
    stored_posts: tuple[str, ...] = ()  # post columns (and image-derived ones) the store serves
    stored_images: tuple[str, ...] = ("sha256", "path")
    unavailable: list[Unavailable] = field(default_factory=list)

    def validate(self) -> Plan:
        """Raise :class:`PlanError` naming the first stage that reads an unprovided column."""
        have = {"posts": set(self.stored_posts), "images": set(self.stored_images)}
        for step in self.stages:
            missing = [col for col in step.reads if col not in have[step.over]]
            if missing:
                raise PlanError(
                    f"stage '{step.name}' ({step.over}) reads {missing}, which neither the "
                    f"store nor an earlier stage provides (available: "
                    f"{sorted(have[step.over])}); put the stage that adds it first")
            have[step.over].update(step.adds)
        return self

    def over(self, over: Over) -> list[PlannedStage]:
        return [step for step in self.stages if step.over == over]

    def stage_objects(self, over: Over) -> list[Any]:
        return [step.stage for step in self.over(over)]

    def stale(self, store: Any) -> dict[str, int]:
        """Per stage: posts (or images) it has not yet done at its version (a stage that
        keeps only a decision's posts: the kept posts it has not done)."""
        out: dict[str, int] = {}
        for i, step in enumerate(self.stages):
            if step.over == "images":
                out[step.name] = stale_images(store.engine, step.name, step.version,
                                              step.todo_column)
            elif step.keeps_only:
                decider = next((other for other in reversed(self.stages[:i])
                                if other.over == "posts" and step.keeps_only in other.adds),
                               None)
                kept_by = (decider.name, decider.version, step.keeps_only) if decider else None
                out[step.name] = store.posts.count_pending(
                    [Pending(step.name, step.version, kept_by)])
            else:
                out[step.name] = stale_posts(store.engine, step.name, step.version)
        return out

    def done(self, store: Any) -> dict[str, int]:
        """Per post stage that keeps only a decision's posts: posts with its rows at its
        version (its stale count cannot show the kept posts it found and did in one run)."""
        posts = store.posts.count()
        return {step.name: posts - stale_posts(store.engine, step.name, step.version)
                for step in self.stages if step.over == "posts" and step.keeps_only}

    def explain(self, store: Any) -> list[ExplainRow]:
        """One row per stage: name, over, reads (required, then optional in brackets), adds,
        version, stale count. Reads the store; runs nothing."""
        stale = self.stale(store)
        return [ExplainRow(step.name, step.over,
                           (*step.reads, *(f"[{c}]" for c in step.optional_reads)),
                           step.adds, step.version, stale[step.name])
                for step in self.stages]
