"""``wildsift secret rotate --keep-link`` holds for imports run by worker processes too.

Before the fix, import workers built their Protector from the study's settings without the
kept previous secret, so a file imported with ``--workers 2`` after a rotation wrote no link
rows: its authors and contacts could not be followed across the rotation, though the user had
asked for it. Here the same accounts post before the rotation (one process) and after it
(two workers); every account and phone seen after must link back to its old pseudonym.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.privacy.rotation import read_links

runner = CliRunner()
AUTHORS = [f"seller_{i}" for i in range(6)]
PHONES = ["+84912012345", "+84912000417", "+84912049001"]


def _export(path: Path, prefix: str, n: int = 120) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "created_at", "text", "author", "platform"])
        for i in range(n):
            writer.writerow([f"{prefix}{i}", "2025-01-01T10:00:00Z",
                             f"ivory bangle {i}, call {PHONES[i % len(PHONES)]}",
                             AUTHORS[i % len(AUTHORS)], "facebook"])
    return path


def _import(root: Path, path: Path, workers: int) -> None:
    result = runner.invoke(app, ["--study", str(root), "import", str(path), "--workers",
                                 str(workers), "--batch-size", "20"])
    assert result.exit_code == 0, result.output


def _authors(root: Path) -> dict[str, str]:
    """Stored post id -> author pseudonym."""
    with sqlite3.connect(root / "wildsift.sqlite") as conn:
        return dict(conn.execute("SELECT post_id, author FROM posts"))


def _phone_tokens(root: Path) -> set[str]:
    with sqlite3.connect(root / "wildsift.sqlite") as conn:
        texts = [row[0] for row in conn.execute("SELECT text FROM posts")]
    return {t[t.index("<PHONE:"):t.index(">", t.index("<PHONE:")) + 1]
            for t in texts if "<PHONE:" in t}


def test_a_post_imported_by_workers_after_rotation_links_to_its_old_author(study, tmp_path):
    root = study.root
    _import(root, _export(tmp_path / "before.csv", "a"), workers=1)
    before = _authors(root)
    old_tokens = _phone_tokens(root)
    result = runner.invoke(app, ["--study", str(root), "secret", "rotate", "--keep-link"])
    assert result.exit_code == 0, result.output
    _import(root, _export(tmp_path / "after.csv", "b"), workers=2)
    after = {k: v for k, v in _authors(root).items() if k not in before}
    assert len(after) == 120
    assert not set(after.values()) & set(before.values())  # the rotation took effect
    links = read_links(root)
    old_of = {r["new"]: r["old"] for r in links if r["kind"] == "account"}
    old_authors, new_authors = sorted(set(before.values())), sorted(set(after.values()))
    assert len(old_authors) == len(new_authors) == len(AUTHORS)
    assert set(new_authors) <= set(old_of), "a worker-imported author has no link row"
    assert {old_of[new] for new in new_authors} == set(old_authors)
    # Post b{i} and post a{i} have the same author: the link leads back to a{i}'s pseudonym.
    old_by_slot = _by_slot(root, before, "a")
    new_by_slot = _by_slot(root, after, "b")
    for slot, new in new_by_slot.items():
        assert old_of[new] == old_by_slot[slot]
    # Contact tokens link too.
    new_tokens = _phone_tokens(root) - old_tokens
    token_links = {r["new"]: r["old"] for r in links if r["kind"] == "phone"}
    assert new_tokens and new_tokens <= set(token_links)
    assert {token_links[t] for t in new_tokens} == old_tokens


def _by_slot(root: Path, authors: dict[str, str], prefix: str) -> dict[int, str]:
    """Author slot (i % 6 of the source id) -> pseudonym, via the source ids kept in the
    text ("ivory bangle {i}")."""
    with sqlite3.connect(root / "wildsift.sqlite") as conn:
        rows = dict(conn.execute("SELECT post_id, text FROM posts"))
    out: dict[int, str] = {}
    for stored_id, author in authors.items():
        number = int(rows[stored_id].split(",")[0].rsplit(" ", 1)[1])
        out.setdefault(number % len(AUTHORS), author)
        assert out[number % len(AUTHORS)] == author
    return out
