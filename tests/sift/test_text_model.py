"""The default text model's pieces: threshold choice, fields, signals, splits, bootstrap, registry."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from test_sift import FakeLexicon, FakeMatch
from test_train import synthetic

from wildsift.errors import ConfigError
from wildsift.sift.learn.bootstrap import bootstrap_ci
from wildsift.sift.learn.splits import deduplicate, split
from wildsift.sift.models import text as text_module
from wildsift.sift.models.registry import MODEL_FACTORIES, make_model
from wildsift.sift.models.selection import SelectedModel
from wildsift.sift.models.text import TextRelevanceModel, prepare
from wildsift.sift.models.threshold import choose_threshold
from wildsift.sift.rules.signals import (
    INTERACTION_NAMES,
    SIGNAL_NAMES,
    emoji_counts,
    lexicon_counts,
    signal_matrix,
)
from wildsift.sift.stages.relevance import RelevanceStage


def frame(texts, **extra):
    hits = [len(m) for m in FakeLexicon().match_many(texts)]
    return pd.DataFrame({"text": texts, "lexicon_hits": hits, **extra})


def test_threshold_rules_pick_the_right_point():
    y = np.array([0, 0, 0, 0, 1, 0, 1, 1, 1, 1])
    s = np.array([.1, .2, .3, .4, .45, .5, .6, .7, .8, .9])
    best = choose_threshold(y, s)
    edge = choose_threshold(y, s, margin=False)  # the top of the gap, as the PR curve gives it
    assert edge.rule == "best_f1" and edge.threshold == pytest.approx(0.45)
    # in the middle (log-odds) of the gap between 0.45 (kept) and 0.4 (dropped)
    assert best.threshold == pytest.approx(1 / (1 + np.exp(-(np.log(.45 / .55) + np.log(.4 / .6))
                                                            / 2)))
    assert 0.4 < best.threshold < 0.45 and best.f1 == edge.f1
    assert best.f1 == pytest.approx(2 * 5 / (5 + 6))
    precise = choose_threshold(y, s, target_precision=1.0)
    assert 0.5 < precise.threshold <= 0.6 and precise.precision == 1.0
    assert precise.recall == pytest.approx(0.8)
    recall = choose_threshold(y, s, target_recall=1.0)
    assert 0.4 < recall.threshold <= 0.45 and recall.recall == 1.0
    unreachable = choose_threshold(np.array([1, 0, 1, 0]), np.array([.1, .9, .2, .8]),
                                   target_precision=0.99)
    assert not unreachable.met_target
    with pytest.raises(ConfigError, match="not both"):
        choose_threshold(y, s, target_precision=0.9, target_recall=0.9)


def test_model_chooses_its_threshold_and_predicts_with_it():
    texts, labels = synthetic(120, seed=4)
    X = frame(texts)
    model = TextRelevanceModel(calibration_folds=3).fit(X, labels)
    assert 0.0 < model.threshold_ < 1.0 and model.threshold_choice_["rule"] == "best_mcc"
    f1 = TextRelevanceModel(calibration_folds=3, threshold_objective="f1").fit(X, labels)
    assert f1.threshold_choice_["rule"] == "best_f1"
    scores = model.decision_scores(X)
    assert np.array_equal(model.predict(X), (scores >= model.threshold_).astype(int))
    strict = TextRelevanceModel(calibration_folds=3, target_precision=0.999).fit(X, labels)
    assert strict.threshold_choice_["rule"] == "target_precision"
    assert strict.threshold_ >= model.threshold_ - 1e-9


def test_profile_description_is_a_field_of_its_own():
    """Only the seller's profile carries the signal: the model must learn from that field."""
    rng = np.random.default_rng(0)
    words = ["car", "paint", "trip", "music", "coffee", "garden", "phone", "weekend"]
    texts = [" ".join(rng.choice(words, 4)) for _ in range(160)]
    labels = [i % 2 for i in range(160)]
    profiles = ["wholesale horn carvings shipping worldwide" if y else "dad runner baker"
                for y in labels]
    X = frame(texts, author_description=profiles)
    model = TextRelevanceModel(calibration_folds=2).fit(X.iloc[:120], labels[:120])
    assert "author_description" in model.fields_
    accuracy = (model.predict(X.iloc[120:]) == np.array(labels[120:])).mean()
    assert accuracy > 0.9
    # the stage scores batches with or without the field (absent: empty, neutral)
    stage = RelevanceStage(model, "v1", threshold=model.threshold_)
    with_field = stage(X.iloc[120:].assign(hashtags=[["ivory"]] * 40))
    without = stage(X.iloc[120:][["text", "lexicon_hits"]])
    assert with_field["relevance"].between(0, 1).all() and len(without) == 40
    assert "author_description" in stage.optional_reads and "author_description" not in stage.reads


