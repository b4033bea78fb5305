"""Clusters of near-duplicate images, from the perceptual hashes sift stored.

The phash stage stores each image's 64-bit hash in ``images.phash``; grouping them is analysis
(the report's "Reused images", exports with clusters), so the report reads what sift stored and
re-runs no stage. Images whose hashes differ in at most ``max_distance`` bits join one cluster,
transitively (:func:`wildsift.hamming.cluster_hashes`).
"""

from __future__ import annotations

import pandas as pd

from wildsift.hamming import DEFAULT_MAX_DISTANCE, cluster_images
from wildsift.study import Study

__all__ = ["DEFAULT_MAX_DISTANCE", "image_clusters"]


def image_clusters(study: Study, max_distance: int = DEFAULT_MAX_DISTANCE, *,
                   column: str = "phash", min_size: int = 2) -> pd.DataFrame:
    """Clusters of near-duplicate images in a study's store: sha256, phash (or ``column``),
    cluster (1 = the biggest), cluster_size. Images the phash stage has not hashed yet are left
    out."""
    images = study.store.images.frame(("sha256", column))
    return cluster_images(images, max_distance, column=column, min_size=min_size)
