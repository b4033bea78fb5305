"""Engines run stages over batches: in-process with bounded memory (local), or on Ray."""
