"""Collection effort as it happened: posts collected (``collected_at``) per source/query and day.

Creation-time effort (series.py) says how much of a week was collected; this says when
collecting stopped or a query started, as the collector saw it: a source/query that collected
on most days and then collects nothing (an API outage, an expired token, a stopped cron job),
or a query that starts collecting on a platform already collected (a new query: more posts, not
more trade). Imported files (one collection day) give no alert.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wildsift.analysis.data import to_utc_naive
from wildsift.analysis.monitoring.alert import Alert
from wildsift.analysis.monitoring.series import SEP

ACTIVE_DAYS = 7  # the days before a gap that say a source/query collects daily ...
MIN_ACTIVE = 5  # ... when it collected on at least this many of them


def collection_by_day(all_posts: pd.DataFrame) -> pd.DataFrame:
    """Posts collected per day: rows days, columns "platform | query" ("platform | -" when the
    posts carry no query, e.g. an import)."""
    if all_posts.empty or "collected_at" not in all_posts:
        return pd.DataFrame()
    frame = all_posts.dropna(subset=["collected_at"])
    if frame.empty:
        return pd.DataFrame()
    day = to_utc_naive(frame["collected_at"]).dt.floor("D")
    query = (frame["query"].fillna("-").astype(str) if "query" in frame
             else pd.Series("-", index=frame.index))
    key = frame["platform"].astype(str) + SEP + query
    table = pd.DataFrame({"day": day.to_numpy(), "key": np.asarray(key)})
    return table.groupby(["day", "key"]).size().unstack(fill_value=0).asfreq("D", fill_value=0)


def _day(value: pd.Timestamp) -> str:
    return value.date().isoformat()


def _stops(key: str, col: pd.Series) -> list[Alert]:
    active = (col > 0).astype(int)
    recent = active.shift(1).rolling(ACTIVE_DAYS, min_periods=ACTIVE_DAYS).sum()
    usual = col.where(col > 0).shift(1).rolling(ACTIVE_DAYS, min_periods=1).median()
    out, days = [], list(col.index)
    i = 0
    while i < len(days):
        if col.iloc[i] == 0 and recent.iloc[i] >= MIN_ACTIVE:
            j = i
            while j + 1 < len(days) and col.iloc[j + 1] == 0:
                j += 1
            gap = j - i + 1
            ongoing = j == len(days) - 1
            out.append(Alert("effort", f"{key}{SEP}collected", [_day(days[i]), _day(days[j])],
                             0, round(float(usual.iloc[i]), 1), float(gap), [], "down",
                             f"nothing collected for {gap} day(s)"
                             + (" so far" if ongoing else "")
                             + f" after {int(recent.iloc[i])} of {ACTIVE_DAYS} days with posts: "
                               "an API outage or a stopped job?"))
            i = j + 1
        else:
            i += 1
    return out


def collection_alerts(all_posts: pd.DataFrame, since: pd.Timestamp | None = None
                      ) -> list[Alert]:
    """Stops and new queries in the daily collection (platform, query, collected_at)."""
    table = collection_by_day(all_posts)
    if table.empty:
        return []
    out: list[Alert] = []
    first = {key: table.index[(table[key] > 0).to_numpy()][0] for key in table.columns}
    platform_first: dict[str, pd.Timestamp] = {}
    for key, day in first.items():
        platform = key.split(SEP, 1)[0]
        platform_first[platform] = min(day, platform_first.get(platform, day))
    for key in table.columns:
        out += _stops(key, table[key])
        platform = key.split(SEP, 1)[0]
        started = first[key]
        if started - platform_first[platform] >= pd.Timedelta(days=ACTIVE_DAYS):
            posts = int(table.at[started, key])
            out.append(Alert("effort", f"{key}{SEP}collected", [_day(started), _day(started)],
                             posts, None, float(posts), [], "up",
                             "a new query on a platform already collected: its posts raise "
                             "the platform's effort from this day, not the trade"))
    if since is not None:
        out = [a for a in out if a.window[1] >= _day(since)]
    return out
