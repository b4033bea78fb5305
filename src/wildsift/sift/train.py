"""Train the study's text relevance model from its labels and save it with a model card."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wildsift.errors import ModelError
from wildsift.sift.artifact import save_model
from wildsift.sift.evaluate import cross_validate
from wildsift.sift.match import LexiconStage
from wildsift.sift.text import FEATURES_DESCRIPTION, TextRelevanceModel
from wildsift.study import Study

MIN_LABELS = 10
MIN_PER_CLASS = 3


def post_labels(labels: pd.DataFrame) -> pd.Series:
    """One 0/1 label per post: the majority of its annotators, ties broken by the latest."""
    if labels.empty:
        return pd.Series(dtype=int, name="relevant")
    frame = labels.copy()
    frame["y"] = frame["value"].astype(str).str.strip().isin({"1", "true", "yes"}).astype(int)
    frame = frame.sort_values(["post_pk", "created_at"], na_position="first")
    out = {}
    for pk, group in frame.groupby("post_pk", sort=True):
        ones, total = int(group["y"].sum()), len(group)
        out[pk] = 1 if ones * 2 > total else 0 if ones * 2 < total else int(group["y"].iloc[-1])
    return pd.Series(out, name="relevant")


def training_frame(study: Study, lexicon: Any | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Texts (with lexicon hits) and labels of the study's labelled posts."""
    store = study.store
    y = post_labels(store.labels_frame("relevant"))
    if y.empty:
        return pd.DataFrame({"text": [], "lexicon_hits": []}), np.zeros(0, dtype=int)
    wanted = {int(pk) for pk in y.index}
    parts = [batch[batch["pk"].isin(wanted)]
             for batch in store.iter_posts(("pk", "text", "lang"), batch_size=20000)]
    posts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["pk", "text"])
    posts["text"] = posts["text"].fillna("")
    posts = LexiconStage(lexicon)(posts)
    labels = y.reindex(posts["pk"].astype(int)).to_numpy(dtype=int)
    return posts[["pk", "text", "lexicon_hits"]].reset_index(drop=True), labels


def train_study(study: Study, *, folds: int = 5, lexicon: Any | None = None) -> dict[str, Any]:
    """Fit the text model on every labelled post, cross-validate it, save it; returns the card."""
    X, y = training_frame(study, lexicon)
    counts = np.bincount(y, minlength=2) if len(y) else np.zeros(2, dtype=int)
    if len(y) < MIN_LABELS or counts.min() < MIN_PER_CLASS:
        raise ModelError(
            f"too few labels to train: {int(counts[1])} relevant and {int(counts[0])} not "
            f"relevant; label at least {MIN_LABELS} posts with at least {MIN_PER_CLASS} of each "
            "class ('wildsift label' or 'wildsift import' with a label column)"
        )
    metrics = cross_validate(X, y, folds=folds)
    model = TextRelevanceModel().fit(X, y)
    card = {
        "data_size": len(y),
        "class_balance": {"relevant": int(counts[1]), "not_relevant": int(counts[0])},
        "metrics": metrics,
        "cv": f"stratified {metrics['folds']}-fold, shuffled, random_state=0; threshold 0.5",
        "features": FEATURES_DESCRIPTION,
        "params": model.get_params(),
        "calibrated": bool(model.calibrated_),
        "study": study.settings.study.name,
    }
    return save_model(model, study.models_dir, card)
