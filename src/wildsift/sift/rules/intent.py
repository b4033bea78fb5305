"""Trade intent by rules: an offer to sell, a wish to buy, news/awareness, or other.

Documented rule (``intent-rules-v1``), on capped cue counts (see :mod:`wildsift.sift.rules.cues` and
``sift/rules/data/heads.yaml``)::

    offer  = 1.0*sale_word + 0.7*offer_phrase + 0.5*price + 0.3*quantity + 0.5*contact
    wanted = 1.2*(wanted cue of cues.py + wanted phrase) + 0.5*contact  (when a wanted cue is
             present: buyers and price questions leave a contact as sellers do)
    news   = 1.3*news_awareness phrase - 0.5*contact              (seizures, campaigns, zoos)

each term is min(count, 2) except the wanted and news counts (min(count, 3)). The largest score
wins when it reaches 0.8, else "other"; ties go to wanted, then news, then offer, because a buyer
or a news story often repeats seller vocabulary ("who is selling?", "arrested for selling ivory")
while a seller rarely writes a buyer's or a reporter's words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wildsift.sift.rules.cues import CUE_NAMES, count_patterns, cue_matrix
from wildsift.sift.rules.phrasebook import SECTIONS, Phrasebook, default_phrasebook

INTENTS = ("offer", "wanted", "news_awareness", "other")
INTENT_RULES_VERSION = "intent-rules-v1"
MIN_SCORE = 0.8
FEATURE_NAMES = tuple(f"cue_{name}" for name in CUE_NAMES) + tuple(
    f"intent_{name}" for name in SECTIONS["intent"])

_SALE = {name: CUE_NAMES.index(name) for name in CUE_NAMES}
_PHRASE = {name: i for i, name in enumerate(SECTIONS["intent"])}


def intent_features(texts: Sequence[str], phrasebook: Phrasebook | None = None) -> np.ndarray:
    """(n, len(FEATURE_NAMES)) capped counts: the sale cues of cues.py, then the intent phrases."""
    return np.hstack([cue_matrix(texts), section_counts("intent", texts, phrasebook)])


def section_counts(section: str, texts: Sequence[str],
                   phrasebook: Phrasebook | None = None) -> np.ndarray:
    """``Phrasebook.counts(section, texts)``, over the batch's shared lower-cased text (the
    sale cues and every head's phrases scan it: see :class:`wildsift.sift.rules.cues.ScanDocs`)."""
    book = phrasebook or default_phrasebook()
    if type(book) is not Phrasebook:  # a subclass may count its own way
        return book.counts(section, texts)
    return count_patterns([book.patterns.get((section, cue)) for cue in SECTIONS[section]],
                          texts)


def intent_scores(features: np.ndarray) -> np.ndarray:
    """(n, 3) rule scores of offer, wanted and news_awareness from :func:`intent_features`."""
    sale = features[:, : len(CUE_NAMES)]
    phrase = features[:, len(CUE_NAMES):]

    def two(matrix: np.ndarray, column: int) -> np.ndarray:
        return np.minimum(matrix[:, column], 2.0)

    offer = (1.0 * two(sale, _SALE["sale_word"]) + 0.7 * two(phrase, _PHRASE["offer"])
             + 0.5 * two(sale, _SALE["price"]) + 0.3 * two(sale, _SALE["quantity"])
             + 0.5 * two(sale, _SALE["contact"]))
    wanted_cues = np.minimum(sale[:, _SALE["wanted"]] + phrase[:, _PHRASE["wanted"]], 3.0)
    contact = 0.5 * np.minimum(sale[:, _SALE["contact"]], 2.0)
    wanted = 1.2 * wanted_cues + np.where(wanted_cues > 0, contact, 0.0)
    news = 1.3 * np.minimum(phrase[:, _PHRASE["news_awareness"]], 3.0) - contact
    return np.column_stack([offer, wanted, news])


def rule_intents(texts: Sequence[str], phrasebook: Phrasebook | None = None) -> list[str]:
    """The rule intent of each text: one of INTENTS."""
    return intents_from_features(intent_features(texts, phrasebook))


def intents_from_features(features: np.ndarray) -> list[str]:
    scores = intent_scores(features)
    # Column order for ties: wanted, news, offer (argmax keeps the first maximum).
    order = np.array([1, 2, 0])
    ranked = scores[:, order]
    best = order[np.argmax(ranked, axis=1)]
    top = ranked.max(axis=1) if len(ranked) else np.zeros(0)
    names = np.array(["offer", "wanted", "news_awareness"], dtype=object)
    return [str(names[b]) if s >= MIN_SCORE else "other" for b, s in zip(best, top)]
