"""The trained stance head: logistic regression on sentence embeddings, fitted from the study's
``stance`` labels whenever there are enough of them, and judged out of fold.

Label values are normalised: the web form's ``supportive`` / ``critical`` / ``neutral``
(study.py's label schema) and the words people type (for, pro, against, anti...) map to
``for`` / ``against`` / ``neutral``; anything else is counted as ignored.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

STANCES = ("against", "for", "neutral")
MIN_LABELS = 30  # below this (or under MIN_PER_CLASS in any class) the prototypes are used
MIN_PER_CLASS = 5
_ALIASES = {
    "for": "for", "pro": "for", "supportive": "for", "support": "for", "for trade": "for",
    "against": "against", "anti": "against", "critical": "against", "oppose": "against",
    "against trade": "against", "neutral": "neutral", "none": "neutral",
}


def normalise_stance(value: object) -> str | None:
    return _ALIASES.get(str(value).strip().lower().replace("_", " ").replace("-", " "))


def enough_labels(y: np.ndarray) -> bool:
    counts = Counter(y.tolist())
    return len(y) >= MIN_LABELS and len(counts) >= 2 and min(counts.values()) >= MIN_PER_CLASS


def make_head() -> LogisticRegression:
    return LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")


def out_of_fold(X: np.ndarray, y: np.ndarray, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Predictions of each labelled post by a head that never saw it (stratified folds)."""
    n_splits = max(2, min(folds, min(Counter(y.tolist()).values())))
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return cross_val_predict(make_head(), X, y, cv=cv)


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    labels = sorted(set(np.asarray(y_true).tolist()))
    return float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0))
