"""Whether fusing images into the text decision helps, judged out of fold; else it steps aside.

Why: on a real, labelled set (issue 9, item 4) text + images scored MCC 0.790 against 0.799 for
text alone, with PR-AUC 0.892 against 0.890: fusion learned from noisy image scores and cost
decisions. So a trained fusion must earn its place on the study's own labels, the way the text
candidates do (``sift/models/selection.py``), and step aside when it does not.

The rule (:func:`judge_fusion`), on out-of-fold scores of the *training* rows only (text and
fused, from models that did not see the row), each side with the threshold it would choose on
those scores (best MCC, or the study's precision / recall target):

1. fusion may not be worse: its PR-AUC at least the text's less ``tolerance``, and its MCC at
   least the text's;
2. and it must be better: by more than ``tolerance`` in PR-AUC (the ranking, first), or else in
   MCC, in at least ``confidence`` (95%) of paired bootstrap resamples of the rows, so that a
   gain the size of the noise is a tie (on 60 posts, images of random colours moved PR-AUC by
   up to 0.1, and were "better" in up to 92% of resamples);
3. a tie goes to text-only, the simpler.

Both sides are resampled with the same rows, so what is compared is the difference; the
thresholds stay as chosen (the bootstrap measures the rows' noise, not the threshold choice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, matthews_corrcoef

from wildsift.sift.models.threshold import choose_threshold

PR_AUC_TOLERANCE = 0.005  # as sift/models/selection.py: closer than this, MCC decides
CONFIDENCE = 0.95  # share of paired resamples in which fusion must be better (one-sided)
RESAMPLES = 200
_CHUNK = 50  # resamples drawn at a time: memory stays at _CHUNK x rows


@dataclass(frozen=True)
class FusionJudgement:
    """Text-only against fused, out of fold on the training rows; ``kept`` says which won."""

    kept: bool
    text: dict[str, float]  # pr_auc, mcc, threshold
    fused: dict[str, float]
    reason: str
    rows: int
    with_images: int
    better_share: dict[str, float]  # pr_auc, mcc: share of resamples where fused was higher

    def as_dict(self) -> dict[str, Any]:
        return {"kept": self.kept, "text_only": dict(self.text), "fused": dict(self.fused),
                "why": self.reason, "rows": self.rows, "rows_with_images": self.with_images,
                "fused_better_in_resamples": dict(self.better_share)}


def judge_fusion(y: Sequence[int], text: Any, fused: Any, *, text_rows: Any = None,
                 target_precision: float | None = None, target_recall: float | None = None,
                 tolerance: float = PR_AUC_TOLERANCE, confidence: float = CONFIDENCE,
                 resamples: int = RESAMPLES, random_state: int = 0) -> FusionJudgement:
    """Whether ``fused`` beats ``text``, both out-of-fold scores of the same training rows
    (the rule in the module docstring).

    ``text_rows`` (a boolean mask; posts without images in a study) are rows whose fused
    decision *is* the text decision at the text threshold, as ``FusionStage`` decides them:
    the fused threshold is then chosen on the other rows only.
    """
    y = np.asarray(y, dtype=int)
    text = np.asarray(text, dtype=np.float64)
    fixed = (np.zeros(len(y), dtype=bool) if text_rows is None
             else np.asarray(text_rows, dtype=bool))
    targets = {"target_precision": target_precision, "target_recall": target_recall}
    text_threshold = _threshold(y, text, targets)
    text_predicted = text >= text_threshold
    fused = np.where(fixed, text, np.asarray(fused, dtype=np.float64))
    free = ~fixed
    fused_threshold = (_threshold(y[free], fused[free], targets)
                       if len(np.unique(y[free])) == 2 else text_threshold)
    fused_predicted = np.where(fixed, text_predicted, fused >= fused_threshold)
    text_fig = _figures(y, text, text_predicted, text_threshold)
    fused_fig = _figures(y, fused, fused_predicted, fused_threshold)
    share = paired_better_share(y, (text, fused), (text_predicted, fused_predicted),
                                resamples=resamples, random_state=random_state)
    kept, why = _verdict(text_fig, fused_fig, share, tolerance, confidence)
    return FusionJudgement(kept, text_fig, fused_fig, why, len(y), int(free.sum()), share)


def _threshold(y: np.ndarray, scores: np.ndarray, targets: dict[str, float | None]) -> float:
    """The threshold a relevance model would choose on these scores (sift/models/selection.py's)."""
    return float(choose_threshold(y, scores, margin=False, objective="mcc",
                                  **targets).threshold)


def _figures(y: np.ndarray, scores: np.ndarray, predicted: np.ndarray,
             threshold: float) -> dict[str, float]:
    return {"pr_auc": float(average_precision_score(y, scores)),
            "mcc": float(matthews_corrcoef(y, predicted.astype(int))),
            "threshold": float(threshold)}


def _verdict(text: dict[str, float], fused: dict[str, float], share: dict[str, float],
             tolerance: float, confidence: float) -> tuple[bool, str]:
    gain = fused["pr_auc"] - text["pr_auc"]
    if gain < -tolerance:
        kept, how = False, "lower out-of-fold PR-AUC"
    elif fused["mcc"] < text["mcc"]:
        kept, how = False, "lower out-of-fold MCC"
    elif gain > tolerance and share["pr_auc"] >= confidence:
        kept, how = True, "higher out-of-fold PR-AUC"
    elif fused["mcc"] > text["mcc"] and share["mcc"] >= confidence:
        kept, how = True, "higher out-of-fold MCC, PR-AUC not lower"
    else:
        kept, how = False, (f"no gain beyond noise (better in under {confidence:.0%} of "
                            "resamples): a tie goes to text-only")
    figures = (f"PR-AUC/MCC fused {fused['pr_auc']:.3f}/{fused['mcc']:.3f} vs text-only "
               f"{text['pr_auc']:.3f}/{text['mcc']:.3f}; fused better in "
               f"{share['pr_auc']:.0%}/{share['mcc']:.0%} of resamples")
    verb = "fusion kept" if kept else "fusion stepped aside"
    return kept, f"{verb}: {how} ({figures})"


def paired_better_share(y: np.ndarray, scores: tuple[np.ndarray, np.ndarray],
                        predicted: tuple[np.ndarray, np.ndarray], *,
                        resamples: int = RESAMPLES, random_state: int = 0) -> dict[str, float]:
    """Share of bootstrap resamples of the rows (the same rows for both sides) in which the
    second side's PR-AUC, and its MCC, is higher than the first's. Vectorised over resamples:
    each resample is a row of weights (how often each row was drawn)."""
    if resamples <= 0 or len(y) == 0:
        return {"pr_auc": 0.0, "mcc": 0.0}
    rng = np.random.default_rng(random_state)
    n = len(y)
    better = {"pr_auc": 0, "mcc": 0}
    for start in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - start)
        draws = rng.integers(0, n, size=(size, n))
        weights = np.zeros((size, n))
        np.add.at(weights, (np.repeat(np.arange(size), n), draws.ravel()), 1.0)
        ap = [_weighted_average_precision(y, s, weights) for s in scores]
        mcc = [_weighted_mcc(y, p, weights) for p in predicted]
        better["pr_auc"] += int(np.sum(ap[1] > ap[0]))
        better["mcc"] += int(np.sum(mcc[1] > mcc[0]))
    return {k: v / resamples for k, v in better.items()}


