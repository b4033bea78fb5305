"""Registries the lexicon's conservation facts come from: GBIF, IUCN Red List, CITES Species+.

:func:`refresh.refresh` asks one registry about the lexicon's species and writes a dated
snapshot into the study folder (:mod:`snapshot`); :mod:`wildsift.analysis.conservation` prefers
the newest snapshot's facts over the packaged lexicon's and names the source and date of each.
Tests run against local HTTP servers that answer in each API's shape (tests/lexicon/).
"""
