"""The series monitoring watches, read from the store: kept posts per taxon x country x platform
and period, and the collection effort behind them.

Effort is its own series because the count of trade posts also moves when collection moves: an
API outage empties a week, a new query fills one. Here: per platform and period, every collected
post (kept or not) by creation time, which scales the expected count of each trade series on
that platform (``effort_ratios``). The other effort series, posts collected per source/query and
day, is in collection.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wildsift.analysis.data import to_utc_naive

FREQS = {"week": "W-SUN", "day": "D"}  # periods: W-SUN is a week that ends on Sunday
STARTS = {"week": "W-MON", "day": "D"}  # their first days: Mondays
SEP = " | "  # series names: "taxon | country | platform"


@dataclass
class Series:
    """Counts per period (rows) and series (columns), their effort ratios, and which posts
    make each cell (``posts``: series, period, post ids)."""

    freq: str
    counts: pd.DataFrame
    effort: pd.DataFrame
    platform_effort: pd.DataFrame  # all collected posts per period (rows) and platform
    posts: pd.DataFrame


def periods(stamps: pd.Series, freq: str) -> pd.Series:
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {sorted(FREQS)}, not {freq!r}")
    return to_utc_naive(stamps).dt.to_period(FREQS[freq]).dt.start_time


def series_name(taxon: str, country: str, platform: str) -> str:
    return SEP.join((taxon, country, platform))


def platform_of(series: str) -> str:
    return series.rsplit(SEP, 1)[-1]


def build_series(events: pd.DataFrame, all_posts: pd.DataFrame, freq: str = "week") -> Series:
    """``events``: one row per kept post and taxon (post_id, created_at, taxon, country,
    platform). ``all_posts``: every collected post (platform, created_at)."""
    dated = events.dropna(subset=["created_at"]).copy()
    collected = all_posts.dropna(subset=["created_at"])
    if dated.empty or collected.empty:
        empty = pd.DataFrame(index=pd.DatetimeIndex([], name=freq))
        return Series(freq, empty, empty.copy(), empty.copy(),
                      pd.DataFrame(columns=["series", "period", "post_id"]))
    dated["period"] = periods(dated["created_at"], freq)
    dated["series"] = [series_name(t, c, p) for t, c, p in
                       zip(dated["taxon"], dated["country"], dated["platform"], strict=True)]
    stamps = periods(collected["created_at"], freq)
    index = pd.date_range(min(stamps.min(), dated["period"].min()),
                          max(stamps.max(), dated["period"].max()), freq=STARTS[freq], name=freq)
    counts = (dated.groupby(["period", "series"]).size().unstack(fill_value=0)
              .reindex(index, fill_value=0))
    per_platform = (pd.DataFrame({"period": stamps.to_numpy(),
                                  "platform": collected["platform"].to_numpy()})
                    .groupby(["period", "platform"]).size().unstack(fill_value=0)
                    .reindex(index, fill_value=0))
    return Series(freq, counts, effort_ratios(counts.columns, per_platform), per_platform,
                  dated[["series", "period", "post_id"]])


def effort_ratios(columns: pd.Index, per_platform: pd.DataFrame) -> pd.DataFrame:
    """Each series' effort per period: its platform's collected posts over their median over
    the periods with any (1.0 = a usual period, 0.0 = nothing collected)."""
    out = {}
    for name in columns:
        platform = platform_of(str(name))
        col = per_platform.get(platform)
        if col is None:
            out[name] = pd.Series(1.0, index=per_platform.index)
            continue
        active = col[col > 0]
        median = float(active.median()) if len(active) else 0.0
        out[name] = col / median if median > 0 else pd.Series(1.0, index=col.index)
    return pd.DataFrame(out, index=per_platform.index, columns=columns).astype(float)
