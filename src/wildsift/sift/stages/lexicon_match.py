"""Lexicon matching as a stage: which taxa and products each post names, in any language.

Adds ``lexicon_hits`` (how many terms matched), ``lexicon_taxa`` (sorted taxon keys) and
``lexicon_matches`` (the matches themselves, as dicts), which the engine stores in the matches
table (the stage declares it: ``matches``), replacing each post's earlier matches.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wildsift.sift.rules.signals import load_lexicon, match_texts

def _as_dict(match: Any) -> dict[str, Any]:
    return {"taxon": match.taxon, "product": getattr(match, "product", None),
            "lang": getattr(match, "lang", None), "term": match.term,
            "kind": getattr(match, "kind", None)}


class LexiconStage:
    """Adds lexicon_hits, lexicon_taxa and lexicon_matches."""

    name = "lexicon"
    reads = ("text",)
    adds = ("lexicon_hits", "lexicon_taxa", "lexicon_matches")
    stores = ("lexicon_hits",)
    matches = "lexicon_matches"  # the column of what it found, kept in the matches table

    def __init__(self, lexicon: Any | None = None):
        self._lexicon = lexicon

    @property
    def lexicon(self) -> Any:
        if self._lexicon is None:
            self._lexicon = load_lexicon()
        return self._lexicon

    @property
    def version(self) -> str:
        """The lexicon's own version when it declares one, so a new lexicon rescores posts."""
        return f"lexicon-{getattr(self.lexicon, 'version', '1')}"

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        found = match_texts(self.lexicon, [t or "" for t in batch["text"]])
        batch = batch.copy()
        batch["lexicon_matches"] = [[_as_dict(m) for m in ms] for ms in found]
        batch["lexicon_hits"] = [len(ms) for ms in found]
        batch["lexicon_taxa"] = [sorted({m.taxon for m in ms}) for ms in found]
        return batch

