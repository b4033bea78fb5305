"""The default relevance model: fit every candidate, keep the one that wins out of fold.

Why: no one model wins everywhere. The hashed n-gram model with lexicon signals
(``sift/models/text.py``) generalises to names and languages the labels never showed; the tuned
TF-IDF + LR (``sift/models/baseline.py``) ranks better on rare-positive real data (issue 9: MCC
0.851 vs 0.799 on tweets at 3%); their average is often better than either. So the data chooses, on
the study's own labels, and the default is never worse than the baseline by construction.

How: each candidate already runs an inner cross-validation on the training posts to calibrate
and choose its threshold, on the same stratified folds (same fold count and seed), and keeps
those out-of-fold probabilities (``oof_proba_``). Selection compares them: PR-AUC first (the
ranking, independent of any threshold); candidates within ``pr_auc_tolerance`` of the best are
then compared on MCC at the threshold each chose; ties go to the earlier candidate (the
baseline).
The blend (mean of the two calibrated probabilities) is judged on the mean of the members'
out-of-fold probabilities, with a threshold chosen on them, so it costs no extra fit. Nothing
is refit for selection, and ``wildsift evaluate`` runs all of it inside each training fold, so
its figures include the cost of choosing.

Speed is part of the choice: every built-in candidate scores >= 10,000 posts/s (see
docs/benchmarks.md); a slower one (the embedding cascade) is only added where the study allows
it (``[sift] cascade = true``, see ``sift/learn/train.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import average_precision_score, matthews_corrcoef
from sklearn.utils.validation import check_is_fitted

from wildsift.errors import ModelError
from wildsift.sift.models.baseline import BaselineModel
from wildsift.sift.models.text import TextRelevanceModel
from wildsift.sift.models.threshold import choose_threshold

# The baseline first: on a tie the yardstick itself is kept, so the default is never worse.
CANDIDATES = ("baseline", "ngram")
BLEND = "blend"


def select_winner(figures: dict[str, dict[str, float]], tolerance: float) -> tuple[str, str]:
    """The winner among candidates' out-of-fold ``figures`` (name -> pr_auc, mcc), in their
    order, and why in words: the highest PR-AUC; among those within ``tolerance`` of it, the
    highest MCC; then the earlier (simpler) candidate."""
    names = list(figures)
    best_pr = max(figures[n]["pr_auc"] for n in names)
    close = [n for n in names if figures[n]["pr_auc"] >= best_pr - tolerance]
    winner = max(close, key=lambda n: (figures[n]["mcc"], -names.index(n)))
    others = ", ".join(f"{n} {figures[n]['pr_auc']:.3f}/{figures[n]['mcc']:.3f}"
                       for n in names if n != winner)
    how = ("the highest out-of-fold PR-AUC" if len(close) == 1 else
           f"the highest out-of-fold MCC among the candidates within {tolerance} PR-AUC of the "
           "best")
    return winner, (f"{winner} has {how} (PR-AUC/MCC {figures[winner]['pr_auc']:.3f}/"
                    f"{figures[winner]['mcc']:.3f}; {others or 'no other candidate'})")


class BlendModel(ClassifierMixin, BaseEstimator):
    """The mean of fitted members' calibrated probabilities, at a threshold of its own."""

    def __init__(self, members: Sequence[Any] = (), threshold: float = 0.5):
        self.members = members
        self.threshold = threshold

    @property
    def threshold_(self) -> float:
        return self.threshold

    @property
    def classes_(self) -> np.ndarray:
        return np.array([0, 1])

    def decision_scores(self, X: Any) -> np.ndarray:
        return np.mean([member.decision_scores(X) for member in self.members], axis=0)

    def predict_proba(self, X: Any) -> np.ndarray:
        scores = self.decision_scores(X)
        return np.column_stack([1 - scores, scores])

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_scores(X) >= self.threshold).astype(int)


