"""The plan of ``wildsift sift`` for a study: which stages run, in which order, over what.

Image stages first (over distinct images: phash, faces, OCR, image model), then the post stages
(language, lexicon, task heads, relevance), then fusion, which decides per post from the text
and image evidence. Sift builds the plan; the CLI hands it to the engine (``engine/plan.py``),
which validates it, explains it and records each run, without importing any stage.
"""

from __future__ import annotations

from typing import Any

from wildsift.engine.plan import Plan, PlannedStage
from wildsift.engine.runs import run_recorded
from wildsift.store.runs import Unavailable
from wildsift.store.posts import POST_COLUMNS

# what the store serves to post stages besides the posts' own columns: their images' outputs
IMAGE_DERIVED = ("ocr_text", "image_score", "n_images")


def plan_for_study(study: Any, *, images: bool = True, stages: list | None = None,
                   images_why: str | None = None) -> Plan:
    """The study's plan. ``images``: include the image stages and fusion (``--no-images`` or
    ``[images] enabled = false`` leave them out, said in ``unavailable`` with ``images_why``).
    ``stages``: the post stages, default :func:`~wildsift.sift.pipeline.default_stages`."""
    from wildsift.sift.pipeline import default_stages

    steps: list[PlannedStage] = []
    unavailable: list[Unavailable] = []
    if images:
        from wildsift.sift.image_pipeline import build_image_stages

        image_stages, notes = build_image_stages(study)
        steps += [PlannedStage.of(stage, "images") for stage in image_stages]
        unavailable += [Unavailable(note.stage, note.note) for note in notes]
    else:
        unavailable.append(Unavailable("image stages", images_why or "not asked for"))
    post_stages = stages if stages is not None else default_stages(study)
    steps += [PlannedStage.of(stage) for stage in post_stages]
    if images:
        from wildsift.sift.stages.fusion import FusionStage

        steps.append(PlannedStage.of(FusionStage.for_models_dir(study.models_dir)))
    plan = Plan(steps, stored_posts=(*POST_COLUMNS, *IMAGE_DERIVED), unavailable=unavailable)
    return plan.validate()


def text_stages(plan: Plan) -> list:
    """The post stages the text pass runs (every post stage but fusion, which runs after)."""
    return [step.stage for step in plan.over("posts") if step.name != "fusion"]


def image_notes(result: dict[str, Any]) -> list[Unavailable]:
    """The image steps a sift could not do (video frames, no images linked, a package
    missing), and why: known only once it ran."""
    image_run = result.get("images")
    steps = image_run.steps if image_run is not None else []
    return [Unavailable(step.stage, step.note) for step in steps if not step.ran]


def sift_recorded(study: Any, plan: Plan, *, images: bool, **options: Any) -> dict[str, Any]:
    """Run ``plan`` (:func:`~wildsift.sift.pipeline.sift_study` with the plan's post stages)
    and record the run in the store's ``runs`` table; returns what ``sift_study`` returns."""
    from wildsift.sift.pipeline import sift_study

    result, _ = run_recorded(
        study.store, plan, unavailable=image_notes,
        execute=lambda: sift_study(study, stages=text_stages(plan), images=images, **options))
    return result
