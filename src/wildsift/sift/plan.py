"""The plan of ``wildsift sift`` for a study: which stages run, in which order, over what.

Image stages first (over distinct images: phash, faces, OCR, image model), then the post stages
(language, lexicon, task heads, relevance, fusion, which decides per post from the text and
image evidence, and location). Sift builds the plan; the engine validates it, explains it
(``engine/plan.py``), runs it (``engine/local.py`` or ``engine/ray.py``) and records each run,
without importing any stage.
"""

from __future__ import annotations

from typing import Any

from wildsift.engine.plan import Plan, PlannedStage
from wildsift.engine.runs import run_recorded
from wildsift.store.images import POST_READS
from wildsift.store.posts import POST_COLUMNS
from wildsift.store.runs import Unavailable


def plan_for_study(study: Any, *, images: bool = True, stages: list | None = None,
                   images_why: str | None = None) -> Plan:
    """The study's plan. ``images``: include the image stages and fusion (``--no-images`` or
    ``[images] enabled = false`` leave them out, said in ``unavailable`` with ``images_why``).
    ``stages``: the post stages, default :func:`~wildsift.sift.pipeline.default_stages` (with
    fusion when the image stages are planned)."""
    from wildsift.sift.pipeline import default_stages

    steps: list[PlannedStage] = []
    unavailable: list[Unavailable] = []
    if images:
        from wildsift.sift.image_pipeline import build_image_stages

        image_stages, notes = build_image_stages(study)
        steps += [PlannedStage.of(stage) for stage in image_stages]
        unavailable += [Unavailable(note.stage, note.note) for note in notes]
    else:
        unavailable.append(Unavailable("image stages", images_why or "not asked for"))
    post_stages = stages if stages is not None else default_stages(study, fusion=images)
    steps += [PlannedStage.of(stage) for stage in post_stages]
    plan = Plan(steps, stored_posts=(*POST_COLUMNS, *POST_READS), unavailable=unavailable)
    return plan.validate()


def image_notes(result: Any) -> list[Unavailable]:
    """The image steps a sift could not do (video frames, no images linked, a package
    missing), and why: known only once it ran."""
    steps = result.images.steps if result.images is not None else []
    return [Unavailable(step.stage, step.note) for step in steps if not step.ran]


def sift_recorded(study: Any, plan: Plan, *, images: bool, **options: Any) -> Any:
    """Run ``plan`` (:func:`~wildsift.sift.pipeline.sift_study` with the plan's stages) and
    record the run in the store's ``runs`` table; returns its
    :class:`~wildsift.sift.pipeline.SiftRun`."""
    from wildsift.sift.image_pipeline import StageNote
    from wildsift.sift.pipeline import sift_study

    planned = [StageNote(item.what, False, note=item.why) for item in plan.unavailable]
    result, _ = run_recorded(
        study.store, plan, unavailable=image_notes,
        execute=lambda: sift_study(study, stages=plan.stage_objects("posts"), images=images,
                                   image_stages=plan.stage_objects("images") if images else None,
                                   image_notes=planned if images else (), **options))
    return result
