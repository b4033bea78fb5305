"""The lexicon: taxa (names in many languages, IUCN category, CITES appendix, native range),
products and trade code words, matched in texts and expanded into search terms."""

import importlib
from typing import Any

# Loaded on first use (PEP 562), so that importing a light submodule (a constant for a help
# text) does not load the whole package.
_LAZY = {
    "Lexicon": "wildsift.lexicon.lexicon",
    "Match": "wildsift.lexicon.taxon",
    "Taxon": "wildsift.lexicon.taxon",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Lexicon", "Match", "Taxon"]
