"""Active learning: batch selection, the store-backed queue, `wildsift label next`, and the
simulated learning curve."""

from __future__ import annotations

import csv
import random
import string

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from test_sift import FakeLexicon
from test_train import synthetic
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.errors import InputError
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.records import Label, Post
from wildsift.sift.learn.active import (
    LIKELY_RELEVANT,
    RANDOM,
    UNCERTAIN,
    select_batch,
    text_features,
    uncertainty,
)
from wildsift.sift.learn.learning_curve import (
    active_selector,
    compare,
    learning_curve,
    random_selector,
    summarise,
)
from wildsift.sift.learn.queue import annotator_pseudonym, label_queue
from wildsift.sift.learn.train import train_study
from wildsift.sift.models.hashing import CharNgramHasher


def distinct_texts(n: int, seed: int = 0) -> list[str]:
    """Texts that share almost no character n-grams (cosine near 0)."""
    rng = random.Random(seed)
    return ["".join(rng.choices(string.ascii_lowercase + string.digits, k=60)) for _ in range(n)]


# -- selection ------------------------------------------------------------------------------
def test_uncertainty_peaks_at_the_threshold():
    u = uncertainty([0.5, 0.9, 0.1, 0.45, 1.0, 0.3], threshold=0.3)
    assert u[5] == 1.0 and u[4] == 0.0
    assert u[0] > u[1]  # 0.5 is closer to 0.3 than 0.9 is
    with pytest.raises(InputError, match="threshold"):
        uncertainty([0.5], threshold=1.0)


def test_uncertain_first_without_random_share():
    scores = np.array([0.99, 0.5, 0.02, 0.45, 0.7, 0.35])
    features = text_features(distinct_texts(len(scores)))
    picks = select_batch(scores, features, 3, random_share=0.0, rng=0)
    assert [p.index for p in picks] == [1, 3, 5]  # |s - 0.5|: 0, .05, .15
    assert {p.reason for p in picks} == {UNCERTAIN}


def test_near_duplicates_are_not_picked_together():
    ad = "Selling rhino horn bangle, genuine, {} USD, call <PHONE:ab12cd> today, ships to Hanoi"
    dupes = [ad.format(price) for price in (300, 310, 320, 330, 340)]
    others = distinct_texts(5)
    texts = dupes + others
    features = text_features(texts)
    similarity = (features @ features.T).toarray()
    assert similarity[0, 1] > 0.8 and similarity[0, 5] < 0.3
    scores = np.array([0.5] * 5 + [0.4] * 5)  # the copies are the most uncertain
    picks = select_batch(scores, features, 4, random_share=0.0, rng=0)
    chosen = [p.index for p in picks]
    assert len(chosen) == 4 and sum(i < 5 for i in chosen) == 1, chosen
    assert chosen[0] < 5  # the most uncertain copy still comes first
    # the pool is all copies of one ad: one is shown, not n
    only = select_batch(np.full(5, 0.5), text_features(dupes), 4, random_share=0.0, rng=0)
    assert len(only) == 1


def test_random_share_is_uniform_and_tagged():
    n_pool = 400
    scores = np.r_[np.full(200, 0.5), np.full(200, 0.999)]  # half uncertain, half certain
    features = text_features(distinct_texts(n_pool))
    random_hits = []
    for seed in range(30):
        picks = select_batch(scores, features, 20, random_share=0.1, rng=seed)
        reasons = [p.reason for p in picks]
        assert reasons.count(RANDOM) == 2 and reasons.count(UNCERTAIN) == 18
        assert len({p.index for p in picks}) == 20
        assert all(p.index < 200 for p in picks if p.reason == UNCERTAIN)
        assert reasons[:10].count(RANDOM) == 1  # spread through the batch, not all at the end
        random_hits += [p.index >= 200 for p in picks if p.reason == RANDOM]
    share_certain = float(np.mean(random_hits))
    assert 0.25 < share_certain < 0.75, share_certain  # uniform: ~half land in the certain half


