"""What a post's images say, as columns of the post: the input of fusion
(``sift/models/fusion.py``) when it is trained.

Image stages work per distinct picture (by sha256: a photo reused in twenty ads is read once);
decisions are per post. :func:`post_image_features` gives one row per post: what the store
serves post stages (``store.images.post_reads``: ``image_score``, the max image relevance of the
post's pictures, NaN when none is scored; ``n_images``; ``ocr_text``), and

- ``reused``: the picture, or a near-duplicate of it (perceptual hash within
  ``wildsift.hamming.DEFAULT_MAX_DISTANCE`` bits, when the phash stage has run), is also shown in
  another post. Without perceptual hashes the flag is exact (same sha256).

The reuse lookups are built once in an :class:`ImageContext` and reused for every batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

FEATURE_COLUMNS = ("post_pk", "image_score", "n_images", "ocr_text", "reused")


@dataclass
class ImageContext:
    """Per-image lookups shared by all batches: reuse group by sha256 and the number of posts
    that show each group."""

    group: dict[str, str] = field(default_factory=dict)
    posts_per_group: dict[str, int] = field(default_factory=dict)
    near_duplicates: bool = False

    @classmethod
    def load(cls, study) -> ImageContext:
        group, near = _reuse_groups(study)
        links = study.store.images.post_links()
        if links.empty:
            return cls(group, {}, near)
        keys = links["sha256"].map(lambda key: group.get(key, key))
        counts = pd.DataFrame({"key": keys, "post": links["post_pk"]}).drop_duplicates()
        return cls(group, counts["key"].value_counts().to_dict(), near)

    def reuse_key(self, sha256: str) -> str:
        return self.group.get(sha256, sha256)


def _reuse_groups(study) -> tuple[dict[str, str], bool]:
    """sha256 -> near-duplicate cluster key, when the phash stage and K's index exist."""
    from wildsift.hamming import cluster_images

    images = study.store.images.frame(("sha256", "phash"))
    hashed = images["phash"].notna().any() if not images.empty else False
    if not hashed:
        return {}, False
    clusters = cluster_images(images)
    if clusters.empty:
        return {}, True
    return {k: f"cluster:{c}" for k, c in zip(clusters["sha256"], clusters["cluster"])}, True


def post_image_features(study, post_pks: Iterable[int], *,
                        context: ImageContext | None = None) -> pd.DataFrame:
    """One row per post in ``post_pks`` (posts without images: ``n_images`` 0, ``image_score``
    NaN, ``ocr_text`` "", ``reused`` False); columns :data:`FEATURE_COLUMNS`."""
    pks = [int(pk) for pk in post_pks]
    served = study.store.images.post_reads(pd.DataFrame({"pk": pks}))
    out = served.rename(columns={"pk": "post_pk"})
    out["reused"] = False
    links = study.store.images.post_links(pks) if pks else pd.DataFrame()
    if not links.empty:
        context = context if context is not None else ImageContext.load(study)
        shown = (context.posts_per_group.get(context.reuse_key(k), 0) > 1
                 for k in links["sha256"])
        reused = pd.Series(list(shown), index=links.index).groupby(links["post_pk"]).any()
        out["reused"] = out["post_pk"].map(reused).eq(True)
    return out[list(FEATURE_COLUMNS)]
