"""The fusion stage: the post's one decision, from what the text model said and its pictures.

:class:`FusionStage` is a post stage (``engine/stage.py``) that runs in the same pass as the
others, right after relevance: it reads what the text model said (``text_relevance``,
``text_relevant``, ``text_relevance_method``, added by the relevance stage to the same batch)
and the post's image columns the store serves (``image_score``, ``n_images``, ``ocr_text``:
``store.images.post_reads``); it scores the OCR text with the study's text model (the lexicon
rules before one is trained) and writes the post's one decision, ``relevance``, ``relevant``
and ``relevance_method``, which location, analysis, the report, export and the label queue
read. A post without images keeps the text decision and its method ("model:<version>" or
"rules"); a post with images gets "fusion:<model version>" or "fusion:fusion-rule-v1". A post
whose pictures get OCR text or an image score later is fused again (the engine forgets its
fusion rows when those outputs are stored: ``engine/local.py``).

The fusion model is trained by :func:`wildsift.sift.learn.fusion_train.train_fusion`, which
saves it as the artifact ``fusion`` with a card that says whether it was kept. ``for_models_dir``
loads it; a fusion that was not kept steps aside: the stage passes the text decision through
unchanged (``relevance`` = ``text_relevance``, ``relevance_method`` = ``text_relevance_method``;
the stage's version says "text (fusion stepped aside: <version>)").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wildsift.sift.models.artifact import load_model
from wildsift.sift.models.fusion import RULE_VERSION, FusionModel, fusion_rule
from wildsift.sift.rules.relevance_rule import rule_scores
from wildsift.sift.rules.signals import load_lexicon, match_texts

FUSION_MODEL = "fusion"  # artifact name under the study's models/ (sift.artifact)
DECISION_FIELDS = ("relevance", "relevant", "relevance_method")  # the post's one decision


class FusionStage:
    name = "fusion"
    reads = ("text_relevance",)
    optional_reads = ("text_relevant", "text_relevance_method", "image_score", "n_images",
                      "ocr_text")
    adds = DECISION_FIELDS
    stores = adds

    def __init__(self, model: FusionModel | None = None, model_version: str | None = None, *,
                 text_model: Any | None = None, lexicon: Any | None = None,
                 threshold: float | None = None, stepped_aside: bool = False):
        self.model = None if stepped_aside else model
        self.model_version = model_version
        self.stepped_aside = stepped_aside  # a trained fusion lost to text-only out of fold
        self.text_model = text_model
        self._lexicon = lexicon
        chosen = getattr(model, "threshold_", 0.5) if threshold is None else threshold
        self.threshold = float(chosen)

    @classmethod
    def for_models_dir(cls, models_dir: Path, *, text_model: Any | None = None,
                       lexicon: Any | None = None, threshold: float | None = None
                       ) -> FusionStage:
        """The latest trained fusion model in ``models_dir`` (artifact ``fusion``), else the
        rule; the text model (for OCR text) is the latest ``text-relevance`` when not given.
        A fusion whose card says ``kept: false`` steps aside (the text decision, unchanged)."""
        loaded_text = load_model(models_dir)
        if text_model is None:
            text_model = loaded_text[0] if loaded_text is not None else None
        text_threshold = loaded_text[1].get("threshold", 0.5) if loaded_text else 0.5
        loaded = load_model(models_dir, name=FUSION_MODEL)
        if loaded is None:  # the rule decides at the text model's threshold: same scale
            return cls(text_model=text_model, lexicon=lexicon,
                       threshold=threshold if threshold is not None else text_threshold)
        model, card = loaded
        if card.get("kept") is False:
            return cls(None, card["version"], text_model=text_model, lexicon=lexicon,
                       threshold=threshold if threshold is not None else text_threshold,
                       stepped_aside=True)
        return cls(model, card["version"], text_model=text_model, lexicon=lexicon,
                   threshold=threshold if threshold is not None else card.get("threshold"))

    @property
    def method(self) -> str:
        if self.stepped_aside:
            return f"text (fusion stepped aside: {self.model_version})"
        return f"fusion:{self.model_version if self.model is not None else RULE_VERSION}"

    @property
    def version(self) -> str:
        return self.method

    @property
    def lexicon(self) -> Any:
        if self._lexicon is None:
            self._lexicon = load_lexicon()
        return self._lexicon

    def ocr_features(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(score, lexicon hits) of each OCR text alone; NaN score where there is no text."""
        scores = np.full(len(texts), np.nan)
        hits = np.zeros(len(texts))
        present = [i for i, t in enumerate(texts) if t.strip()]
        if not present:
            return scores, hits
        chosen = [texts[i] for i in present]
        found = np.array([len(m) for m in match_texts(self.lexicon, chosen)], dtype=float)
        hits[present] = found
        if self.text_model is not None:
            frame = pd.DataFrame({"text": chosen, "lexicon_hits": found})
            scores[present] = self.text_model.decision_scores(frame)
        else:
            scores[present] = rule_scores(chosen, found)
        return scores, hits

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        n = len(batch)
        text = pd.to_numeric(batch["text_relevance"], errors="coerce").fillna(0).to_numpy(float)
        image = (pd.to_numeric(batch["image_score"], errors="coerce").to_numpy(float)
                 if "image_score" in batch else np.full(n, np.nan))
        ocr_text = ([t if isinstance(t, str) else "" for t in batch["ocr_text"]]
                    if "ocr_text" in batch else [""] * n)
        has_images = (pd.to_numeric(batch["n_images"], errors="coerce").fillna(0).to_numpy() > 0
                      if "n_images" in batch
                      else ~np.isnan(image) | np.array([bool(t.strip()) for t in ocr_text]))
        fused = text.copy()
        if has_images.any() and not self.stepped_aside:
            ocr_score, ocr_hits = self.ocr_features([t if h else "" for t, h in
                                                     zip(ocr_text, has_images)])
            features = pd.DataFrame({"text_score": text, "image_score": image,
                                     "ocr_score": ocr_score, "ocr_lexicon_hits": ocr_hits})
            scored = (self.model.decision_scores(features) if self.model is not None
                      else fusion_rule(text, image, ocr_score))
            fused = np.where(has_images, scored, text)
        batch = batch.copy()
        batch["relevance"] = fused
        text_cut = _text_threshold(batch, self.threshold if self.stepped_aside else 0.5)
        fusing = has_images & ~self.stepped_aside
        decided = fused >= np.where(fusing, self.threshold, text_cut)
        if self.model is None and "text_relevant" in batch:
            # the rule never lowers a score, so it never drops a post the text stage kept
            decided |= pd.to_numeric(batch["text_relevant"], errors="coerce").fillna(0) \
                .to_numpy() > 0
        batch["relevant"] = decided.astype(int)
        text_method = (batch["text_relevance_method"].fillna("text").astype(str).to_numpy()
                       if "text_relevance_method" in batch else np.full(n, "text"))
        batch["relevance_method"] = np.where(fusing, self.method, text_method)
        return batch


def _text_threshold(batch: pd.DataFrame, threshold: float = 0.5) -> Any:
    """A post without images (or any post, when fusion stepped aside) keeps the text stage's
    decision when the batch has it; else the text score is cut at ``threshold`` (the text
    model's when fusion stepped aside)."""
    if "text_relevant" in batch:
        relevant = pd.to_numeric(batch["text_relevant"], errors="coerce").fillna(0).to_numpy()
        return np.where(relevant > 0, -np.inf, np.inf)
    return threshold