def test_old_model_without_threshold_or_calibrator_still_scores():
    texts, labels = synthetic(60, seed=5)
    model = TextRelevanceModel(calibration_folds=2).fit(frame(texts), labels)
    state = model.__dict__.copy()
    del state["threshold_"], state["calibrator_"]
    old = TextRelevanceModel.__new__(TextRelevanceModel)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    scores = old.decision_scores(frame(texts))
    assert np.array_equal(old.predict(frame(texts)), (scores >= 0.5).astype(int))


def test_signals_count_lexicon_kinds_and_emoji():
    matches = [[FakeMatch("elephant", "ivory"), FakeMatch("elephant", "tusk", kind="product"),
                {"taxon": "rhino", "term": "ngà", "kind": "code_word"}], []]
    counts = lexicon_counts(matches)
    assert counts.tolist() == [[3, 1, 1, 1, 2], [0, 0, 0, 0, 0]]
    assert emoji_counts(["🐘 ivory 💰💰 📦", "plain"]).tolist() == [[4, 1, 3], [0, 0, 0]]
    X = prepare(pd.DataFrame({"text": ["🐘 for sale $300", "hello"],
                              "author_description": ["WhatsApp <PHONE:ab12cd>", None],
                              "image_score": [0.9, None]}), use_lexicon=False)
    signals = signal_matrix(X)
    assert signals.shape == (2, len(SIGNAL_NAMES))
    named = dict(zip(SIGNAL_NAMES, signals[0]))
    assert named["profile_contact"] > 0 and named["animal_emoji"] > 0
    assert named["image_score"] == pytest.approx(0.9) and signals[1].sum() == 0


def test_duplicates_removed_and_authors_kept_on_one_side():
    texts = ["Ivory  bangle, for SALE!", "ivory bangle for sale", "Ivóry bangle for sale.",
             "other", "another one"]
    found = deduplicate(texts, [1, 1, 0, 0, 0])
    assert found.keep.tolist() == [0, 3, 4] and found.removed == 2 and found.conflicting == 1
    y = np.array([1, 0] * 30)
    groups = np.repeat(np.arange(12), 5)
    for train, test in split(y, 3, groups):
        assert not set(groups[train]) & set(groups[test])


def test_bootstrap_interval_brackets_the_estimate():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 400)
    predicted = np.where(rng.random(400) < 0.8, y, 1 - y)
    ci = bootstrap_ci(y, predicted, resamples=500)
    tp = int(((y == 1) & (predicted == 1)).sum())
    f1 = 2 * tp / (2 * tp + int((y != predicted).sum()))
    assert ci["f1"][0] < f1 < ci["f1"][1] and ci["f1"][1] - ci["f1"][0] < 0.15
    assert set(ci) == {"precision", "recall", "f1", "mcc"}


def test_registry_makes_models_by_name():
    assert {"default", "ngram", "baseline"} <= set(MODEL_FACTORIES)
    model = make_model("default", use_lexicon=False, target_recall=0.9)
    assert isinstance(model, SelectedModel) and model.target_recall == 0.9
    ngram = make_model("ngram", use_lexicon=False, target_recall=0.9)
    assert isinstance(ngram, TextRelevanceModel) and ngram.target_recall == 0.9
    baseline = make_model("baseline", use_lexicon=False)  # options it lacks are left out
    texts, labels = synthetic(40, seed=6)
    assert baseline.fit(texts, labels).threshold_choice_["rule"] == "best_mcc"
    with pytest.raises(ConfigError, match="no model called 'nope'"):
        make_model("nope")


def test_threshold_cuts_a_wide_gap_in_the_middle_not_at_the_lowest_positive():
    """Ten positives far above 1,990 negatives: any cut in the gap fits the training scores, and
    the one at the lowest positive (0.9) would drop a new positive scoring 0.85."""
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(1990, dtype=int), np.ones(10, dtype=int)]
    scores = np.r_[rng.uniform(0, 0.05, 1990), np.linspace(0.9, 0.99, 10)]
    choice = choose_threshold(y, scores)
    top = float(scores[y == 0].max())
    assert top < choice.threshold < 0.9
    assert choice.precision == 1.0 and choice.recall == 1.0  # same out-of-fold counts
    assert np.array_equal(scores >= choice.threshold, scores >= 0.9)
    assert choice.threshold < 0.85  # a new positive just under the lowest seen is still kept


