"""Image embeddings cached on disk, per model version, so training the probe, re-scoring with
a new probe and evaluating never decode and embed the same picture twice.

Layout (inside ``study.models_dir``)::

    cache/image-embeddings/<model version>/
      vectors.f16   float16 rows, one per image, appended (1280 x 2 bytes = 2.5 kB an image:
                    a million images take 2.5 GB)
      keys.txt      the sha256 of each row, in the same order

One matrix file instead of a file per image: a million small files are slow on every file
system. Rows are appended first, keys second, so an interrupted write leaves at most a row
without a key, which the next open trims. One writer at a time (the image stage runs once per
study); readers see what was flushed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from wildsift.errors import ModelError


class EmbeddingCache:
    """sha256 -> embedding (float16 on disk, float32 out) for one model version."""

    def __init__(self, folder: Path, dim: int):
        self.folder = Path(folder)
        self.dim = dim
        self.folder.mkdir(parents=True, exist_ok=True)
        self._vectors = self.folder / "vectors.f16"
        self._keys = self.folder / "keys.txt"
        self._vectors.touch()
        self._keys.touch()
        keys = self._keys.read_text(encoding="ascii").split("\n")[:-1]  # whole lines only
        size = self._vectors.stat().st_size
        rows = min(size // (2 * dim), len(keys))
        if rows != len(keys) or size != rows * 2 * dim:  # an interrupted write: trim it
            keys = keys[:rows]
            self._trim(rows)
        self._index = {key: row for row, key in enumerate(keys)}

    @classmethod
    def for_model(cls, models_dir: Path, model) -> EmbeddingCache:
        """The cache of ``model`` (its ``version`` names the folder) under a study's models/."""
        safe = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in model.version)
        return cls(Path(models_dir) / "cache" / "image-embeddings" / safe, model.embed_dim)

    def _trim(self, rows: int) -> None:
        with self._vectors.open("r+b") as handle:
            handle.truncate(rows * 2 * self.dim)
        keys = self._keys.read_text(encoding="ascii").split("\n")[:rows]
        self._keys.write_text("".join(f"{key}\n" for key in keys), encoding="ascii")

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def get(self, keys: Sequence[str]) -> np.ndarray:
        """The embeddings of ``keys`` (all must be cached), as float32 rows."""
        missing = [key for key in keys if key not in self._index]
        if missing:
            raise KeyError(f"{len(missing)} images are not in the embedding cache, "
                           f"e.g. {missing[0]}")
        if not keys:
            return np.zeros((0, self.dim), np.float32)
        matrix = np.memmap(self._vectors, dtype=np.float16, mode="r",
                           shape=(len(self._index), self.dim))
        return np.asarray(matrix[[self._index[key] for key in keys]], dtype=np.float32)

    def put(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Append the embeddings of images not cached yet."""
        vectors = np.asarray(vectors)
        if vectors.shape != (len(keys), self.dim):
            raise ModelError(f"embeddings of shape {vectors.shape} do not fit the cache "
                             f"({len(keys)} x {self.dim}) in {self.folder}")
        new: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key not in self._index and key not in new:
                new[key] = i
        if not new:
            return
        rows = vectors[list(new.values())].astype(np.float16)
        with self._vectors.open("ab") as handle:
            handle.write(rows.tobytes())
        with self._keys.open("a", encoding="ascii") as handle:
            handle.write("".join(f"{key}\n" for key in new))
        for key in new:
            self._index[key] = len(self._index)

    def embed(self, keys: Sequence[str], paths: Sequence,
              compute: Callable[[Sequence], np.ndarray]) -> np.ndarray:
        """Embeddings of the images ``keys`` (files ``paths``): cached ones read, the others
        computed with ``compute(paths)`` and cached. Rows come back in the order of ``keys``."""
        todo = [i for i, key in enumerate(keys) if key not in self._index]
        if todo:
            self.put([keys[i] for i in todo], compute([paths[i] for i in todo]))
        return self.get(list(keys))