class SelectedModel(ClassifierMixin, BaseEstimator):
    """Relevant (1) or not (0): the out-of-fold winner among ``candidates`` (and their blend).

    After fit: ``winner_`` (its name), ``model_`` (the fitted winner), ``threshold_``,
    ``threshold_choice_``, ``oof_proba_`` (the winner's), ``candidates_`` (each candidate's
    out-of-fold PR-AUC, MCC, threshold and whether it won) and ``reason_`` (why the winner won,
    in words, for the model card).
    """

    def __init__(self, candidates: Sequence[str] = CANDIDATES, blend: bool = True,
                 use_lexicon: bool = True, target_precision: float | None = None,
                 target_recall: float | None = None, threshold_objective: str = "mcc",
                 pr_auc_tolerance: float = 0.005, random_state: int = 0):
        self.candidates = candidates
        self.blend = blend
        self.use_lexicon = use_lexicon
        self.target_precision = target_precision
        self.target_recall = target_recall
        self.threshold_objective = threshold_objective
        self.pr_auc_tolerance = pr_auc_tolerance
        self.random_state = random_state

    def _make(self, name: str) -> Any:
        shared = {"target_precision": self.target_precision, "target_recall": self.target_recall,
                  "threshold_objective": self.threshold_objective,
                  "random_state": self.random_state}
        if name == "ngram":
            return TextRelevanceModel(use_lexicon=self.use_lexicon, **shared)
        if name == "baseline":
            return BaselineModel(**shared)
        raise ModelError(f"no candidate model called {name!r}; choose from {CANDIDATES}")

    def _judge(self, y: np.ndarray, oof: np.ndarray) -> tuple[dict[str, Any], Any]:
        choice = choose_threshold(y, oof, target_precision=self.target_precision,
                                  target_recall=self.target_recall,
                                  objective=self.threshold_objective)
        predicted = (oof >= choice.threshold).astype(int)
        return {"pr_auc": float(average_precision_score(y, oof)),
                "mcc": float(matthews_corrcoef(y, predicted)),
                "threshold": float(choice.threshold)}, choice

    def fit(self, X: Any, y: Sequence[int]) -> SelectedModel:
        y = np.asarray(y, dtype=int)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ModelError("the relevance model needs examples of both classes (relevant and "
                             "not); label some posts of the missing class")
        fitted = {name: self._make(name).fit(X, y) for name in self.candidates}
        judged = {name: model for name, model in fitted.items()
                  if getattr(model, "oof_proba_", None) is not None}
        self.candidates_: dict[str, dict[str, Any]] = {}
        choices, oof_of = {}, {name: model.oof_proba_ for name, model in judged.items()}
        for name, model in judged.items():
            self.candidates_[name], choices[name] = self._judge(y, model.oof_proba_)
        if self.blend and len(judged) >= 2:
            oof_of[BLEND] = np.mean([model.oof_proba_ for model in judged.values()], axis=0)
            self.candidates_[BLEND], choices[BLEND] = self._judge(y, oof_of[BLEND])
            fitted[BLEND] = BlendModel(list(judged.values()), choices[BLEND].threshold)
        if not self.candidates_:  # too few labels for any inner CV: the first candidate
            self.winner_ = self.candidates[0]
            self.reason_ = "too few labelled posts of a class to compare candidates out of fold"
        else:
            self.winner_, self.reason_ = select_winner(self.candidates_, self.pr_auc_tolerance)
        for name, figures in self.candidates_.items():
            figures["won"] = name == self.winner_
        self.model_ = fitted[self.winner_]
        self.oof_proba_ = oof_of.get(self.winner_)  # for a cascade around this model
        self.threshold_ = float(self.model_.threshold_)
        self.threshold_choice_ = (choices[self.winner_].as_dict() if self.winner_ in choices
                                  else getattr(self.model_, "threshold_choice_", {}))
        return self

    def decision_scores(self, X: Any) -> np.ndarray:
        """Probability of the positive class (1) for each post, from the winner."""
        check_is_fitted(self, "model_")
        return np.asarray(self.model_.decision_scores(X), dtype=np.float64)

    def predict_proba(self, X: Any) -> np.ndarray:
        scores = self.decision_scores(X)
        return np.column_stack([1 - scores, scores])

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_scores(X) >= self.threshold_).astype(int)
