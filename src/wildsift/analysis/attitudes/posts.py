"""Attitudes of a study's kept posts, by taxon and over time (the report's "Attitudes").

Stance comes from the trained head when the study has enough ``stance`` labels (refitted here
from the labels, so the figures follow the labels without a re-sift), else from the prototype
sentences. Sentiment comes from VADER for English posts when vaderSentiment is installed, else
from the prototypes. Each post says which method gave it its classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wildsift.analysis.attitudes import vader
from wildsift.analysis.attitudes.embed import Embedder
from wildsift.analysis.attitudes.head import (
    enough_labels,
    macro_f1,
    make_head,
    normalise_stance,
    out_of_fold,
)
from wildsift.analysis.attitudes.prototypes import PrototypeClassifier

CACHE_NAME = "cache/attitude-embeddings.npz"
TEXT_BATCH = 5000


@dataclass
class Attitudes:
    posts: pd.DataFrame  # pk, created_at, lang, stance, stance_p, stance_method, sentiment,
    #                      sentiment_method
    stance_method: str
    labels: int = 0
    oof_macro_f1: float | None = None  # of the trained head on the study's labels
    notes: list[str] = field(default_factory=list)


def classify(texts: list[str], langs: list[str | None], embedder: Any,
             labelled: tuple[list[str], list[str]] | None = None) -> tuple[pd.DataFrame, dict]:
    """Stance and sentiment of ``texts``; ``labelled``: (texts, stance labels) to train a head."""
    X = embedder.embed(texts)
    info: dict[str, Any] = {"stance_method": "prototypes", "labels": 0, "oof_macro_f1": None}
    stance_model: Any = PrototypeClassifier("stance").fit(embedder.embed)
    if labelled is not None:
        y = np.array(labelled[1])
        info["labels"] = len(y)
        if enough_labels(y):
            Xl = embedder.embed(labelled[0])
            info["oof_macro_f1"] = macro_f1(y, out_of_fold(Xl, y))
            stance_model = make_head().fit(Xl, y)
            info["stance_method"] = "head"
    proba = stance_model.predict_proba(X) if len(X) else np.zeros((0, 3))
    classes = np.asarray(stance_model.classes_)
    sentiment = PrototypeClassifier("sentiment").fit(embedder.embed)
    senti = list(sentiment.predict(X)) if len(X) else []
    method = ["prototypes"] * len(texts)
    if vader.available():
        english = [i for i, lang in enumerate(langs) if lang == "en"]
        for i, value in zip(english, vader.vader_sentiment([texts[i] for i in english]),
                            strict=True):
            senti[i], method[i] = value, "vader"
    frame = pd.DataFrame({
        "stance": classes[proba.argmax(axis=1)] if len(X) else [],
        "stance_p": proba.max(axis=1) if len(X) else [],
        "stance_method": info["stance_method"],
        "sentiment": senti, "sentiment_method": method})
    return frame, info


def _stance_labels(study: Any) -> pd.Series:
    labels = study.store.labels.frame("stance")
    if labels.empty:
        return pd.Series(dtype=object)
    labels = labels.assign(value=labels["value"].map(normalise_stance)).dropna(subset=["value"])
    labels = labels.sort_values("created_at", na_position="first")
    return labels.groupby("post_pk")["value"].agg(lambda v: v.mode().iloc[-1])


def study_attitudes(study: Any, kept: pd.DataFrame) -> Attitudes:
    """Attitudes of the ``kept`` posts (pk, created_at) of a study."""
    pks = [int(pk) for pk in kept["pk"]] if len(kept) else []
    labels = _stance_labels(study)
    texts_frame = study.store.posts.frame(["pk", "text", "lang"],
                                          pks=sorted(set(pks) | set(map(int, labels.index))))
    text = dict(zip(texts_frame["pk"].astype(int), texts_frame["text"].fillna("")))
    lang = dict(zip(texts_frame["pk"].astype(int), texts_frame["lang"]))
    embedder = Embedder(study.root / CACHE_NAME)
    labelled = ([text.get(int(pk), "") for pk in labels.index], list(labels)) if len(labels) \
        else None
    frame, info = classify([text.get(pk, "") for pk in pks], [lang.get(pk) for pk in pks],
                           embedder, labelled)
    embedder.save()
    frame.insert(0, "pk", pks)
    frame.insert(1, "created_at", kept["created_at"].to_numpy() if len(kept) else [])
    frame.insert(2, "lang", [lang.get(pk) for pk in pks])
    notes = [] if vader.available() else [("VADER is not installed: English sentiment comes "
                                           "from the prototypes too")]
    return Attitudes(frame, info["stance_method"], info["labels"], info["oof_macro_f1"], notes)


def by_taxon(att: pd.DataFrame, matches: pd.DataFrame, column: str = "stance") -> pd.DataFrame:
    """Share of each class per taxon (rows: taxon; columns: classes; plus posts)."""
    if att.empty:
        return pd.DataFrame()
    joined = att.merge(matches[["post_pk", "taxon"]].drop_duplicates(), left_on="pk",
                       right_on="post_pk")
    table = pd.crosstab(joined["taxon"], joined[column])
    shares = table.div(table.sum(axis=1), axis=0)
    return shares.assign(posts=table.sum(axis=1)).sort_values("posts", ascending=False)


def over_time(att: pd.DataFrame, freq: str = "M", column: str = "stance") -> pd.DataFrame:
    """Posts of each class per month (or ``freq``)."""
    dated = att.dropna(subset=["created_at"])
    if dated.empty:
        return pd.DataFrame()
    stamps = pd.to_datetime(dated["created_at"], utc=True).dt.tz_localize(None)
    period = stamps.dt.to_period(freq).dt.start_time
    return pd.crosstab(period.to_numpy(), dated[column].to_numpy()).rename_axis("period")
