"""The default relevance model keeps the out-of-fold winner of its candidates, and the tuned
baseline it is measured against (sift/models/selection.py, sift/models/baseline.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from test_train import synthetic

from wildsift.sift.models.baseline import BaselineModel, MinDocumentFrequency, texts_of
from wildsift.sift.models.hashing import CharNgramHasher
from wildsift.sift.models.selection import SelectedModel, select_winner
from wildsift.sift.models.threshold import choose_threshold, mcc_along_curve


def test_winner_rule_pr_auc_first_then_mcc_then_the_baseline():
    figures = {"baseline": {"pr_auc": 0.90, "mcc": 0.70}, "ngram": {"pr_auc": 0.95, "mcc": 0.60},
               "blend": {"pr_auc": 0.93, "mcc": 0.90}}
    winner, why = select_winner(figures, tolerance=0.005)
    assert winner == "ngram" and "highest out-of-fold PR-AUC" in why
    figures["blend"]["pr_auc"] = 0.947  # within the tolerance of the best: MCC decides
    assert select_winner(figures, tolerance=0.005)[0] == "blend"
    tie = {"baseline": {"pr_auc": 0.9, "mcc": 0.8}, "ngram": {"pr_auc": 0.9, "mcc": 0.8}}
    assert select_winner(tie, tolerance=0.005)[0] == "baseline"  # a tie keeps the yardstick


def test_selected_model_records_every_candidate_and_scores_with_the_winner():
    texts, labels = synthetic(160, seed=11)
    model = SelectedModel(use_lexicon=False).fit(texts, labels)
    assert set(model.candidates_) == {"baseline", "ngram", "blend"}
    for figures in model.candidates_.values():
        assert 0 <= figures["pr_auc"] <= 1 and -1 <= figures["mcc"] <= 1
    assert sum(f["won"] for f in model.candidates_.values()) == 1
    assert model.candidates_[model.winner_]["won"] and model.winner_ in model.reason_
    expected, _ = select_winner({k: v for k, v in model.candidates_.items()}, 0.005)
    assert model.winner_ == expected
    scores = model.decision_scores(texts[:20])
    assert np.allclose(scores, model.model_.decision_scores(texts[:20]))
    assert model.threshold_ == pytest.approx(model.model_.threshold_)
    assert ((scores >= model.threshold_).astype(int) == model.predict(texts[:20])).all()


def test_blend_is_the_mean_of_its_members():
    texts, labels = synthetic(120, seed=4)
    members = [BaselineModel().fit(texts, labels)]
    ngram = SelectedModel(use_lexicon=False)._make("ngram").fit(texts, labels)
    members.append(ngram)
    from wildsift.sift.models.selection import BlendModel

    blend = BlendModel(members, 0.4)
    expected = (members[0].decision_scores(texts) + ngram.decision_scores(texts)) / 2
    assert np.allclose(blend.decision_scores(texts), expected)
    assert (blend.predict(texts) == (expected >= 0.4)).all()


def test_baseline_chooses_C_and_threshold_inside_its_training_data():
    texts, labels = synthetic(150, seed=2)
    model = BaselineModel(Cs=(0.3, 3.0)).fit(texts, labels)
    assert model.C_ in (0.3, 3.0) and set(model.inner_pr_auc_) == {0.3, 3.0}
    assert model.C_ == max(model.inner_pr_auc_, key=model.inner_pr_auc_.get)
    assert model.threshold_choice_["rule"] == "best_mcc" and 0 < model.threshold_ < 1
    assert len(model.oof_proba_) == len(labels)


def test_baseline_reads_the_profile_and_hashtags_with_the_text():
    frame = pd.DataFrame({"text": ["ivory bangle"], "author_description": ["wholesale"],
                          "hashtags": [["rare", "old"]]})
    assert texts_of(frame) == ["ivory bangle \n wholesale \n rare old"]
    assert texts_of(["plain text", None]) == ["plain text", ""]


def test_hashed_char_wb_and_min_df_match_scikit_learn():
    """The baseline's hashed features equal TfidfVectorizer(char_wb, min_df=2) up to hash
    collisions: the same number of kept terms per post."""
    texts = ["genuine ivory bangle", "ivory carving for sale", "faux ivory colour dress",
             "carving knife", "genuine leather"]
    hashed = CharNgramHasher((2, 5), 2**22, within_words=True).transform(texts)
    kept = MinDocumentFrequency(2).fit(hashed).transform(hashed)
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2).fit_transform(
        texts)
    assert (kept.getnnz(axis=1) == reference.getnnz(axis=1)).all()


def test_mcc_along_the_curve_and_the_mcc_threshold():
    y = np.array([0, 0, 0, 0, 1, 0, 1, 1, 1, 1])
    s = np.array([.1, .2, .3, .4, .45, .5, .6, .7, .8, .9])
    choice = choose_threshold(y, s, objective="mcc", margin=False)
    assert choice.rule == "best_mcc"
    from sklearn.metrics import matthews_corrcoef

    best = max(matthews_corrcoef(y, (s >= t).astype(int)) for t in s)
    assert matthews_corrcoef(y, (s >= choice.threshold).astype(int)) == pytest.approx(best)
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, s)
    along = mcc_along_curve(y, precision[:-1], recall[:-1])
    for value, t in zip(along, thresholds):
        assert value == pytest.approx(matthews_corrcoef(y, (s >= t).astype(int)))
