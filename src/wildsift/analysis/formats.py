"""The export formats, in a module without imports, so that ``wildsift export --help`` can list
them without loading pandas (:mod:`wildsift.analysis.export` re-exports them)."""

from __future__ import annotations

FORMATS = ("csv", "jsonl", "parquet")
PLACE_FORMATS = ("geojson", *FORMATS)  # --what places
WHAT = ("posts", "places", "routes", "network")  # routes, network: export_network.py
