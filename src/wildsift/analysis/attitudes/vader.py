"""VADER sentiment (Hutto & Gilbert 2014) for English posts only: its lexicon and rules are
English, so other languages keep the embedding classifier. Optional: without the
``vaderSentiment`` package every post keeps the embedding sentiment."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

POSITIVE, NEGATIVE = 0.05, -0.05  # the compound thresholds the VADER authors recommend


@lru_cache(maxsize=1)
def _analyzer() -> Any | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    return SentimentIntensityAnalyzer()


def available() -> bool:
    return _analyzer() is not None


def vader_sentiment(texts: Sequence[str]) -> list[str]:
    """positive / negative / neutral per text by VADER's compound score."""
    analyzer = _analyzer()
    if analyzer is None:
        raise RuntimeError("vaderSentiment is not installed: pip install vaderSentiment")
    out = []
    for text in texts:
        compound = analyzer.polarity_scores(text or "")["compound"]
        out.append("positive" if compound >= POSITIVE else
                   "negative" if compound <= NEGATIVE else "neutral")
    return out
