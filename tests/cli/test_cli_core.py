"""init, label import/export and export through the real command line."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.privacy.ingest import Protector
from wildsift.records import RawPost
from wildsift.study import Study

runner = CliRunner()


def _seed(study: Study, n: int = 3) -> list[str]:
    protector = Protector.for_study(study)
    posts = [protector.protect(RawPost(platform="test", source_id=str(i),
                                       text=f"ivory bangle {i} mail seller{i}@example.com",
                                       author=f"seller{i}")) for i in range(n)]
    study.store.posts.add(posts)
    return [p.post_id for p in posts]


def test_init_then_commands_find_the_study(tmp_path, monkeypatch):
    result = runner.invoke(app, ["init", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path / "s")
    result = runner.invoke(app, ["label", "export"])
    assert result.exit_code == 0 and result.stdout.startswith("post_id,field,value")


def test_missing_study_exits_nonzero_with_one_line_reason(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", "out.csv"])
    assert result.exit_code == 1
    assert "wildsift: error: no study here" in result.stderr
    assert "Traceback" not in result.output


def test_label_roundtrip_pseudonymises_annotators(study, tmp_path):
    ids = _seed(study)
    source = tmp_path / "labels.csv"
    source.write_text(
        "post_id,field,value,annotator,created_at\n"
        f"{ids[0]},relevant,1,Jane Doe,2025-03-01T10:00:00+00:00\n"
        f"{ids[1]},relevant,0,Jane Doe,\n"
        "p_unknown,relevant,1,Jane Doe,\n"
        f"{ids[2]},relevant,,Jane Doe,\n"
    )
    result = runner.invoke(app, ["--study", str(study.root), "label", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "stored 2" in result.stdout and "unknown post ids 1" in result.stdout
    assert f"{source}:5: field 'value' is empty" in result.stderr
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["--study", str(study.root), "label", "export", "--out", str(out)])
    assert result.exit_code == 0
    frame = pd.read_csv(out)
    assert sorted(frame["value"]) == [0, 1]
    assert frame["annotator"].str.startswith("a_").all()
    assert "Jane" not in out.read_text()


def test_export_formats_hold_pseudonyms_not_identities(study, tmp_path):
    _seed(study)
    for fmt in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"posts.{fmt}"
        result = runner.invoke(app, ["--study", str(study.root), "export", str(out)])
        assert result.exit_code == 0, result.output
        frame = (pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out) if fmt == "parquet"
                 else pd.read_json(out, lines=True))
        assert len(frame) == 3
        assert frame["author"].str.startswith("u_").all()
        assert frame["text"].str.contains("<EMAIL:").all()
        raw = out.read_bytes()
        assert b"seller0" not in raw and b"example.com" not in raw
    first = json.loads((tmp_path / "posts.jsonl").read_text().splitlines()[0])
    assert {"post_id", "text", "lang", "matches"} <= set(first)


def test_export_rejects_unknown_format(study, tmp_path):
    result = runner.invoke(app, ["--study", str(study.root), "export", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and "unknown export format 'xlsx'" in result.stderr


def test_quarantine_lists_every_set_aside_record(study, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "ok"}\n{not json\n{"id": "3", "text": "x", "lat": "abc",'
                   ' "lon": "1"}\n')
    base = ["--study", str(study.root)]
    result = runner.invoke(app, base + ["import", str(bad)])
    assert result.exit_code == 0 and "wildsift quarantine" in result.output
    out = tmp_path / "q.csv"
    result = runner.invoke(app, base + ["quarantine", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 records quarantined" in result.output
    frame = pd.read_csv(out)
    assert list(frame["location"]) == ["bad.jsonl:2", "bad.jsonl:3"]
    assert frame["field"].fillna("").tolist()[1] == "lat"


def test_ctrl_c_exits_130_with_a_word_on_resuming(study, monkeypatch):
    from wildsift.sift import pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "sift_study", interrupted)
    result = runner.invoke(app, ["--study", str(study.root), "sift"])
    assert result.exit_code == 130
    assert "run the same command again to resume" in result.stderr
