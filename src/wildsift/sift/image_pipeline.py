"""The image half of ``wildsift sift``: link, video frames, phash, faces, OCR, image model.

Order, and why: **image stages first, then the post stages**, in one plan. The relevance stage
reads each post's OCR text and image score and fusion its pictures' evidence (declared reads the
store serves, ``store.images.post_reads``); a stage scores a post once per version, so those
outputs must exist *before* it scores a post. Running the image stages first makes every new
post see them. A post can still have been scored earlier without them (``--no-images``,
Tesseract or the image extra installed later, a file that was missing): when a picture gets OCR
text or an image score, the engine forgets the rows of the post stages that read them for the
posts showing it (``engine/local.py``, ``run_images``), so the same pass scores those posts
again. Nothing is scored twice in one run and nothing stays scored without outputs that exist.

Each stage is optional: ``[images]`` in ``wildsift.toml`` turns them off, and a stage whose
package is missing (Tesseract, OpenCV, PyAV, torch) is skipped with a one-line note that says how
to install it, never an error. Images are processed once per distinct file (sha256), however
many posts show them; an interrupted run resumes with what is left.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from wildsift.engine.choice import EngineChoice
from wildsift.engine.stage import Stage
from wildsift.errors import ConfigError, ModelError
from wildsift.sift.stages.image_stage import run_image_stages
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
    changed: int = 0  # images with new OCR text or image scores
    stale_posts: int = 0  # posts showing them, to be scored again by the stages that read them

    @property
    def has_images(self) -> bool:
        return self.images > 0

    def lines(self) -> list[str]:
        head = f"images: {self.images} in the store ({self.linked} new links to posts)"
        return [head, *(f"  {step.line()}" for step in self.steps)]

    def as_dict(self) -> dict[str, Any]:
        return {"linked": self.linked, "images": self.images,
                "steps": [vars(step) for step in self.steps], "changed": self.changed,
                "stale_posts": self.stale_posts}


def build_image_stages(study) -> tuple[list[Stage], list[StageNote]]:
    """The image stages the study's ``[images]`` settings ask for and this machine can run,
    in order (phash, faces, ocr, image-model), and a note for each one that cannot run."""
    settings = study.settings.images
    stages: list[Stage] = [PerceptualHash()]
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


def _model_stage(study, spec: str) -> Stage:
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
                       stages: Sequence[Stage] | None = None,
                       readers: Mapping[str, Sequence[str]] | None = None,
                       notes: Sequence[StageNote] = (),
                       engine: EngineChoice | None = None) -> ImagePipelineRun:
    """Link media, take video frames, then run the image stages on what still needs them.

    ``stages`` defaults to :func:`build_image_stages` (given: ``notes`` says which could not
    be built, and why); ``progress(stage, images_done)`` is
    called after each stored batch; ``readers``: per image output, the post stages that read
    it (``engine.local.image_readers``), whose rows of the posts showing a picture with a new
    output are forgotten. Cheap when the study has no media (one pass over posts)."""
    store = study.store
    run = ImagePipelineRun(linked=store.images.link_media())
    run.steps.append(_videos(study))
    run.images = len(store.images.frame(("sha256",)))
    notes = list(notes)
    if stages is None:
        stages, notes = build_image_stages(study) if run.images else ([], [])
    if not run.images:
        run.steps.append(StageNote("image stages", False, note="no images linked to posts"))
        return run
    results = run_image_stages(study, stages, progress=progress, readers=readers,
                               engine=engine)
    for stage, result in zip(stages, results):
        extra = []
        if result.missing_files:
            extra.append(f"{result.missing_files} files missing under media/")
        if result.errors:
            extra.append(f"{result.errors} unreadable")
        if stage.name == OCR_STAGE:
            extra.append(f"{result.with_text} with text")
        run.steps.append(StageNote(stage.name, True, result.images, "; ".join(extra)))
        run.changed += result.changed
        run.stale_posts += result.stale_posts
    run.steps += notes
    return run
