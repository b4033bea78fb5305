"""Trained models and their artifacts: the text relevance model and its candidates (n-gram model,
TF-IDF baseline, blend, cascade with sentence embeddings), the task heads' model, the fusion
model, the image probe, the registry of models the CLI names, thresholds, hashed n-grams, and the
versioned artifacts with their model cards.

Models follow scikit-learn's estimator rules (``fit`` returns self, learned state ends in ``_``);
what they learn from is in ``sift/learn``."""