def test_cold_start_mixes_likely_relevant_and_random():
    rule = np.r_[np.full(50, 0.1), np.array([0.87, 0.62, 0.62, 0.38]), np.full(46, 0.1)]
    picks = select_batch(rule, text_features(distinct_texts(100)), 4, cold_start=True, rng=1)
    likely = [p.index for p in picks if p.reason == LIKELY_RELEVANT]
    assert len(likely) == 2 and [p.reason for p in picks].count(RANDOM) == 2
    randoms = {p.index for p in picks if p.reason == RANDOM}
    best = [i for i in (50, 51, 52) if i not in randoms][:2]
    assert likely == best  # the highest rule scores not drawn at random


def test_bad_input_is_a_clear_error():
    with pytest.raises(InputError, match="features have 3 rows for 2 scores"):
        select_batch([0.1, 0.2], text_features(["a", "b", "c"]), 1, random_share=0.0)
    with pytest.raises(InputError, match="random_share"):
        select_batch([0.1, 0.2], text_features(["a", "b"]), 1, random_share=1.5)


# -- the queue ------------------------------------------------------------------------------
def _study_with_posts(study, n: int = 120, labelled: int = 0, seed: int = 1):
    texts, labels = synthetic(n, seed=seed)
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=t)
                           for i, t in enumerate(texts)])
    if labelled:
        study.store.labels.add([Label(post_id=f"p{i}", field="relevant", value=str(labels[i]),
                                      annotator="a_import") for i in range(labelled)])
    return texts, labels


def test_queue_excludes_labelled_posts_and_streams_in_bounded_batches(study):
    _study_with_posts(study, n=120, labelled=40)
    queue = label_queue(study, 15, lexicon=FakeLexicon(), seed=3, annotator="Alice")
    assert len(queue) == 15 and queue["post_id"].is_unique
    labelled = {f"p{i}" for i in range(40)}
    assert not labelled & set(queue["post_id"])
    assert set(queue["reason"]) == {LIKELY_RELEVANT, RANDOM}  # no model yet: cold start
    assert queue["relevance_method"].eq("rules").all()
    assert queue["annotator"].eq(annotator_pseudonym(Pseudonymizer(study.secret), "alice")).all()
    assert "Alice" not in queue.to_csv()
    likely = queue[queue["reason"] == LIKELY_RELEVANT]
    assert likely["lexicon"].str.len().gt(0).all()  # likely-relevant posts name a taxon
    small = label_queue(study, 15, lexicon=FakeLexicon(), seed=3, annotator="Alice",
                        batch_size=7)  # same answer, read 7 posts at a time
    pd.testing.assert_frame_equal(queue, small)


def test_queue_uses_the_trained_model_and_stored_scores(study):
    _study_with_posts(study, n=120, labelled=60)
    train_study(study, folds=2, lexicon=FakeLexicon())
    queue = label_queue(study, 10, lexicon=FakeLexicon(), seed=0)
    assert queue["relevance_method"].str.startswith("model:").all()
    assert {UNCERTAIN, RANDOM} == set(queue["reason"])
    uncertain = queue[queue["reason"] == UNCERTAIN]["relevance"]
    scores_all = label_queue(study, 60, lexicon=FakeLexicon(), seed=0, random_share=0.0)
    assert (uncertain - 0.5).abs().max() <= (scores_all["relevance"] - 0.5).abs().max()


