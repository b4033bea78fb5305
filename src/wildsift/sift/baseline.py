"""The plain baseline every claim about the default model is measured against.

A TF-IDF bag of words with scikit-learn's defaults and a logistic regression
(``TfidfVectorizer()`` + ``LogisticRegression(max_iter=1000)``), reading the post text only,
predicting at its natural threshold of 0.5. It is what a reviewer would try first, so the
default text model must beat it on the same folds before anyone trusts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils.validation import check_is_fitted

from wildsift.errors import ModelError


def _texts(X: Any) -> list[str]:
    if hasattr(X, "columns"):
        return ["" if t is None else str(t) for t in X["text"].tolist()]
    return ["" if t is None else str(t) for t in X]


class BaselineModel(ClassifierMixin, BaseEstimator):
    """TF-IDF (defaults) + logistic regression (max_iter=1000), threshold 0.5."""

    def __init__(self, max_iter: int = 1000):
        self.max_iter = max_iter

    def fit(self, X: Any, y: Sequence[int]) -> BaselineModel:
        y = np.asarray(y, dtype=int)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ModelError("the baseline needs examples of both classes (relevant and not)")
        self.pipeline_: Pipeline = make_pipeline(
            TfidfVectorizer(), LogisticRegression(max_iter=self.max_iter)).fit(_texts(X), y)
        self.threshold_ = 0.5
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.predict_proba(_texts(X))

    def decision_scores(self, X: Any) -> np.ndarray:
        return self.predict_proba(X)[:, list(self.classes_).index(1)]

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_scores(X) >= self.threshold_).astype(int)
