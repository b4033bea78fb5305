"""Posts showing a reused image: the "reused image" scam cue of the task heads, aware of
re-encoded and resized copies.

A seller who posts someone else's photographs (from another ad, a news story or a zoo) is a
classic sign of a non-delivery scam. ``Store.media.reused_pks`` finds the very same file in posts
of several authors; here near-duplicates count too: images whose perceptual hashes are within
``DEFAULT_MAX_DISTANCE`` bits are one picture (:mod:`wildsift.hamming`).
"""

from __future__ import annotations

from wildsift.hamming import DEFAULT_MAX_DISTANCE, cluster_images


def reused_image_pks(study, max_distance: int = DEFAULT_MAX_DISTANCE, *,
                     min_authors: int = 2) -> set[int]:
    """Posts showing an image whose near-duplicate cluster (or the image itself) appears in posts
    of at least ``min_authors`` authors."""
    store = study.store
    clusters = cluster_images(store.images.frame(("sha256", "phash")), max_distance, min_size=1)
    if clusters.empty:
        return set()
    links = store.images.post_links()
    links = links.merge(clusters[["sha256", "cluster"]], on="sha256")[["post_pk", "cluster"]]
    if links.empty:
        return set()
    authors = store.posts.frame(["pk", "author"], pks=links["post_pk"].unique().tolist())
    links = links.merge(authors.rename(columns={"pk": "post_pk"}), on="post_pk")
    spread = links.groupby("cluster")["author"].nunique()
    reused = links["cluster"].isin(spread[spread >= min_authors].index)
    return {int(pk) for pk in links.loc[reused, "post_pk"]}
