"""Simulated pool-based labelling: how good the model gets after k labels chosen one way or another.

Why simulate: whether active learning pays off depends on the data. With a labelled set we can
replay a study: start from a small random seed set, train, let a selector choose the next batch
from the rest of the pool (whose labels are hidden until chosen), and measure F1 on a held-out test
split at each size. Comparing the active selector with a random one on the same seed sets shows
what the queue of ``wildsift label next`` is worth, honestly, per data set.

A selector is ``selector(scores, features, n, rng) -> list[Pick]`` over the unlabelled part of the
pool (``scores`` from the current model). A model factory returns an object with ``fit(X, y)`` and
``decision_scores(X)`` (e.g. :class:`wildsift.sift.models.text.TextRelevanceModel`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.metrics import f1_score

from wildsift.errors import InputError
from wildsift.sift.learn.active import RANDOM, Pick, select_batch

Selector = Callable[[np.ndarray, sparse.csr_matrix, int, np.random.Generator], list[Pick]]
SEED = "seed"


def random_selector(scores: np.ndarray, features: Any, n: int,
                    rng: np.random.Generator) -> list[Pick]:
    """n posts uniformly at random (the baseline)."""
    chosen = rng.choice(len(scores), size=min(n, len(scores)), replace=False)
    return [Pick(int(i), RANDOM, 0.0) for i in chosen]


random_selector.needs_scores = False  # type: ignore[attr-defined]


def active_selector(*, threshold: float = 0.5, random_share: float = 0.1,
                    max_similarity: float = 0.8, diversity: float = 0.5) -> Selector:
    """The queue's rule (:func:`wildsift.sift.learn.active.select_batch`) as a selector."""
    def select(scores: np.ndarray, features: Any, n: int,
               rng: np.random.Generator) -> list[Pick]:
        return select_batch(scores, features, n, threshold=threshold, random_share=random_share,
                            rng=rng, max_similarity=max_similarity, diversity=diversity)
    return select


@dataclass
class Curve:
    """F1 on the test split after each number of labels, and the labelling order itself."""

    sizes: list[int]
    f1: list[float]
    positives: list[int]  # relevant posts among the labels at each size (what a study finds)
    order: list[int] = field(default_factory=list)  # pool indices, in the order labelled
    reasons: list[str] = field(default_factory=list)  # "seed", "random", "uncertain", ...
    batches: list[list[int]] = field(default_factory=list)  # each selector call's picks


def _take(X: Any, index: Sequence[int] | np.ndarray) -> Any:
    index = np.asarray(index, dtype=int)
    if isinstance(X, pd.DataFrame):
        return X.iloc[index]
    return [X[i] for i in index]


def learning_curve(pool_X: Any, pool_y: Sequence[int], test_X: Any, test_y: Sequence[int], *,
                   make_model: Callable[[], Any], selector: Selector,
                   features: sparse.spmatrix | np.ndarray, sizes: Sequence[int],
                   seed_size: int = 20, batch_size: int = 25, seed: int = 0) -> Curve:
    """Replay labelling of ``pool`` up to ``max(sizes)`` labels; F1 on the test split at each size.

    The seed set is ``seed_size`` random posts (more, one by one, until both classes are in it);
    each later batch of up to ``batch_size`` comes from ``selector``. The same ``seed`` gives the
    same seed set for every selector, so curves can be compared pair by pair.
    """
    pool_y, test_y = np.asarray(pool_y, dtype=int), np.asarray(test_y, dtype=int)
    sizes = sorted({int(s) for s in sizes})
    features = sparse.csr_matrix(features)
    if not sizes or sizes[-1] > len(pool_y) or features.shape[0] != len(pool_y):
        raise InputError(f"sizes {sizes} need a pool of at least {sizes[-1] if sizes else 1} "
                         f"posts with one feature row each; have {len(pool_y)} posts and "
                         f"{features.shape[0]} feature rows")
    if len(np.unique(pool_y)) < 2:
        raise InputError("the pool needs examples of both classes")
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(len(pool_y))
    take = seed_size
    while len(np.unique(pool_y[shuffled[:take]])) < 2:
        take += 1
    if take > sizes[0]:
        raise InputError(f"the seed set needed {take} posts to hold both classes, more than the "
                         f"first size {sizes[0]}; use larger sizes or a more balanced pool")
    order = [int(i) for i in shuffled[:take]]
    reasons = [SEED] * take
    labelled = np.zeros(len(pool_y), dtype=bool)
    labelled[order] = True
    curve = Curve(sizes=[], f1=[], positives=[], order=order, reasons=reasons)
    wants_scores = getattr(selector, "needs_scores", True)
    model = make_model().fit(_take(pool_X, order), pool_y[order])
    for target in sizes:
        while len(order) < target:
            free = np.flatnonzero(~labelled)
            need = min(batch_size, target - len(order))
            scores = np.asarray(model.decision_scores(_take(pool_X, free))) if wants_scores \
                else np.zeros(len(free))
            picks = selector(scores, features[free], need, rng)
            chosen = [int(free[p.index]) for p in picks][:need]
            why = [p.reason for p in picks][:need]
            if len(chosen) < need:  # the selector ran out (all near-duplicates): top up at random
                rest = np.setdiff1d(free, chosen)
                extra = rng.choice(rest, size=need - len(chosen), replace=False)
                chosen += [int(i) for i in extra]
                why += [RANDOM] * len(extra)
            if labelled[chosen].any() or len(set(chosen)) != len(chosen):
                raise InputError("the selector returned a post twice or one already labelled")
            labelled[chosen] = True
            order += chosen
            reasons += why
            curve.batches.append(chosen)
            model = make_model().fit(_take(pool_X, order), pool_y[order])
        predicted = (np.asarray(model.decision_scores(test_X)) >= 0.5).astype(int)
        curve.sizes.append(target)
        curve.f1.append(float(f1_score(test_y, predicted, zero_division=0)))
        curve.positives.append(int(pool_y[order].sum()))
    return curve


def compare(pool_X: Any, pool_y: Sequence[int], test_X: Any, test_y: Sequence[int], *,
            make_model: Callable[[], Any], selectors: dict[str, Selector],
            features: sparse.spmatrix | np.ndarray, sizes: Sequence[int], seed: int = 0,
            seed_size: int = 20, batch_size: int = 25) -> pd.DataFrame:
    """One learning curve per selector from the same seed set: rows strategy, size, f1,
    positives, seed."""
    rows = []
    for name, selector in selectors.items():
        curve = learning_curve(pool_X, pool_y, test_X, test_y, make_model=make_model,
                               selector=selector, features=features, sizes=sizes,
                               seed_size=seed_size, batch_size=batch_size, seed=seed)
        rows += [{"strategy": name, "size": s, "f1": f, "positives": p, "seed": seed}
                 for s, f, p in zip(curve.sizes, curve.f1, curve.positives)]
    return pd.DataFrame(rows)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation of F1 (and positives found) per strategy and size."""
    grouped = runs.groupby(["strategy", "size"], sort=True)
    out = grouped.agg(f1_mean=("f1", "mean"), f1_sd=("f1", "std"), runs=("f1", "size"),
                      positives_mean=("positives", "mean")).reset_index()
    out["f1_sd"] = out["f1_sd"].fillna(0.0)
    return out
