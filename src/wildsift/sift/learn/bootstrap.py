"""Bootstrap confidence intervals of the out-of-fold metrics.

Why: on 500 labelled posts with 100 relevant ones an F1 of 0.80 could as well be 0.74 or 0.86;
a figure without its interval invites over-reading. Posts are resampled with replacement
(``resamples`` times) and each metric's 2.5th and 97.5th percentiles reported (95% CI).
Vectorised over confusion counts, so 1,000 resamples of 16,000 posts take well under a second.
"""

from __future__ import annotations

import numpy as np

CI_METRICS = ("precision", "recall", "f1", "mcc")


def _metrics(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, tn: np.ndarray) -> dict:
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
        denominator = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        mcc = np.where(denominator > 0, (tp * tn - fp * fn) / denominator, 0.0)
    return {"precision": precision, "recall": recall, "f1": f1, "mcc": mcc}


def bootstrap_ci(y: np.ndarray, predicted: np.ndarray, *, resamples: int = 1000,
                 level: float = 0.95, random_state: int = 0) -> dict[str, list[float]]:
    """{metric: [low, high]} for precision, recall, F1 and MCC of ``predicted`` against ``y``."""
    y = np.asarray(y, dtype=int)
    predicted = np.asarray(predicted, dtype=int)
    if resamples <= 0 or len(y) == 0:
        return {}
    cell = 2 * y + predicted  # 0 tn, 1 fp, 2 fn, 3 tp
    rng = np.random.default_rng(random_state)
    counts = np.zeros((resamples, 4), dtype=np.float64)
    for start in range(0, resamples, 100):  # bounded memory for large files
        stop = min(resamples, start + 100)
        draws = rng.integers(0, len(y), size=(stop - start, len(y)))
        picked = cell[draws]
        for c in range(4):
            counts[start:stop, c] = (picked == c).sum(axis=1)
    tn, fp, fn, tp = counts.T
    alpha = (1 - level) / 2
    return {name: [float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))]
            for name, values in _metrics(tp, fp, fn, tn).items()}
