"""Text-only against text + images, on a user's own labelled CSV (``evaluate --image-column``).

Each image cell is a path relative to the CSV file or an http(s) URL. URLs are fetched by the
``fetch`` callable the caller passes (the CLI passes ``sources.download.MediaDownloader.fetch``,
which refuses private addresses); every image, local or fetched, is cleaned by
:func:`wildsift.privacy.media.clean_image` (limits, decompression bombs, truncation, metadata)
before anything reads it. An image that is missing, unreadable or refused is counted and
reported with its reason, and its row is evaluated without it.

Each distinct image (by the sha256 of its cleaned bytes) is embedded once per run by the image
model, and read once by OCR when an engine is given. :class:`MultimodalModel` is what the
cross-validation fits in each fold: the text model, a linear probe on the image embeddings
(class-balanced logistic regression; a post's image score is the max over its images), the text
model applied to the OCR text alone (its own score, ``ocr_score``: OCR of real photos is mostly
noise, so fusion weighs it apart from the post's text), and
:class:`~wildsift.sift.models.fusion.FusionModel` over those scores, all trained on the fold's
training rows only (scores it learns from are out-of-fold of an inner split). Fusion then has to
beat the text model alone on those same out-of-fold scores
(:func:`~wildsift.sift.learn.fusion_judge.judge_fusion`), else the model steps aside and scores
exactly as its text model does (``use_fusion_`` False).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PIL import Image
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from wildsift.errors import RecordError
from wildsift.privacy.media import CleanImage, MediaLimits, clean_image
from wildsift.sift.learn.fusion_judge import PR_AUC_TOLERANCE, judge_fusion
from wildsift.sift.models.fusion import FusionModel, fusion_rule

VECTORS, HAS_IMAGES, OCR_TEXT, OCR_HITS = ("image_vectors", "has_images", "image_ocr_text",
                                           "image_ocr_hits")
IMAGE_COLUMNS = (VECTORS, HAS_IMAGES, OCR_TEXT, OCR_HITS)
EMBED_BATCH = 32


@dataclass
class LoadedImages:
    """What reading the image cells gave: each reference's sha256 (None when it failed)."""

    sha256_of: dict[str, str | None] = field(default_factory=dict)
    images: dict[str, CleanImage] = field(default_factory=dict)  # by sha256
    problems: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)

    def summary(self, rows_with_images: int) -> dict[str, Any]:
        return {"references": len(self.sha256_of), "distinct_images": len(self.images),
                "rows_with_images": rows_with_images, "failed": len(self.problems),
                "problems": [f"{ref}: {why}" for ref, why in self.problems[:20]]}


def is_url(reference: str) -> bool:
    return reference.lower().startswith(("http://", "https://"))


def load_images(references: Sequence[str], base_dir: Path, *,
                fetch: Callable[[str], bytes] | None = None,
                limits: MediaLimits | None = None) -> LoadedImages:
    """Read and clean each distinct reference once (paths relative to ``base_dir``, or URLs
    through ``fetch``); failures are recorded, not raised."""
    loaded = LoadedImages()
    limits = limits if limits is not None else MediaLimits()
    for reference in dict.fromkeys(r for r in references if r):
        try:
            if is_url(reference):
                if fetch is None:
                    raise RecordError("an image URL needs a downloader (the CLI provides one)")
                data = fetch(reference)
            else:
                data = (base_dir / reference).read_bytes()
            image = clean_image(data, limits, where=reference)
        except OSError as error:
            loaded.problems.append((reference, f"cannot read: {error.strerror or error}"))
            loaded.sha256_of[reference] = None
            continue
        except RecordError as error:
            loaded.problems.append((reference, str(error)))
            loaded.sha256_of[reference] = None
            continue
        loaded.sha256_of[reference] = image.sha256
        loaded.images.setdefault(image.sha256, image)
    return loaded


