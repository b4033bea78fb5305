"""How well the current relevance scores agree with people's labels: a precision-recall curve.

Why: a study publishes what its filter kept, so its readers need to see what the filter misses
and lets through at the threshold in use. The curve compares the latest stored ``relevance``
score of every labelled post with its human label (majority of annotators; labels written by a
model, e.g. an LLM, are left out). Posts the model was trained on score optimistically; the
model card's cross-validated figures are the honest estimate, this curve the live check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, precision_recall_curve

from wildsift.study import Study

# Annotators whose labels are machine-made, not human (prefix of the stored annotator name).
MACHINE_ANNOTATORS = ("llm", "model", "auto", "rules", "machine")


@dataclass(frozen=True)
class PRCurve:
    """Precision and recall at each threshold, and the operating point of the stored decisions."""

    precision: np.ndarray
    recall: np.ndarray
    thresholds: np.ndarray
    average_precision: float
    labelled: int  # labelled posts with a relevance score
    positives: int
    point_precision: float | None  # of the stored 0/1 'relevant' decisions
    point_recall: float | None


def human_labels(labels: pd.DataFrame) -> pd.Series:
    """post_pk -> 0/1: majority of human annotators, ties to the latest label."""
    if labels.empty:
        return pd.Series(dtype=int)
    human = labels[~labels["annotator"].astype(str).str.lower().str.startswith(MACHINE_ANNOTATORS)]
    frame = human.assign(y=human["value"].astype(str).str.strip().str.lower()
                         .isin({"1", "true", "yes"}).astype(int))
    frame = frame.sort_values(["post_pk", "created_at"], na_position="first")
    grouped = frame.groupby("post_pk")["y"]
    share = grouped.mean()
    latest = grouped.last()
    return pd.Series(np.where(share > 0.5, 1, np.where(share < 0.5, 0, latest)),
                     index=share.index.astype(int), dtype=int)


def pr_curve(study: Study) -> PRCurve | None:
    """The curve of the study's latest relevance scores against its human labels; None when
    fewer than two labelled posts are scored or only one class is labelled."""
    y = human_labels(study.store.labels.frame("relevant"))
    if y.empty:
        return None
    scores = study.store.scores.latest(["relevance", "relevant"])
    if scores.empty or "relevance" not in scores:
        return None
    scores = scores.set_index(scores["post_pk"].astype(int))
    common = y.index.intersection(scores.index[scores["relevance"].notna()])
    truth = y.loc[common].to_numpy(dtype=int)
    if len(common) < 2 or len(np.unique(truth)) < 2:
        return None
    relevance = pd.to_numeric(scores.loc[common, "relevance"]).to_numpy(dtype=np.float64)
    precision, recall, thresholds = precision_recall_curve(truth, relevance)
    point_precision = point_recall = None
    if "relevant" in scores:
        decided = pd.to_numeric(scores.loc[common, "relevant"], errors="coerce").fillna(0) > 0
        kept, hits = int(decided.sum()), int((decided.to_numpy() & (truth == 1)).sum())
        point_precision = hits / kept if kept else None
        point_recall = hits / int(truth.sum())
    return PRCurve(precision, recall, thresholds, float(average_precision_score(truth, relevance)),
                   len(common), int(truth.sum()), point_precision, point_recall)
