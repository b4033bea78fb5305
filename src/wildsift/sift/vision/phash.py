"""Perceptual hashes of stored images: the key of near-duplicate search.

Why perceptual and not only sha256: a seller's photo reposted by a scammer is re-encoded, resized,
cropped a little or brightened by every platform on the way, so its bytes (and sha256) change while
its 64-bit perceptual hash moves by a few bits. Two hashes are kept: ``phash`` (signs of the
low-frequency DCT, robust to scaling, compression and brightness; what near-duplicate search uses)
and ``dhash`` (signs of horizontal gradients, a second opinion), both from ``imagehash``.

Why fast: a perceptual hash only looks at a 32x32 grey thumbnail, so decoding a full photo is
waste. JPEGs are decoded at 1/2, 1/4 or 1/8 scale straight to grey (Pillow's ``draft``, done in
the DCT domain), and any other image is box-reduced before the Lanczos resize the hashes use.
Memory per image is bounded by one reduced image; a batch is hashed on a few threads (Pillow
releases the GIL while it decodes and resizes).
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import imagehash
import pandas as pd
from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

HASH_SIZE = 8  # 8x8 bits = one 64-bit hash, stored as 16 hex digits
WORK_SIZE = 64  # images are reduced to >= this many pixels a side first (2x the 32-px DCT grid)


@dataclass(frozen=True)
class ImageHashes:
    """The hashes and header facts of one image."""

    phash: str
    dhash: str
    width: int
    height: int
    format: str


def hash_image(source: str | Path | Image.Image) -> ImageHashes:
    """phash and dhash (16 hex digits each), size and format of one image (path or open image).

    The size is the full size from the header, not the reduced size used for hashing.
    """
    if isinstance(source, Image.Image):
        return _hash_open(source)
    with Image.open(source) as image:
        return _hash_open(image)


def _hash_open(image: Image.Image) -> ImageHashes:
    width, height = image.size
    fmt = (image.format or "").upper()[:8]
    if fmt == "JPEG":
        # Decode at the smallest DCT scale that keeps >= WORK_SIZE pixels, straight to grey.
        image.draft("L", (WORK_SIZE, WORK_SIZE))
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # an animated GIF or WebP: its first frame
    grey = image.convert("L")
    factor = min(grey.size) // WORK_SIZE
    if factor >= 2:
        grey = grey.reduce(factor)  # box average: cheap, and what Lanczos would mostly do
    return ImageHashes(
        phash=str(imagehash.phash(grey, hash_size=HASH_SIZE)),
        dhash=str(imagehash.dhash(grey, hash_size=HASH_SIZE)),
        width=int(width), height=int(height), format=fmt or "UNKNOWN")


@dataclass
class PerceptualHash:
    """The ``phash`` image stage: fills images.phash, dhash, width, height and format.

    An image that cannot be read (a damaged file in the media folder) keeps empty columns, so it
    is tried again on the next run once the file is repaired; the reason is logged and returned
    in the ``error`` column, which the engine counts: never silently skipped.
    """

    threads: int = field(default_factory=lambda: min(4, os.cpu_count() or 1))
    name: str = "phash"
    version: str = f"imagehash-{imagehash.__version__}-p{HASH_SIZE}"
    fills: tuple[str, ...] = ("phash", "dhash", "width", "height", "format")
    scores: tuple[str, ...] = ()
    todo_column: str | None = "phash"
    over = "images"  # one stage contract (engine/stage.py): over distinct pictures
    reads = ("sha256", "path")

    @property
    def adds(self) -> tuple[str, ...]:
        return (*self.fills, *self.scores)

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        paths = batch["path"].tolist()
        if self.threads > 1 and len(paths) > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                found = list(pool.map(_try_hash, paths))
        else:
            found = [_try_hash(path) for path in paths]
        rows = []
        for key, result in zip(batch["sha256"], found):
            if isinstance(result, str):
                log.warning("image %s could not be hashed: %s", key, result)
                rows.append({"sha256": key, **dict.fromkeys(self.fills), "error": result})
            else:
                rows.append({"sha256": key, "phash": result.phash, "dhash": result.dhash,
                             "width": result.width, "height": result.height,
                             "format": result.format, "error": None})
        return pd.DataFrame(rows, columns=["sha256", *self.fills, "error"])


def _try_hash(path) -> ImageHashes | str:
    """The hashes, or the reason the file could not be read."""
    try:
        return hash_image(path)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as error:
        return f"{type(error).__name__}: {error}"
