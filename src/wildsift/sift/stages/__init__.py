"""Stages: small objects from a batch to new columns, each declaring what it runs over (posts or
images), what it reads, adds and stores, and its version (``engine/stage.py``).

Post stages: language (``langid``), lexicon matches (``lexicon_match``), task heads (``heads``),
relevance and fusion. Image stages (over distinct pictures): the stage protocol and runner
(``image_stage``), OCR and the image model; the perceptual-hash and faces stages sit beside their
algorithms in ``sift/vision``. Stages use the rules, models and vision code below them and know
nothing of the store or the CLI."""
