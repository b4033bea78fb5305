"""Privacy at ingest: pseudonyms, redaction, media scrubbing, erasure. Runs before any write."""
