"""A failed 'wildsift train' is not followed by a silent rule-based 'wildsift sift'."""

from __future__ import annotations

from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.records import Label, Post
from wildsift.sift.learn.train_failures import clear_failure, last_failure, record_failure

runner = CliRunner()


def _seed(study, n: int = 40) -> None:
    study.store.posts.add([Post(platform="x", post_id=f"p{i}", text=f"ivory bangle {i} for sale"
                                if i % 2 else f"zoo trip {i}") for i in range(n)])
    study.store.labels.add([Label(platform="x", post_id=f"p{i}", field="relevant",
                                  value=str(i % 2), annotator="a") for i in range(n)])


def test_sift_names_the_failed_training_and_what_to_do(study, monkeypatch):
    _seed(study)
    root = str(study.root)

    def broken(*_args, **_kwargs):
        raise RuntimeError("number of parameters must be between 0 and 65535")

    monkeypatch.setattr("wildsift.sift.learn.train.train_study", broken)
    result = runner.invoke(app, ["--study", root, "train"])
    assert result.exit_code != 0
    failure = last_failure(study.models_dir)
    assert failure and "65535" in failure["error"] and failure["step"] == "text-relevance"

    result = runner.invoke(app, ["--study", root, "sift", "--no-progress", "--workers", "1",
                                 "--no-images"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "The last 'wildsift train'" in said and "65535" in said
    assert "relevance is rule-based" in said and "rerun 'wildsift train'" in said
    assert "no model is trained yet" not in said


def test_a_training_that_succeeds_clears_the_record(study):
    record_failure(study.models_dir, "text-relevance", RuntimeError("boom"))
    assert last_failure(study.models_dir)["error"] == "RuntimeError: boom"
    clear_failure(study.models_dir)
    assert last_failure(study.models_dir) is None
