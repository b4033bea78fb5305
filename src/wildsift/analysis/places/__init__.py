"""Where kept posts are: the location stage's stored output read back for the report, the map
and the exports (the geoparsing itself lives in :mod:`wildsift.places`, below ingest)."""
