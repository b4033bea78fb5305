"""The demo study: the whole framework, offline, on a SYNTHETIC corpus.

mine (import the generated corpus, privacy at ingest) -> sift (rules, as before any label) ->
train (from the corpus labels) -> sift again with the model -> report. Running it twice on the
same folder adds nothing twice: the import deduplicates and sift scores only what is new.
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
from wildsift.sift.pipeline import sift_study
from wildsift.sift.train import train_study
from wildsift.sources.files import FileReader
from wildsift.sources.ingest import ingest
from wildsift.study import CONFIG_NAME, Study

CORPUS_NAME = "demo-synthetic-posts.csv"
SYNTHETIC_SOURCE = "demo:synthetic:" + CORPUS_NAME


@dataclass
class DemoResult:
    study: Path
    corpus: Path
    imported: IngestCounts
    rules_sift: dict[str, Any]
    card: dict[str, Any]
    model_sift: dict[str, Any]
    report: Path
    steps: list[str] = field(default_factory=list)


def run_demo(folder: Path, *, posts: int = DEFAULT_DEMO_SIZE, seed: int = 0,
             progress: bool = True, say: Callable[[str], None] = print) -> DemoResult:
    """Build (or bring up to date) a demo study in ``folder``; returns what each step did."""
    folder = Path(folder)
    study = Study.open(folder) if (folder / CONFIG_NAME).exists() else Study.init(
        folder, name="wildsift demo (synthetic data)")
    try:
        say(f"1/5 writing the SYNTHETIC corpus ({posts} posts, seed {seed})")
        corpus = write_corpus(study.root / CORPUS_NAME, posts, seed)
        write_demo_images(study.root, seed)
        say("2/5 importing with privacy at ingest (pseudonyms, redaction)")
        reader = FileReader(corpus.path)
        reader.source = SYNTHETIC_SOURCE  # every stored post says it is synthetic
        imported = ingest(study, reader)
        say("3/5 sifting with the rules (no model is trained yet)")
        rules = sift_study(study, progress=progress)
        say("4/5 training the relevance model from the corpus labels")
        card = train_study(study)
        say(f"5/5 sifting with model {card['version']} and writing the report")
        model = sift_study(study, progress=progress)
        report = build_report(study)
        return DemoResult(study.root, corpus.path, imported, rules, card, model, report)
    finally:
        study.close()
