"""The image half of ``wildsift sift``: link, video frames, phash, faces, OCR, image model.

Order, and why: **image stages first, then the text pass**. The relevance stage reads each post's
OCR text and image score (``sift/models/text.py``), and it scores a post once per model version; so
those must exist *before* it scores a post, or that post keeps a score made without them. Running
the image stages first makes every new post see its images' outputs. A post can still have been
scored earlier without them (``--no-images``, Tesseract or the image extra installed later, a
file that was missing): :func:`run_image_pipeline` returns the images whose OCR text or image
score appeared in this run, and :func:`stale_posts` / :func:`rescore_posts` rescore the posts
showing them that the current relevance version had already scored. Nothing is scored twice in
one run and nothing stays scored without outputs that exist.

Each stage is optional: ``[images]`` in ``wildsift.toml`` turns them off, and a stage whose
package is missing (Tesseract, OpenCV, PyAV, torch) is skipped with a one-line note that says how
to install it, never an error. Images are processed once per distinct file (sha256), however
many posts show them; an interrupted run resumes with what is left (``sift/stages/image_stage.py``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from wildsift.errors import ConfigError, ModelError
from wildsift.sift.stages.image_stage import ImageStage, run_image_stages
from wildsift.sift.vision.phash import PerceptualHash

OCR_STAGE, MODEL_STAGE = "ocr", "image-model"


@dataclass
class StageNote:
    """What one step did, or why it did not run (``ran`` False, ``note`` says why)."""

    stage: str
    ran: bool
    images: int = 0
    note: str = ""

    def line(self) -> str:
        if not self.ran:
            return f"{self.stage}: not run ({self.note})"
        return f"{self.stage}: {self.images} images" + (f"; {self.note}" if self.note else "")


@dataclass
class ImagePipelineRun:
    """What :func:`run_image_pipeline` did."""

    linked: int = 0  # new post-image links (downloaded or imported images)
    images: int = 0  # distinct images in the store after linking
    steps: list[StageNote] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # images with new OCR text / image scores

    @property
    def has_images(self) -> bool:
        return self.images > 0

    def lines(self) -> list[str]:
        head = f"images: {self.images} in the store ({self.linked} new links to posts)"
        return [head, *(f"  {step.line()}" for step in self.steps)]

    def as_dict(self) -> dict[str, Any]:
        return {"linked": self.linked, "images": self.images,
                "steps": [vars(step) for step in self.steps], "changed": len(self.changed)}


def build_image_stages(study) -> tuple[list[ImageStage], list[StageNote]]:
    """The image stages the study's ``[images]`` settings ask for and this machine can run,
    in order (phash, faces, ocr, image-model), and a note for each one that cannot run."""
    settings = study.settings.images
    stages: list[ImageStage] = [PerceptualHash()]
    notes: list[StageNote] = []
    if not settings.faces:
        notes.append(StageNote("faces", False, note="[images] faces = false"))
    else:
        try:
            from wildsift.sift.vision.faces import FaceStage

            stage = FaceStage()
            stage.detector._load()  # OpenCV and its cascades present: fail here, not mid-run
            stages.append(stage)
        except (ConfigError, ImportError) as error:
            notes.append(StageNote("faces", False, note=f"not installed: {error}"))
    if not settings.ocr:
        notes.append(StageNote(OCR_STAGE, False, note="[images] ocr = false"))
    else:
        try:
            from wildsift.sift.stages.ocr import OcrStage
            from wildsift.sift.vision.ocr import OcrUnavailable

            stages.append(OcrStage.for_study(study))
        except ImportError as error:
            notes.append(StageNote(OCR_STAGE, False, note=f"pytesseract missing: {error}"))
        except OcrUnavailable as error:
            notes.append(StageNote(OCR_STAGE, False, note=f"Tesseract not installed: {error}"))
    if settings.model == "none":
        notes.append(StageNote(MODEL_STAGE, False, note='[images] model = "none"'))
    else:
        try:
            stages.append(_model_stage(study, settings.model))
        except (ModelError, ImportError) as error:
            notes.append(StageNote(MODEL_STAGE, False, note=f"not installed: {error}"))
    return stages, notes


def _model_stage(study, spec: str) -> ImageStage:
    from wildsift.sift.stages.image_model import ImageModelStage

    return ImageModelStage(_image_model(spec), study.models_dir)  # the study's probe, if any


@lru_cache(maxsize=1)
def _image_model(spec: str):
    """The image model named by ``[images] model``, loaded once per process (torch and the
    weights take seconds to load; a demo or a notebook sifts several times)."""
    from wildsift.sift.vision.image_model import load_image_model

    if spec.startswith("openclip:"):
        return load_image_model("open_clip", model_name=spec[len("openclip:"):])
    return load_image_model(spec)


def _videos(study) -> StageNote:
    """Key frames of the local videos imported files named (``sources/local_media.py``)."""
    if not study.settings.images.videos:
        return StageNote("video frames", False, note="[images] videos = false")
    from wildsift.sift.vision.video_roots import local_roots

    roots = local_roots(study.media_dir)
    if not roots:
        return StageNote("video frames", False, note="no local video files were imported")
    if importlib.util.find_spec("av") is None:
        return StageNote("video frames", False,
                         note="PyAV not installed: pip install 'wildsift[images]'")
    from wildsift.sift.vision.video import index_videos, local_files

    run = index_videos(study, local_files(*roots))
    note = f"{run.frames} frames from {run.videos} videos ({run.already} done before"
    note += f", {len(run.refused)} quarantined)" if run.refused else ")"
    return StageNote("video frames", True, run.frames, note)


def run_image_pipeline(study, *, progress: Callable[[str, int], None] | None = None,
                       stages: Sequence[ImageStage] | None = None) -> ImagePipelineRun:
    """Link media, take video frames, then run the image stages on what still needs them.

    ``stages`` defaults to :func:`build_image_stages`; ``progress(stage, images_done)`` is
    called after each stored batch. Cheap when the study has no media (one pass over posts)."""
    store = study.store
    run = ImagePipelineRun(linked=store.images.link_media())
    run.steps.append(_videos(study))
    run.images = len(store.images.frame(("sha256",)))
    notes: list[StageNote] = []
    if stages is None:
        stages, notes = build_image_stages(study) if run.images else ([], [])
    if not run.images:
        run.steps.append(StageNote("image stages", False, note="no images linked to posts"))
        return run
    before = _pending(store, stages)
    results = run_image_stages(study, stages, progress=progress)
    for stage, result in zip(stages, results):
        extra = []
        if result.missing_files:
            extra.append(f"{result.missing_files} files missing under media/")
        failures = getattr(stage, "failures", None) or []
        errors = getattr(stage, "errors", 0) + len(failures)
        if errors:
            extra.append(f"{errors} unreadable")
        if stage.name == OCR_STAGE:
            extra.append(f"{getattr(stage, 'found_text', 0)} with text")
        run.steps.append(StageNote(stage.name, True, result.images, "; ".join(extra)))
    run.steps += notes
    run.changed = _changed(store, stages, before)
    return run


def _pending(store, stages: Sequence[ImageStage]) -> dict[str, set[str]]:
    """Images the OCR and image-model stages have still to do, before they run."""
    out: dict[str, set[str]] = {}
    for stage in stages:
        if stage.name == OCR_STAGE:
            out[OCR_STAGE] = set(store.images.frame(("sha256",), missing=stage.todo_column)
                                 ["sha256"])
        elif stage.name == MODEL_STAGE:
            done = store.images.scores_done(stage.name, stage.version)
            out[MODEL_STAGE] = set(store.images.frame(("sha256",))["sha256"]) - done
    return out


def _changed(store, stages: Sequence[ImageStage], before: dict[str, set[str]]) -> set[str]:
    """Images whose post-level inputs of the text model changed in this run: OCR text found
    (an image read as empty changes nothing) or an image score written."""
    changed: set[str] = set()
    todo = before.get(OCR_STAGE)
    if todo:
        found = store.images.frame(("sha256", "ocr_text"), sha256s=todo)
        changed |= set(found.loc[found["ocr_text"].fillna("").str.strip() != "", "sha256"])
    todo = before.get(MODEL_STAGE)
    if todo:
        stage = next(s for s in stages if s.name == MODEL_STAGE)
        changed |= todo & store.images.scores_done(stage.name, stage.version)
    return changed


# -- the text pass's view of images -----------------------------------------------------------
def image_columns(study) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A ``prepare_batch`` for the text pass: adds each post's ``ocr_text`` and
    ``image_score`` (max image relevance of its pictures; NaN when none is scored), from
    :func:`wildsift.sift.vision.post_images.post_image_features`. Per-image lookups load once."""
    from wildsift.sift.vision.post_images import ImageContext, post_image_features

    context = ImageContext.load(study)

    def prepare(batch: pd.DataFrame) -> pd.DataFrame:
        if batch.empty or "pk" not in batch:
            return batch.assign(ocr_text=pd.Series(dtype=object),
                                image_score=pd.Series(dtype=float))
        features = post_image_features(study, batch["pk"].tolist(), context=context)
        return batch.assign(ocr_text=features["ocr_text"].to_numpy(),
                            image_score=features["image_score"].to_numpy())

    return prepare