def _weighted_average_precision(y: np.ndarray, scores: np.ndarray,
                                weights: np.ndarray) -> np.ndarray:
    """sklearn's average precision (steps at each distinct score), one per row of ``weights``;
    NaN for a resample without positives."""
    order = np.argsort(-scores, kind="mergesort")
    ordered, positive = scores[order], y[order].astype(bool)
    w = weights[:, order]
    tp = np.cumsum(np.where(positive, w, 0.0), axis=1)
    seen = np.cumsum(w, axis=1)
    last = np.r_[np.flatnonzero(np.diff(ordered) != 0), len(ordered) - 1]
    tp, seen = tp[:, last], seen[:, last]
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = tp / tp[:, -1:]
        precision = np.where(seen > 0, tp / seen, 1.0)
    steps = np.diff(np.c_[np.zeros(len(recall)), recall], axis=1)
    return np.sum(steps * precision, axis=1)


def _weighted_mcc(y: np.ndarray, predicted: np.ndarray, weights: np.ndarray) -> np.ndarray:
    y, predicted = y.astype(bool), np.asarray(predicted, dtype=bool)
    tp, fp = weights @ (y & predicted), weights @ (~y & predicted)
    fn, tn = weights @ (y & ~predicted), weights @ (~y & ~predicted)
    with np.errstate(invalid="ignore", divide="ignore"):
        denominator = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        return np.where(denominator > 0, (tp * tn - fp * fn) / denominator, 0.0)
