"""The relevance stage: the study's latest trained text model, or the rules before one exists.

Adds what the text model said, ``text_relevance`` (0-1), ``text_relevant`` (0/1 at the study's
threshold) and ``text_relevance_method`` ("model:<version>" or "rules"), kept for tracing, and the
post's decision ``relevance``/``relevant``/``relevance_method``: the same values, which fusion
(``sift/stages/fusion.py``) later overwrites for posts with images. Everything downstream reads
the one decision ``relevant``; a study without images (or sifted with ``--no-images``) keeps the
text one.

A trained model also reads the post's other fields when the batch has them (``MODEL_READS``:
profile description, hashtags, OCR text, the image stage's score, the lexicon's matches); a
missing one counts as empty, so the stage runs on any batch that has ``text`` and
``lexicon_hits``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wildsift.sift.models.artifact import load_model
from wildsift.sift.rules.relevance_rule import RULES_VERSION, rule_scores

# what a trained text model reads besides text and lexicon hits, when the batch has them
MODEL_READS = ("author_description", "hashtags", "ocr_text", "image_score", "lexicon_matches")
# what the text model said, kept beside the final decision (fusion reads them)
TEXT_FIELDS = ("text_relevance", "text_relevant", "text_relevance_method")


class RelevanceStage:
    name = "relevance"
    reads = ("text", "lexicon_hits")
    adds = (*TEXT_FIELDS, "relevance", "relevant", "relevance_method")
    stores = adds

    def __init__(self, model: Any | None = None, model_version: str | None = None,
                 threshold: float = 0.5):
        self.model = model
        self.model_version = model_version
        self.threshold = threshold

    @classmethod
    def for_models_dir(cls, models_dir: Path, threshold: float | None = None) -> RelevanceStage:
        """The latest trained model in models_dir, else the rules. ``threshold`` None: the one
        the model chose when it was trained (its card), else 0.5."""
        loaded = load_model(models_dir)
        if loaded is None:
            return cls(threshold=0.5 if threshold is None else threshold)
        model, card = loaded
        chosen = card.get("threshold", 0.5) if threshold is None else threshold
        return cls(model, card["version"], float(chosen))

    @property
    def optional_reads(self) -> tuple[str, ...]:
        """Read when present (absent: neutral), so a plan does not require them: a trained
        model's other fields; the rules read only ``text`` and ``lexicon_hits`` (so new OCR
        text or image scores never make rule scores stale)."""
        return MODEL_READS if self.model is not None else ()

    @property
    def method(self) -> str:
        return f"model:{self.model_version}" if self.model is not None else "rules"

    @property
    def version(self) -> str:
        return f"model:{self.model_version}" if self.model is not None else RULES_VERSION

    @property
    def defaults(self) -> dict[str, str]:
        """The method that decided, the same for every post: stored once per version."""
        return {"relevance_method": self.method, "text_relevance_method": self.method}

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        if self.model is not None:
            columns = [c for c in (*self.reads, *self.optional_reads) if c in batch]
            scores = self.model.decision_scores(batch[columns])
        else:
            scores = rule_scores(batch["text"].fillna("").tolist(), batch["lexicon_hits"])
        batch = batch.copy()
        batch["relevance"] = np.asarray(scores, dtype=np.float64)
        batch["relevant"] = (batch["relevance"] >= self.threshold).astype(int)
        batch["relevance_method"] = self.method
        for field in TEXT_FIELDS:
            batch[field] = batch[field.removeprefix("text_")]
        return batch
