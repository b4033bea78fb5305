"""Sift: the filter of the framework's second stage, one subpackage per concept.

``stages/`` (language, lexicon matches, task heads, relevance, fusion, OCR, image model) use
``models/`` (trained models and artifacts), ``vision/`` (hashes, faces, OCR, video, image model)
and ``rules/`` (cues and phrase data); ``learn/`` trains and evaluates them. ``plan.py`` says what
``wildsift sift`` runs, ``pipeline.py`` and ``image_pipeline.py`` how (docs/layout.md)."""
