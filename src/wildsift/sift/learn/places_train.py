"""Fit the place filter's threshold to a study's own posts, from the countries people label.

The shipped place filters were trained on our synthetic sets, and their threshold was chosen
there (``places/train_filter.py``). A study's posts differ (marketplace ads of one country,
tweets from everywhere), and so does what its researchers need (recall for a survey of routes,
precision for an alert: ``[identify] place_precision`` / ``place_recall``, by default the
issue's 0.90 / 0.80). When people label where posts are (field ``country``: an ISO 3166-1
alpha-2 code, or ``none`` for a post that says nowhere it is), ``wildsift train`` scores the
study's filter on those posts and chooses the threshold nearest that goal
(``train_filter.nearness``; ties go to the threshold nearest the shipped one). The choice is
checked out of fold (each fold answered at the threshold the other folds chose) and kept only
where it beats the shipped threshold on the same posts. The card records which model file it
was fitted for; the location stage uses the threshold only with that file
(``LocationStage.for_study``, which reads the card this writes).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from wildsift.errors import ModelError
from wildsift.labels.consensus import dawid_skene
from wildsift.labels.values import field_labels
from wildsift.places.gazetteer import load_gazetteer
from wildsift.places.place_filter import MODELS, place_filter, prepare
from wildsift.places.train_filter import THRESHOLDS, Labelled, answers, nearness, score
from wildsift.sift.stages.location import card_path, model_fingerprint
from wildsift.study import Study

FIELD = "country"
# "no" is Norway's code, so it is no way to say "no place"
NO_PLACE = frozenset({"none", "-", "nowhere", "no place"})
CODE_ALIASES = {"UK": "GB"}  # the code people write for the United Kingdom, not ISO's
ADJUDICATED = "adjudicated_" + FIELD  # a researcher's decision where people differed
MIN_LABELS = 30  # posts with text and a label
MIN_LOCATED = 10  # ... of which with a country
FOLDS = 5


def read_country(value: str) -> str | None:
    """A country label as the answer it means: the code of a country the gazetteer knows ("vn"
    -> "VN", "uk" -> "GB"), "none" for a post that says nowhere it is, None for anything else.
    The label form (``web/form.py``) and training read labels with it alike."""
    text = value.strip()
    if text.lower() in NO_PLACE:
        return "none"
    code = CODE_ALIASES.get(text.upper(), text.upper())
    return code if len(code) == 2 and load_gazetteer().country(code) is not None else None


def country_labels(labels: pd.DataFrame, adjudicated: pd.DataFrame | None = None
                   ) -> tuple[pd.Series, list[str]]:
    """One country per labelled post (None: no place): a researcher's adjudication
    (``adjudicated``: the field ``adjudicated_country``) where there is one, else the people's
    consensus where several labelled it; and the values that are no country code nor "none",
    which are left out."""
    if labels.empty:
        return pd.Series(dtype=object), []
    labels = field_labels(labels, FIELD).assign(field=FIELD)
    # one spelling per answer ("uk" and "GB", "-" and "none" agree); unreadable ones as given
    labels["value"] = labels["value"].map(lambda value: (read_country(value) or value).lower())
    # one person's label as given; Dawid-Skene only where several labelled a post (as the
    # relevance labels: sift/learn/train.py), since EM over dozens of countries with one
    # label a post lets one person's other answers overrule what they said
    given = labels.groupby("post_pk")["value"].agg(["last", "size"])
    values = given["last"].to_dict()
    if (given["size"] > 1).any():
        consensus = dawid_skene(labels, FIELD).posts.set_index("post_pk")["value"]
        values.update({pk: consensus[pk] for pk in given.index[given["size"] > 1]})
    if adjudicated is not None and not adjudicated.empty:
        decided = field_labels(adjudicated, ADJUDICATED)
        values.update(decided.groupby("post_pk")["value"].last().to_dict())
    countries: dict[int, str | None] = {}
    unreadable = []
    for pk, value in values.items():
        code = read_country(value)
        if code is None:
            unreadable.append(value)
        else:
            countries[int(pk)] = None if code == "none" else code
    return pd.Series(countries, dtype=object), sorted(set(unreadable))


def _labelled_posts(study: Study, gold: pd.Series) -> tuple[list[Labelled], int]:
    """The labelled posts that have text, prepared for the filter; and how many had none."""
    wanted = set(gold.index)
    parts = [batch[batch["pk"].isin(wanted)]
             for batch in study.store.posts.iter(("pk", "text", "lang"), batch_size=20000)]
    posts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["pk", "text", "lang"])
    rows, textless = [], 0
    for pk, text, lang in posts[["pk", "text", "lang"]].itertuples(index=False):
        if not isinstance(text, str) or not text.strip():
            textless += 1
            continue
        lang = lang if isinstance(lang, str) else None
        rows.append(Labelled("study", str(pk), lang or "", gold[int(pk)], prepare(text, lang)))
    return rows, textless


def train_places(study: Study, *, folds: int = FOLDS) -> dict[str, Any]:
    """Choose the study's place threshold from its country labels and write the card; raises
    ModelError when there is nothing to fit (too few labels, a method without a threshold)."""
    identify = study.settings.identify
    method = identify.text_places
    if method not in MODELS:
        raise ModelError(f"[identify] text_places = {method!r} has no threshold to fit "
                         f"(one of {', '.join(MODELS)} has)")
    model = place_filter(method)
    if model is None:
        raise ModelError(f"this installation ships no {method!r} place filter")
    gold, unreadable = country_labels(study.store.labels.frame(FIELD),
                                      study.store.labels.frame(ADJUDICATED))
    rows, textless = _labelled_posts(study, gold)
    located = sum(1 for r in rows if r.gold)
    if len(rows) < MIN_LABELS or located < MIN_LOCATED:
        raise ModelError(f"too few country labels to fit the place threshold: {len(rows)} posts "
                         f"with text, {located} of them with a country; label at least "
                         f"{MIN_LABELS} posts' field 'country', {MIN_LOCATED} with a country "
                         "(an ISO code such as VN, or 'none' for a post that says nowhere it "
                         "is)")
    probs = model.probabilities([r.post for r in rows])
    goal = (identify.place_precision, identify.place_recall)

    def result(idx: np.ndarray, threshold: float) -> dict:
        return score(answers([rows[i] for i in idx], [probs[i] for i in idx], model.decision,
                             threshold))

    def movable(idx: np.ndarray) -> np.ndarray:
        """The posts a threshold can move: those with a candidate place. The others are
        misses at every threshold; counted in, they would pull the choice towards recall it
        cannot reach, so the choice and the judgement of it read these only."""
        return np.asarray([i for i in idx if rows[i].post.cands], dtype=int)

    def best(idx: np.ndarray) -> float:
        results = {t: result(movable(idx), t) for t in THRESHOLDS}
        return max(THRESHOLDS, key=lambda t: (nearness(results[t], goal), results[t]["f1"],
                                              -abs(t - model.threshold)))

    everyone = np.arange(len(rows))
    order = np.random.default_rng(0).permutation(everyone)
    out_of_fold: dict[int, tuple[str | None, str | None]] = {}
    for fold in np.array_split(order, min(folds, len(order))):
        at = best(np.setdiff1d(everyone, fold))
        out_of_fold.update(zip(fold.tolist(), answers(
            [rows[i] for i in fold], [probs[i] for i in fold], model.decision, at)))
    judged = movable(everyone)
    shipped = result(judged, model.threshold)
    fitted = score([out_of_fold[i] for i in judged.tolist()])
    threshold = best(everyone)
    kept = (threshold != model.threshold
            and (nearness(fitted, goal), fitted["f1"]) > (nearness(shipped, goal),
                                                          shipped["f1"]))
    card = {
        "method": method, "model": model_fingerprint(method),
        "labelled_posts": len(rows), "with_a_country": located, "without_text": textless,
        "without_a_candidate": sum(1 for r in rows if not r.post.cands),
        "unreadable_values": unreadable, "goal": {"precision": goal[0], "recall": goal[1]},
        # on the posts with a candidate place (what the choice reads), then on all of them
        "shipped_threshold": model.threshold, "shipped": shipped,
        "threshold": threshold, "out_of_fold": fitted, "folds": min(folds, len(rows)),
        "all_posts": {"shipped": result(everyone, model.threshold),
                      "out_of_fold": score(list(out_of_fold.values()))},
        "kept": kept,
        "why": (f"its threshold, chosen on the other folds, came nearer the goal (precision "
                f"{goal[0]:.2f}, recall {goal[1]:.2f}) than the shipped one on the same posts"
                if kept else "the study's threshold did not beat the shipped one out of fold: "
                "the shipped one stays"),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    path = card_path(study)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card
