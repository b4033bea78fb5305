"""The n-gram relevance model (candidate ``ngram`` of the default, see
``sift/models/selection.py``):
character and word n-grams of the text, word n-grams of each other field a post has, lexicon hits
by kind, sale cues and emoji; a class-balanced logistic regression with calibrated probabilities
and a threshold it chooses itself.

Why this model: it learns from a few hundred labels, works in any script (character n-grams need
no tokenizer, so Chinese and Thai work), scores thousands of posts a second per core, and its
probabilities are calibrated (Platt, on out-of-fold decisions), so thresholds mean what they say.
Relevant posts are often 1-3%: classes are balanced in the loss, terms seen in fewer than
``min_df`` training posts are dropped (at 2% the rare positives' one-off words are what a model
memorises), and the threshold is chosen on out-of-fold scores of the training data (best MCC, or a
target precision/recall of the study).

Settings, as measured on real data (issue 9): shrinking ``C`` for rare classes was tuned on dev
sets with 20-43% of their smaller class; on real tweets at 3% relevant it cost MCC (0.799 ->
0.823 without it, 0.834 with C = 10), and on the dev sets at 2-15% (``benchmarks/dev_protocol.py``)
min_df 2 helped most. It is off by default (``shrink_C``) and stays available. The threshold
is still cut in the middle of the gap below the chosen point (``margin``): with a few hundred
positives the gap is a hair wide and the cut changes nothing; with a dozen it keeps a usable
threshold instead of one at the lowest positive's score.
Hashing keeps the feature space bounded and the artifact free of any vocabulary.

It follows scikit-learn's estimator rules: ``__init__`` only stores parameters, ``fit`` returns
self, learned state ends in ``_``. ``X`` is a sequence of texts or a DataFrame with a ``text``
column and, optionally, ``lexicon_hits``/``lexicon_matches``, ``author_description``,
``hashtags``, ``ocr_text``, ``field:*`` columns and ``image_score`` (see :func:`prepare`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.validation import check_is_fitted

from wildsift.errors import ModelError
from wildsift.sift.models.baseline import MinDocumentFrequency
from wildsift.sift.models.hashing import CharNgramHasher, WordNgramHasher
from wildsift.sift.models.threshold import choose_threshold
from wildsift.sift.rules.cues import cue_matrix
from wildsift.sift.rules.signals import (
    INTERACTION_NAMES,
    LEXICON_COLUMNS,
    SIGNAL_NAMES,
    lexicon_counts,
    signal_matrix,
)

FIELD_FEATURES = 2**16
# With ``shrink_C`` (off by default): the minority share down to which ``C`` was validated
# (the dev sets hold 20-43% of their smaller class). Below it C shrinks in proportion: class_weight="balanced" multiplies each minority
# post's loss by n / (2 n_min) (25x at 2%), which at a fixed C leaves the few relevant posts
# almost unregularised, so the model learns their exact wording and overrates anything sharing
# a cue with them. Shrinking C keeps the penalty per minority post what it was at 20%.
BALANCE_REFERENCE = 0.2
# Fields of a post besides its text, each with its own word n-grams (a word in a seller's
# profile or a hashtag weighs differently from the same word in the post).
POST_FIELDS = ("author_description", "hashtags", "ocr_text")
FIELD_PREFIX = "field:"  # extra text columns of a labelled file: "field:title", ...

FEATURES_DESCRIPTION = [
    ("character n-grams 2-5 of space-padded lower-cased text (as char_wb), hashed (2^19), "
     "sublinear tf-idf"),
    "word n-grams 1-2, hashed (2^18), sublinear tf-idf",
    ("word n-grams 1-2 of each other field (profile description, hashtags, OCR text, each "
     "column of a labelled file), hashed (2^16 each), sublinear tf-idf"),
    f"dense signals (log1p of capped counts): {', '.join(SIGNAL_NAMES)}",
    f"interaction signals (0/1, a lexicon hit with a sale cue): {', '.join(INTERACTION_NAMES)}",
]


def _texts(frame: pd.DataFrame) -> list[str]:
    return frame["text"].tolist()


def _field(frame: pd.DataFrame, name: str) -> list[str]:
    return frame[name].tolist() if name in frame else [""] * len(frame)


def _dense_features(frame: pd.DataFrame) -> sparse.csr_matrix:
    """The dense block of models saved before signals.py (kept so they still load)."""
    cues = cue_matrix(frame["text"])
    hits = frame["lexicon_hits"].to_numpy(dtype=np.float64).reshape(-1, 1)
    return sparse.csr_matrix(np.log1p(np.hstack([cues, np.minimum(hits, 10)])))


def _signal_features(frame: pd.DataFrame) -> sparse.csr_matrix:
    """The signals of models saved before the interaction signals (kept so they still load)."""
    return sparse.csr_matrix(signal_matrix(frame))


def _signals_and_interactions(frame: pd.DataFrame) -> sparse.csr_matrix:
    return sparse.csr_matrix(signal_matrix(frame, with_interactions=True))


def _as_text(value: Any) -> str:
    """A field value as text: lists (hashtags as stored) joined, missing values empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple | np.ndarray):
        return " ".join(str(v) for v in value if v is not None)
    return "" if value is None or pd.isna(value) else str(value)


