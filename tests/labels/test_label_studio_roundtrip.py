"""Label Studio round trip: its JSON export read (annotator e-mails and ids never stored,
cancelled annotations skipped), tasks with predictions in its import shape, and
export -> import -> export leaving labels unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import delete
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.labels.label_studio import build_tasks, read_export
from wildsift.labels.mapping import default_mapping, load_mapping
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.records import Label, Post
from wildsift.store import schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "labels"


def test_reads_a_label_studio_export_without_keeping_emails():
    path = FIXTURES / "label-studio-export.json"
    found = read_export(path, load_mapping(FIXTURES / "label-studio-mapping.yaml"),
                        Pseudonymizer(b"k" * 32))
    got = sorted((lab.post_id, lab.field, lab.value) for lab in found.labels)
    note = "mentions old stock: antique claim?"
    assert got == [("lp1", "intent", "offer"), ("lp1", "note", note), ("lp1", "relevant", "1"),
                   ("lp1", "relevant", "1"), ("lp2", "relevant", "0")]
    people = {lab.annotator for lab in found.labels}
    assert len(people) == 2 and all(p.startswith("a_") for p in people)
    assert "alice" not in repr(found.labels) and "example.org" not in repr(found.labels)
    assert found.skipped == {"cancelled annotation": 1, "unlabelled task from elsewhere": 1}
    assert not found.problems
    first = next(lab for lab in found.labels if lab.field == "intent")
    assert first.created_at == datetime(2025, 3, 2, 9, 30, 11, 512843, tzinfo=UTC)
    assert first.platform == "ebay"


def test_tasks_carry_text_ids_and_predictions_in_label_studios_shape():
    posts = pd.DataFrame({"pk": [1, 2], "post_id": ["p1", "p2"], "platform": ["x", "x"],
                          "text": ["pangolin scales", "jaguar car"]})
    scores = pd.DataFrame({"post_pk": [1, 2], "relevance": [0.93, 0.04], "relevant": [1, 0],
                           "relevance_method": ["fusion:3", "fusion:3"]})
    empty = pd.DataFrame(columns=["post_pk", "field", "value", "annotator", "created_at"])
    tasks = build_tasks(posts, empty, default_mapping(["relevant"], tool="label-studio"),
                        scores=scores)
    assert tasks[0]["data"] == {"text": "pangolin scales", "wildsift_post": "p1",
                                "wildsift_platform": "x"}
    prediction = tasks[0]["predictions"][0]
    assert prediction["score"] == 0.93 and prediction["model_version"] == "fusion:3"
    result = prediction["result"][0]
    assert {k: result[k] for k in ("from_name", "to_name", "type", "value")} == {
        "from_name": "relevant", "to_name": "text", "type": "choices",
        "value": {"choices": ["Relevant"]}}
    assert tasks[1]["predictions"][0]["result"][0]["value"] == {"choices": ["Not relevant"]}
    assert "annotations" not in tasks[0]


def _cli(study, *args: str) -> str:
    result = CliRunner().invoke(app, ["--study", str(study.root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _labels(study) -> list[tuple]:
    frame = study.store.labels.frame()
    return sorted((r.post_id, r.field, r.value, r.annotator, pd.Timestamp(r.created_at))
                  for r in frame.itertuples())


def test_export_import_export_leaves_labels_unchanged(study, tmp_path):
    study.store.posts.add([Post(platform="ebay", post_id=f"p{i}", text=f"post {i}")
                           for i in range(4)])
    when = datetime(2025, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)
    study.store.labels.add([
        Label("p0", "relevant", "1", "a_0000000000000001", when),
        Label("p0", "relevant", "0", "a_00000000000000b2", when),
        Label("p0", "intent", "offer", "a_0000000000000001", when),
        Label("p1", "note", "Says 'antique' twice", "a_00000000000000b2", when),
        Label("p2", "taxon", "Manis javanica", "a_0000000000000001", when)])
    first, second = tmp_path / "first", tmp_path / "second"
    _cli(study, "label", "export", "--format", "label-studio", "--out", str(first))
    tasks = json.loads((first / "tasks.json").read_text())
    assert len(tasks) == 4 and sum(len(t.get("annotations", [])) for t in tasks) == 4
    assert '<Choices name="relevant"' in (first / "label_config.xml").read_text()
    before = _labels(study)
    with study.store.engine.begin() as conn:
        conn.execute(delete(schema.labels))
    output = _cli(study, "label", "import", "--format", "label-studio",
                  str(first / "tasks.json"), "--mapping", str(first / "mapping.toml"))
    assert "stored 5" in output and "malformed 0" in output
    assert _labels(study) == before  # values, people and times (to the microsecond)
    _cli(study, "label", "export", "--format", "label-studio", "--out", str(second))
    assert (first / "tasks.json").read_bytes() == (second / "tasks.json").read_bytes()
