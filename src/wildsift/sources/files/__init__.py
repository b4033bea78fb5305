"""Importers of the export files researchers already hold: one module per format.

``reader`` reads generic CSV and JSON Lines (with ``--map``); ``lines`` is the shared JSON-lines
reader the export formats build on (twarc2, Zeeschuimer, 4CAT NDJSON); ``detect`` picks the
format of a file and opens it; ``formats`` names the formats without importing any reader (for
``wildsift import --help``). The formats share the line reader, chunking and quarantine, so they
live in one package; a platform's export reuses that platform's mapper (twarc2 ->
:mod:`wildsift.sources.x.mapping`).
"""
