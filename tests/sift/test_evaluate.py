"""wildsift evaluate on labelled CSV files (made here; the shared datasets when present)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.sift.learn.evaluate import REQUIRED_KEYS, read_labelled_csv

SHARED = Path("/work/shared/datasets")


def write_csv(path: Path, n: int = 80) -> None:
    rng = random.Random(0)
    lines = ["title,body,label"]
    for i in range(n):
        if i % 2:
            lines.append(f"genuine python skin {rng.randint(1, 99)},real leather snake,1")
        else:
            lines.append(f"faux leather toy {rng.randint(1, 99)},plastic printed,0")
    lines.append("no label here,missing,")
    # a Latin-1 byte, as in real exports
    path.write_bytes(("\n".join(lines) + "\n").encode() + "caf\xe9 croc skin,real,1\n".encode("latin-1"))


def test_evaluate_cli_writes_all_seven_metrics(tmp_path):
    data, out = tmp_path / "ads.csv", tmp_path / "metrics.json"
    write_csv(data)
    result = CliRunner().invoke(app, ["evaluate", "--data", str(data), "--text-column", "title",
                                      "--text-column", "body", "--label-column", "label",
                                      "--folds", "3", "--json", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    for key in REQUIRED_KEYS:
        assert key in metrics
    for key in ("precision", "recall", "f1", "macro_f1", "pr_auc"):
        assert 0.0 <= metrics[key] <= 1.0
    assert -1.0 <= metrics["mcc"] <= 1.0 and metrics["posts_per_second"] > 0
    assert metrics["f1"] > 0.9  # the classes are separable
    assert metrics["skipped_missing_label"] == 1 and metrics["rows_recoded"] == 1


def test_baseline_side_by_side_with_groups_dedup_and_intervals(tmp_path):
    data, out = tmp_path / "ads.csv", tmp_path / "metrics.json"
    rows = ["title,seller,label"]
    for i in range(60):
        seller = f"s{i // 3}"
        rows.append(f"genuine python skin lot {i},{seller},1" if i % 2 else
                    f"faux leather toy lot {i},{seller},0")
    rows += ["genuine python skin lot 1,s0,1", '"GENUINE python skin, lot 1!",s0,0']  # duplicates
    data.write_text("\n".join(rows) + "\n")
    result = CliRunner().invoke(app, ["evaluate", "--data", str(data), "--text-column", "title",
                                      "--label-column", "label", "--group-column", "seller",
                                      "--folds", "3", "--baseline", "--bootstrap", "200",
                                      "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 duplicate texts removed" in result.output and "baseline" in result.output
    metrics = json.loads(out.read_text())
    assert metrics["n"] == 60 and metrics["duplicates_removed"] == 2 and metrics["grouped"]
    for block in (metrics, metrics["baseline"]):
        for key in REQUIRED_KEYS:
            assert key in block
        for key in ("f1", "mcc", "precision", "recall"):
            low, high = block["ci"][key]
            assert low <= block[key] + 1e-9 and block[key] <= high + 1e-9
    assert 0 < metrics["baseline"]["threshold"] < 1  # chosen by inner CV, not 0.5
    assert len(metrics["thresholds"]) == metrics["folds"]
    # the default chose a candidate inside each training fold, and says which
    assert len(metrics["winners"]) == metrics["folds"]
    assert set(metrics["winners"]) <= {"baseline", "ngram", "blend"}
    assert "Candidate chosen inside each training fold" in result.output


def test_unknown_model_is_a_clear_error(tmp_path):
    data = tmp_path / "ads.csv"
    write_csv(data)
    result = CliRunner().invoke(app, ["evaluate", "--data", str(data), "--text-column", "title",
                                      "--label-column", "label", "--model", "nope"])
    assert result.exit_code != 0 and "no model called 'nope'" in result.output


def test_several_label_columns_with_positive_value(tmp_path):
    path = tmp_path / "birds.csv"
    path.write_text("text,label1,label2\nbudgie pair sale,0,0\ncage,1,0\nchook,0,1\nx,NA,0\n")
    data = read_labelled_csv(path, ["text"], ["label1", "label2"], positive=["0"])
    assert data.y.tolist() == [1, 0, 0] and data.skipped_missing_label == 1


def test_missing_column_is_a_clear_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,label\na,1\n")
    result = CliRunner().invoke(app, ["evaluate", "--data", str(path), "--text-column", "body",
                                      "--label-column", "label"])
    assert result.exit_code != 0 and "no column(s) ['body']" in result.output


@pytest.mark.skipif(not (SHARED / "marketplace-ads/leather_validation.csv").exists(),
                    reason="shared datasets not present (/work/shared/datasets)")
def test_leather_dataset_scores_well_above_chance(tmp_path):
    out = tmp_path / "leather.json"
    result = CliRunner().invoke(app, [
        "evaluate", "--data", str(SHARED / "marketplace-ads/leather_validation.csv"),
        "--text-column", "title", "--label-column", "label", "--folds", "3", "--json", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    assert metrics["rows"] == 500 and metrics["n"] + metrics["duplicates_removed"] == 500
    assert metrics["mcc"] > 0.5 and metrics["pr_auc"] > 0.8


@pytest.mark.skipif(not (SHARED / "marketplace-ads/validation_sharks.csv").exists(),
                    reason="shared datasets not present (/work/shared/datasets)")
def test_default_is_not_worse_than_the_tuned_baseline_on_sharks(tmp_path):
    out = tmp_path / "sharks.json"
    result = CliRunner().invoke(app, [
        "evaluate", "--data", str(SHARED / "marketplace-ads/validation_sharks.csv"),
        "--text-column", "title", "--text-column", "description", "--label-column", "label",
        "--folds", "3", "--baseline", "--bootstrap", "100", "--json", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    # never worse than the tuned baseline beyond its bootstrap interval (it is a candidate)
    assert metrics["mcc"] >= metrics["baseline"]["ci"]["mcc"][0]
    assert metrics["pr_auc"] >= metrics["baseline"]["pr_auc"] - 0.02
