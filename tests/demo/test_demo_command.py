"""The README's first command: a whole study offline on the synthetic corpus."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.study import Study

runner = CliRunner()


def test_demo_builds_a_study_end_to_end_and_is_idempotent(tmp_path):
    folder = tmp_path / "demo"
    result = runner.invoke(app, ["demo", str(folder), "--posts", "600", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "imported: read 600, stored 600, duplicates 0, quarantined 0" in result.output
    report = folder / "reports" / "report.html"
    assert f"report: {report}" in result.output.replace("\n", "")
    html = report.read_text()
    assert "Synthetic data" in html and "Taxa" in html
    card_files = list((folder / "models" / "text-relevance").glob("*/card.json"))
    assert len(card_files) == 1
    card = json.loads(card_files[0].read_text())
    assert card["data_size"] == 600 and card["metrics"]["f1"] > 0.7

    study = Study.open(folder)
    scores = study.store.scores.latest(["relevance_method", "text_relevance_method"])
    assert set(scores["text_relevance_method"]) == {f"model:{card['version']}"}
    # the decision: the text model's, or fusion's (the rule) for posts with images
    assert set(scores["relevance_method"]) <= {f"model:{card['version']}",
                                               "fusion:fusion-rule-v1"}
    sources = set(study.store.posts.frame(["source"])["source"])
    assert sources == {"demo:synthetic:demo-synthetic-posts.csv"}
    study.close()

    again = runner.invoke(app, ["demo", str(folder), "--posts", "600", "--no-progress"])
    assert again.exit_code == 0, again.output
    assert "stored 0, duplicates 600" in again.output
