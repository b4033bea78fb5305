"""Scam cues by rules: advance payment only, a price too good to be true, a reused image.

Non-delivery scams are common in online wildlife ads (and a police tactic in reverse), and they
distort counts of real trade, so wildsift flags them rather than drops them. Cues:

- ``advance_payment_only``: "payment before delivery", "deposit first", Western Union, gift
  cards, "bitcoin only", "no COD" ... in many languages (``sift/rules/data/heads.yaml``);
- ``too_good_price``: the lowest price in the post is below the floor of the product the lexicon
  found (:mod:`wildsift.sift.rules.prices`, where the floors and their uncertainty are documented);
- ``reused_image``: a picture of the post also appears in posts of other authors
  (:meth:`wildsift.store.Store.media.reused_pks`, read when the stage is built).

Documented rule (``scam-rules-v1``)::

    scam = 1 - (1 - 0.6*advance_payment_only) * (1 - 0.5*too_good_price) * (1 - 0.4*reused_image)

so one cue gives 0.4-0.6 and two give 0.7-0.8: a rule score, not a calibrated probability.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from wildsift.sift.rules.intent import section_counts
from wildsift.sift.rules.phrasebook import Phrasebook
from wildsift.sift.rules.prices import PRICE_FLOORS, too_good

SCAM_RULES_VERSION = "scam-rules-v1"
SCAM_CUES = ("advance_payment_only", "too_good_price", "reused_image")
WEIGHTS = np.array([0.6, 0.5, 0.4])
FEATURE_NAMES = tuple(f"scam_{name}" for name in SCAM_CUES)


def products_of(matches: Iterable[Mapping] | None,
                group_of: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(group, product) pairs of a post's lexicon matches (``lexicon_matches`` dicts)."""
    out = []
    for match in matches or []:
        product = match.get("product")
        if product and match.get("kind") != "negative":
            taxon = str(match.get("taxon"))
            out.append(((group_of or {}).get(taxon, taxon), str(product)))
    return list(dict.fromkeys(out))


def scam_features(texts: Sequence[str], products: Sequence[list[tuple[str, str]]],
                  reused: Sequence[bool], phrasebook: Phrasebook | None = None,
                  floors: Mapping[tuple[str, str], tuple[float, float]] = PRICE_FLOORS
                  ) -> np.ndarray:
    """(n, 3) cues per post in the order of SCAM_CUES: advance-payment phrase count (capped at
    5), too-good price (0/1), reused image (0/1)."""
    advance = section_counts("scam", texts, phrasebook)[:, 0]
    # too_good is False unless a product has a floor: most posts skip the price parsing
    cheap = np.array([too_good(t or "", list(p), dict(floors))
                      if any(q in floors for q in p) else False
                      for t, p in zip(texts, products)], dtype=np.float64)
    return np.column_stack([advance, cheap, np.asarray(reused, dtype=np.float64)])


def scam_scores(features: np.ndarray) -> np.ndarray:
    """The rule score of each row (see the module docstring)."""
    present = (features > 0).astype(np.float64)
    return 1.0 - np.prod(1.0 - present * WEIGHTS, axis=1)


def cue_names(features: np.ndarray) -> list[str]:
    """The cues present in each row, comma-joined ('' when none)."""
    present = np.asarray(features) > 0
    return [",".join(name for name, yes in zip(SCAM_CUES, row) if yes) if any_ else ""
            for row, any_ in zip(present.tolist(), present.any(axis=1).tolist())]


def reused_flags(pks: Sequence[int], reused_pks: Collection[int]) -> list[bool]:
    return [int(pk) in reused_pks for pk in pks]
