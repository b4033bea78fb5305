"""Fusion: one relevance decision per post from its text, its images and the text in its images.

**Before labels** (:func:`fusion_rule`), a noisy-OR of the evidence::

    fused = 1 - (1 - text) * (1 - W_IMAGE * image) * (1 - W_OCR * ocr)     W_IMAGE = 0.6, W_OCR = 0.8

(a missing image or OCR score counts as 0: the text score is kept). Why this rule:

- evidence only *adds*: before the study has labelled posts with images, the image model
  (ImageNet classes, or zero-shot prompts) has not been checked on its products, so it may miss
  a carving it never saw; it must not veto a text that names ivory. The noisy-OR never lowers the
  text score.
- the image weight caps an unvalidated model: an image alone reaches the default threshold 0.5
  only when its score is at least 0.5 / 0.6 = 0.83, and text 0.20 with image 0.90 gives 0.632
  (flagged), with image 0.50 gives 0.44 (not flagged). OCR text is text: the study's own text
  model (or the lexicon rules) reads it, so it weighs more (0.8) but less than the post's text,
  since OCR garbles words.

**After labels** (:class:`FusionModel`), a small class-balanced logistic regression over
:data:`FEATURES` (logit of the text score, has-image, image score, logit of the OCR-text score,
has-OCR, lexicon hits in the OCR text), Platt-calibrated on out-of-fold decisions, with its own
threshold (best F1 on those out-of-fold probabilities), trained on the labelled posts that have
images. The text score it learns from must be out-of-fold (a text model scoring its own training
posts is overconfident, and fusion would learn to ignore the images). Posts without images keep
their text score: fusion has nothing to add.

**Help or step aside** (``sift/learn/fusion_judge.py``): a trained fusion is kept only when it beats
text-only out of fold on the training rows; otherwise the caller scores exactly like the text
model (``MultimodalModel``) or passes the text decision through (``FusionStage``), and records
why.

:class:`FusionStage` (``sift/stages/fusion.py``) applies either to a batch of posts, in the same
pass as the other post stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from wildsift.errors import ModelError
from wildsift.sift.models.threshold import choose_threshold

W_IMAGE = 0.6
W_OCR = 0.8
RULE_VERSION = "fusion-rule-v1"
FEATURES = ("text_score", "image_score", "ocr_score", "ocr_lexicon_hits")
DESIGN = ("text_logit", "has_image", "image_score", "ocr_logit", "has_ocr", "ocr_lexicon_hits")


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64)


def fusion_rule(text: Any, image: Any = None, ocr: Any = None, *, w_image: float = W_IMAGE,
                w_ocr: float = W_OCR) -> np.ndarray:
    """The noisy-OR above, element-wise; NaN (or None) image/OCR scores count as 0."""
    text = np.clip(np.asarray(text, dtype=np.float64), 0.0, 1.0)
    out = 1.0 - text
    for scores, weight in ((image, w_image), (ocr, w_ocr)):
        if scores is None:
            continue
        values = np.nan_to_num(np.asarray(scores, dtype=np.float64), nan=0.0)
        out = out * (1.0 - weight * np.clip(values, 0.0, 1.0))
    return 1.0 - out


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def design_matrix(X: pd.DataFrame) -> np.ndarray:
    """:data:`FEATURES` as the model's columns (:data:`DESIGN`): missing scores become a 0/1
    indicator and a neutral value, so a post whose image could not be scored still fuses."""
    if not isinstance(X, pd.DataFrame):
        X = pd.DataFrame(np.asarray(X, dtype=np.float64), columns=list(FEATURES))
    text = np.nan_to_num(_column(X, "text_score"), nan=0.5)
    image, ocr = _column(X, "image_score"), _column(X, "ocr_score")
    hits = np.nan_to_num(_column(X, "ocr_lexicon_hits"), nan=0.0)
    has_image, has_ocr = ~np.isnan(image), ~np.isnan(ocr)
    return np.column_stack([
        _logit(text), has_image, np.nan_to_num(image, nan=0.0),
        np.where(has_ocr, _logit(np.nan_to_num(ocr, nan=0.5)), 0.0), has_ocr,
        np.log1p(np.minimum(np.maximum(hits, 0), 10))]).astype(np.float64)


class FusionModel(ClassifierMixin, BaseEstimator):
    """Relevant (1) or not (0) from :data:`FEATURES`; follows scikit-learn's estimator rules.

    ``fit`` learns a class-balanced logistic regression (standardised inputs), Platt-calibrates
    it on out-of-fold decisions and chooses ``threshold_`` on the calibrated out-of-fold
    probabilities (kept in ``oof_proba_`` so a caller can choose one threshold for posts with and
    without images).
    """

    def __init__(self, C: float = 1.0, calibration_folds: int = 3, random_state: int = 0):
        self.C = C
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    def _base(self):
        return make_pipeline(StandardScaler(), LogisticRegression(
            C=self.C, class_weight="balanced", solver="liblinear", max_iter=1000,
            random_state=self.random_state))

    def fit(self, X: Any, y: Sequence[int]) -> FusionModel:
        y = np.asarray(y, dtype=int)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ModelError("fusion needs labelled posts with images of both classes (relevant "
                             "and not); label some of the missing class or keep the rule")
        matrix = design_matrix(X)
        base = self._base()
        folds = min(self.calibration_folds, int(np.bincount(y).min()))
        self.calibrator_ = None
        if folds >= 2:
            splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
            oof = cross_val_predict(base, matrix, y, cv=splitter, method="decision_function")
            self.calibrator_ = LogisticRegression(C=1e4, solver="liblinear").fit(
                oof.reshape(-1, 1), y)
            self.oof_proba_ = self.calibrator_.predict_proba(oof.reshape(-1, 1))[:, 1]
            self.threshold_ = choose_threshold(y, self.oof_proba_).threshold
        self.classifier_ = base.fit(matrix, y)
        if self.calibrator_ is None:  # too few of a class to calibrate
            self.oof_proba_ = self.classifier_.predict_proba(matrix)[:, 1]
            self.threshold_ = 0.5
        weights = self.classifier_[-1].coef_.ravel()
        self.coefficients_ = dict(zip(DESIGN, (float(w) for w in weights)))
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "classifier_")
        matrix = design_matrix(X)
        if self.calibrator_ is None:
            return self.classifier_.predict_proba(matrix)
        decision = self.classifier_.decision_function(matrix).reshape(-1, 1)
        return self.calibrator_.predict_proba(decision)

    def decision_scores(self, X: Any) -> np.ndarray:
        return self.predict_proba(X)[:, 1]

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_scores(X) >= self.threshold_).astype(int)

