"""Fit the place filter's threshold to a study's own posts, from the countries people label.

The shipped place filters were trained on our synthetic sets, and their threshold was chosen
there (``places/train_filter.py``). A study's posts differ (marketplace ads of one country,
tweets from everywhere), and so does what its researchers need (recall for a survey of routes,
precision for an alert). When people label where posts are (field ``country``: an ISO 3166-1
alpha-2 code, or ``none`` for a post that says nowhere it is), ``wildsift train`` scores the
study's filter on those posts and chooses the threshold nearest the goal (precision 0.90,
recall 0.80, as ``train_filter.rank`` weighs it). The choice is checked out of fold (each
fold's threshold chosen on the other folds) and kept only where it beats the shipped
threshold on the same posts; the location stage then uses it (``LocationStage.for_study``,
which reads the card this writes).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from wildsift.errors import ModelError
from wildsift.labels.consensus import dawid_skene
from wildsift.labels.values import field_labels
from wildsift.places.place_filter import MODELS, decide, place_filter, prepare
from wildsift.places.train_filter import THRESHOLDS, rank, score
from wildsift.sift.stages.location import card_path
from wildsift.study import Study

FIELD = "country"
NO_PLACE = frozenset({"none", "no", "-", "nowhere", "no place"})
ISO_CODE = re.compile(r"^[a-z]{2}$")
MIN_LABELS = 30
FOLDS = 5


def country_labels(labels: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """One country per labelled post (None: no place), the people's consensus where several
    labelled it; and the values that are no ISO code nor "none", which are left out."""
    if labels.empty:
        return pd.Series(dtype=object), []
    # one person's label as given; Dawid-Skene only where several labelled a post (as the
    # relevance labels: sift/learn/train.py), since EM over dozens of countries with one
    # label a post lets one person's other answers overrule what they said
    given = field_labels(labels, FIELD).groupby("post_pk")["value"].agg(["last", "size"])
    values = given["last"].to_dict()
    if (given["size"] > 1).any():
        consensus = dawid_skene(labels, FIELD).posts.set_index("post_pk")["value"]
        values.update({pk: consensus[pk] for pk in given.index[given["size"] > 1]})
    countries: dict[int, str | None] = {}
    unreadable = []
    for pk, value in values.items():
        if value in NO_PLACE:
            countries[int(pk)] = None
        elif ISO_CODE.match(value):
            countries[int(pk)] = value.upper()
        else:
            unreadable.append(value)
    return pd.Series(countries, dtype=object), sorted(set(unreadable))


def train_places(study: Study, *, folds: int = FOLDS) -> dict[str, Any]:
    """Choose the study's place threshold from its country labels and write the card; raises
    ModelError when there is nothing to fit (too few labels, a method without a threshold)."""
    method = study.settings.identify.text_places
    if method not in MODELS:
        raise ModelError(f"[identify] text_places = {method!r} has no threshold to fit "
                         f"(one of {', '.join(MODELS)} has)")
    model = place_filter(method)
    if model is None:
        raise ModelError(f"this installation ships no {method!r} place filter")
    gold, unreadable = country_labels(study.store.labels.frame(FIELD))
    if len(gold) < MIN_LABELS:
        raise ModelError(f"too few country labels to fit the place threshold: {len(gold)}; "
                         f"label at least {MIN_LABELS} posts' field 'country' (an ISO code "
                         "such as VN, or 'none' for a post that says nowhere it is)")
    wanted = set(gold.index)
    parts = [batch[batch["pk"].isin(wanted)]
             for batch in study.store.posts.iter(("pk", "text", "lang"), batch_size=20000)]
    posts = pd.concat(parts, ignore_index=True)
    prepared = [prepare(text if isinstance(text, str) else "",
                        lang if isinstance(lang, str) else None)
                for text, lang in zip(posts["text"], posts["lang"])]
    probs = model.probabilities(prepared)
    truth = [gold[int(pk)] for pk in posts["pk"]]

    def answers(rows: np.ndarray, threshold: float) -> list[tuple[str | None, str | None]]:
        return [(truth[i], found.country if (found := decide(
            prepared[i], probs[i], model.decision, threshold)) else None) for i in rows]

    def best(rows: np.ndarray) -> float:
        return max(THRESHOLDS, key=lambda t: (rank(score(answers(rows, t))), -abs(
            t - model.threshold)))

    everyone = np.arange(len(truth))
    order = np.random.default_rng(0).permutation(everyone)
    out_of_fold: list[tuple[str | None, str | None]] = []
    for fold in np.array_split(order, min(folds, len(order))):
        out_of_fold += answers(fold, best(np.setdiff1d(everyone, fold)))
    shipped = score(answers(everyone, model.threshold))
    fitted = score(out_of_fold)
    threshold = best(everyone)
    card = {
        "method": method, "labelled_posts": len(truth),
        "with_a_country": sum(1 for g in truth if g), "unreadable_values": unreadable,
        "shipped_threshold": model.threshold, "shipped": shipped,
        "threshold": threshold, "out_of_fold": fitted,
        "kept": rank(fitted) > rank(shipped),
        "why": ("its threshold, chosen on the other folds, came nearer the goal (precision "
                "0.90, recall 0.80) than the shipped one on the same posts"
                if rank(fitted) > rank(shipped) else
                "the shipped threshold did as well out of fold: it stays"),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    path = card_path(study)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card
