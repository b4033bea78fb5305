"""The cascade: the fast place filter decides every post it is sure of, e5 only the others.

``learned-e5`` is the more precise filter (out of fold over the seventeen sets no rule was
written against: 0.876 / 0.779 against 0.850 / 0.754, 8 Dec 2026) but costs ~100 times the CPU, almost all
of it the sentence embedding of each candidate's context. Most posts do not need it: the fast
filter's best candidate is either clearly right (probability above the band) or clearly
nothing (below it). ``[identify] text_places = "cascade"`` embeds only the posts whose best
fast probability falls inside ``BAND``.

``BAND`` was chosen out of fold (7 Dec 2026, docs/identify.md "The cascade"): among bands that
send at most a quarter of the new sets' posts to e5, the one nearest the goal (precision 0.90,
recall 0.80). It is fixed here, not refitted by ``train_filter``; re-checked after each
retraining: with the filters of the fourth round (8 Dec 2026) (0.2, 0.9) still wins, sending
22% of the posts to e5 and giving 0.871 / 0.778.
"""

from __future__ import annotations

import numpy as np

from wildsift.errors import ModelError
from wildsift.places.place_filter import PlaceFilter, decide, prepare
from wildsift.places.resolve import Location

BAND = (0.2, 0.9)


def unsure(probs: np.ndarray, band: tuple[float, float] = BAND) -> bool:
    """Whether the fast filter's best candidate (of a post's ``probs``) is inside ``band``."""
    return len(probs) > 0 and band[0] <= float(probs.max()) <= band[1]


def locate_cascade(texts: list[str], langs: list[str | None], fast: PlaceFilter,
                   slow: PlaceFilter, band: tuple[float, float] = BAND
                   ) -> list[Location | None]:
    """Each text's location: ``fast``'s decision, or ``slow``'s where ``fast`` is unsure.
    ``fast`` must decide by ``argmax``: the band is over its best candidate's probability,
    which under ``veto`` is not the one that decides."""
    if fast.decision != "argmax":
        raise ModelError(f"the cascade needs a fast filter that decides by argmax, not "
                         f"{fast.decision!r}; re-choose BAND for it (places/cascade.py)")
    posts = [prepare(text, lang) for text, lang in zip(texts, langs)]
    fast_probs = fast.probabilities(posts)
    again = [i for i, probs in enumerate(fast_probs) if unsure(probs, band)]
    slow_probs = dict(zip(again, slow.probabilities([posts[i] for i in again]) if again else []))
    return [decide(post, slow_probs[i], slow.decision, slow.threshold) if i in slow_probs
            else decide(post, fast_probs[i], fast.decision, fast.threshold)
            for i, post in enumerate(posts)]
