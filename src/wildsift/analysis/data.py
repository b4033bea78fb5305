"""The frames every analysis reads, loaded once from the store with only the columns needed.

A report over a million posts must build in under a minute, so we load narrow columns, join the
latest score of each field onto the posts, and let the analysis modules aggregate in pandas.
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
        return bool(self.posts["relevant"].notna().any())

    @property
    def kept(self) -> pd.DataFrame:
        """The posts the figures describe: the relevant ones, or all when nothing is sifted yet."""
        if not self.sifted:
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
    posts = store.posts_frame(list(post_columns))
    scores = store.latest_scores(list(SCORE_FIELDS))
    matches = store.matches_frame()
    quarantine = pd.DataFrame([dataclasses.asdict(item) for item in store.quarantined()],
                              columns=QUARANTINE_COLUMNS)
    return StudyData(
        name=study.settings.study.name,
        posts=frame_posts(posts, scores),
        matches=matches,
        quarantine=quarantine,
    )