def test_threshold_under_heavy_imbalance_with_few_positives_stays_sane():
    """12 noisy positives in 3,000 posts: not a threshold near 0 (flag hundreds of posts) nor
    one above every positive (flag nothing)."""
    for seed in range(5):
        rng = np.random.default_rng(seed)
        y = np.r_[np.zeros(2988, dtype=int), np.ones(12, dtype=int)]
        scores = np.r_[rng.beta(1, 30, 2988), rng.beta(5, 2, 12)]
        choice = choose_threshold(y, scores)
        assert choice.threshold <= scores[y == 1].max()
        assert (scores[y == 0] >= choice.threshold).mean() < 0.01
        assert choice.recall >= 0.5 and 0 < choice.threshold < 1


def test_model_with_few_positives_keeps_a_usable_threshold():
    texts, labels = synthetic(600, seed=8)
    labels = np.array(labels)
    keep = np.r_[np.flatnonzero(labels == 0), np.flatnonzero(labels == 1)[:8]]  # ~3% relevant
    model = TextRelevanceModel().fit(frame([texts[i] for i in keep]), labels[keep])
    assert 0.01 < model.threshold_ < 0.99
    new_texts, new_labels = synthetic(400, seed=9)
    predicted = model.predict(frame(new_texts))
    new_labels = np.array(new_labels)
    assert predicted[new_labels == 1].mean() > 0.8  # recall on unseen posts
    assert predicted[new_labels == 0].mean() < 0.05


def test_interaction_signals_need_a_lexicon_term_and_a_sale_cue():
    X = frame(["ivory bangle for sale $300", "old phone for sale $300", "ivory white dress"])
    assert X["lexicon_hits"].tolist()[0] > 0 and X["lexicon_hits"].tolist()[1] == 0
    signals = signal_matrix(X, with_interactions=True)
    assert signals.shape == (3, len(SIGNAL_NAMES) + len(INTERACTION_NAMES))
    named = [dict(zip(INTERACTION_NAMES, row[len(SIGNAL_NAMES):])) for row in signals]
    assert named[0]["lexicon_and_price"] == 1 and named[0]["lexicon_and_sale_word"] == 1
    assert named[0]["lexicon_and_any_sale_cue"] == 1
    assert sum(named[1].values()) == 0 and sum(named[2].values()) == 0  # one without the other
    assert np.array_equal(signals[:, :len(SIGNAL_NAMES)], signal_matrix(X))


def test_model_saved_before_interaction_signals_still_scores(monkeypatch):
    texts, labels = synthetic(80, seed=10)
    monkeypatch.setattr(text_module, "_signals_and_interactions", text_module._signal_features)
    old = TextRelevanceModel(calibration_folds=2).fit(frame(texts), labels)
    blob = pickle.dumps(old)
    monkeypatch.undo()
    loaded = pickle.loads(blob)
    scores = loaded.decision_scores(frame(texts))
    assert np.allclose(scores, old.decision_scores(frame(texts)))
    assert (loaded.predict(frame(texts)) == np.array(labels)).mean() > 0.9


def test_regularisation_tightens_below_the_validated_class_balance_only_when_asked():
    texts, labels = synthetic(400, seed=11)
    labels = np.array(labels)
    balanced = TextRelevanceModel(C=4.0, shrink_C=True).fit(frame(texts), labels)
    assert balanced.C_ == 4.0  # half relevant: C as given
    keep = np.r_[np.flatnonzero(labels == 0), np.flatnonzero(labels == 1)[:8]]
    rare = TextRelevanceModel(C=4.0, shrink_C=True).fit(frame([texts[i] for i in keep]),
                                                        labels[keep])
    plain = TextRelevanceModel(C=4.0).fit(frame([texts[i] for i in keep]), labels[keep])
    assert plain.C_ == 4.0  # off by default: it cost MCC on real data at 3% (issue 9)
    share = 8 / len(keep)
    assert rare.C_ == pytest.approx(4.0 * share / text_module.BALANCE_REFERENCE)
    assert rare.classifier_.C == rare.C_


def test_threshold_gap_of_raw_decision_values_is_cut_in_the_middle():
    y = np.array([0, 0, 0, 1, 1])
    choice = choose_threshold(y, np.array([-3.0, -2.0, -1.0, 2.0, 4.0]))
    assert choice.threshold == pytest.approx(0.5) and choice.f1 == 1.0
