"""Posts over time, by taxon group and by platform, in weekly or monthly buckets.

Weekly buckets while the study spans up to about six months (trends within a season stay
visible), monthly beyond that (so a multi-year study does not become hundreds of thin bars).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

WEEKLY_MAX_DAYS = 183
UNMATCHED = "no taxon matched"
_PERIOD = {"week": "W-SUN", "month": "M"}  # W-SUN: weeks that run Monday to Sunday


@dataclass
class Timeline:
    """Counts of posts per bucket; index is the first day of each bucket, zero-filled."""

    freq: str  # "week" | "month"
    by_group: pd.DataFrame  # columns: taxon groups
    by_platform: pd.DataFrame  # columns: platforms
    undated: int  # posts without a creation time (not in the buckets)


def choose_freq(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """'week' for spans up to ~six months, else 'month'."""
    if pd.isna(start) or pd.isna(end):
        return "week"
    return "week" if (end - start).days <= WEEKLY_MAX_DAYS else "month"


def bucket_starts(stamps: pd.Series, freq: str) -> pd.Series:
    """The first day (midnight) of the week (Monday) or month holding each timestamp."""
    return stamps.dt.to_period(_PERIOD[freq]).dt.start_time


def _counts(frame: pd.DataFrame, column: str, freq: str, index: pd.DatetimeIndex) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(index=index)
    table = (frame.groupby(["bucket", column]).size().unstack(column, fill_value=0)
             .reindex(index, fill_value=0))
    table = table[table.sum().sort_values(ascending=False).index]  # biggest series first
    table.index.name = freq
    table.columns.name = None
    return table.astype(int)


def posts_over_time(posts: pd.DataFrame, matches: pd.DataFrame, groups: Mapping[str, str],
                    freq: str | None = None) -> Timeline:
    """Bucket ``posts`` (pk, platform, created_at) by time; a post counts once per taxon group.

    ``groups`` maps a taxon key of the matches to its group (e.g. 'rhinoceros'); taxa it does not
    know count under their own key. Posts without a match count as 'no taxon matched'.
    """
    dated = posts.loc[posts["created_at"].notna(), ["pk", "platform", "created_at"]]
    undated = int(len(posts) - len(dated))
    if dated.empty:
        empty = pd.DataFrame(index=pd.DatetimeIndex([], name=freq or "week"))
        return Timeline(freq or "week", empty, empty.copy(), undated)
    freq = freq or choose_freq(dated["created_at"].min(), dated["created_at"].max())
    if freq not in _PERIOD:
        raise ValueError(f"freq must be one of {sorted(_PERIOD)}, not {freq!r}")
    dated = dated.assign(bucket=bucket_starts(dated["created_at"], freq))
    periods = pd.period_range(dated["created_at"].min(), dated["created_at"].max(),
                              freq=_PERIOD[freq])
    index = pd.DatetimeIndex(periods.start_time, name=freq)

    taxa = matches.loc[matches["post_pk"].isin(dated["pk"]), ["post_pk", "taxon"]]
    taxa = taxa.assign(group=taxa["taxon"].map(dict(groups)).fillna(taxa["taxon"]))
    taxa = taxa.drop_duplicates(["post_pk", "group"])
    with_group = dated.merge(taxa[["post_pk", "group"]], left_on="pk", right_on="post_pk",
                             how="left")
    with_group["group"] = with_group["group"].astype(object).fillna(UNMATCHED)
    platform = dated.assign(platform=dated["platform"].fillna("unknown"))
    return Timeline(
        freq=freq,
        by_group=_counts(with_group, "group", freq, index),
        by_platform=_counts(platform, "platform", freq, index),
        undated=undated,
    )
