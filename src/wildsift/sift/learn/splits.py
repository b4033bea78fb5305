"""Honest splits for evaluation: duplicates removed first, authors kept on one side.

Why: a seller posts the same ad twenty times, and a model that saw nineteen of them "predicts"
the twentieth. Exact and near-exact duplicates (same text once case, accents, punctuation and
spacing are normalised) are removed before splitting, and when authors are known every post of
an author sits in the same fold (StratifiedGroupKFold), so figures measure generalisation to new
posts by new sellers, which is what a study meets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_text(text: str) -> str:
    """The key two near-exact duplicates share: NFKC, case-folded, accents dropped,
    punctuation and spacing collapsed."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or "").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", text).strip()


@dataclass(frozen=True)
class Dedup:
    """Rows to keep (first of each duplicate set) and what removing the others did."""

    keep: np.ndarray  # indices, in input order
    removed: int
    conflicting: int  # removed rows whose label differed from the kept one


def deduplicate(texts: Sequence[str], y: Sequence[int] | None = None) -> Dedup:
    """Keep the first post of each set of (near-)exact duplicate texts."""
    seen: dict[str, int] = {}
    keep, conflicting = [], 0
    labels = None if y is None else np.asarray(y)
    for index, text in enumerate(texts):
        key = normalise_text(text)
        first = seen.setdefault(key, index)
        if first == index:
            keep.append(index)
        elif labels is not None and labels[first] != labels[index]:
            conflicting += 1
    return Dedup(np.asarray(keep, dtype=int), len(texts) - len(keep), conflicting)


def fold_count(y: np.ndarray, folds: int, groups: np.ndarray | None = None) -> int:
    """As many folds as asked, but no more than the rarer class (or its authors) allows."""
    y = np.asarray(y, dtype=int)
    if groups is None:
        smallest = int(np.bincount(y, minlength=2).min())
    else:
        smallest = min(len(set(np.asarray(groups)[y == c])) for c in (0, 1))
    return int(max(2, min(folds, smallest)))


def split(y: np.ndarray, folds: int, groups: np.ndarray | None = None,
          random_state: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs: stratified k-fold, grouped by author when ``groups`` given."""
    y = np.asarray(y, dtype=int)
    if groups is None:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
        return splitter.split(np.zeros(len(y)), y)
    grouped = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=random_state)
    return grouped.split(np.zeros(len(y)), y, groups=np.asarray(groups))