def stale_posts(study, relevance, changed: Iterable[str]) -> list[int]:
    """Posts showing a ``changed`` image that ``relevance`` already scored at its version:
    they were scored without that OCR text or image score and must be rescored."""
    changed = set(changed)
    if not changed:
        return []
    links = study.store.images.post_links()
    pks = sorted({int(pk) for pk in links.loc[links["sha256"].isin(changed), "post_pk"]})
    return sorted(study.store.scores.scored_pks(relevance.name, relevance.version, pks)) if pks else []


def rescore_posts(study, stages: Sequence, pks: Sequence[int], *, columns: Sequence[str],
                  prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
                  batch_size: int = 5000) -> int:
    """Run ``stages`` again on these posts and store the relevance stage's fields as
    new rows (the latest row of a field wins); returns the relevant posts among them."""
    from wildsift.engine.local import stored_defaults, stored_fields
    from wildsift.engine.stage import run_stages

    relevance = next((s for s in stages if s.name == "relevance"), stages[-1])
    store = study.store
    relevant = 0
    for start in range(0, len(pks), batch_size):
        batch = store.posts.frame(list(columns), pks=pks[start:start + batch_size])
        if prepare is not None:
            batch = prepare(batch)
        scored = run_stages(stages, batch)
        store.scores.write(relevance.name, relevance.version, scored, stored_fields(relevance),
                           stored_defaults(relevance))
        if "relevant" in scored:
            relevant += int(scored["relevant"].sum())
    return relevant


def fuse(study) -> dict[str, Any] | None:
    """Fusion of text, OCR and image scores per post (``sift/stages/fusion.py``), or None when
    that module is not available in this install."""
    try:
        from wildsift.sift.stages.fusion import fuse_study
    except ImportError:  # pragma: no cover - fusion not part of this install
        return None
    return fuse_study(study)
