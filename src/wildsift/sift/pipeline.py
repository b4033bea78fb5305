"""The default sift pipeline of a study, in one plan run by one engine: the image stages
(``--no-images`` skips them: link, video frames, phash, faces, OCR, image model) over distinct
pictures, then the post stages language -> lexicon -> task heads -> relevance -> fusion ->
location (of the posts the decision keeps), in one pass over the posts that any of these stages
still has to do at its version (a new model of one head reruns the chain on every post, and only
the heads' rows are written again).

Relevance and fusion read each post's OCR text and image score as declared reads the store
serves; a picture that gets OCR text or a score makes them stale for the posts showing it
(``sift/image_pipeline.py``), so the same pass scores those posts again. Fusion decides per post
(``relevant``), and location locates the posts that decision keeps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from wildsift.engine.choice import EngineChoice, post_runner  # [engine] (issue 11 item 4)
from wildsift.engine.local import POST_COLUMNS, image_readers, stored_fields
from wildsift.engine.stage import declared
from wildsift.lexicon import Lexicon
from wildsift.sift.image_pipeline import ImagePipelineRun, StageNote, run_image_pipeline
from wildsift.sift.stages.fusion import FusionStage
from wildsift.sift.stages.heads import TaskHeadsStage
from wildsift.sift.stages.langid import LanguageStage
from wildsift.sift.stages.lexicon_match import LexiconStage
from wildsift.sift.stages.location import GEO_COLUMNS, LocationStage
from wildsift.sift.stages.relevance import RelevanceStage
from wildsift.store.runs import stale_posts as posts_to_do
from wildsift.study import Study

# posts columns stages may read
STORED_FIELDS = ("author_description", "hashtags", *GEO_COLUMNS)


@dataclass
class SiftRun:
    """What ``sift_study`` did: posts scored (``posts``, in ``batches``, the largest of
    ``largest_batch``), of which ``relevant`` kept by the post's one decision; the relevance
    stage's ``method``, ``model_version`` and ``threshold``; ``heads``: posts the task heads
    scored (a new head model rescores them all); ``images``: what the image stages did (None
    with ``--no-images``); ``fused_by``: fusion's method when fusion ran (posts with pictures)."""

    posts: int
    batches: int
    largest_batch: int
    relevant: int
    method: str
    model_version: str
    threshold: float
    heads: int = 0
    images: ImagePipelineRun | None = None
    fused_by: str | None = None


def default_stages(study: Study, lexicon: Any | None = None, *, fusion: bool = False) -> list:
    """The study's post stages, in order; relevance uses the latest trained model, else the
    rules; so do the task heads (intent, origin, scam); with ``fusion`` (the image stages are
    planned) fusion decides per post from text and image evidence; location comes after the
    decision it reads.

    The language model loads in a thread meanwhile (its LZMA and zip inflation release the
    GIL, so it mostly overlaps the lexicon's YAML); the thread ends before this returns, so
    no thread is alive when the engine forks its workers."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wildsift-langid") as loader:
        language = loader.submit(LanguageStage, study.settings.study.languages)
        others = [
            LexiconStage(lexicon if lexicon is not None else Lexicon.for_study(study)),
            TaskHeadsStage.for_study(study),
            RelevanceStage.for_models_dir(study.models_dir, study.settings.sift.threshold),
            *([FusionStage.for_models_dir(study.models_dir)] if fusion else []),
            LocationStage.for_study(study),
        ]
        return [language.result(), *others]


def sift_study(study: Study, *, batch_size: int | None = None, progress: bool = True,
               stages: list | None = None, workers: int | None = None,
               images: bool = False,
               image_progress: Callable[[str, int], None] | None = None,
               engine: EngineChoice | None = None, image_stages: list | None = None,
               image_notes: Sequence[StageNote] = ()) -> SiftRun:
    """Run the plan: image stages (with ``images``), then one pass of the post stages over the
    posts any of them still has to do at its version; returns a :class:`SiftRun`.

    Re-running scores nothing new unless a new model or stage version exists, or a post's
    pictures got OCR text or a score since (then the stages that read them score it again).
    ``stages``: the post stages (default :func:`default_stages`, with fusion when ``images``);
    ``image_stages``: default those the study's ``[images]`` asks for and this machine has
    (given: ``image_notes`` says which it could not build, and why).
    ``workers``: scoring processes (default one per CPU, 1 = this process). ``engine``: where
    the stages run (default local; ``ray``: post stages through Ray Data, engine/ray.py, image
    stages in Ray actors, engine/ray_images.py).
    """
    stages = stages if stages is not None else default_stages(study, fusion=images)
    store = study.store
    image_run = (run_image_pipeline(study, progress=image_progress, stages=image_stages,
                                    readers=image_readers(stages), notes=image_notes,
                                    engine=engine)
                 if images else None)
    if image_run is not None and not image_run.has_images:  # nothing to fuse: text decides
        stages = [stage for stage in stages if not isinstance(stage, FusionStage)]
    relevance = next((s for s in stages if isinstance(s, RelevanceStage)), stages[-1])
    fusion = next((s for s in stages if isinstance(s, FusionStage)), None)
    # post fields a stage reads when present (the text model's profile description, hashtags,
    # the geo columns of the location stage); the image-derived ones the store serves itself
    extra = tuple(dict.fromkeys(c for stage in stages for c in declared(stage, "optional_reads")
                                if c in STORED_FIELDS and c not in POST_COLUMNS))
    heads = next((stage for stage in stages if isinstance(stage, TaskHeadsStage)), None)
    heads_todo = posts_to_do(store.engine, heads.name, heads.version) if heads is not None else 0
    # One pass over the posts any stage of the chain still has to do at its version (a new
    # relevance or head model, a new location version for kept posts, posts whose pictures got
    # new outputs); each stage stores only the posts it has not done (engine/local.py).
    run_posts = post_runner(engine)  # [engine]: run_local, or run_ray (the same signature)
    counts = run_posts(store, stages, select_by=[s for s in stages if stored_fields(s)],
                       columns=POST_COLUMNS + extra,
                       batch_size=batch_size or study.settings.sift.batch_size,
                       progress=progress, workers=workers)
    return SiftRun(posts=counts.posts, batches=counts.batches,
                   largest_batch=counts.largest_batch, relevant=counts.kept,
                   method=getattr(relevance, "method", relevance.version),
                   model_version=relevance.version,
                   threshold=float(getattr(relevance, "threshold", 0.5)),
                   heads=min(heads_todo, counts.posts), images=image_run,
                   fused_by=fusion.method if fusion is not None and counts.posts else None)
