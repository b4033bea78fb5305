"""The order in which the web app's queue offers a study's posts: active learning (the
posts the model is least sure of, a diverse set of them first) with a uniform random share
spread through, and one post per cluster of near-duplicate reposts.

Pure functions over lists and arrays (the queue reads the study and holds the state);
:func:`cluster_key` is also what the post page uses to list a post's reposts.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field

import numpy as np

from wildsift.sift.learn.active import select_batch, text_features, uncertainty

DIVERSE_POOL = 2000
DIVERSE_PICKS = 500
_NOISE = re.compile(r"<[A-Z]+:[0-9a-f]+>|\d+|[^\w]+", re.UNICODE)


def cluster_key(text: str | None) -> str:
    """Reposts of one ad share this key: lower case, without contact tokens, numbers and
    punctuation (a repost with another price or phone is the same ad)."""
    core = _NOISE.sub(" ", (text or "").lower()).split()
    return hashlib.blake2b(" ".join(core).encode(), digest_size=8).hexdigest()


@dataclass
class Order:
    """One build: the queue order and what each post is."""

    pks: list[int]
    reason: dict[int, str]
    lang: dict[int, str | None]
    cluster_size: dict[int, int]
    members: dict[str, list[int]] = field(default_factory=dict)  # cluster key -> its posts
    built_in: float = 0.0


def order_posts(pks: list[int], texts: list[str], scores: np.ndarray, threshold: float, *,
                random_share: float = 0.1, seed: int | None = None) -> Order:
    """Active-learning order: diverse uncertain first, then by uncertainty, a random share
    spread through. Posts never scored count as halfway unsure (0.5)."""
    n = len(pks)
    if n == 0:
        return Order([], {}, {}, {})
    known = ~np.isnan(scores)
    priority = np.full(n, 0.5)
    if known.any():
        priority[known] = uncertainty(scores[known], min(max(threshold, 1e-6), 1 - 1e-6))
    rng = random.Random(seed)
    n_random = round(n * random_share)
    randoms = rng.sample(range(n), n_random) if n_random else []
    random_set = set(randoms)
    ranked = [i for i in np.argsort(-priority, kind="stable").tolist() if i not in random_set]
    pool = ranked[:DIVERSE_POOL]
    reason: dict[int, str] = {}
    if len(pool) > 1:
        # cold_start: the scores passed are the priorities themselves (no random share here)
        picks = select_batch(priority[pool], text_features([texts[i] for i in pool]),
                             min(DIVERSE_PICKS, len(pool)), cold_start=True, random_picks=[])
        first = [pool[p.index] for p in picks]
        chosen = set(first)
        ranked = first + [i for i in ranked if i not in chosen]
    out: list[int] = []
    step = max(round(1 / random_share), 1) if random_share > 0 else 0
    random_iter = iter(randoms)
    for i in ranked:
        if step and len(out) % step == step - 1:
            extra = next(random_iter, None)
            if extra is not None:
                out.append(extra)
                reason[pks[extra]] = "random"
        out.append(i)
        reason.setdefault(pks[i], "uncertain" if known[i] else "unscored")
    for extra in random_iter:
        out.append(extra)
        reason[pks[extra]] = "random"
    return Order([pks[i] for i in out], reason, {}, {})


def one_per_cluster(ordered: list[int], pks: list[int], texts: list[str], labelled: set[int],
                     sizes: dict[int, int], members: dict[str, list[int]]) -> list[int]:
    """Keep one post per near-duplicate cluster: one already labelled, else the first queued."""
    key_of = {pk: cluster_key(text) for pk, text in zip(pks, texts)}
    owner: dict[str, int] = {}
    for pk in labelled:
        if pk in key_of:
            owner.setdefault(key_of[pk], pk)
    for pk in ordered:
        owner.setdefault(key_of[pk], pk)
    for pk, key in key_of.items():
        members.setdefault(key, []).append(pk)
    for key, pk in owner.items():
        sizes[pk] = len(members[key])
    return [pk for pk in ordered if owner[key_of[pk]] == pk]
