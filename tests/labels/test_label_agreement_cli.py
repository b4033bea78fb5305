"""'wildsift label agreement' over a study's store, and training on consensus labels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.labels.consensus import majority_vote
from wildsift.records import Label, Post
from wildsift.sift.learn.train import post_labels


def test_agreement_command_prints_and_writes_the_figures(study, tmp_path):
    # Krippendorff's two-observer binary example (alpha 0.095), stored as labels
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=f"post {i}")
                           for i in range(10)])
    study.store.labels.add(
        [Label(f"p{i}", "relevant", str(v), "a_000000000000000a") for i, v in enumerate(a)]
        + [Label(f"p{i}", "relevant", str(v), "a_000000000000000b") for i, v in enumerate(b)]
        + [Label(f"p{i}", "queue_reason", "random", "a_000000000000000b") for i in range(10)])
    out = tmp_path / "agreement.json"
    result = CliRunner().invoke(app, ["--study", str(study.root), "label", "agreement",
                                      "--json", str(out)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Krippendorff" in result.output and "0.095" in result.output
    assert "Cohen's kappa, relevant" in result.output and "Dawid-Skene" in result.output
    document = json.loads(out.read_text())
    assert list(document["fields"]) == ["relevant"]
    field = document["fields"]["relevant"]
    assert field["alpha"] == pytest.approx(0.095, abs=5e-4)
    assert field["overlap"]["a_000000000000000a"]["a_000000000000000b"] == 10
    assert document["consensus"]["relevant"]["posts"] == 10
    assert document["retirement"] == {"k": 3, "threshold": 0.9}


def test_training_takes_the_consensus_where_several_people_labelled():
    """One reliable annotator (0.95) and three careless ones (0.6) on 300 posts: the majority
    follows the careless; Dawid-Skene learns who is reliable, and training takes its value.
    Posts with one label keep it. (Seed 2; from a majority-vote start EM can also stay near the
    majority: seed 0 of this set does, 0.76 against 0.75.)"""
    rng = np.random.default_rng(2)
    truth = rng.integers(0, 2, 300)
    rows = []
    for who, accuracy in (("a_reliable", 0.95), ("a_c1", 0.6), ("a_c2", 0.6), ("a_c3", 0.6)):
        given = np.where(rng.random(300) < accuracy, truth, 1 - truth)
        rows += [(pk, "relevant", str(v), who, None) for pk, v in enumerate(given)]
    rows += [(1000, "relevant", "1", "a_c1", None), (1001, "relevant", "no", "a_x", None)]
    labels = pd.DataFrame(rows, columns=["post_pk", "field", "value", "annotator", "created_at"])
    y = post_labels(labels)
    trained = (y.loc[list(range(300))].to_numpy() == truth).mean()
    majority = (majority_vote(labels, "relevant").loc[list(range(300))].astype(int).to_numpy()
                == truth).mean()
    assert trained > 0.93 and majority < 0.8
    assert y[1000] == 1 and y[1001] == 0