# -- the command ----------------------------------------------------------------------------
def test_label_next_interactive_stores_each_answer_pseudonymised(study):
    _study_with_posts(study, n=60)
    runner = CliRunner()
    result = runner.invoke(app, ["--study", str(study.root), "label", "next", "--n", "5",
                                 "--annotator", "Alice Example", "--seed", "0"],
                           input="1\nmaybe\n0\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert "please answer 1, 0, s or q" in result.output
    assert "post 1 of 5" in result.output and "score" in result.output
    assert "stored 2 labels (1 relevant, 1 not), skipped 1" in result.output
    labels = study.store.labels.frame()
    who = "a_" + Pseudonymizer(study.secret).digest("annotator", "alice example")
    relevant = labels[labels["field"] == "relevant"]
    assert sorted(relevant["value"]) == ["0", "1"] and relevant["annotator"].eq(who).all()
    reasons = labels[labels["field"] == "queue_reason"]
    assert set(reasons["post_id"]) == set(relevant["post_id"])
    assert "Alice" not in labels.to_csv()
    again = label_queue(study, 60, lexicon=FakeLexicon(), seed=0)
    assert not set(relevant["post_id"]) & set(again["post_id"])  # labelled: not queued again


def test_label_next_export_round_trips_through_label_import(study, tmp_path):
    _study_with_posts(study, n=60)
    out = tmp_path / "queue.csv"
    runner = CliRunner()
    result = runner.invoke(app, ["--study", str(study.root), "label", "next", "--n", "6",
                                 "--annotator", "Bob", "--export", str(out), "--seed", "2"])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6 and {r["field"] for r in rows} == {"relevant"}
    assert all(r["value"] == "" and r["annotator"].startswith("a_") for r in rows)
    for index, row in enumerate(rows):
        row["value"] = str(index % 2)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["--study", str(study.root), "label", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert "stored 6" in result.output
    labels = study.store.labels.frame("relevant")
    assert set(labels["post_id"]) == {r["post_id"] for r in rows}
    assert labels["annotator"].eq(annotator_pseudonym(Pseudonymizer(study.secret), "bob")).all()


# -- the learning curve ---------------------------------------------------------------------
class HashedLogistic:
    """A small, fast model with the text model's interface (fit, decision_scores)."""

    def fit(self, X, y):
        self.hasher_ = CharNgramHasher(ngram_range=(3, 4), n_features=2**12)
        self.model_ = LogisticRegression(C=4.0, solver="liblinear").fit(self.hasher_.transform(X), y)
        return self

    def decision_scores(self, X):
        return self.model_.predict_proba(self.hasher_.transform(X))[:, 1]


def curve_data():
    texts, labels = synthetic(260, seed=5)
    ad = "WTS ivory bracelet real {} usd, DM now, shipping worldwide fast"
    texts += [ad.format(300 + i) for i in range(20)]  # one ad reposted 20 times
    labels += [1] * 20
    return texts[60:], np.array(labels[60:]), texts[:60], np.array(labels[:60])


def test_learning_curve_sizes_no_reuse_and_diverse_batches():
    pool, y, test, test_y = curve_data()
    features = text_features(pool)
    curves = {name: learning_curve(pool, y, test, test_y, make_model=HashedLogistic,
                                   selector=selector, features=features, sizes=[20, 40, 80],
                                   seed_size=10, batch_size=10, seed=4)
              for name, selector in (("active", active_selector(random_share=0.0)),
                                     ("random", random_selector))}
    for curve in curves.values():
        assert curve.sizes == [20, 40, 80] and len(curve.f1) == 3
        assert len(curve.order) == 80 and len(set(curve.order)) == 80  # no label reused
        assert all(0.0 <= f <= 1.0 for f in curve.f1)
    active, rand = curves["active"], curves["random"]
    assert active.order[:10] == rand.order[:10]  # the same seed set
    assert set(active.order[10:]) != set(rand.order[10:])
    assert set(active.reasons[10:]) <= {UNCERTAIN, RANDOM}
    similarity = (features @ features.T).toarray()
    for batch in active.batches:
        pairs = similarity[np.ix_(batch, batch)] - np.eye(len(batch))
        assert pairs.max() < 0.8, batch  # never two near-duplicates in one batch
    assert active.f1[-1] > 0.5  # it learns the task (chance F1 is about 0.5)


def test_compare_and_summarise_report_mean_and_sd():
    pool, y, test, test_y = curve_data()
    features = text_features(pool)
    runs = pd.concat([compare(pool, y, test, test_y, make_model=HashedLogistic,
                              selectors={"active": active_selector(), "random": random_selector},
                              features=features, sizes=[20, 40], seed_size=10, batch_size=10,
                              seed=s) for s in range(2)])
    table = summarise(runs)
    assert list(table["strategy"]) == ["active", "active", "random", "random"]
    assert list(table["size"]) == [20, 40, 20, 40] and table["runs"].eq(2).all()
    assert table["f1_sd"].ge(0).all()
    with pytest.raises(InputError, match="sizes"):
        learning_curve(pool, y, test, test_y, make_model=HashedLogistic, selector=random_selector,
                       features=sparse.csr_matrix((len(y), 4)), sizes=[10_000])
