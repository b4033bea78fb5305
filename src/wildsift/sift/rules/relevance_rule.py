"""The rule score used before any label exists: lexicon hits plus sale-intent cues.

Documented rule (version ``rules-v1``)::

    z = 1.5 * min(lexicon_hits, 2) + sale_intent - 2.5        sale_intent in [0, 2]
    relevance = 1 / (1 + exp(-z))

so a post needs a taxon or product term *and* a sale cue (or two distinct lexicon hits) to pass
0.5: one lexicon hit alone gives 0.38, a sale word alone 0.18, a hit with a sale word 0.62, a hit
with a price, a sale word and a contact 0.87. It is a probability-like score, not a calibrated
probability; the CLI says so, and a trained model replaces it as soon as one exists.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wildsift.sift.rules.cues import cue_matrix, sale_intent

RULES_VERSION = "rules-v1"
LEXICON_WEIGHT = 1.5
LEXICON_CAP = 2
BIAS = -2.5


def rule_scores(texts: Sequence[str], lexicon_hits: Sequence[int] | np.ndarray) -> np.ndarray:
    """Relevance in (0, 1) for each text from its lexicon hit count and its sale cues."""
    hits = np.minimum(np.asarray(lexicon_hits, dtype=np.float64), LEXICON_CAP)
    z = LEXICON_WEIGHT * hits + sale_intent(cue_matrix(texts)) + BIAS
    return 1.0 / (1.0 + np.exp(-z))
