"""The frames every analysis reads, loaded once from the store with only the columns needed.

A report over a million posts must build in under a minute, so we load narrow columns, join the
latest score of each field onto the posts, and let the analysis modules aggregate in pandas.
:func:`load_report_data` does the same in bounded memory: it reads the posts batch by batch,
counts what concerns every post as it goes (:class:`Totals`) and keeps only the posts the figures
describe (the relevant ones) with their matches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from wildsift.study import Study

POST_COLUMNS = ("pk", "platform", "created_at", "lat", "lon", "country", "source")
SCORE_FIELDS = ("relevance", "relevant", "relevance_method")
SYNTHETIC_PREFIX = "demo:synthetic"
QUARANTINE_COLUMNS = ["source", "location", "reason", "field"]
NEGATIVE_KIND = "negative"


@dataclass
class Totals:
    """What the report counts over every post, summed batch by batch.

    ``platforms``: platform ('unknown' when missing), posts, sifted, relevant, discarded;
    ``methods``: method ('unrecorded' when missing), posts (sifted posts per relevance method);
    ``taxa``: taxon, matched_posts (distinct posts with a non-negative match), products (set).
    """

    posts: int
    sifted: bool
    synthetic: bool
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    platforms: pd.DataFrame
    methods: pd.DataFrame
    taxa: pd.DataFrame


@dataclass
class StudyData:
    """Posts (one row each, with their latest scores), lexicon matches and the quarantine count.

    ``posts`` columns: pk, platform, created_at, lat, lon, country, source, relevance (0-1 or NaN),
    relevant (1.0, 0.0 or NaN when not sifted yet), relevance_method.
    ``matches`` columns: post_pk, taxon, product, lang, term, kind.
    ``quarantine`` columns: source, location, reason, field (records set aside at ingest).
    """

    name: str
    posts: pd.DataFrame
    matches: pd.DataFrame
    quarantine: pd.DataFrame
    totals: Totals | None = None  # set by load_report_data: posts/matches are the kept ones only

    @property
    def quarantined(self) -> int:
        return len(self.quarantine)

    @property
    def taxon_matches(self) -> pd.DataFrame:
        """Matches that name a taxon or its product (negative cues such as 'pangolin armoured
        vehicle' say a post is *not* about the animal, so they never count for a taxon)."""
        return self.matches[self.matches["kind"].fillna("") != NEGATIVE_KIND]

    @property
    def sifted(self) -> bool:
        """Whether the relevance stage has scored at least one post."""
        if self.totals is not None:
            return self.totals.sifted
        return bool(self.posts["relevant"].notna().any())

    @property
    def kept(self) -> pd.DataFrame:
        """The posts the figures describe: the relevant ones, or all when nothing is sifted yet."""
        if self.totals is not None or not self.sifted:
            return self.posts
        return self.posts[self.posts["relevant"] == 1]

    @property
    def scope(self) -> str:
        """A sentence that says which posts the figures count."""
        if self.sifted:
            return "posts the relevance filter kept"
        return "all posts (the relevance filter has not run yet)"

    @property
    def synthetic(self) -> bool:
        """True when posts come from the demo's synthetic corpus."""
        if self.totals is not None:
            return self.totals.synthetic
        source = self.posts["source"].dropna().astype(str)
        return bool(source.str.startswith(SYNTHETIC_PREFIX).any())


def frame_posts(posts: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Join the latest scores onto posts and give every column a usable dtype."""
    posts = posts.copy()
    scores = scores.rename(columns={"post_pk": "pk"})
    for name in SCORE_FIELDS:
        if name not in scores.columns:
            scores[name] = None
    scores = scores[["pk", *SCORE_FIELDS]]
    if len(scores):
        posts = posts.merge(scores, on="pk", how="left")
    else:
        for name in SCORE_FIELDS:
            posts[name] = None
    posts["relevance"] = pd.to_numeric(posts["relevance"], errors="coerce").astype(float)
    posts["relevant"] = pd.to_numeric(posts["relevant"], errors="coerce").astype(float)
    for name in ("relevance_method", "platform", "source", "country"):
        posts[name] = posts[name].astype(object).where(posts[name].notna(), None)
    posts["created_at"] = to_utc_naive(posts["created_at"])
    posts["lat"] = pd.to_numeric(posts["lat"], errors="coerce").astype(float)
    posts["lon"] = pd.to_numeric(posts["lon"], errors="coerce").astype(float)
    return posts


def to_utc_naive(values: pd.Series) -> pd.Series:
    """Timestamps in UTC without a zone (SQLite returns naive, PostgreSQL aware ones)."""
    stamps = pd.to_datetime(values, errors="coerce", utc=True)
    return stamps.dt.tz_localize(None)


def load_study_data(study: Study, post_columns: Sequence[str] = POST_COLUMNS) -> StudyData:
    """Read what the analyses need from the study's store (narrow columns only)."""
    store = study.store
    posts = store.posts.frame(list(post_columns))
    scores = store.scores.latest(list(SCORE_FIELDS))
    matches = store.matches.frame()
    quarantine = pd.DataFrame([dataclasses.asdict(item) for item in store.quarantine.all()],
                              columns=QUARANTINE_COLUMNS)
    return StudyData(
        name=study.settings.study.name,
        posts=frame_posts(posts, scores),
        matches=matches,
        quarantine=quarantine,
    )


def _batch_counts(posts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-platform counts and per-method counts of one batch of framed posts."""
    frame = pd.DataFrame({
        "platform": posts["platform"].fillna("unknown"), "posts": 1,
        "sifted": posts["relevant"].notna().astype(int),
        "relevant": posts["relevant"].eq(1).astype(int),
        "discarded": posts["relevant"].eq(0).astype(int),
    })
    platforms = frame.groupby("platform").sum()
    methods = posts.loc[posts["relevant"].notna(), "relevance_method"].fillna("unrecorded")
    return platforms, methods.value_counts().rename("posts").rename_axis("method").to_frame()


def _batch_taxa(matches: pd.DataFrame) -> pd.DataFrame:
    """Distinct posts and products per taxon among one batch's non-negative matches."""
    found = matches[matches["kind"].fillna("") != NEGATIVE_KIND]
    posts = found.drop_duplicates(["post_pk", "taxon"]).groupby("taxon").size()
    products = found.dropna(subset=["product"]).groupby("taxon")["product"].agg(
        lambda values: set(values))
    return pd.DataFrame({"matched_posts": posts, "products": products.reindex(posts.index)})


def _add(total: pd.DataFrame | None, part: pd.DataFrame) -> pd.DataFrame:
    return part if total is None else total.add(part, fill_value=0)


def load_report_data(study: Study, post_columns: Sequence[str] = POST_COLUMNS, *,
                     batch_size: int = 50_000) -> StudyData:
    """Like :func:`load_study_data`, in memory bounded by the kept posts, not all posts.

    Posts are read in batches of ``batch_size`` (keyset pagination) with their latest scores and
    matches; :class:`Totals` sums what concerns every post, and ``posts``/``matches`` hold only
    the kept posts (the relevant ones; all posts while nothing is sifted) and their matches.
    """
    store = study.store
    versions = store.scores.versions()
    kept: list[pd.DataFrame] = []
    unsifted: list[pd.DataFrame] = []  # every post, in case nothing turns out to be sifted
    kept_matches: list[pd.DataFrame] = []
    unsifted_matches: list[pd.DataFrame] = []
    platforms = methods = taxa = None
    count, sifted, synthetic = 0, False, False
    first = last = None
    for batch in store.posts.iter(list(post_columns), batch_size=batch_size):
        lo, hi = int(batch["pk"].iloc[0]), int(batch["pk"].iloc[-1])
        posts = frame_posts(batch, store.scores.latest_between(SCORE_FIELDS, lo, hi,
                                                               versions=versions))
        matches = store.matches.between(lo, hi)
        count += len(posts)
        part_platforms, part_methods = _batch_counts(posts)
        platforms = _add(platforms, part_platforms)
        methods = _add(methods, part_methods)
        if len(matches):
            taxa = _batch_taxa(matches) if taxa is None else _merge_taxa(taxa, _batch_taxa(matches))
        created = posts["created_at"].dropna()
        if len(created):
            first = created.min() if first is None else min(first, created.min())
            last = created.max() if last is None else max(last, created.max())
        source = posts["source"].dropna().astype(str)
        synthetic = synthetic or bool(source.str.startswith(SYNTHETIC_PREFIX).any())
        sifted = sifted or bool(posts["relevant"].notna().any())
        if sifted:
            unsifted, unsifted_matches = [], []
            relevant = posts[posts["relevant"] == 1]
            kept.append(relevant)
            kept_matches.append(matches[matches["post_pk"].isin(relevant["pk"])])
        else:
            unsifted.append(posts)
            unsifted_matches.append(matches)
    if not sifted:
        kept, kept_matches = unsifted, unsifted_matches
    empty_posts = frame_posts(pd.DataFrame(columns=list(post_columns)), pd.DataFrame({"post_pk": []}))
    match_columns = ["post_pk", "taxon", "product", "lang", "term", "kind"]
    totals = Totals(
        posts=count, sifted=sifted, synthetic=synthetic, first=first, last=last,
        platforms=_counts_frame(platforms, "platform",
                                ["posts", "sifted", "relevant", "discarded"]),
        methods=_counts_frame(methods, "method", ["posts"]),
        taxa=(pd.DataFrame(columns=["taxon", "matched_posts", "products"]) if taxa is None
              else taxa.rename_axis("taxon").reset_index()),
    )
    quarantine = pd.DataFrame([dataclasses.asdict(item) for item in store.quarantine.all()],
                              columns=QUARANTINE_COLUMNS)
    return StudyData(
        name=study.settings.study.name,
        posts=pd.concat(kept, ignore_index=True) if kept else empty_posts,
        matches=(pd.concat(kept_matches, ignore_index=True) if kept_matches
                 else pd.DataFrame(columns=match_columns)),
        quarantine=quarantine,
        totals=totals,
    )


def _merge_taxa(total: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    index = total.index.union(part.index)
    total, part = total.reindex(index), part.reindex(index)
    posts = total["matched_posts"].fillna(0) + part["matched_posts"].fillna(0)
    products = [(a if isinstance(a, set) else set()) | (b if isinstance(b, set) else set())
                for a, b in zip(total["products"], part["products"])]
    return pd.DataFrame({"matched_posts": posts.astype(int), "products": products}, index=index)


def _counts_frame(table: pd.DataFrame | None, key: str, columns: list[str]) -> pd.DataFrame:
    if table is None:
        return pd.DataFrame(columns=[key, *columns])
    return table.fillna(0).astype(int).rename_axis(key).reset_index()[[key, *columns]]
