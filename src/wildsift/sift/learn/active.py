"""Active learning: which unlabelled posts a person should label next.

Why: labels are the scarce resource of a study. A post the model is unsure of teaches it more
than one it already scores 0.99, but the most uncertain posts are often twenty copies of one
ad, and a queue chosen by the model alone gives biased estimates of prevalence and precision.
So a batch is chosen in three parts, each pick tagged with why it was chosen:

- ``random``: a uniform sample of the pool (``random_share`` of the batch). Only these may be
  used for unbiased estimates (their labels are a simple random sample of the unlabelled pool).
- ``uncertain``: highest uncertainty (closeness to the decision threshold) first, greedily, with
  maximal marginal relevance: each next pick maximises ``priority - diversity * similarity to
  what is already picked``, and anything at or above ``max_similarity`` (cosine of hashed
  character n-grams) to a pick is skipped, so near-duplicates are never shown together.
- ``likely_relevant``: the cold start (no trained model yet): the posts the rules (lexicon hits
  plus sale cues) score highest, with the same diversity, mixed with a larger random share, so
  the first labels contain both classes.

Everything here is pure (arrays in, indices out); the store-backed queue is in
:mod:`wildsift.sift.learn.queue`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from wildsift.errors import InputError
from wildsift.sift.models.hashing import CharNgramHasher

RANDOM, UNCERTAIN, LIKELY_RELEVANT = "random", "uncertain", "likely_relevant"
REASONS = (RANDOM, UNCERTAIN, LIKELY_RELEVANT)
DEFAULT_RANDOM_SHARE = 0.1
COLD_START_RANDOM_SHARE = 0.5
MAX_SIMILARITY = 0.8
DIVERSITY = 0.5
SIMILARITY_FEATURES = 2**18


@dataclass(frozen=True, slots=True)
class Pick:
    """One chosen post: its position in the pool, why it was chosen, and its priority."""

    index: int
    reason: str
    priority: float


def text_features(texts: Sequence[str]) -> sparse.csr_matrix:
    """L2-normalised hashed character 3-5-grams: their dot product is the cosine similarity
    (near-duplicate ads with another price or phone token stay above 0.8)."""
    hasher = CharNgramHasher(ngram_range=(3, 5), n_features=SIMILARITY_FEATURES)
    return normalize(hasher.transform(["" if t is None else str(t) for t in texts]))


def uncertainty(scores: Sequence[float] | np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """1 at the threshold, 0 at the far end (0 or 1): how unsure the model is of each post."""
    scores = np.asarray(scores, dtype=np.float64)
    if not 0.0 < threshold < 1.0:
        raise InputError(f"threshold must be between 0 and 1 (exclusive), got {threshold}")
    span = np.where(scores >= threshold, 1.0 - threshold, threshold)
    return np.clip(1.0 - np.abs(scores - threshold) / span, 0.0, 1.0)


def _rows(features: sparse.spmatrix | np.ndarray, n: int) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(features, dtype=np.float64)
    if matrix.shape[0] != n:
        raise InputError(f"features have {matrix.shape[0]} rows for {n} scores; pass one row "
                         "per post (text_features(texts))")
    return normalize(matrix)


def diverse_picks(priority: np.ndarray, features: sparse.spmatrix | np.ndarray, n: int, *,
                  candidates: np.ndarray | None = None, already: np.ndarray | None = None,
                  max_similarity: float = MAX_SIMILARITY, diversity: float = DIVERSITY,
                  pool_factor: int = 50) -> np.ndarray:
    """Up to ``n`` indices, greedy by ``priority - diversity * max cosine to the picked``.

    ``candidates``: the indices that may be picked (default all); ``already``: indices picked
    before (e.g. the random share), which count for similarity but are not returned. Only the
    ``pool_factor * n`` highest-priority candidates are considered (bounded work).
    """
    priority = np.asarray(priority, dtype=np.float64)
    matrix = _rows(features, len(priority))
    pool = np.arange(len(priority)) if candidates is None else np.asarray(candidates, dtype=int)
    if n <= 0 or len(pool) == 0:
        return np.zeros(0, dtype=int)
    top = pool[np.argsort(-priority[pool], kind="stable")[: max(pool_factor * n, n)]]
    sub = matrix[top]
    nearest = np.zeros(len(top))
    if already is not None and len(already):
        nearest = np.asarray((sub @ matrix[np.asarray(already, dtype=int)].T).max(axis=1).todense()
                             ).ravel()
    open_ = np.ones(len(top), dtype=bool)
    chosen: list[int] = []
    base = priority[top]
    while len(chosen) < n:
        allowed = open_ & (nearest < max_similarity)
        if not allowed.any():
            break
        gain = np.where(allowed, base - diversity * nearest, -np.inf)
        best = int(np.argmax(gain))
        chosen.append(best)
        open_[best] = False
        nearest = np.maximum(nearest, (sub @ sub[best].T).toarray().ravel())
    return top[np.asarray(chosen, dtype=int)]


def resolve_share(random_share: float | None, cold_start: bool) -> float:
    """The random share asked for, or the default (larger at cold start); checked."""
    share = (COLD_START_RANDOM_SHARE if cold_start else DEFAULT_RANDOM_SHARE) \
        if random_share is None else float(random_share)
    if not 0.0 <= share <= 1.0:
        raise InputError(f"random_share must be between 0 and 1, got {random_share}")
    return share


def random_count(n: int, share: float) -> int:
    """How many of ``n`` picks are random: the share, rounded, and at least one when the
    share is above 0 and the batch has 2 or more."""
    count = round(n * share)
    return min(n, max(count, 1)) if share > 0 and n >= 2 else count


def select_batch(scores: Sequence[float] | np.ndarray, features: sparse.spmatrix | np.ndarray,
                 n: int, *, threshold: float = 0.5, random_share: float | None = None,
                 cold_start: bool = False, rng: np.random.Generator | int | None = None,
                 max_similarity: float = MAX_SIMILARITY, diversity: float = DIVERSITY,
                 random_picks: Sequence[int] | np.ndarray | None = None) -> list[Pick]:
    """Choose ``n`` posts of a pool to label: a random share, then diverse uncertain posts.

    ``scores``: model probabilities (or, with ``cold_start``, rule scores: the highest are
    picked as likely relevant). ``random_share`` defaults to 0.1 (0.5 at cold start); at least
    one random pick whenever the share is above 0 and ``n`` >= 2. Fewer than ``n`` come back
    when the rest of the pool is all near-duplicates of picks. Picks come in queue order:
    model-chosen first (by priority), the random ones spread through the batch.
    ``random_picks``: indices the caller already drew uniformly from the whole unlabelled pool
    (the store-backed queue samples while streaming); they replace the random share.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if n < 0:
        raise InputError(f"batch size must be 0 or more, got {n}")
    share = resolve_share(random_share, cold_start)
    n = min(n, len(scores))
    if random_picks is not None:  # drawn by the caller, uniformly from a larger pool
        randoms = np.asarray(random_picks, dtype=int)[:n]
    else:
        randoms = np.random.default_rng(rng).choice(
            len(scores), size=random_count(n, share), replace=False).astype(int)
    n_random = len(randoms)
    priority = scores if cold_start else uncertainty(scores, threshold)
    rest = np.setdiff1d(np.arange(len(scores)), randoms)
    chosen = diverse_picks(priority, features, n - n_random, candidates=rest, already=randoms,
                           max_similarity=max_similarity, diversity=diversity)
    reason = LIKELY_RELEVANT if cold_start else UNCERTAIN
    picks = [Pick(int(i), reason, float(priority[i])) for i in chosen]
    return interleave(picks, [Pick(int(i), RANDOM, float(priority[i])) for i in randoms])


def interleave(ranked: list[Pick], randoms: list[Pick]) -> list[Pick]:
    """Random picks spread evenly through the ranked ones, so a person who stops early still
    labels some of each (and cannot tell which is which)."""
    if not randoms:
        return list(ranked)
    out: list[Pick] = []
    step = (len(ranked) + len(randoms)) / len(randoms)
    slots = {int(step * k + step / 2) for k in range(len(randoms))}
    ranked_iter, random_iter = iter(ranked), iter(randoms)
    for position in range(len(ranked) + len(randoms)):
        source = random_iter if position in slots else ranked_iter
        out.append(next(source, None) or next(ranked_iter, None) or next(random_iter))
    return out
