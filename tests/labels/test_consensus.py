"""Dawid-Skene consensus: it recovers the truth from simulated annotators of known accuracy
better than a majority vote, estimates who is reliable, and retires posts by rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wildsift.labels.consensus import dawid_skene, majority_vote, retired


def simulate(seed: int, accuracies: tuple[float, ...], classes: tuple[str, ...],
             posts: int = 500, field: str = "relevant") -> tuple[np.ndarray, pd.DataFrame]:
    """Every annotator labels every post: right with their accuracy, else a wrong class at
    random."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(classes, size=posts)
    rows = []
    for j, accuracy in enumerate(accuracies):
        for pk, true in enumerate(truth):
            value = true if rng.random() < accuracy else rng.choice(
                [c for c in classes if c != true])
            rows.append((pk, field, value, f"a{j}", None))
    return truth, pd.DataFrame(rows, columns=["post_pk", "field", "value", "annotator",
                                              "created_at"])


def _accuracies(truth, labels, field="relevant") -> tuple[float, float]:
    consensus = dawid_skene(labels, field).posts.sort_values("post_pk")
    majority = majority_vote(labels, field).sort_index()
    return (float((consensus["value"].to_numpy() == truth).mean()),
            float((majority.to_numpy() == truth).mean()))


def test_binary_09_07_055_on_500_posts_beats_the_majority_vote_on_average():
    results = [_accuracies(*simulate(seed, (0.9, 0.7, 0.55), ("0", "1"))) for seed in range(5)]
    ds, mv = np.mean(results, axis=0)
    assert ds > mv + 0.02


def test_four_classes_beats_the_majority_vote_on_every_seed_and_ranks_annotators():
    for seed in range(3):
        truth, labels = simulate(seed, (0.9, 0.7, 0.55), ("a", "b", "c", "d"), field="intent")
        ds, mv = _accuracies(truth, labels, "intent")
        assert ds > mv
        result = dawid_skene(labels, "intent")
        accuracy = result.accuracy()
        assert accuracy["a0"] > accuracy["a1"] > accuracy["a2"]
        assert accuracy["a0"] == pytest.approx(0.9, abs=0.05)
        assert result.converged and result.iterations < 200


def test_a_lone_label_is_its_own_consensus_and_counts_are_kept():
    labels = pd.DataFrame({"post_pk": [1, 2, 2, 2], "field": "relevant",
                           "value": ["yes", "1", "1", "0"], "annotator": ["a", "a", "b", "c"],
                           "created_at": None})
    posts = dawid_skene(labels, "relevant").posts.set_index("post_pk")
    assert posts.loc[1, "value"] == "1" and posts.loc[1, "labels"] == 1
    assert posts.loc[2, "value"] == "1" and posts.loc[2, "labels"] == 3
    assert posts.loc[2, "agreeing"] == 2
    assert 0.5 < posts.loc[2, "posterior"] <= 1.0


def test_no_labels_gives_an_empty_consensus():
    empty = pd.DataFrame(columns=["post_pk", "field", "value", "annotator", "created_at"])
    assert dawid_skene(empty, "relevant").posts.empty


def test_retired_at_k_agreeing_labels_or_a_high_posterior_with_two_labels():
    assert retired({"agreeing": 3, "labels": 4, "posterior": 0.6}, k=3)
    assert not retired({"agreeing": 2, "labels": 3, "posterior": 0.85}, k=3, threshold=0.9)
    assert retired({"agreeing": 2, "labels": 2, "posterior": 0.95}, k=3, threshold=0.9)
    assert not retired({"agreeing": 1, "labels": 1, "posterior": 0.99}, k=3, threshold=0.9)
    assert retired({"agreeing": 1, "labels": 1, "posterior": 0.99}, k=3, threshold=0.9,
                   min_labels=1)
