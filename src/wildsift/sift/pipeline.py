"""The default sift pipeline of a study: language -> lexicon -> task heads -> relevance ->
location (of the posts relevance keeps), stored as it goes, in one pass over the posts that any
of these stages still has to do at its version (a new model of one head reruns the chain on
every post, and only the heads' rows are written again).

With ``images=True`` (``wildsift sift``; ``--no-images`` skips it) the image stages run FIRST
(``sift/image_pipeline.py``: link, video frames, phash, faces, OCR, image model), so relevance
sees each post's OCR text and image score when it scores it; posts it had scored before their
images' outputs existed are rescored; then fusion (text + OCR + image) decides per post."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from wildsift.engine.choice import EngineChoice, post_runner  # [engine] (issue 11 item 4)
from wildsift.engine.local import POST_COLUMNS, stored_fields
from wildsift.lexicon import Lexicon
from wildsift.sift.image_pipeline import (
    fuse,
    image_columns,
    rescore_posts,
    run_image_pipeline,
    stale_posts,
)
from wildsift.sift.stages.heads import TaskHeadsStage
from wildsift.sift.stages.langid import LanguageStage
from wildsift.sift.stages.lexicon_match import LexiconStage, matches_frame
from wildsift.sift.stages.location import GEO_COLUMNS, LocationStage
from wildsift.sift.stages.ocr import with_ocr_text
from wildsift.sift.stages.relevance import RelevanceStage
from wildsift.store.runs import stale_posts as posts_to_do
from wildsift.study import Study

# posts columns stages may read
STORED_FIELDS = ("author_description", "hashtags", *GEO_COLUMNS)


def default_stages(study: Study, lexicon: Any | None = None) -> list:
    """The study's stages, in order; relevance uses the latest trained model, else the rules;
    so do the task heads (intent, origin, scam); location comes after the decision it reads.

    The language model loads in a thread meanwhile (its LZMA and zip inflation release the
    GIL, so it mostly overlaps the lexicon's YAML); the thread ends before this returns, so
    no thread is alive when the engine forks its workers."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wildsift-langid") as loader:
        language = loader.submit(LanguageStage, study.settings.study.languages)
        others = [
            LexiconStage(lexicon if lexicon is not None else Lexicon.for_study(study)),
            TaskHeadsStage.for_study(study),
            RelevanceStage.for_models_dir(study.models_dir, study.settings.sift.threshold),
            LocationStage(),
        ]
        return [language.result(), *others]


def sift_study(study: Study, *, batch_size: int | None = None, progress: bool = True,
               stages: list | None = None, workers: int | None = None,
               images: bool = False,
               image_progress: Callable[[str, int], None] | None = None,
               engine: EngineChoice | None = None) -> dict[str, Any]:
    """Score the posts a stage of the chain has still to do; returns what was done.

    Re-running scores nothing new unless a new model or stage version exists (then the posts
    it has not done are scored again). ``workers``: scoring processes (default one per CPU,
    1 = this process). Keys: posts, batches, largest_batch, method, model_version, relevant,
    threshold, heads (posts the task heads scored: a new head model rescores them all);
    with ``images``: images (:class:`~wildsift.sift.image_pipeline.ImagePipelineRun`),
    rescored (posts rescored because their images' OCR text or score appeared), relevant_rescored,
    fusion (``fuse_study``'s counts, or None). ``engine``: where the post stages run (default
    local; ``ray``: engine/ray.py); image stages, rescoring and fusion run here either way.
    """
    image_run = run_image_pipeline(study, progress=image_progress) if images else None
    stages = stages if stages is not None else default_stages(study)
    relevance = next((s for s in stages if isinstance(s, RelevanceStage)), stages[-1])
    store = study.store
    relevant = 0

    def store_matches(batch) -> None:
        nonlocal relevant
        if "lexicon_matches" in batch:
            store.matches.replace(matches_frame(batch), pks=batch["pk"])
        if "relevant" in batch:
            relevant += int(batch["relevant"].sum())

    # post fields a stage reads when present (the text model's profile description, hashtags,
    # the geo columns of the location stage)
    extra = tuple(dict.fromkeys(c for stage in stages for c in getattr(stage, "optional_reads", ())
                                if c in STORED_FIELDS and c not in POST_COLUMNS))
    # the OCR text of the posts' images, when a stage reads it (from images.ocr_text)
    reads_ocr = any("ocr_text" in getattr(stage, "optional_reads", ()) for stage in stages)
    prepare = (lambda batch: with_ocr_text(store, batch)) if reads_ocr else None
    stale: list[int] = []
    if image_run is not None and image_run.has_images:
        prepare = image_columns(study)  # ocr_text and image_score of each post's images
        if getattr(relevance, "model", True) is not None:  # the rules read no image output
            stale = stale_posts(study, relevance, image_run.changed)  # before this pass
    heads = next((stage for stage in stages if isinstance(stage, TaskHeadsStage)), None)
    heads_todo = posts_to_do(store.engine, heads.name, heads.version) if heads is not None else 0
    # One pass over the posts any stage of the chain still has to do at its version (a new
    # relevance or head model, a new location version for kept posts); each stage stores only
    # the posts it has not done (engine/local.py: pending_of, _write_batch).
    run_posts = post_runner(engine)  # [engine]: run_local, or run_ray (the same signature)
    counts = run_posts(store, stages, select_by=[s for s in stages if stored_fields(s)],
                       columns=POST_COLUMNS + extra,
                       batch_size=batch_size or study.settings.sift.batch_size,
                       progress=progress, after_batch=store_matches, workers=workers,
                       prepare_batch=prepare)
    relevant_rescored = rescore_posts(
        study, stages, stale, columns=POST_COLUMNS + extra, prepare=prepare,
        batch_size=batch_size or study.settings.sift.batch_size) if stale else 0
    headed = min(heads_todo, counts.posts)
    fusion = fuse(study) if image_run is not None and image_run.has_images else None
    return {"heads": headed, "posts": counts.posts, "batches": counts.batches,
            "images": image_run, "rescored": len(stale), "relevant_rescored": relevant_rescored,
            "fusion": fusion,
            "largest_batch": counts.largest_batch,
            "method": getattr(relevance, "method", relevance.version),
            "model_version": relevance.version, "relevant": relevant,
            "threshold": float(getattr(relevance, "threshold", 0.5))}
