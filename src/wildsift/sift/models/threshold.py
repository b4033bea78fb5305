"""Choosing the decision threshold from out-of-fold scores of the training data.

Why not 0.5: with 1-3% relevant posts the F1-optimal threshold of even a calibrated model is
rarely 0.5, and a study may need a precision it can publish ("at least 90% of what we keep is
trade") or a recall it can defend ("we miss at most 10%"). The threshold is chosen on scores the
model made for posts it did not train on (inner cross-validation), never on a test fold.

Where in the gap: every threshold between the score of the last post kept and the next score
below it gives the same out-of-fold counts, and the precision-recall curve reports the top of
that gap, the score of a kept post. With few positives (a dozen in 2,000 posts) or a gap from
0.02 to 0.97, that edge is the worst place to cut: a new relevant post that scores a hair lower
is lost. The threshold is put at the middle of the gap in log-odds instead (the maximum-margin
cut, as a support vector machine would place it); the out-of-fold figures stay exactly the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import precision_recall_curve

from wildsift.errors import ConfigError


@dataclass(frozen=True)
class ThresholdChoice:
    """The chosen threshold, the rule that chose it, and the out-of-fold figures there."""

    threshold: float
    rule: str  # "best_f1" | "best_mcc" | "target_precision" | "target_recall" | "default"
    precision: float
    recall: float
    f1: float
    met_target: bool = True

    def as_dict(self) -> dict[str, float | str | bool]:
        return {"threshold": self.threshold, "rule": self.rule, "precision": self.precision,
                "recall": self.recall, "f1": self.f1, "met_target": self.met_target}


_EPS = 1e-6


def _logit(p: float) -> float:
    p = min(max(p, _EPS), 1 - _EPS)
    return float(np.log(p / (1 - p)))


def margin_threshold(scores: np.ndarray, cut: float) -> float:
    """The middle, in log-odds, of the gap between ``cut`` (the lowest score kept) and the
    highest score below it; ``cut`` itself when nothing scores below it. Scores outside [0, 1]
    (not probabilities) get the plain middle."""
    below = scores[scores < cut]
    if not len(below):
        return float(cut)
    top = float(below.max())
    if scores.min() < 0 or scores.max() > 1:
        return (float(cut) + top) / 2
    middle = (_logit(float(cut)) + _logit(top)) / 2
    return float(min(max(1.0 / (1.0 + np.exp(-middle)), np.nextafter(top, np.inf)), cut))


def mcc_along_curve(y: np.ndarray, precision: np.ndarray, recall: np.ndarray) -> np.ndarray:
    """Matthews correlation at each point of a precision-recall curve (counts rebuilt from the
    curve: tp = recall * positives, fp = tp / precision - tp)."""
    positives = float(np.sum(y == 1))
    negatives = float(len(y) - positives)
    tp = recall * positives
    with np.errstate(invalid="ignore", divide="ignore"):
        fp = np.where(precision > 0, tp / precision - tp, 0.0)
        fn, tn = positives - tp, negatives - fp
        denominator = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        return np.where(denominator > 0, (tp * tn - fp * fn) / denominator, 0.0)


def choose_threshold(y: np.ndarray, scores: np.ndarray, *, target_precision: float | None = None,
                     target_recall: float | None = None, margin: bool = True,
                     objective: str = "f1") -> ThresholdChoice:
    """Best F1 by default (best Matthews correlation with ``objective="mcc"``); with
    ``target_precision`` the lowest threshold whose precision meets
    it (the most recall at that precision); with ``target_recall`` the highest threshold whose
    recall meets it (the most precision at that recall). When no threshold meets the target,
    best F1 is used and ``met_target`` is False (the caller says so). ``margin``: cut in the
    middle of the gap below the chosen point (see the module doc) rather than at its top; the
    precision, recall and F1 reported are the same either way."""
    if target_precision is not None and target_recall is not None:
        raise ConfigError("set target_precision or target_recall in [sift], not both")
    y = np.asarray(y, dtype=int)
    scores = np.asarray(scores, dtype=np.float64)
    if len(np.unique(y)) < 2:
        return ThresholdChoice(0.5, "default", float("nan"), float("nan"), float("nan"), False)
    precision, recall, thresholds = precision_recall_curve(y, scores)
    precision, recall = precision[:-1], recall[:-1]  # the last point has no threshold
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    if objective not in ("f1", "mcc"):
        raise ConfigError(f"threshold objective must be 'f1' or 'mcc', not {objective!r}")
    best = int(np.argmax(f1 if objective == "f1" else mcc_along_curve(y, precision, recall)))
    index, rule, met = best, f"best_{objective}", True
    if target_precision is not None:
        ok = np.flatnonzero(precision >= target_precision)
        index, rule, met = (int(ok[0]), "target_precision", True) if len(ok) else (
            best, "target_precision", False)
    elif target_recall is not None:
        ok = np.flatnonzero(recall >= target_recall)
        index, rule, met = (int(ok[-1]), "target_recall", True) if len(ok) else (
            best, "target_recall", False)
    threshold = float(thresholds[index])
    if margin:
        threshold = margin_threshold(scores, threshold)
    return ThresholdChoice(threshold, rule, float(precision[index]), float(recall[index]),
                           float(f1[index]), met)
