"""A study's posts split into relevant and not relevant, for code-word discovery.

People's labels (field "relevant", the majority of a post's annotators, ties to the latest)
come first. With fewer than ``min_labels`` of either class, the relevance stage's stored
decisions on unlabelled posts are added as weak labels (``relevant`` = 1, or ``relevance`` >=
``threshold`` when one is given), and :attr:`Corpus.basis` says so: weak labels from a model
that itself learned from the lexicon favour words that co-occur with known terms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wildsift.errors import ConfigError
from wildsift.lexicon.study_terms import read_study_terms, study_lexicon_path
from wildsift.lexicon.suggest import Corpus, Suggestions, log_odds, suggest_terms

MIN_LABELS = 20
_YES = {"1", "true", "yes", "relevant"}


def post_labels(labels: pd.DataFrame) -> dict[int, int]:
    """One 0/1 label per post: its annotators' majority, a tie broken by the latest label."""
    out: dict[int, int] = {}
    if labels.empty:
        return out
    frame = labels.sort_values(["post_pk", "created_at"], na_position="first")
    for pk, group in frame.groupby("post_pk", sort=True):
        ys = [str(v).strip().lower() in _YES for v in group["value"]]
        ones = sum(ys)
        out[int(pk)] = int(ones * 2 > len(ys) or (ones * 2 == len(ys) and ys[-1]))
    return out


def load_corpus(study, *, min_labels: int = MIN_LABELS, threshold: float | None = None,
                max_weak: int = 50_000, seed: int = 0) -> Corpus:
    """The study's labelled posts, plus weak labels from model scores when labels are few."""
    store = study.store
    labels = post_labels(store.labels.frame("relevant"))
    n_pos = sum(labels.values())
    n_neg = len(labels) - n_pos
    basis = f"labels: {n_pos} relevant, {n_neg} not relevant"
    weak = min(n_pos, n_neg) < min_labels
    y = dict(labels)
    if weak:
        scores = store.scores.latest(["relevance", "relevant"])
        if not scores.empty and ("relevant" in scores or threshold is not None):
            scores = scores[~scores["post_pk"].isin(list(labels))]
            if threshold is not None and "relevance" in scores:
                decided = pd.to_numeric(scores["relevance"], errors="coerce") >= threshold
                rule = f"relevance >= {threshold:g}"
            else:
                decided = pd.to_numeric(scores["relevant"], errors="coerce") == 1
                rule = "the relevance stage's decision"
            pks = scores["post_pk"].astype(int).to_numpy()
            flags = decided.to_numpy(dtype=bool)
            if len(pks) > max_weak:
                keep = np.random.default_rng(seed).choice(len(pks), max_weak, replace=False)
                pks, flags = pks[keep], flags[keep]
            y.update(zip(pks.tolist(), flags.astype(int).tolist(), strict=True))
            basis += (f"; fewer than {min_labels} of a class, so {int(flags.sum())} relevant and "
                      f"{int((~flags).sum())} not relevant unlabelled posts were added as weak "
                      f"labels from model scores ({rule})")
        else:
            basis += (f"; fewer than {min_labels} of a class and no relevance scores to add "
                      "('wildsift sift' scores posts)")
    if not y or all(y.values()) or not any(y.values()):
        raise ConfigError(
            f"code-word discovery needs relevant and not relevant posts ({basis}); label posts "
            "('wildsift label import FILE.csv', field 'relevant') or run 'wildsift sift'")
    posts = store.posts.frame(("pk", "text", "lang"), pks=list(y))
    return Corpus(texts=posts["text"].fillna("").astype(str).tolist(),
                  relevant=np.array([y[int(pk)] for pk in posts["pk"]], dtype=int),
                  langs=[lang if isinstance(lang, str) else None for lang in posts["lang"]],
                  basis=basis, weak=weak)


def suggest_for_study(study, lexicon, *, top: int = 30, min_count: int = 3,
                      threshold: float | None = None) -> Suggestions:
    """:func:`suggest_terms` on the study's posts, skipping the terms it rejected."""
    terms = read_study_terms(study_lexicon_path(study))
    corpus = load_corpus(study, threshold=threshold)
    return suggest_terms(corpus, lexicon, languages=study.settings.study.languages,
                         rejected=terms.rejected_keys(), top=top, min_count=min_count)


def term_evidence(corpus: Corpus, term: str) -> tuple[float | None, int, int, list[str | None]]:
    """(z-score, relevant posts, other posts, their languages) of one term in ``corpus``,
    counted with the lexicon's matcher; z is None when the term is in no post."""
    from wildsift.lexicon.matcher import Matcher
    from wildsift.lexicon.taxon import Term

    found = Matcher([Term(term, "t", "und", "code_word")]).match_many(corpus.texts)
    docs = [i for i, hits in enumerate(found) if hits]
    y = corpus.relevant
    r = int(y[docs].sum()) if docs else 0
    n = len(docs) - r
    if not docs:
        return None, 0, 0, []
    # the prior and totals in post units: each post counts once
    _, z = log_odds(np.array([r]), np.array([n]), np.array([r + n]), float(y.sum()),
                    float(len(y) - y.sum()), float(len(y)))
    return round(float(z[0]), 3), r, n, [corpus.langs[i] for i in docs if y[i] == 1]
