"""The lexicon: taxa, names and product terms in many languages, code words."""
