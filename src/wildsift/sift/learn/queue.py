"""The labelling queue of a study: what ``wildsift label next`` and the web app show next.

Why streaming: a study may hold millions of posts. The queue reads unlabelled posts batch by
batch with their stored scores (scoring only those the current model has not scored), keeps the
``pool_factor * n`` most useful candidates and a uniform random sample (random keys, the smallest
kept: a reservoir), and only then computes similarity features for the few thousand candidates
and chooses the batch with :func:`wildsift.sift.learn.active.select_batch`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.sift.learn.active import (
    random_count,
    resolve_share,
    select_batch,
    text_features,
    uncertainty,
)
from wildsift.sift.stages.lexicon_match import LexiconStage
from wildsift.sift.stages.relevance import RelevanceStage
from wildsift.study import Study

QUEUE_COLUMNS = ["rank", "post_pk", "platform", "post_id", "reason", "relevance",
                 "relevance_method", "lang", "lexicon", "text", "annotator"]
FIELD = "relevant"


def annotator_pseudonym(pseudonyms: Pseudonymizer, name: str | None) -> str:
    """The stored name of an annotator (as ``wildsift label import`` makes it): a keyed hash of
    the lower-cased name, so no person's name reaches the store. A pseudonym stays as it is."""
    name = (name or "").strip() or "anonymous"
    return name if name.startswith("a_") else "a_" + pseudonyms.digest("annotator", name.lower())


# the text model's own score (active learning asks where it is unsure), else, in a study sifted
# before it was stored apart from the final decision, the relevance stage's ``relevance``
SCORE_FIELDS = ("text_relevance", "text_relevance_method", "relevance", "relevance_method",
                "lexicon_hits")


def _score(batch: pd.DataFrame, stage: RelevanceStage, lexicon: LexiconStage) -> np.ndarray:
    """The text model's relevance of each post: the stored one when the current method wrote
    it, else computed."""
    known = batch["text_relevance"].notna()
    relevance = batch["text_relevance"].where(known, batch["relevance"])
    method = batch["text_relevance_method"].where(known, batch["relevance_method"])
    stale = relevance.isna() | (method.astype(object) != stage.method)
    scores = pd.to_numeric(relevance, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    if stale.any():
        part = batch.loc[stale, ["pk", "text", "lexicon_hits"]].copy()
        part["text"] = part["text"].fillna("")
        hits = pd.to_numeric(part["lexicon_hits"], errors="coerce")
        if hits.isna().any():  # never sifted: match the lexicon now
            part.loc[hits.isna(), "lexicon_hits"] = lexicon(part.loc[hits.isna()])["lexicon_hits"]
        part["lexicon_hits"] = pd.to_numeric(part["lexicon_hits"]).astype(int)
        scores[stale.to_numpy()] = stage(part)["relevance"].to_numpy(dtype=np.float64)
    return scores


def _terms(study: Study, chosen: pd.DataFrame, lexicon: LexiconStage) -> dict[int, list[str]]:
    """Matched lexicon terms of each chosen post: stored by sift, else matched now (a few)."""
    terms = study.store.matches.terms(chosen["pk"].tolist())
    unsifted = chosen[[not terms.get(int(pk)) for pk in chosen["pk"]]]
    if len(unsifted):
        matched = lexicon(unsifted[["pk", "text"]].fillna(""))
        for pk, found in zip(matched["pk"], matched["lexicon_matches"]):
            terms[int(pk)] = list(dict.fromkeys(f"{m['term']} ({m['taxon']})" for m in found))
    return terms


def _stack(kept: pd.DataFrame, batch: pd.DataFrame) -> pd.DataFrame:
    return batch if kept.empty else pd.concat([kept, batch], ignore_index=True)


def label_queue(study: Study, n: int = 20, *, annotator: str | None = None,
                threshold: float | None = None, random_share: float | None = None,
                seed: int | None = None, batch_size: int = 5000, pool_factor: int = 20,
                lexicon: Any | None = None) -> pd.DataFrame:
    """The next ``n`` posts to label for relevance, best first, one row each (QUEUE_COLUMNS).

    Posts that anyone labelled for relevance are left out. ``reason`` says why each was chosen:
    ``uncertain`` (the model is unsure; diverse), ``likely_relevant`` (no model yet: highest
    rule score; diverse) or ``random`` (a uniform sample of the unlabelled posts: the ones to use
    for unbiased estimates). ``annotator`` (a name or pseudonym) fills the ``annotator`` column
    with its pseudonym, so an exported queue imports back under it.
    """
    if threshold is None:
        threshold = study.settings.sift.threshold
    stage = RelevanceStage.for_models_dir(study.models_dir, threshold)
    cold = stage.model is None
    share = resolve_share(random_share, cold)
    n_random = random_count(n, share)
    keep = max(pool_factor * n, n)
    rng = np.random.default_rng(seed)
    lexicon_stage = LexiconStage(lexicon)
    top = sample = pd.DataFrame()
    for batch in study.store.labels.iter_unlabelled(FIELD, ("pk", "platform", "post_id", "text", "lang"),
                                             score_fields=SCORE_FIELDS, batch_size=batch_size):
        batch = batch.assign(score=_score(batch, stage, lexicon_stage))
        batch["priority"] = batch["score"] if cold else uncertainty(batch["score"], stage.threshold)
        batch["key"] = rng.random(len(batch))
        columns = ["pk", "platform", "post_id", "text", "lang", "score", "priority", "key"]
        top = _stack(top, batch[columns]).nlargest(keep, "priority", keep="first")
        sample = _stack(sample, batch[columns]).nsmallest(n_random, "key")
    if top.empty or n <= 0:
        return pd.DataFrame(columns=QUEUE_COLUMNS)
    pool = pd.concat([sample, top]).drop_duplicates("pk").reset_index(drop=True)
    picks = select_batch(pool["score"].to_numpy(), text_features(pool["text"].fillna("")), n,
                         threshold=stage.threshold, cold_start=cold,
                         random_picks=np.arange(len(sample)))
    chosen = pool.iloc[[p.index for p in picks]].reset_index(drop=True)
    terms = _terms(study, chosen, lexicon_stage)
    who = annotator_pseudonym(Pseudonymizer(study.secret), annotator) if annotator else ""
    return pd.DataFrame({
        "rank": range(1, len(chosen) + 1), "post_pk": chosen["pk"].astype(int),
        "platform": chosen["platform"], "post_id": chosen["post_id"],
        "reason": [p.reason for p in picks], "relevance": chosen["score"].round(4),
        "relevance_method": stage.method, "lang": chosen["lang"],
        "lexicon": ["; ".join(terms.get(int(pk), [])) for pk in chosen["pk"]],
        "text": chosen["text"].fillna(""), "annotator": who,
    }, columns=QUEUE_COLUMNS)
