"""The lexicon: taxa (names in many languages, IUCN category, CITES appendix, native range),
products and trade code words, matched in texts and expanded into search terms."""

from wildsift.lazy import lazy_attributes

# Loaded on first use (wildsift/lazy.py), so a light submodule does not load the package.
_LAZY = {
    "Lexicon": "wildsift.lexicon.lexicon",
    "Match": "wildsift.lexicon.taxon",
    "Taxon": "wildsift.lexicon.taxon",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = ["Lexicon", "Match", "Taxon"]