def prepare(X: Any, use_lexicon: bool = True, lexicon: Any | None = None) -> pd.DataFrame:
    """X as the frame the model reads: ``text``, the lexicon counts (``lexicon_hits`` and, from
    ``lexicon_matches`` when given, hits per kind and distinct taxa), the other fields of a post
    (``author_description``, ``hashtags``, ``ocr_text``, ``field:*``; empty when absent) and
    ``image_score`` (NaN when absent). Lexicon counts are computed with the default lexicon when
    X has none (zeros when use_lexicon is False)."""
    if isinstance(X, pd.DataFrame):
        frame = pd.DataFrame({"text": [_as_text(t) for t in X["text"].tolist()]})
        for name in [*POST_FIELDS, *(c for c in X.columns if str(c).startswith(FIELD_PREFIX))]:
            if name in X:
                frame[name] = [_as_text(v) for v in X[name].tolist()]
        if "image_score" in X:
            frame["image_score"] = pd.to_numeric(X["image_score"], errors="coerce").to_numpy()
        if "lexicon_matches" in X:
            counts = lexicon_counts(X["lexicon_matches"].tolist())
            for column, name in enumerate(LEXICON_COLUMNS):
                frame[name] = counts[:, column]
        if "lexicon_hits" in X:
            hits = pd.to_numeric(X["lexicon_hits"], errors="coerce").fillna(0)
            frame["lexicon_hits"] = hits.to_numpy()  # positional: X may have any index
    else:
        frame = pd.DataFrame({"text": ["" if t is None else str(t) for t in X]})
    if "lexicon_hits" not in frame:
        if use_lexicon:
            from wildsift.sift.rules.signals import load_lexicon, match_texts

            found = match_texts(lexicon or load_lexicon(), frame["text"].tolist())
            counts = lexicon_counts(found)
            for column, name in enumerate(LEXICON_COLUMNS):
                frame[name] = counts[:, column]
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
    """Relevant (1) or not (0), with calibrated probabilities and a threshold of its own.

    ``fit`` learns a class-balanced logistic regression on all features (``C_``: ``C``; with
    ``shrink_C``, scaled down in proportion when the smaller class is under 20% of the posts,
    see ``BALANCE_REFERENCE``), Platt-calibrates its scores on out-of-fold decisions
    (``calibration_folds``-fold CV of the training data, kept in ``oof_proba_``), and chooses
    ``threshold_`` on those same out-of-fold probabilities: best MCC (``threshold_objective``),
    or the lowest threshold meeting ``target_precision``, or the highest meeting
    ``target_recall``.
    """

    def __init__(self, char_features: int = 2**19, word_features: int = 2**18, C: float = 10.0,
                 calibration_folds: int = 3, use_lexicon: bool = True, random_state: int = 0,
                 target_precision: float | None = None, target_recall: float | None = None,
                 shrink_C: bool = False, margin: bool = True, threshold_objective: str = "mcc",
                 min_df: int = 2):
        self.char_features = char_features
        self.word_features = word_features
        self.C = C
        self.calibration_folds = calibration_folds
        self.use_lexicon = use_lexicon
        self.random_state = random_state
        self.target_precision = target_precision
        self.target_recall = target_recall
        self.shrink_C = shrink_C
        self.margin = margin
        self.threshold_objective = threshold_objective
        self.min_df = min_df

    def _features(self, fields: Sequence[str] = ()) -> FeatureUnion:
        def text_branch(pick: Any, vectorizer: Any) -> Pipeline:
            steps = [("text", pick), ("hash", vectorizer)]
            if self.min_df > 1:
                steps.append(("min_df", MinDocumentFrequency(self.min_df)))
            return Pipeline([*steps, ("tfidf", TfidfTransformer(sublinear_tf=True))])

        char = CharNgramHasher(ngram_range=(2, 5), n_features=self.char_features)
        word = WordNgramHasher(ngram_range=(1, 2), n_features=self.word_features)
        branches = [("char", text_branch(FunctionTransformer(_texts), char))]
        # A labelled file's text is its columns joined, each also a field: word n-grams of the
        # joined text would repeat the fields' (a third of the scoring time with two columns).
        if not any(name.startswith(FIELD_PREFIX) for name in fields):
            branches.append(("word", text_branch(FunctionTransformer(_texts), word)))
        for name in fields:
            branches.append((name, text_branch(
                FunctionTransformer(_field, kw_args={"name": name}),
                WordNgramHasher(ngram_range=(1, 2), n_features=FIELD_FEATURES))))
        branches.append(("signals", FunctionTransformer(_signals_and_interactions)))
        return FeatureUnion(branches)

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
        # a field that is empty in every training post carries nothing: no branch for it
        self.fields_ = [c for c in frame.columns if (c in POST_FIELDS or c.startswith(
            FIELD_PREFIX)) and frame[c].str.len().gt(0).any()]
        self.features_ = self._features(self.fields_)
        matrix = self.features_.fit_transform(frame)
        # dual liblinear: far fewer posts than hashed features, so 5-10x faster than primal
        share = float(np.bincount(y).min() / len(y))
        self.C_ = self.C * (min(1.0, share / BALANCE_REFERENCE) if self.shrink_C else 1.0)
        base = LogisticRegression(C=self.C_, class_weight="balanced", solver="liblinear",
                                  dual=True, max_iter=1000, random_state=self.random_state)
        folds = min(self.calibration_folds, int(np.bincount(y).min()))
        self.calibrated_ = folds >= 2
        if self.calibrated_:
            splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
            oof = cross_val_predict(base, matrix, y, cv=splitter, method="decision_function")
            self.calibrator_ = LogisticRegression(C=1e4).fit(oof.reshape(-1, 1), y)
            oof_proba = self.calibrator_.predict_proba(oof.reshape(-1, 1))[:, 1]
            choice = choose_threshold(y, oof_proba, target_precision=self.target_precision,
                                      target_recall=self.target_recall, margin=self.margin,
                                      objective=self.threshold_objective)
            self.oof_proba_ = oof_proba
        else:  # too few examples of a class to calibrate: plain logistic probabilities
            self.calibrator_ = None
            self.oof_proba_ = None
            choice = choose_threshold(y[:0], np.zeros(0))
        self.classifier_ = base.fit(matrix, y)
        self.threshold_ = choice.threshold
        self.threshold_choice_ = choice.as_dict()
        self.n_features_out_ = matrix.shape[1]
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "classifier_")
        matrix = self.features_.transform(prepare(X, self.use_lexicon))
        calibrator = getattr(self, "calibrator_", None)
        if calibrator is None:  # uncalibrated, or a model saved before calibrator_ existed
            return self.classifier_.predict_proba(matrix)
        decision = self.classifier_.decision_function(matrix).reshape(-1, 1)
        return calibrator.predict_proba(decision)

    def decision_scores(self, X: Any) -> np.ndarray:
        """Probability of the positive class (1) for each post."""
        return self.predict_proba(X)[:, list(self.classes_).index(1)]

    def predict(self, X: Any) -> np.ndarray:
        """1 where the probability reaches the threshold chosen in fit (0.5 for old models)."""
        return (self.decision_scores(X) >= getattr(self, "threshold_", 0.5)).astype(int)
