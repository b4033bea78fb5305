"""The default text relevance model: character and word n-grams plus sale cues and lexicon hits,
a class-balanced logistic regression, and calibrated probabilities.

Why this model: it learns from a few hundred labels, works in any script (character n-grams need
no tokenizer, so Chinese and Thai work), scores tens of thousands of posts a second on a laptop,
and its probabilities are calibrated (sigmoid, cross-validated), so a threshold of 0.5 means what
it says. Hashing keeps the feature space bounded and the artifact free of any vocabulary.

It follows scikit-learn's estimator rules: ``__init__`` only stores parameters, ``fit`` returns
self, learned state ends in ``_``. ``X`` is a sequence of texts or a DataFrame with a ``text``
column and, optionally, ``lexicon_hits`` (computed with the default lexicon when missing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.validation import check_is_fitted

from wildsift.errors import ModelError
from wildsift.sift.cues import CUE_NAMES, cue_matrix
from wildsift.sift.hashing import CharNgramHasher, WordNgramHasher

FEATURES_DESCRIPTION = [
    ("character n-grams 2-5 of space-padded lower-cased text (as char_wb), hashed (2^19), "
     "sublinear tf-idf"),
    "word n-grams 1-2, hashed (2^18), sublinear tf-idf",
    f"sale cues (log1p counts): {', '.join(CUE_NAMES)}",
    "lexicon hits (log1p count)",
]


def _texts(frame: pd.DataFrame) -> list[str]:
    return frame["text"].tolist()


def _dense_features(frame: pd.DataFrame) -> sparse.csr_matrix:
    cues = cue_matrix(frame["text"])
    hits = frame["lexicon_hits"].to_numpy(dtype=np.float64).reshape(-1, 1)
    return sparse.csr_matrix(np.log1p(np.hstack([cues, np.minimum(hits, 10)])))


def prepare(X: Any, use_lexicon: bool = True, lexicon: Any | None = None) -> pd.DataFrame:
    """X as a DataFrame with ``text`` and ``lexicon_hits`` (zeros when use_lexicon is False)."""
    if isinstance(X, pd.DataFrame):
        frame = pd.DataFrame({"text": X["text"].fillna("").astype(str).tolist()})
        if "lexicon_hits" in X:
            hits = pd.to_numeric(X["lexicon_hits"], errors="coerce").fillna(0)
            frame["lexicon_hits"] = hits.to_numpy()  # positional: X may have any index
    else:
        frame = pd.DataFrame({"text": ["" if t is None else str(t) for t in X]})
    if "lexicon_hits" not in frame:
        if use_lexicon:
            from wildsift.sift.match import load_lexicon, match_texts

            found = match_texts(lexicon or load_lexicon(), frame["text"].tolist())
            frame["lexicon_hits"] = [len(ms) for ms in found]
        else:
            frame["lexicon_hits"] = 0
    return frame


def _is_plain_word_hashing(step: Any) -> bool:
    """A HashingVectorizer that WordNgramHasher reproduces exactly."""
    return (isinstance(step, HashingVectorizer) and step.analyzer == "word" and step.lowercase
            and not step.alternate_sign and step.norm is None and step.preprocessor is None
            and step.tokenizer is None and step.strip_accents is None
            and step.stop_words is None and step.input == "content"
            and step.binary is False)


class TextRelevanceModel(ClassifierMixin, BaseEstimator):
    """Relevant (1) or not (0), with calibrated probabilities."""

    def __init__(self, char_features: int = 2**19, word_features: int = 2**18, C: float = 4.0,
                 calibration_folds: int = 3, use_lexicon: bool = True, random_state: int = 0):
        self.char_features = char_features
        self.word_features = word_features
        self.C = C
        self.calibration_folds = calibration_folds
        self.use_lexicon = use_lexicon
        self.random_state = random_state

    def _features(self) -> FeatureUnion:
        def text_branch(vectorizer: Any) -> Pipeline:
            return Pipeline([("text", FunctionTransformer(_texts)), ("hash", vectorizer),
                             ("tfidf", TfidfTransformer(sublinear_tf=True))])

        char = CharNgramHasher(ngram_range=(2, 5), n_features=self.char_features)
        word = WordNgramHasher(ngram_range=(1, 2), n_features=self.word_features)
        return FeatureUnion([("char", text_branch(char)), ("word", text_branch(word)),
                             ("cues", FunctionTransformer(_dense_features))])

    def __setstate__(self, state: dict) -> None:
        """Models saved before WordNgramHasher existed hold scikit-learn's HashingVectorizer:
        swap in the equivalent (same columns, faster) hasher when they are loaded."""
        super().__setstate__(state)
        for _, branch in getattr(getattr(self, "features_", None), "transformer_list", []):
            steps = getattr(branch, "steps", [])
            for index, (name, step) in enumerate(steps):
                if _is_plain_word_hashing(step):
                    steps[index] = (name, WordNgramHasher(step.ngram_range, step.n_features,
                                                          step.token_pattern))

    def fit(self, X: Any, y: Sequence[int]) -> TextRelevanceModel:
        y = np.asarray(y, dtype=int)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ModelError("the text model needs examples of both classes (relevant and not); "
                             "label some posts of the missing class")
        frame = prepare(X, self.use_lexicon)
        self.features_ = self._features()
        matrix = self.features_.fit_transform(frame)
        base = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                  max_iter=1000, random_state=self.random_state)
        smallest = int(np.bincount(y).min())
        folds = min(self.calibration_folds, smallest)
        if folds >= 2:
            self.classifier_ = CalibratedClassifierCV(base, method="sigmoid", cv=folds)
            self.calibrated_ = True
        else:  # too few examples of a class to calibrate: plain logistic probabilities
            self.classifier_ = base
            self.calibrated_ = False
        self.classifier_.fit(matrix, y)
        self.n_features_out_ = matrix.shape[1]
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "classifier_")
        return self.classifier_.predict_proba(self.features_.transform(prepare(X, self.use_lexicon)))

    def decision_scores(self, X: Any) -> np.ndarray:
        """Probability of the positive class (1) for each post."""
        return self.predict_proba(X)[:, list(self.classes_).index(1)]

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_scores(X) >= 0.5).astype(int)
