"""The lexicon: taxa (names in many languages, IUCN category, CITES appendix, native range),
products and trade code words, matched in texts and expanded into search terms."""

from wildsift.lexicon.lexicon import Lexicon
from wildsift.lexicon.taxon import Match, Taxon

__all__ = ["Lexicon", "Match", "Taxon"]
