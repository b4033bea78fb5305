"""Origin claims by rules: captive-bred, farmed, "legal papers" or a CITES certificate.

Sellers launder wild-caught animals and products with these claims, so a post that makes one is
worth a closer look whatever its truth. Documented rule (``origin-rules-v1``)::

    captive_bred = 0                         no claim
                   0.8                       one kind of claim
                   0.95                      two or more kinds (e.g. "captive bred, CITES papers")

a rule score, not a calibrated probability; ``origin_claims`` names the kinds found.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wildsift.sift.rules.intent import section_counts
from wildsift.sift.rules.phrasebook import SECTIONS, Phrasebook

CLAIMS = SECTIONS["origin"]
ORIGIN_RULES_VERSION = "origin-rules-v1"
FEATURE_NAMES = tuple(f"origin_{name}" for name in CLAIMS)


def origin_features(texts: Sequence[str], phrasebook: Phrasebook | None = None) -> np.ndarray:
    """(n, len(CLAIMS)) capped counts of each kind of claim."""
    return section_counts("origin", texts, phrasebook)


def origin_scores(features: np.ndarray) -> np.ndarray:
    """Rule score in [0, 1] per row (see the module docstring)."""
    kinds = (features > 0).sum(axis=1)
    return np.where(kinds >= 2, 0.95, np.where(kinds == 1, 0.8, 0.0))


def claim_names(features: np.ndarray) -> list[str]:
    """The kinds of claim found in each row, comma-joined ('' when none)."""
    present = np.asarray(features) > 0
    return [",".join(name for name, yes in zip(CLAIMS, row) if yes) if any_ else ""
            for row, any_ in zip(present.tolist(), present.any(axis=1).tolist())]
