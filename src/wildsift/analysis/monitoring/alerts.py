"""A study's alerts: spikes and change points in its trade series, collection effort that
jumped or stopped, and contacts newly shared between sellers.

Every alert is one JSON object (:meth:`Alert.to_dict`): kind, series, window, observed,
expected, score, posts (pseudonymous post ids: the store's ``platform:post_id``, keyed hashes
unless the study keeps source ids), and a stable ``key`` so ``wildsift watch`` notifies each
alert once. The score of a spike or change point is -log10 of its Benjamini-Hochberg q-value.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from wildsift.analysis.monitoring.alert import MAX_POSTS, Alert
from wildsift.analysis.monitoring.clusters import new_shared_tokens, token_uses
from wildsift.analysis.monitoring.collection import collection_alerts
from wildsift.analysis.monitoring.detect import DetectSettings, Finding, detect, predictive_tail
from wildsift.analysis.monitoring.series import SEP, Series, build_series, periods

EFFORT_LEVEL = 1e-3  # tail probability under which a move in collection is an effort alert


def _window(start: pd.Timestamp, end: pd.Timestamp, freq: str) -> list[str]:
    last = end + (pd.Timedelta(days=6) if freq == "week" else pd.Timedelta(0))
    return [start.date().isoformat(), last.date().isoformat()]


def _score(q: float) -> float:
    return round(-math.log10(max(q, 1e-300)), 2)


def trade_alerts(series: Series, findings: list[Finding]) -> list[Alert]:
    cells = series.posts.groupby(["series", "period"])["post_id"].agg(list)
    out = []
    for f in findings:
        span = pd.date_range(f.start, f.end, freq=series.counts.index.freq)
        posts = [p for when in span for p in cells.get((f.series, when), [])]
        out.append(Alert(f.kind, f.series, _window(f.start, f.end, series.freq), f.observed,
                         round(f.expected, 2), _score(f.q), posts[:MAX_POSTS], f.direction))
    return out


def effort_alerts(series: Series, settings: DetectSettings,
                  since: pd.Timestamp | None = None) -> list[Alert]:
    """A platform's collected posts in a period against the median of its baseline periods:
    nothing at all after a collecting history (an outage), or more than ``effort_jump`` times
    more or less (a new query, a backlog, a partial outage), when the move is improbable
    (tail < ``EFFORT_LEVEL`` under the same predictive as trade spikes). Trade alerts are not
    raised where effort moved this much (see detect.py), so these say why a week is quiet.
    The score is -log10 of that tail."""
    out = []
    table = series.platform_effort
    for platform in table.columns:
        col = table[platform].astype(float)
        window = col.shift(1).rolling(settings.baseline_periods, min_periods=settings.min_history)
        usual, total, periods_in = window.median(), window.sum(), window.count()
        for when, value, med, base, n in zip(col.index, col, usual, total, periods_in,
                                             strict=True):
            if (since is not None and when < since) or not med or pd.isna(med):
                continue
            ratio = value / med
            if 1 / settings.effort_jump <= ratio <= settings.effort_jump:
                continue
            direction = "up" if ratio > 1 else "down"
            # a quiet platform's few posts a week swing by chance: only improbable moves count
            tail = predictive_tail(np.array([value]), np.array([base]), np.array([float(n)]),
                                   np.array([1.0]), settings.prior, upper=direction == "up")[0]
            if tail > EFFORT_LEVEL:
                continue
            note = ("nothing collected" if value == 0 else
                    f"{ratio:.1f}x the usual collection: a new query or a backlog?"
                    if direction == "up" else f"{ratio:.2f}x the usual collection")
            out.append(Alert("effort", f"{platform}{SEP}all posts",
                             _window(when, when, series.freq), value, round(med, 2),
                             round(-math.log10(max(tail, 1e-300)), 2), [], direction, note))
    return out


def cluster_alerts(posts: pd.DataFrame, since: pd.Timestamp | None) -> list[Alert]:
    shared = new_shared_tokens(token_uses(posts), since)
    return [Alert("new_cluster", f"contact {row.token}",
                  [row.shared_at.date().isoformat(), row.shared_at.date().isoformat()],
                  row.authors, None, float(row.authors), list(row.post_ids)[:MAX_POSTS],
                  note=f"first seen {row.first_seen.date().isoformat()}; "
                       f"{row.authors} authors")
            for row in shared.itertuples()]


def kept_events(study: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per kept post and taxon: post_id, created_at, taxon, country, platform;
    the kept posts with post_id, author, created_at, text)."""
    from wildsift.analysis.data import load_report_data
    from wildsift.analysis.places.located import post_locations

    data = load_report_data(study)
    kept = data.kept.reset_index(drop=True)
    if kept.empty:
        empty = pd.DataFrame(columns=["post_id", "created_at", "taxon", "country", "platform"])
        return empty, pd.DataFrame(columns=["post_id", "author", "created_at", "text"])
    located = post_locations(study.store, kept)
    extra = study.store.posts.frame(["pk", "post_id", "author", "text"],
                                    pks=[int(pk) for pk in kept["pk"]])
    kept = kept.merge(extra, on="pk", how="left")
    country = pd.Series(located["country"].to_numpy(), dtype=object)
    kept["country"] = country.where(country.notna() & ~country.isin(["", "nan"]), "unknown")
    kept["post_id"] = kept["platform"].astype(str) + ":" + kept["post_id"].astype(str)
    taxa = data.taxon_matches[["post_pk", "taxon"]].drop_duplicates()
    events = kept.merge(taxa, left_on="pk", right_on="post_pk")
    return (events[["post_id", "created_at", "taxon", "country", "platform"]],
            kept[["post_id", "author", "created_at", "text"]])


def detect_settings(alerts: Any) -> DetectSettings:
    """The detector's settings from a study's ``[alerts]`` section."""
    return DetectSettings(alpha=alerts.alpha, baseline_periods=alerts.baseline_periods,
                          min_count=alerts.min_count, effort_jump=alerts.effort_jump)


def study_alerts(study: Any, settings: DetectSettings | None = None, *, freq: str = "week",
                 since: pd.Timestamp | str | None = None) -> list[Alert]:
    """Every alert of a study (from ``since``, a date, when given), oldest first."""
    settings = settings or DetectSettings()
    events, kept = kept_events(study)
    all_posts = study.store.posts.frame(["platform", "created_at", "collected_at", "query"])
    series = build_series(events, all_posts, freq)
    start = None
    if since is not None:
        start = periods(pd.Series([pd.Timestamp(since)]), freq).iloc[0]
    alerts = trade_alerts(series, detect(series.counts, series.effort, settings, since=start))
    alerts += effort_alerts(series, settings, start)
    alerts += collection_alerts(all_posts, start)
    if len(kept):
        kept = kept.assign(created_at=pd.to_datetime(kept["created_at"], utc=True))
        alerts += cluster_alerts(kept, None if start is None else start.tz_localize("UTC"))
    return sorted(alerts, key=lambda a: (a.window[0], a.kind, a.series))
