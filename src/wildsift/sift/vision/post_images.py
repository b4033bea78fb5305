"""What a post's images say, as columns of the post: the input of fusion
(``sift/models/fusion.py``).

Image stages work per distinct picture (by sha256: a photo reused in twenty ads is read once);
decisions are per post. :func:`post_image_features` turns the stored per-image outputs into one
row per post:

- ``image_score``: the *max* of ``image_relevance`` over the post's images and video frames
  (one photo of carved bangles among five of a kitchen is enough: the ad shows ivory); NaN when
  none of them has been scored yet;
- ``n_images``: distinct pictures linked to the post (frames of a video count one each);
- ``ocr_text``: the OCR text of its images in their order, repeats removed (already redacted by
  the OCR stage before it was stored);
- ``reused``: the picture, or a near-duplicate of it (perceptual hash within
  ``wildsift.hamming.DEFAULT_MAX_DISTANCE`` bits, when the phash stage has run), is also shown in
  another post. Without perceptual hashes the flag is exact (same sha256).

The per-study lookups (scores, reuse) are built once in an :class:`ImageContext` and reused for
every batch, so scoring a study in batches reads the image tables once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

IMAGE_RELEVANCE = "image_relevance"  # the image-model stage's per-image field
FEATURE_COLUMNS = ("post_pk", "image_score", "n_images", "ocr_text", "reused")


@dataclass
class ImageContext:
    """Per-image lookups shared by all batches: relevance by sha256, reuse group by sha256 and
    the number of posts that show each group."""

    relevance: dict[str, float] = field(default_factory=dict)
    group: dict[str, str] = field(default_factory=dict)
    posts_per_group: dict[str, int] = field(default_factory=dict)
    near_duplicates: bool = False

    @classmethod
    def load(cls, study) -> ImageContext:
        store = study.store
        scores = store.images.scores_frame((IMAGE_RELEVANCE,))
        relevance = ({} if scores.empty or IMAGE_RELEVANCE not in scores else
                     {k: float(v) for k, v in zip(scores["sha256"], pd.to_numeric(
                         scores[IMAGE_RELEVANCE], errors="coerce")) if not np.isnan(v)})
        group, near = _reuse_groups(study)
        links = store.images.post_links()
        if links.empty:
            return cls(relevance, group, {}, near)
        keys = links["sha256"].map(lambda key: group.get(key, key))
        counts = pd.DataFrame({"key": keys, "post": links["post_pk"]}).drop_duplicates()
        return cls(relevance, group, counts["key"].value_counts().to_dict(), near)

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
    context = context if context is not None else ImageContext.load(study)
    out = pd.DataFrame({"post_pk": pks, "image_score": np.nan, "n_images": 0,
                        "ocr_text": "", "reused": False})
    if not pks:
        return out
    links = study.store.images.post_links(pks)
    if links.empty:
        return out
    images = study.store.images.frame(("sha256", "ocr_text"), sha256s=links["sha256"].unique())
    texts = dict(zip(images["sha256"], images["ocr_text"]))
    rows: dict[int, tuple[float, int, str, bool]] = {}
    for pk, group in links.groupby("post_pk", sort=False):
        keys = list(dict.fromkeys(group["sha256"]))
        scores = [context.relevance[k] for k in keys if k in context.relevance]
        found = (texts.get(k) for k in keys)
        ocr = "\n".join(dict.fromkeys(t.strip() for t in found if isinstance(t, str)
                                      and t.strip()))
        reused = any(context.posts_per_group.get(context.reuse_key(k), 0) > 1 for k in keys)
        rows[int(pk)] = (max(scores) if scores else np.nan, len(keys), ocr, reused)
    for column, index in (("image_score", 0), ("n_images", 1), ("ocr_text", 2), ("reused", 3)):
        default = out[column].tolist()
        out[column] = [rows[pk][index] if pk in rows else default[i] for i, pk in enumerate(pks)]
    out["n_images"] = out["n_images"].astype(int)
    out["reused"] = out["reused"].astype(bool)
    return out
