"""The plan of `wildsift sift`: validated, explained (`--explain`), and each run recorded."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.engine.plan import Plan, PlannedStage, PlanError
from wildsift.privacy.ingest import Protector
from wildsift.records import RawPost

runner = CliRunner()
POST_STAGES = ["langid", "lexicon", "heads", "relevance"]


def _seed(study, start: int, n: int) -> None:
    protector = Protector.for_study(study)
    study.store.posts.add([protector.protect(RawPost(
        platform="test", source_id=str(i), text=f"rhino horn for sale {i}, ship to Hanoi",
        author=f"a{i}")) for i in range(start, start + n)])


def _explain(study) -> dict[str, list[str]]:
    """The --explain table as {stage: [over, version, stale]}, read from a wide console."""
    result = runner.invoke(app, ["--study", str(study.root), "sift", "--no-images", "--explain"],
                           env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "nothing was run" in result.output
    rows = {}
    for line in result.output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 6 and cells[0] in POST_STAGES:
            rows[cells[0]] = [cells[1], cells[4], cells[5]]
    return rows


def test_validate_names_the_stage_and_the_missing_column():
    plan = Plan([PlannedStage("relevance", "posts", "v1", reads=("text", "lexicon_hits")),
                 PlannedStage("lexicon", "posts", "v1", reads=("text",), adds=("lexicon_hits",))],
                stored_posts=("pk", "text"))
    with pytest.raises(PlanError, match=r"stage 'relevance' \(posts\) reads \['lexicon_hits'\]"):
        plan.validate()
    Plan(plan.stages[::-1], stored_posts=("pk", "text")).validate()


def test_explain_runs_nothing_and_counts_what_is_stale(study):
    _seed(study, 0, 5)
    from wildsift.sift.plan import plan_for_study

    plan = plan_for_study(study, images=False)
    versions = {step.name: step.version for step in plan.stages}
    rows = _explain(study)
    assert list(rows) == POST_STAGES
    assert all(rows[name] == ["posts", versions[name], "5"] for name in POST_STAGES), rows
    assert study.store.runs.list() == []  # explaining is not a run
    assert study.store.scores.versions() == []

    result = runner.invoke(app, ["--study", str(study.root), "sift", "--no-images",
                                 "--no-progress", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert {name: row[2] for name, row in _explain(study).items()} == dict.fromkeys(
        POST_STAGES, "0")
    _seed(study, 5, 2)
    assert {name: row[2] for name, row in _explain(study).items()} == dict.fromkeys(
        POST_STAGES, "2")


def _kept(study) -> set[int]:
    decided = study.store.scores.latest(["relevant"])
    return set(decided.loc[decided["relevant"] == 1, "post_pk"].astype(int))


def test_each_sift_is_recorded_and_the_report_lists_the_runs(study):
    _seed(study, 0, 4)
    args = ["--study", str(study.root), "sift", "--no-images", "--no-progress", "--workers", "1"]
    assert runner.invoke(app, args).exit_code == 0
    _seed(study, 4, 3)
    assert runner.invoke(app, args).exit_code == 0
    runs = study.store.runs.list()
    assert len(runs) == 2
    latest, first = runs  # newest first
    from wildsift.sift.plan import plan_for_study

    versions = [(s.name, s.version) for s in plan_for_study(study, images=False).stages]
    for run in runs:
        assert [(s.name, s.version) for s in run.stages] == versions
        assert all(s.over == "posts" for s in run.stages)
        assert [(u.what, u.why) for u in run.unavailable] == [("image stages", "--no-images")]
        assert run.finished_at >= run.started_at
    before, after = ({s.name: (s.scored, s.skipped, s.left) for s in run.stages}
                     for run in (first, latest))
    kept = _kept(study)  # the location stage does the posts relevance keeps, only those
    first_kept = len({pk for pk in kept if pk <= 4})
    assert before.pop("location") == (first_kept, 4 - first_kept, 0)
    assert after.pop("location") == (len(kept) - first_kept, 7 - len(kept) + first_kept, 0)
    assert set(before.values()) == {(4, 0, 0)}
    assert set(after.values()) == {(3, 4, 0)}

    result = runner.invoke(app, ["--study", str(study.root), "report"])
    assert result.exit_code == 0, result.output
    html = (study.root / "reports" / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="runs"'):]
    assert "image stages: --no-images" in section
    assert section.count("relevance") >= 2 and versions[-1][1] in section
