"""The trained task head: hashed n-grams of the text plus the rule cues, a logistic regression.

One estimator for every head: multinomial for trade intent (offer / wanted / news_awareness /
other), binary for captive-bred claims and scams. The rule cues (sale cues, intent, origin and
scam phrases, too-good price, reused image) are features, so a head starts from what the rules
know and learns the study's own phrasing from a few dozen labels. It follows scikit-learn's
estimator rules: ``__init__`` stores parameters, ``fit`` returns self, learned state ends in ``_``.
``X`` is a DataFrame with ``text`` and the :data:`RULE_FEATURES` columns (see :func:`rule_frame`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
)
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.validation import check_is_fitted

from wildsift.errors import ModelError
from wildsift.sift.models.hashing import CharNgramHasher, WordNgramHasher
from wildsift.sift.rules import intent, origin, scam

RULE_FEATURES = intent.FEATURE_NAMES + origin.FEATURE_NAMES + scam.FEATURE_NAMES
FEATURES_DESCRIPTION = [
    "character n-grams 2-5 (hashed, 2^18), sublinear tf-idf",
    "word n-grams 1-2 (hashed, 2^17), sublinear tf-idf",
    f"rule cues (log1p counts): {', '.join(RULE_FEATURES)}",
]


def rule_frame(texts: Sequence[str], products: Sequence[list[tuple[str, str]]],
               reused: Sequence[bool]) -> pd.DataFrame:
    """``text`` and every rule cue of each post: the input of :class:`HeadModel`."""
    texts = ["" if t is None else str(t) for t in texts]
    return frame_of(texts, rule_matrix(texts, products, reused))


def rule_matrix(texts: Sequence[str], products: Sequence[list[tuple[str, str]]],
                reused: Sequence[bool]) -> np.ndarray:
    """The rule cues of each post as a matrix (columns in RULE_FEATURES order); ``texts`` are
    strings. The rules alone need no more than this (no DataFrame)."""
    return np.hstack([intent.intent_features(texts), origin.origin_features(texts),
                      scam.scam_features(texts, products, reused)])


def frame_of(texts: list[str], matrix: np.ndarray) -> pd.DataFrame:
    """:func:`rule_frame` from the texts and their :func:`rule_matrix`."""
    frame = pd.DataFrame(matrix, columns=list(RULE_FEATURES))
    frame.insert(0, "text", texts)
    return frame


def _texts(frame: pd.DataFrame) -> list[str]:
    return frame["text"].tolist()


def _cues(frame: pd.DataFrame) -> sparse.csr_matrix:
    return sparse.csr_matrix(np.log1p(frame[list(RULE_FEATURES)].to_numpy(dtype=np.float64)))


class HeadModel(ClassifierMixin, BaseEstimator):
    """A linear classifier over n-grams and rule cues; any label set of two or more classes."""

    def __init__(self, char_features: int = 2**18, word_features: int = 2**17, C: float = 4.0,
                 random_state: int = 0):
        self.char_features = char_features
        self.word_features = word_features
        self.C = C
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: Sequence[Any]) -> HeadModel:
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ModelError("a task head needs labels of at least two classes; label posts of "
                             "the missing class")

        def branch(hasher: Any) -> Pipeline:
            return Pipeline([("text", FunctionTransformer(_texts)), ("hash", hasher),
                             ("tfidf", TfidfTransformer(sublinear_tf=True))])

        self.features_ = FeatureUnion([
            ("char", branch(CharNgramHasher((2, 5), self.char_features))),
            ("word", branch(WordNgramHasher((1, 2), self.word_features))),
            ("cues", FunctionTransformer(_cues))])
        self.classifier_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000,
                                              random_state=self.random_state)
        matrix = self.features_.fit_transform(X).tocsc()
        # Only columns seen in training can get a non-zero weight (L2 penalty): fitting on them
        # alone gives the same model, and is 10x faster with a few hundred labels.
        self.columns_ = np.flatnonzero(matrix.getnnz(axis=0))
        self.classifier_.fit(matrix[:, self.columns_].tocsr(), y)
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "classifier_")
        matrix = self.features_.transform(X).tocsc()[:, self.columns_].tocsr()
        return self.classifier_.predict_proba(matrix)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def positive_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probability of class 1 (binary heads)."""
        return self.predict_proba(X)[:, list(self.classes_).index(1)]


def cross_validate_head(X: pd.DataFrame, y: np.ndarray, folds: int = 5) -> dict[str, Any]:
    """Out-of-fold metrics of stratified k-fold CV (folds capped by the smallest class).

    Binary heads: precision, recall, F1 of class 1, macro-F1, MCC and PR-AUC; multi-class
    heads: accuracy, macro-F1 and the F1 of each class.
    """
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    k = int(min(folds, counts.min()))
    if k < 2:
        raise ModelError("too few labels of a class to cross-validate (need 2 or more each)")
    predicted = np.empty(len(y), dtype=y.dtype)
    proba = np.zeros((len(y), len(classes)))
    for train, test in StratifiedKFold(k, shuffle=True, random_state=0).split(X, y):
        model = HeadModel().fit(X.iloc[train], y[train])
        fold_proba = model.predict_proba(X.iloc[test])
        columns = [list(classes).index(c) for c in model.classes_]
        proba[np.ix_(test, columns)] = fold_proba
        predicted[test] = model.classes_[np.argmax(fold_proba, axis=1)]
    metrics: dict[str, Any] = {"folds": k, "accuracy": float(accuracy_score(y, predicted)),
                               "macro_f1": float(f1_score(y, predicted, average="macro"))}
    if set(classes) == {0, 1}:
        positive = list(classes).index(1)
        metrics |= {
            "precision": float(precision_score(y, predicted, zero_division=0)),
            "recall": float(recall_score(y, predicted, zero_division=0)),
            "f1": float(f1_score(y, predicted, zero_division=0)),
            "mcc": float(matthews_corrcoef(y, predicted)),
            "pr_auc": float(average_precision_score(y, proba[:, positive])),
        }
    else:
        for name, value in zip(classes, f1_score(y, predicted, labels=classes, average=None)):
            metrics[f"f1_{name}"] = float(value)
    return metrics
