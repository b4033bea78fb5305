"""Ties between accounts, from what the kept posts share, all pseudonymous.

- ``reply``: the author replied to an account (directed: replier -> replied-to);
- ``mention``: the author mentioned an account (directed);
- ``repost``: the author reposted, quoted or forwarded a post of an account (directed:
  reposter -> reposted);
- ``contact``: two authors wrote the same contact token (a phone, e-mail, messenger id or
  profile link, as its keyed hash): both directions, one per contact shared;
- ``image``: two authors showed the same image, or near-duplicates of one image (the
  perceptual-hash clusters of :mod:`wildsift.analysis.image_clusters`): both directions. An
  image more than ``max_image_authors`` accounts show is a stock or widely reposted picture and
  links no one.

Accounts are per platform (a pseudonym is keyed by platform), so contacts and images are what
link one seller's accounts across platforms.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

TIE_COLUMNS = ("source", "target", "kind", "posts")
KINDS = ("reply", "mention", "repost", "contact", "image")


def _directed(posts: pd.DataFrame) -> list[tuple[str, str, str]]:
    out = []
    reposts = posts["repost_of"] if "repost_of" in posts else pd.Series(None, index=posts.index)
    for row, repost_of in zip(posts[["author", "reply_to", "mentions"]].itertuples(index=False),
                              reposts):
        if not row.author:
            continue
        if row.reply_to and row.reply_to != row.author:
            out.append((row.author, row.reply_to, "reply"))
        if isinstance(repost_of, str) and repost_of and repost_of != row.author:
            out.append((row.author, repost_of, "repost"))
        for mentioned in row.mentions:
            if mentioned and mentioned != row.author:
                out.append((row.author, mentioned, "mention"))
    return out


def _shared(groups: pd.DataFrame, key: str, kind: str, max_authors: int | None
            ) -> list[tuple[str, str, str]]:
    """Both directions between every two authors that share a value of ``key``."""
    out = []
    authors = groups.dropna(subset=["author"]).groupby(key)["author"].agg(
        lambda s: sorted(set(s)))
    for names in authors:
        if len(names) < 2 or (max_authors is not None and len(names) > max_authors):
            continue
        for a, b in combinations(names, 2):
            out += [(a, b, kind), (b, a, kind)]
    return out


def contact_pairs(posts: pd.DataFrame) -> list[tuple[str, str, str]]:
    exploded = posts[["author", "contacts"]].explode("contacts").dropna(subset=["contacts"])
    return _shared(exploded, "contacts", "contact", None)


def image_pairs(posts: pd.DataFrame, links: pd.DataFrame, clusters: pd.DataFrame | None,
                max_authors: int) -> list[tuple[str, str, str]]:
    """``links``: post_pk, sha256 (store.images.post_links); ``clusters``: sha256, cluster."""
    if links.empty:
        return []
    shown = links[["post_pk", "sha256"]].merge(
        posts[["pk", "author"]], left_on="post_pk", right_on="pk")
    shown["image"] = shown["sha256"]
    if clusters is not None and len(clusters):
        cluster = clusters.set_index("sha256")["cluster"]
        found = shown["sha256"].map(cluster)
        shown.loc[found.notna(), "image"] = "cluster:" + found[found.notna()].astype(
            int).astype(str)
    return _shared(shown, "image", "image", max_authors)


def tie_table(posts: pd.DataFrame, links: pd.DataFrame | None = None,
              clusters: pd.DataFrame | None = None, *, max_image_authors: int = 5
              ) -> pd.DataFrame:
    """Ties among the authors of ``posts`` (see :func:`wildsift.analysis.network.posts.
    people_posts`): :data:`TIE_COLUMNS`, one row per (source, target, kind), ``posts``: how
    many posts (or shared contacts, or shared images) make it."""
    pairs = _directed(posts) + contact_pairs(posts)
    if links is not None:
        pairs += image_pairs(posts, links, clusters, max_image_authors)
    if not pairs:
        return pd.DataFrame(columns=list(TIE_COLUMNS))
    frame = pd.DataFrame(pairs, columns=["source", "target", "kind"])
    counted = frame.groupby(["source", "target", "kind"]).size().rename("posts").reset_index()
    return counted[list(TIE_COLUMNS)]
