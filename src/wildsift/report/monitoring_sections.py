"""The report's "Attitudes" and "Alerts" sections (issue 13, items 3, 4 and 6).

Attitudes: stance and sentiment of the kept posts (analysis/attitudes/), by taxon and per
month; at most ``ATTITUDE_POSTS`` posts are classified per build (an even sample over time when
there are more: the sentence model reads ~50 posts a second on a laptop core, and the
embeddings are cached in the study folder, so a rebuild reads only new posts). Alerts: every
alert of analysis/monitoring/, newest first. Nothing here reaches the network.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wildsift.analysis.attitudes.posts import by_taxon, over_time, study_attitudes
from wildsift.analysis.monitoring.alerts import detect_settings, study_alerts
from wildsift.errors import ModelError

ATTITUDE_POSTS = 2000
ALERT_ROWS = 30
CLUSTER_ROWS = 10


def _sample(kept: pd.DataFrame, limit: int) -> pd.DataFrame:
    if len(kept) <= limit:
        return kept
    ordered = kept.sort_values("created_at", na_position="last")
    step = len(ordered) / limit
    return ordered.iloc[[int(i * step) for i in range(limit)]]


def _table(frame: pd.DataFrame, index_name: str) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    frame = frame.reset_index().rename(columns={frame.index.name or "index": index_name})
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def attitudes_context(study: Any, kept: pd.DataFrame, matches: pd.DataFrame) -> dict[str, Any]:
    if kept.empty:
        return {"posts": 0}
    sample = _sample(kept, ATTITUDE_POSTS)
    try:
        att = study_attitudes(study, sample)
    except ModelError as exc:
        return {"posts": 0, "why_not": str(exc)}
    posts = att.posts
    months = over_time(posts)
    if not months.empty:
        months.index = pd.DatetimeIndex(months.index).strftime("%Y-%m")
    return {
        "posts": len(posts), "kept": len(kept), "method": att.stance_method,
        "labels": att.labels, "oof_macro_f1": att.oof_macro_f1, "notes": att.notes,
        "stance_share": posts["stance"].value_counts(normalize=True).to_dict(),
        "sentiment_share": posts["sentiment"].value_counts(normalize=True).to_dict(),
        "vader_posts": int((posts["sentiment_method"] == "vader").sum()),
        "by_taxon": _table(by_taxon(posts, matches), "taxon"),
        "sentiment_by_taxon": _table(by_taxon(posts, matches, "sentiment"), "taxon"),
        "by_month": _table(months, "month"),
    }


def alerts_context(study: Any) -> dict[str, Any]:
    """Trade and effort alerts in one table, newest first; new clusters in their own (a study
    with many sellers has many, and they would hide the spikes)."""
    settings = study.settings.alerts
    alerts = [a.to_dict() for a in study_alerts(study, detect_settings(settings),
                                                freq=settings.freq)]
    counts = pd.Series([a["kind"] for a in alerts], dtype=object).value_counts().to_dict()
    newest = sorted(alerts, key=lambda a: a["window"][0], reverse=True)
    series = [a for a in newest if a["kind"] != "new_cluster"]
    clusters = [a for a in newest if a["kind"] == "new_cluster"]
    return {"total": len(alerts), "by_kind": counts, "rows": series[:ALERT_ROWS],
            "more": max(0, len(series) - ALERT_ROWS), "clusters": clusters[:CLUSTER_ROWS],
            "clusters_more": max(0, len(clusters) - CLUSTER_ROWS), "alpha": settings.alpha,
            "freq": settings.freq}


def monitoring_context(study: Any, kept: pd.DataFrame, matches: pd.DataFrame) -> dict[str, Any]:
    """``attitudes`` and ``alerts`` for the template (attitudes.html, alerts.html)."""
    return {"attitudes": attitudes_context(study, kept, matches),
            "alerts": alerts_context(study)}
