"""The demo study: the whole framework, offline, on a SYNTHETIC corpus.

mine (import the generated corpus, privacy at ingest) -> sift (rules, as before any label) ->
train (from the corpus labels) -> sift again with the model -> report. Running it twice on the
same folder adds nothing twice: the import deduplicates and sift scores only what is new.

The corpus names drawn images (``img/<category>_<k>.jpg``, demo/images.py) that many sellers
reuse across platforms, as scammers do: the import cleans and stores them (EXIF and GPS gone)
and the first sift runs the image stages on them (perceptual hashes and reuse clusters, faces,
the image model when ``wildsift[images]`` is installed). OCR is off in a new demo study
(``[images] ocr = false``): Tesseract needs about a second per image on a laptop and the drawn
labels hold no trade text; set it to true in the demo's wildsift.toml to watch it run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wildsift.demo.data import DEFAULT_DEMO_SIZE, write_corpus
from wildsift.demo.images import write_demo_images
from wildsift.records import IngestCounts
from wildsift.report.build import build_report
from wildsift.sift.learn.train import train_study
from wildsift.sift.pipeline import SiftRun
from wildsift.sift.plan import plan_for_study, sift_recorded
from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest
from wildsift.sources.local_media import LocalMedia
from wildsift.study import CONFIG_NAME, Study

CORPUS_NAME = "demo-synthetic-posts.csv"
SYNTHETIC_SOURCE = "demo:synthetic:" + CORPUS_NAME


@dataclass
class DemoResult:
    study: Path
    corpus: Path
    imported: IngestCounts
    rules_sift: SiftRun
    card: dict[str, Any]
    model_sift: SiftRun
    report: Path
    steps: list[str] = field(default_factory=list)


def run_demo(folder: Path, *, posts: int = DEFAULT_DEMO_SIZE, seed: int = 0,
             progress: bool = True, say: Callable[[str], None] = print) -> DemoResult:
    """Build (or bring up to date) a demo study in ``folder``; returns what each step did."""
    folder = Path(folder)
    if (folder / CONFIG_NAME).exists():
        study = Study.open(folder)
    else:
        study = Study.init(folder, name="wildsift demo (synthetic data)")
        _demo_image_settings(study)
    try:
        say(f"1/5 writing the SYNTHETIC corpus ({posts} posts, seed {seed})")
        corpus = write_corpus(study.root / CORPUS_NAME, posts, seed)
        write_demo_images(study.root, seed)
        say("2/5 importing with privacy at ingest (pseudonyms, redaction)")
        reader = FileReader(corpus.path)
        reader.source = SYNTHETIC_SOURCE  # every stored post says it is synthetic
        imported = ingest(study, reader, media=LocalMedia.for_study(study, corpus.path))
        say("3/5 image stages, then sifting with the rules (no model is trained yet)")
        rules = sift_recorded(study, plan_for_study(study), images=True, progress=progress)
        if rules.images is not None:
            for line in rules.images.lines():
                say(line)
        say("4/5 training the relevance model from the corpus labels")
        card = train_study(study)
        say(f"5/5 sifting with model {card['version']} and writing the report")
        model = sift_recorded(study, plan_for_study(study), images=True, progress=progress)
        report = build_report(study)
        return DemoResult(study.root, corpus.path, imported, rules, card, model, report)
    finally:
        study.close()


def _demo_image_settings(study: Study) -> None:
    """A new demo study reads no text in its images (see the module docstring); the rest of
    its wildsift.toml (and its comments) stays as ``Study.init`` wrote it."""
    import re

    path = study.root / CONFIG_NAME
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(\[images\][^\[]*?)\bocr = true", r"\1ocr = false", text, count=1,
                  flags=re.DOTALL)
    path.write_text(text, encoding="utf-8")
    study.settings.images.ocr = False
