"""Two exports whose posts share ids but not text are kept apart, not merged (issue 10, 2.3).

An id is unique on its platform; a file that names no platform gets its own (``file-<hash>``),
so two CSV exports of different platforms that both number their posts 1, 2, 3 store six posts,
and the command says so, naming ``--platform``. The same file imported again still stores
nothing twice (resume), and ``--platform`` declares files one platform (shared posts once).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.sources.files.reader import FileReader, file_platform

runner = CliRunner()


def _cli(study, *args):
    return runner.invoke(app, ["--study", str(study.root), "import", *map(str, args)])


def _export(path: Path, texts: list[str], *, jsonl: bool = False) -> Path:
    if jsonl:
        lines = [f'{{"id": "{i}", "text": "{t}"}}' for i, t in enumerate(texts, start=1)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        rows = [f"{i},{t}" for i, t in enumerate(texts, start=1)]
        path.write_text("id,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _rows(study) -> list[tuple[str, str, str]]:
    study.close()
    with sqlite3.connect(study.root / "wildsift.sqlite") as db:
        return db.execute("SELECT platform, post_id, text FROM posts ORDER BY pk").fetchall()


def _duplicate_keys(study) -> int:
    study.close()
    with sqlite3.connect(study.root / "wildsift.sqlite") as db:
        return db.execute("SELECT count(*) FROM (SELECT 1 FROM posts GROUP BY platform, post_id "
                          "HAVING count(*) > 1)").fetchone()[0]


def test_two_exports_sharing_ids_are_both_kept_and_the_command_says_so(study, tmp_path):
    forum = _export(tmp_path / "forum.csv", ["rhino horn for sale", "ivory bangle", "pangolin"])
    market = _export(tmp_path / "market.csv", ["tiger bone wine", "bear bile", "shark fin"])
    first = _cli(study, forum)
    assert first.exit_code == 0, first.output
    second = _cli(study, market)
    assert second.exit_code == 0, second.output
    assert "stored 3, duplicates 0" in second.output
    assert "--platform" in second.output and "3 posts name no platform" in second.output
    rows = _rows(study)
    assert len(rows) == 6 and _duplicate_keys(study) == 0
    assert {text for _p, _id, text in rows} == {"rhino horn for sale", "ivory bangle", "pangolin",
                                                "tiger bone wine", "bear bile", "shark fin"}
    assert {p for p, _id, _t in rows} == {file_platform(forum), file_platform(market)}


def test_the_same_file_again_stores_nothing_twice(study, tmp_path):
    forum = _export(tmp_path / "forum.csv", ["rhino horn for sale", "ivory bangle"])
    assert "stored 2, duplicates 0" in _cli(study, forum).output
    moved = tmp_path / "moved" / "renamed.csv"
    moved.parent.mkdir()
    moved.write_bytes(forum.read_bytes())
    again = _cli(study, moved)  # the namespace comes from the content, not the name
    assert "stored 0, duplicates 2" in again.output
    assert len(_rows(study)) == 2


def test_platform_flag_declares_files_one_platform(study, tmp_path):
    day1 = _export(tmp_path / "day1.csv", ["rhino horn for sale", "ivory bangle"])
    day2 = _export(tmp_path / "day2.jsonl", ["rhino horn for sale", "ivory bangle"], jsonl=True)
    assert "stored 2" in _cli(study, day1, "--platform", "forum").output
    second = _cli(study, day2, "--platform", "forum")
    assert "stored 0, duplicates 2" in second.output
    assert "name no platform" not in second.output
    assert {p for p, _id, _t in _rows(study)} == {"forum"}


def test_a_platform_column_wins_and_only_blank_cells_take_the_files(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("id,platform,text\n1,x,a post\n2,,another\n", encoding="utf-8")
    reader = FileReader(path)
    posts = list(reader)
    assert [p.platform for p in posts] == ["x", file_platform(path)]
    assert reader.file_platform_posts == 1


def test_workers_report_how_many_posts_took_the_files_platform(study, tmp_path):
    from wildsift.sources.ingest import ingest

    path = tmp_path / "many.jsonl"
    _export(path, [f"post {i}" for i in range(50)], jsonl=True)
    reader = FileReader(path)
    counts = ingest(study, reader, batch_size=7, workers=2)
    assert counts.stored == 50 and reader.file_platform_posts == 50
