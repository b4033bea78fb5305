"""Dawid-Skene consensus: one value per post from several people's labels, each person weighted
by how reliable the labels show them to be.

Why not the majority: a careful annotator and a careless one count the same in a vote, and a
tie has no answer. Dawid & Skene (1979, Applied Statistics 28:20-28) estimate, by EM, the class
priors and each annotator's confusion matrix (how often they answer l when the truth is k) and
give every post a posterior over values. It starts from the majority vote, so with one label per
post it returns that label. A post retires (needs no more labels) at k agreeing labels or a
posterior at or above a threshold: :func:`retired`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wildsift.labels.values import field_labels

SMOOTHING = 0.01  # added to confusion counts: a never-seen answer is unlikely, not impossible
CONSENSUS_COLUMNS = ("post_pk", "value", "posterior", "labels", "agreeing")


@dataclass(frozen=True)
class Consensus:
    """Dawid-Skene on one field. ``posts``: one row per post (``post_pk``, consensus ``value``,
    its ``posterior``, the number of ``labels`` and how many of them are ``agreeing`` with the
    value); ``priors``: value -> prior; ``confusion``: annotator -> (true x given) matrix."""

    field: str
    posts: pd.DataFrame
    priors: dict[str, float]
    confusion: dict[str, pd.DataFrame]
    iterations: int
    converged: bool

    def accuracy(self) -> dict[str, float]:
        """Each annotator's estimated accuracy: the prior-weighted diagonal of its matrix."""
        weights = pd.Series(self.priors)
        return {who: float((np.diag(m.to_numpy()) * weights.reindex(m.index).to_numpy()).sum())
                for who, m in self.confusion.items()}


def _encode(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, list, list, list]:
    posts, post_idx = np.unique(frame["post_pk"].to_numpy(), return_inverse=True)
    people, person_idx = np.unique(frame["annotator"].astype(str).to_numpy(), return_inverse=True)
    values, value_idx = np.unique(frame["value"].astype(str).to_numpy(), return_inverse=True)
    return post_idx, person_idx, value_idx, list(posts), list(people), list(values)


def _majority(post_idx: np.ndarray, value_idx: np.ndarray, n_posts: int,
              n_values: int) -> np.ndarray:
    votes = np.zeros((n_posts, n_values))
    np.add.at(votes, (post_idx, value_idx), 1.0)
    return votes / votes.sum(axis=1, keepdims=True)


def _m_step(T: np.ndarray, post_idx, person_idx, value_idx, n_people: int):
    n_values = T.shape[1]
    priors = T.mean(axis=0)
    counts = np.full((n_people, n_values, n_values), SMOOTHING)
    np.add.at(counts, (person_idx, slice(None), value_idx), T[post_idx])  # [j, true, given]
    return priors, counts / counts.sum(axis=2, keepdims=True)


def _e_step(priors, confusion, post_idx, person_idx, value_idx, n_posts: int):
    log_t = np.tile(np.log(np.maximum(priors, 1e-300)), (n_posts, 1))
    np.add.at(log_t, post_idx, np.log(confusion[person_idx, :, value_idx]))
    peak = log_t.max(axis=1, keepdims=True)
    T = np.exp(log_t - peak)
    total = T.sum(axis=1, keepdims=True)
    log_likelihood = float((np.log(total) + peak).sum())
    return T / total, log_likelihood


def dawid_skene(labels: pd.DataFrame, field: str, *, tol: float = 1e-6,
                max_iter: int = 200) -> Consensus:
    """Consensus on ``field`` by EM from a majority-vote start; stops when the log-likelihood
    changes by less than ``tol`` (relative) or after ``max_iter`` rounds."""
    frame = field_labels(labels, field)
    if frame.empty:
        return Consensus(field, pd.DataFrame(columns=list(CONSENSUS_COLUMNS)), {}, {}, 0, True)
    post_idx, person_idx, value_idx, posts, people, values = _encode(frame)
    n_posts, n_people, n_values = len(posts), len(people), len(values)
    T = _majority(post_idx, value_idx, n_posts, n_values)
    previous, converged, iteration = -np.inf, False, 0
    for iteration in range(1, max_iter + 1):
        priors, confusion = _m_step(T, post_idx, person_idx, value_idx, n_people)
        T, log_likelihood = _e_step(priors, confusion, post_idx, person_idx, value_idx, n_posts)
        if abs(log_likelihood - previous) <= tol * max(1.0, abs(log_likelihood)):
            converged = True
            break
        previous = log_likelihood
    best = T.argmax(axis=1)
    agreeing = np.zeros(n_posts, dtype=int)
    np.add.at(agreeing, post_idx, (value_idx == best[post_idx]).astype(int))
    result = pd.DataFrame({
        "post_pk": posts,
        "value": [values[k] for k in best],
        "posterior": T[np.arange(n_posts), best],
        "labels": np.bincount(post_idx, minlength=n_posts),
        "agreeing": agreeing,
    })
    return Consensus(
        field=field,
        posts=result,
        priors={values[k]: float(p) for k, p in enumerate(priors)},
        confusion={people[j]: pd.DataFrame(confusion[j], index=values, columns=values)
                   for j in range(n_people)},
        iterations=iteration,
        converged=converged,
    )


def majority_vote(labels: pd.DataFrame, field: str) -> pd.Series:
    """post_pk -> the most frequent value (ties to the value that sorts first): the baseline
    Dawid-Skene is compared with."""
    frame = field_labels(labels, field)
    if frame.empty:
        return pd.Series(dtype=object)
    counts = frame.groupby(["post_pk", "value"]).size().reset_index(name="n")
    counts = counts.sort_values(["post_pk", "n", "value"], ascending=[True, False, True])
    return counts.drop_duplicates("post_pk").set_index("post_pk")["value"]


def retired(post: pd.Series | dict, *, k: int = 3, threshold: float = 0.9,
            min_labels: int = 2) -> bool:
    """Whether a post needs no more labels: ``k`` labels agree with its consensus value, or
    its posterior is at least ``threshold`` with at least ``min_labels`` labels (one label,
    however reliable its author, is not a consensus). ``post``: a row of ``Consensus.posts``."""
    agreeing, labels = int(post["agreeing"]), int(post["labels"])
    return agreeing >= k or (labels >= min_labels and float(post["posterior"]) >= threshold)
