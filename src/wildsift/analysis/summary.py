"""Totals a reader checks first: posts, kept as relevant, discarded as irrelevant, quarantined.

Also which relevance method decided (rules or a model version) and a few example posts per taxon,
highest relevance first, as stored (already redacted at ingest).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wildsift.analysis.data import StudyData


@dataclass
class Summary:
    """The study's totals; ``discarded_share`` is discarded / sifted (None when nothing sifted)."""

    posts: int
    sifted: int
    relevant: int
    discarded: int
    discarded_share: float | None
    unsifted: int
    quarantined: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    synthetic: bool
    by_platform: pd.DataFrame  # platform, posts, sifted, relevant, discarded, discarded_share
    methods: pd.DataFrame  # method, posts: which relevance method decided how many posts


def _share(part: float, whole: float) -> float | None:
    return float(part) / float(whole) if whole else None


def by_platform(posts: pd.DataFrame) -> pd.DataFrame:
    """Per platform: posts, sifted, relevant, discarded and the share discarded."""
    columns = ["platform", "posts", "sifted", "relevant", "discarded", "discarded_share"]
    if posts.empty:
        return pd.DataFrame(columns=columns)
    frame = posts.assign(
        platform=posts["platform"].fillna("unknown"),
        _sifted=posts["relevant"].notna(),
        _relevant=posts["relevant"].eq(1),
        _discarded=posts["relevant"].eq(0),
    )
    table = frame.groupby("platform").agg(
        posts=("pk", "size"), sifted=("_sifted", "sum"), relevant=("_relevant", "sum"),
        discarded=("_discarded", "sum"),
    ).reset_index()
    table["discarded_share"] = [_share(d, s) for d, s in zip(table["discarded"], table["sifted"])]
    table = table.sort_values(["posts", "platform"], ascending=[False, True])
    return table[columns].reset_index(drop=True)


def relevance_methods(posts: pd.DataFrame) -> pd.DataFrame:
    """How many posts each relevance method ('rules', 'model:<version>') decided."""
    methods = posts.loc[posts["relevant"].notna(), "relevance_method"].fillna("unrecorded")
    table = methods.value_counts().rename_axis("method").reset_index(name="posts")
    return table.sort_values(["posts", "method"], ascending=[False, True]).reset_index(drop=True)


def _from_totals(data: StudyData) -> Summary:
    """The summary from counts summed while loading (see :func:`~.data.load_report_data`)."""
    totals = data.totals
    table = totals.platforms.copy()
    sifted, relevant = int(table["sifted"].sum()), int(table["relevant"].sum())
    discarded = int(table["discarded"].sum())
    table["discarded_share"] = [_share(d, s) for d, s in zip(table["discarded"], table["sifted"])]
    table = table.sort_values(["posts", "platform"], ascending=[False, True]).reset_index(drop=True)
    methods = totals.methods.sort_values(["posts", "method"], ascending=[False, True])
    return Summary(
        posts=totals.posts,
        sifted=sifted,
        relevant=relevant,
        discarded=discarded,
        discarded_share=_share(discarded, sifted),
        unsifted=totals.posts - sifted,
        quarantined=data.quarantined,
        first=totals.first,
        last=totals.last,
        synthetic=totals.synthetic,
        by_platform=table,
        methods=methods.reset_index(drop=True),
    )


def summarize(data: StudyData) -> Summary:
    """Totals over all posts in the store (not only the kept ones)."""
    if data.totals is not None:
        return _from_totals(data)
    posts = data.posts
    sifted = int(posts["relevant"].notna().sum())
    relevant = int(posts["relevant"].eq(1).sum())
    discarded = int(posts["relevant"].eq(0).sum())
    created = posts["created_at"].dropna()
    return Summary(
        posts=len(posts),
        sifted=sifted,
        relevant=relevant,
        discarded=discarded,
        discarded_share=_share(discarded, sifted),
        unsifted=len(posts) - sifted,
        quarantined=data.quarantined,
        first=created.min() if len(created) else None,
        last=created.max() if len(created) else None,
        synthetic=data.synthetic,
        by_platform=by_platform(posts),
        methods=relevance_methods(posts),
    )


def example_posts(kept: pd.DataFrame, matches: pd.DataFrame, per_taxon: int = 3,
                  max_taxa: int = 12) -> pd.DataFrame:
    """Up to ``per_taxon`` kept posts per matched taxon, highest relevance first.

    Taxa with most posts come first; a post that names several taxa is shown once, under the
    first of them, with ``taxa`` listing every taxon it names. Returns taxon, taxa, pk, platform,
    created_at, relevance (texts are attached by the caller, from the store, for these posts only).
    """
    columns = ["taxon", "taxa", "pk", "platform", "created_at", "relevance"]
    if kept.empty or matches.empty:
        return pd.DataFrame(columns=columns)
    pairs = matches.loc[matches["post_pk"].isin(kept["pk"]), ["post_pk", "taxon"]]
    pairs = pairs.drop_duplicates().rename(columns={"post_pk": "pk"})
    order = pairs["taxon"].value_counts()
    order = order.sort_index().sort_values(ascending=False, kind="stable").head(max_taxa).index
    ranked = pairs[pairs["taxon"].isin(order)].merge(
        kept[["pk", "platform", "created_at", "relevance"]], on="pk")
    ranked = ranked.sort_values(["relevance", "pk"], ascending=[False, True], na_position="last")
    picked: list[pd.DataFrame] = []
    used: set[int] = set()
    for taxon in order:
        candidates = ranked[ranked["taxon"] == taxon].head(per_taxon + len(used))
        chosen = candidates[~candidates["pk"].isin(used)].head(per_taxon)
        used.update(int(pk) for pk in chosen["pk"])
        picked.append(chosen)
    frame = pd.concat(picked, ignore_index=True)
    rank = {taxon: i for i, taxon in enumerate(order)}
    names = pairs[pairs["pk"].isin(used)].groupby("pk")["taxon"].agg(
        lambda keys: sorted(set(keys), key=lambda k: (rank.get(k, len(rank)), k)))
    frame["taxa"] = frame["pk"].map(names)
    return frame[columns].reset_index(drop=True)


def quarantine_reasons(quarantine: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The most common reasons records were set aside: source, field, reason, records."""
    columns = ["source", "field", "reason", "records"]
    if quarantine.empty:
        return pd.DataFrame(columns=columns)
    frame = quarantine.assign(field=quarantine["field"].fillna(""))
    table = frame.groupby(["source", "field", "reason"]).size().reset_index(name="records")
    table = table.sort_values(["records", "source"], ascending=[False, True]).head(n)
    return table[columns].reset_index(drop=True)
