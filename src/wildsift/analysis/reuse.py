"""Reused images: which posts, accounts and platforms show the same picture or a near-copy of it.

Sellers reuse their own photos across ads, accounts and platforms, and scammers reuse other
people's; both show as one cluster of near-duplicate images (see
:func:`wildsift.analysis.image_clusters.image_clusters`, which groups the stored perceptual
hashes) linked to many posts. This module joins those clusters with ``post_images`` and ``posts`` (author
pseudonym, platform, time) and the latest ``relevant``/``relevance`` score of each post, so every
figure can be recomputed from the store. It takes the clusters as a frame (the analysis layer does
not import the sift layer); the report passes them in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wildsift.analysis.data import to_utc_naive
from wildsift.study import Study

POST_CHUNK = 5000  # posts whose scores are read per query
SUMMARY_COLUMNS = ["cluster", "images", "posts", "authors", "platforms", "platform_names",
                   "first_seen", "last_seen", "relevant_posts", "max_relevance", "example"]


def cluster_posts(study: Study, clusters: pd.DataFrame) -> pd.DataFrame:
    """One row per (cluster, image, post) link: cluster, sha256, post_pk, platform, author,
    created_at, relevant (1/0/NaN: latest score), relevance. ``clusters`` has sha256, cluster."""
    columns = ["cluster", "sha256", "post_pk", "platform", "author", "created_at", "relevant",
               "relevance"]
    if clusters.empty:
        return pd.DataFrame(columns=columns)
    store = study.store
    links = store.images.post_links()
    links = links[links["sha256"].isin(set(clusters["sha256"]))]
    links = links.merge(clusters[["sha256", "cluster"]], on="sha256")[
        ["cluster", "sha256", "post_pk"]].drop_duplicates()
    if links.empty:
        return pd.DataFrame(columns=columns)
    pks = sorted({int(pk) for pk in links["post_pk"]})
    posts = store.posts.frame(["pk", "platform", "author", "created_at"], pks=pks)
    posts = posts.rename(columns={"pk": "post_pk"})
    posts["created_at"] = to_utc_naive(posts["created_at"])
    scores = _latest_relevance(store, pks)
    frame = links.merge(posts, on="post_pk", how="inner").merge(scores, on="post_pk", how="left")
    return frame[columns].sort_values(["cluster", "post_pk", "sha256"]).reset_index(drop=True)


def _latest_relevance(store, pks: list[int]) -> pd.DataFrame:
    """post_pk, relevant, relevance of these posts, read in pk ranges (bounded memory)."""
    versions = store.scores.versions()
    parts = []
    for start in range(0, len(pks), POST_CHUNK):
        chunk = pks[start:start + POST_CHUNK]
        found = store.scores.latest_between(("relevant", "relevance"), chunk[0], chunk[-1],
                                            versions=versions)
        if len(found):
            parts.append(found[found["post_pk"].isin(chunk)])
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"post_pk": []})
    for name in ("relevant", "relevance"):
        frame[name] = (pd.to_numeric(frame[name], errors="coerce") if name in frame
                       else pd.Series(dtype=float))
    return frame[["post_pk", "relevant", "relevance"]].astype({"post_pk": "int64"})


def reuse_summary(study: Study, clusters: pd.DataFrame, *, min_posts: int = 2,
                  min_authors: int = 1, min_platforms: int = 1,
                  linked: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per cluster: images, posts, authors (distinct pseudonyms), platforms,
    platform_names, first_seen, last_seen (post times), relevant_posts, max_relevance and an
    example sha256; only clusters shown in at least ``min_posts`` posts by ``min_authors``
    authors on ``min_platforms`` platforms; those spanning most authors, then platforms, then
    posts first. A single image (cluster of one) posted twice counts: that is exact reuse.
    ``linked``: :func:`cluster_posts` of the same clusters, when already read."""
    if linked is None:
        linked = cluster_posts(study, clusters)
    if linked.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    relevant_posts = (linked[linked["relevant"] == 1].groupby("cluster")["post_pk"].nunique())
    grouped = linked.groupby("cluster")
    summary = pd.DataFrame({
        "images": clusters.groupby("cluster")["sha256"].nunique(),
        "posts": grouped["post_pk"].nunique(),
        "authors": grouped["author"].nunique(),
        "platforms": grouped["platform"].nunique(),
        "platform_names": grouped["platform"].agg(lambda v: ", ".join(sorted(set(v.dropna())))),
        "first_seen": grouped["created_at"].min(),
        "last_seen": grouped["created_at"].max(),
        "relevant_posts": relevant_posts,
        "max_relevance": grouped["relevance"].max(),
        "example": clusters.groupby("cluster")["sha256"].min(),
    }).dropna(subset=["posts"])
    summary["relevant_posts"] = summary["relevant_posts"].fillna(0)
    for name in ("images", "posts", "authors", "platforms", "relevant_posts"):
        summary[name] = summary[name].astype("int64")
    summary = summary[(summary["posts"] >= min_posts) & (summary["authors"] >= min_authors)
                      & (summary["platforms"] >= min_platforms)]
    summary = summary.rename_axis("cluster").reset_index()
    return summary.sort_values(["authors", "platforms", "posts", "cluster"],
                               ascending=[False, False, False, True])[SUMMARY_COLUMNS
                                                                     ].reset_index(drop=True)


@dataclass(frozen=True)
class ReuseOverview:
    """Headline numbers of the report's "Reused images" section."""

    images: int  # images linked to posts
    hashed: int  # of which the phash stage has hashed
    clusters: int  # clusters (near-duplicates, or one image) shown in >= 2 posts
    across_authors: int  # clusters shown by posts of >= 2 authors
    across_platforms: int  # clusters shown on >= 2 platforms
    posts: int  # posts showing an image of a cluster across authors


def reuse_overview(study: Study, clusters: pd.DataFrame, summary: pd.DataFrame,
                   linked: pd.DataFrame | None = None) -> ReuseOverview:
    """Counts for the report, from the store, the clusters and their :func:`reuse_summary`."""
    images = study.store.images.frame(("sha256", "phash"))
    across = summary[summary["authors"] >= 2]
    if linked is None:
        linked = cluster_posts(study, clusters)
    posts = linked.loc[linked["cluster"].isin(across["cluster"]), "post_pk"].nunique()
    return ReuseOverview(
        images=len(images), hashed=int(images["phash"].notna().sum()),
        clusters=int(summary["cluster"].nunique()),
        across_authors=len(across),
        across_platforms=int((summary["platforms"] >= 2).sum()),
        posts=int(posts))
