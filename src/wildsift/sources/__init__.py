"""Mine: sources that read posts from platform APIs and from researchers' export files.

A source only reads; :func:`wildsift.sources.ingest.ingest` (files) and
:func:`wildsift.sources.run.run_term` (live sources) pass every record through privacy before
anything is stored.
"""
