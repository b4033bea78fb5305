"""Train the task heads from the study's labels (fields ``intent``, ``captive_bred``, ``scam``).

A head with too few labels stays rule-based and says so: :func:`train_heads` returns, per head,
either the saved model card or ``{"method": "rules", "reason": ...}``. Label values are normalised
("sell" -> offer, "buy" -> wanted, "news" -> news_awareness; "yes"/"true"/"1" -> 1); values that
mean nothing are counted in ``ignored_labels``, never silently dropped.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from wildsift.sift.learn.train import MIN_LABELS, MIN_PER_CLASS
from wildsift.sift.models.artifact import save_model
from wildsift.sift.models.head_model import (
    FEATURES_DESCRIPTION,
    HeadModel,
    cross_validate_head,
    rule_frame,
)
from wildsift.sift.rules import scam
from wildsift.sift.rules.intent import INTENTS
from wildsift.sift.stages.heads import HEADS, heads_models_dir, taxon_groups
from wildsift.sift.stages.lexicon_match import LexiconStage
from wildsift.study import Study

_INTENT_ALIASES = {
    "offer": "offer", "sell": "offer", "sale": "offer", "selling": "offer", "wts": "offer",
    "wanted": "wanted", "want": "wanted", "buy": "wanted", "buying": "wanted", "wtb": "wanted",
    "request": "wanted", "news_awareness": "news_awareness", "news": "news_awareness",
    "awareness": "news_awareness", "news/awareness": "news_awareness", "other": "other",
}
_TRUE = {"1", "1.0", "true", "yes", "y"}
_FALSE = {"0", "0.0", "false", "no", "n"}


def normalise(head: str, value: Any) -> Any | None:
    """The class a label value means for ``head``, or None when it means nothing."""
    text = str(value).strip().lower()
    if head == "intent":
        return _INTENT_ALIASES.get(text.replace(" ", "_").replace("-", "_"))
    return 1 if text in _TRUE else 0 if text in _FALSE else None


def post_classes(labels: pd.DataFrame, head: str) -> tuple[pd.Series, Counter]:
    """One class per post (the majority of its annotators, ties to the latest label) and the
    count of each label value that means nothing."""
    ignored: Counter = Counter()
    if labels.empty:
        return pd.Series(dtype=object), ignored
    frame = labels.sort_values(["post_pk", "created_at"], na_position="first")
    out = {}
    for pk, group in frame.groupby("post_pk", sort=True):
        values = []
        for raw in group["value"]:
            value = normalise(head, raw)
            if value is None:
                ignored[str(raw)] += 1
            else:
                values.append(value)
        if values:
            counts = Counter(values)
            best = max(counts.values())
            out[int(pk)] = next(v for v in reversed(values) if counts[v] == best)
    return pd.Series(out, dtype=object), ignored


def training_data(study: Study, head: str, lexicon: Any | None = None,
                  reused_pks: set[int] | None = None) -> tuple[pd.DataFrame, np.ndarray, Counter]:
    """The rule frame (text + cues) and classes of the posts labelled for ``head``."""
    store = study.store
    y, ignored = post_classes(store.labels.frame(head), head)
    if y.empty:
        return rule_frame([], [], []), np.zeros(0), ignored
    posts = store.posts.frame(["pk", "text"], pks=[int(pk) for pk in y.index])
    posts["text"] = posts["text"].fillna("")
    posts = LexiconStage(lexicon)(posts)
    groups = taxon_groups()
    reused = store.media.reused_pks() if reused_pks is None else reused_pks
    X = rule_frame(posts["text"].tolist(),
                   [scam.products_of(m, groups) for m in posts["lexicon_matches"]],
                   scam.reused_flags(posts["pk"].tolist(), reused))
    classes = y.reindex(posts["pk"].astype(int)).to_numpy()
    if head != "intent":
        classes = classes.astype(int)
    return X, classes, ignored


def _too_few(y: np.ndarray) -> str | None:
    counts = Counter(y.tolist())
    usable = {c: n for c, n in counts.items() if n >= MIN_PER_CLASS}
    if len(y) < MIN_LABELS or len(usable) < 2:
        shown = ", ".join(f"{c}: {n}" for c, n in sorted(counts.items(), key=str)) or "none"
        return (f"too few labels ({shown}); label at least {MIN_LABELS} posts with at least "
                f"{MIN_PER_CLASS} in each of two classes")
    return None


def train_head(study: Study, head: str, *, folds: int = 5, lexicon: Any | None = None,
               reused_pks: set[int] | None = None) -> dict[str, Any]:
    """Train, cross-validate and save one head; or say why it stays rule-based."""
    X, y, ignored = training_data(study, head, lexicon, reused_pks)
    result: dict[str, Any] = {"head": head, "ignored_labels": dict(ignored)}
    reason = _too_few(y)
    if reason is not None:
        return result | {"method": "rules", "reason": reason, "data_size": len(y)}
    counts = Counter(y.tolist())
    keep = np.array([counts[c] >= MIN_PER_CLASS for c in y.tolist()], dtype=bool)
    dropped = sorted({str(c) for c, n in counts.items() if n < MIN_PER_CLASS})
    X, y = X[keep].reset_index(drop=True), y[keep]
    metrics = cross_validate_head(X, y, folds=folds)
    model = HeadModel().fit(X, y)
    card = {
        "head": head,
        "data_size": len(y),
        "class_balance": {str(c): int(n) for c, n in sorted(Counter(y.tolist()).items(), key=str)},
        "classes": [str(c) for c in model.classes_],
        "dropped_classes": dropped,
        "ignored_labels": dict(ignored),
        "metrics": metrics,
        "cv": f"stratified {metrics['folds']}-fold, shuffled, random_state=0",
        "features": FEATURES_DESCRIPTION,
        "params": model.get_params(),
        "study": study.settings.study.name,
    }
    if head == "intent":
        card["label_values"] = list(INTENTS)
    saved = save_model(model, heads_models_dir(study.models_dir), card, name=head)
    return result | {"method": f"model:{saved['version']}", "card": saved}


def train_heads(study: Study, *, folds: int = 5, lexicon: Any | None = None) -> dict[str, Any]:
    """Train every head that has enough labels; returns {head: train_head result}."""
    reused = study.store.media.reused_pks()
    return {head: train_head(study, head, folds=folds, lexicon=lexicon, reused_pks=reused)
            for head in HEADS}
