"""`wildsift comply --deleted-ids FILE --platform weibo|facebook` erases posts imported from the
Weibo and Meta Content Library files (issue 15): the platforms those importers store under are
accepted, and a Weibo id list may give the numeric mid or the bid of the post's URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.privacy.ingest import Protector

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ORIGINAL_MID = "5012345678901234"  # web_statuses.jsonl: the ivory seal post
REPOST_MID = "5012345678909999"  # its repost
runner = CliRunner()


def _import(study, path: Path) -> None:
    result = runner.invoke(app, ["--study", str(study.root), "import", str(path)])
    assert result.exit_code == 0, result.output


def _comply(study, tmp_path: Path, platform: str, lines: list[str]):
    ids = tmp_path / f"deleted-{platform}.txt"
    ids.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return runner.invoke(app, ["--study", str(study.root), "comply", "--deleted-ids", str(ids),
                               "--platform", platform])


def _stored(study) -> set[tuple[str, str]]:
    frame = study.store.posts.frame(["platform", "post_id"])
    return set(zip(frame["platform"], frame["post_id"]))


def test_a_weibo_post_is_erased_by_its_mid(study, tmp_path):
    _import(study, FIXTURES / "weibo" / "web_statuses.jsonl")
    protector = Protector.for_study(study)
    original = ("weibo", protector.post_id("weibo", ORIGINAL_MID))
    repost = ("weibo", protector.post_id("weibo", REPOST_MID))
    assert {original, repost} <= _stored(study)
    study.close()
    result = _comply(study, tmp_path, "weibo", [ORIGINAL_MID, "5012345678900000"])
    assert result.exit_code == 0, result.output
    assert "weibo: 2 ids listed, 1 erased, 1 not found" in result.output
    left = _stored(study)
    assert original not in left and repost in left
    audit = study.store.erasures.frame()
    assert list(audit["platform"]) == ["weibo"]
    assert ORIGINAL_MID not in audit.to_csv() and original[1] not in audit.to_csv()


def test_a_weibo_id_list_may_give_the_bid(study, tmp_path):
    from wildsift.sources.weibo.ids import mid_to_bid

    _import(study, FIXTURES / "weibo" / "web_statuses.jsonl")
    repost = ("weibo", Protector.for_study(study).post_id("weibo", REPOST_MID))
    study.close()
    result = _comply(study, tmp_path, "weibo", [mid_to_bid(REPOST_MID), "not a bid!"])
    assert result.exit_code == 0, result.output
    assert "1 erased" in result.output and "1 lines skipped" in result.output
    assert repost not in _stored(study)


def test_a_facebook_post_from_the_content_library_is_erased(study, tmp_path):
    _import(study, FIXTURES / "meta" / "mcl_facebook_posts.json")
    key = ("facebook", Protector.for_study(study).post_id("facebook", "963780196442228"))
    before = _stored(study)
    assert key in before
    study.close()
    result = _comply(study, tmp_path, "facebook", ["963780196442228"])
    assert result.exit_code == 0, result.output
    assert "1 erased" in result.output
    assert _stored(study) == before - {key}


@pytest.mark.parametrize("platform", ["weibo", "facebook", "instagram"])
def test_the_new_platforms_are_accepted_and_an_unknown_one_is_named(study, tmp_path, platform):
    accepted = _comply(study, tmp_path, platform, ["123"])
    assert accepted.exit_code == 0, accepted.output
    refused = _comply(study, tmp_path, "myspace", ["123"])
    assert refused.exit_code != 0
    assert "weibo" in (refused.stderr or refused.output)
