"""Classes from prototype sentences: before a study has labels, a post takes the class whose
prototype sentences (data/prototypes.yaml, in nine languages) it is closest to on average."""

from __future__ import annotations

from importlib import resources

import numpy as np
import yaml

TASKS = ("stance", "sentiment")
TEMPERATURE = 0.02  # cosine gaps between classes are small; this makes softmax scores usable


def prototype_sentences(task: str) -> dict[str, list[str]]:
    """{class: sentences in every language} for ``task`` (stance or sentiment)."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, not {task!r}")
    text = resources.files("wildsift.analysis.attitudes").joinpath(
        "data/prototypes.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)[task]
    return {label: [s for sentences in by_lang.values() for s in sentences]
            for label, by_lang in data.items()}


class PrototypeClassifier:
    """Nearest class centroid in embedding space; ``predict_proba`` a softmax of cosines."""

    def __init__(self, task: str):
        self.task = task

    def fit(self, embed) -> PrototypeClassifier:
        sentences = prototype_sentences(self.task)
        self.classes_ = np.array(sorted(sentences))
        centroids = np.stack([embed(sentences[c]).mean(axis=0) for c in self.classes_])
        self.centroids_ = centroids / np.linalg.norm(centroids, axis=1, keepdims=True)
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        logits = X @ self.centroids_.T / TEMPERATURE
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