def embed_images(model: Any, images: dict[str, CleanImage],
                 cache: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """sha256 -> embedding, each image embedded once (``cache`` holds those already done)."""
    cache = {} if cache is None else cache
    todo = [key for key in images if key not in cache]
    for start in range(0, len(todo), EMBED_BATCH):
        keys = todo[start:start + EMBED_BATCH]
        pictures = [Image.open(io.BytesIO(images[k].data)).convert("RGB") for k in keys]
        vectors = np.asarray(model.embed(pictures), dtype=np.float32)
        cache.update(zip(keys, vectors))
    return cache


def ocr_images(engine: Any, images: dict[str, CleanImage]) -> dict[str, str]:
    """sha256 -> OCR text (empty when none or unreadable), read from the cleaned bytes."""
    if engine is None or not images:
        return {}
    keys = list(images)
    with tempfile.TemporaryDirectory(prefix="wildsift-ocr-") as folder:
        paths = []
        for key in keys:
            path = Path(folder) / f"{key}.{images[key].extension}"
            path.write_bytes(images[key].data)
            paths.append(path)
        results = engine.read_many(paths)
    return {k: (r.text or "") for k, r in zip(keys, results)}


class MultimodalModel(ClassifierMixin, BaseEstimator):
    """Text model + image probe + OCR text, fused when that helps (see module docstring).

    ``X`` holds the text model's columns plus :data:`IMAGE_COLUMNS`; ``make_text_model`` makes a
    fresh text model (default: ``make_model("default")``). After ``fit``: ``judgement_`` (text-only
    and fused PR-AUC, MCC and threshold on the out-of-fold scores of the training rows, and
    why), ``use_fusion_`` (whether fusion won) and ``threshold_``: the fused threshold chosen on
    those scores (rows without images keep their text score) when fusion is used, else the text
    model's own, so that the model then predicts exactly as its text model.
    """

    def __init__(self, make_text_model: Callable[[], Any] | None = None, inner_folds: int = 3,
                 probe_C: float = 1.0, pr_auc_tolerance: float = PR_AUC_TOLERANCE,
                 random_state: int = 0):
        self.make_text_model = make_text_model
        self.inner_folds = inner_folds
        self.probe_C = probe_C
        self.pr_auc_tolerance = pr_auc_tolerance
        self.random_state = random_state

    def _text_model(self) -> Any:
        if self.make_text_model is not None:
            return self.make_text_model()
        from wildsift.sift.models.registry import make_model

        return make_model("default")

    def _probe(self):
        return make_pipeline(StandardScaler(), LogisticRegression(
            C=self.probe_C, class_weight="balanced", solver="liblinear", max_iter=2000))

    @staticmethod
    def _ocr_frame(X: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame({"text": X[OCR_TEXT].to_numpy()[rows],
                             "lexicon_hits": X[OCR_HITS].to_numpy(dtype=float)[rows]})

    def _scores(self, text_model: Any, probe: Any, X: pd.DataFrame, rows: np.ndarray
                ) -> pd.DataFrame:
        """text_score, image_score (max over a row's images), ocr_score, ocr_lexicon_hits."""
        part = X.iloc[rows]
        text = text_model.decision_scores(_text_part(part))
        image = np.full(len(rows), np.nan)
        owners = [(i, v) for i, vectors in enumerate(part[VECTORS]) for v in vectors]
        if owners and probe is not None:
            probs = probe.predict_proba(np.vstack([v for _, v in owners]))[:, 1]
            for (i, _), p in zip(owners, probs):
                image[i] = p if np.isnan(image[i]) else max(image[i], p)
        ocr = np.full(len(rows), np.nan)
        has_ocr = np.flatnonzero(part[OCR_TEXT].str.strip().str.len().to_numpy() > 0)
        if len(has_ocr):
            ocr[has_ocr] = text_model.decision_scores(self._ocr_frame(part, has_ocr))
        return pd.DataFrame({"text_score": text, "image_score": image, "ocr_score": ocr,
                             "ocr_lexicon_hits": part[OCR_HITS].to_numpy(dtype=float)})

    def _fit_probe(self, X: pd.DataFrame, y: np.ndarray, rows: np.ndarray) -> Any:
        vectors = [(v, y[r]) for r in rows for v in X[VECTORS].iloc[r]]
        labels = np.array([label for _, label in vectors], dtype=int)
        if len(vectors) < 2 or len(np.unique(labels)) < 2:
            return None
        return self._probe().fit(np.vstack([v for v, _ in vectors]), labels)

    def fit(self, X: pd.DataFrame, y: Sequence[int]) -> MultimodalModel:
        y = np.asarray(y, dtype=int)
        self.classes_ = np.unique(y)
        oof = self._out_of_fold(X, y)
        self.text_model_ = self._text_model().fit(_text_part(X), y)
        with_images = X[HAS_IMAGES].to_numpy(dtype=bool)
        text = oof["text_score"].to_numpy(dtype=float)
        fused = text.copy()
        self.fusion_ = None
        counts = np.bincount(y[with_images], minlength=2)
        if counts.min() >= 2:
            self.fusion_ = FusionModel(random_state=self.random_state).fit(
                oof[with_images], y[with_images])
            fused[with_images] = self.fusion_.oof_proba_
        elif with_images.any():
            part = oof[with_images]
            fused[with_images] = fusion_rule(part["text_score"], part["image_score"],
                                             part["ocr_score"])
        targets = {k: getattr(self.text_model_, k, None)
                   for k in ("target_precision", "target_recall")}
        judged = judge_fusion(y, text, fused, tolerance=self.pr_auc_tolerance, **targets)
        self.use_fusion_ = judged.kept
        self.judgement_ = judged.as_dict()
        if self.use_fusion_:
            self.probe_ = self._fit_probe(X, y, np.arange(len(y)))
            self.threshold_ = judged.fused["threshold"]
        else:  # step aside: the text model's scores and threshold, unchanged
            self.probe_ = None
            self.threshold_ = float(getattr(self.text_model_, "threshold_",
                                            judged.text["threshold"]))
        return self

    def _out_of_fold(self, X: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
        """text, image and OCR-text scores of every training row from models that did not see
        it (an inner stratified split), the input of fusion and of the judgement."""
        folds = min(self.inner_folds, int(np.bincount(y, minlength=2).min()))
        oof = pd.DataFrame(index=range(len(y)), columns=["text_score", "image_score",
                                                         "ocr_score", "ocr_lexicon_hits"],
                           dtype=float)
        splitter = StratifiedKFold(max(folds, 2), shuffle=True, random_state=self.random_state)
        for train, test in splitter.split(np.zeros(len(y)), y):
            text_model = self._text_model().fit(_text_part(X.iloc[train]), y[train])
            probe = self._fit_probe(X, y, train)
            oof.iloc[test] = self._scores(text_model, probe, X, test).to_numpy()
        return oof

    def decision_scores(self, X: pd.DataFrame) -> np.ndarray:
        if not self.use_fusion_:
            return np.asarray(self.text_model_.decision_scores(_text_part(X)), dtype=np.float64)
        rows = np.arange(len(X))
        scores = self._scores(self.text_model_, self.probe_, X, rows)
        fused = scores["text_score"].to_numpy(dtype=float).copy()
        with_images = X[HAS_IMAGES].to_numpy(dtype=bool)
        if with_images.any():
            part = scores[with_images]
            fused[with_images] = (self.fusion_.decision_scores(part) if self.fusion_ is not None
                                  else fusion_rule(part["text_score"], part["image_score"],
                                                   part["ocr_score"]))
        return fused

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        positive = self.decision_scores(X)
        return np.column_stack([1 - positive, positive])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return (self.decision_scores(X) >= self.threshold_).astype(int)



def _text_part(X: pd.DataFrame) -> pd.DataFrame:
    """The text model's columns of ``X`` (the image columns dropped)."""
    return X.drop(columns=[c for c in IMAGE_COLUMNS if c in X.columns])


def multimodal_frame(X: pd.DataFrame, references: Sequence[Sequence[str]], base_dir: Path, *,
                     image_model: Any, fetch: Callable[[str], bytes] | None = None,
                     ocr: Any | None = None, lexicon: Any | None = None
                     ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``X`` (the text model's frame) plus :data:`IMAGE_COLUMNS` for rows whose image cells are
    ``references``; and what loading the images did (counts, the first problems)."""
    loaded = load_images([r for row in references for r in row], base_dir, fetch=fetch)
    vectors = embed_images(image_model, loaded.images)
    texts = ocr_images(ocr, loaded.images)
    keys = [[k for k in dict.fromkeys(loaded.sha256_of.get(r) for r in row) if k]
            for row in references]
    ocr_text = ["\n".join(dict.fromkeys(t for k in row if (t := texts.get(k, "").strip())))
                for row in keys]
    hits = np.zeros(len(ocr_text))
    present = [i for i, t in enumerate(ocr_text) if t]
    if lexicon is not None and present:
        from wildsift.sift.rules.signals import match_texts

        found = match_texts(lexicon, [ocr_text[i] for i in present])
        hits[present] = [len(m) for m in found]
    out = X.copy()
    out[VECTORS] = [[vectors[k] for k in row] for row in keys]
    out[HAS_IMAGES] = [any(r for r in row) for row in references]
    out[OCR_TEXT] = ocr_text
    out[OCR_HITS] = hits
    summary = loaded.summary(int(out[HAS_IMAGES].sum()))
    summary.update(embedded=len(vectors), ocr_engine=_describe(ocr), ocr_texts=len(present),
                   image_model=_describe(image_model) or type(image_model).__name__)
    return out, summary


def _describe(thing: Any) -> str | None:
    """A model's or engine's ``describe`` (attribute or method), or its ``version``."""
    if thing is None:
        return None
    value = getattr(thing, "describe", None) or getattr(thing, "version", None)
    value = value() if callable(value) else value
    return None if value is None else str(value)
