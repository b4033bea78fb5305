"""I/O faults (issue 10, 2.2): a full disk or an I/O error at the Nth write gives a clean
rollback of the batch being written, a clear message, and a run that resumes.

- The disk really fills: ``wildsift import`` runs in a subprocess on a study whose folder is a
  small tmpfs (``mount -t tmpfs -o size=..``; root and Linux only, else skipped), at three sizes
  so the disk fills at different writes. Exit status non-zero, the message names the problem
  and the file, ``PRAGMA integrity_check`` passes, every committed post equals the
  uninterrupted import's; after the tmpfs is grown (``remount,size=64m``) the same command
  completes and the store equals an uninterrupted import.
- An OSError (ENOSPC, EIO) injected at the Nth write of a media file, in-process: the batch
  being written is not committed (the posts before it are, with their images), no
  half-written file is left in ``media/``, and the rerun completes.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from crash_harness import Backend, import_command, make_export, run_import, snapshot
from PIL import Image
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.study import Study

POSTS = 3_000


def _mount(folder: Path, size: str) -> None:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                    reason="mounts a small tmpfs (Linux, root)")
@pytest.mark.parametrize("size", ["600k", "1100k", "1500k"])
def test_a_full_disk_rolls_back_the_batch_and_the_rerun_completes(tmp_path, size):
    export = make_export(tmp_path / "export.jsonl", n=POSTS)
    backend = Backend()
    reference, reference_url = backend.new_study(tmp_path / "reference")
    run_import(reference.root, reference_url, export, workers=1, batch_size=250)
    expected = snapshot(reference_url)
    disk = tmp_path / "disk"
    _mount(disk, size)
    try:
        study, url = backend.new_study(disk / "study", secret_from=reference.root)
        env = {**os.environ, "WILDSIFT_STORAGE_URL": url}
        failed = subprocess.run(import_command(study.root, export, 1, 250), env=env,
                                capture_output=True, text=True, timeout=600)
        assert failed.returncode != 0, failed.stdout
        message = failed.stderr
        assert "Traceback" not in message, message[-3000:]
        assert "disk is full" in message and "No space left on device" in message, message
        assert str(disk) in message  # names the file
        database = disk / "study" / "wildsift.sqlite"
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        committed = snapshot(url)
        assert committed.posts <= expected.posts and committed.duplicate_keys == 0
        assert 0 < committed.rows < POSTS
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        run_import(study.root, url, export, workers=1, batch_size=250)
        final = snapshot(url)
        assert final.posts == expected.posts and final.labels == expected.labels
        assert final.quarantined == expected.quarantined and final.duplicate_keys == 0
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _media_export(folder: Path, n: int = 30) -> Path:
    folder.mkdir()
    lines = []
    for i in range(n):
        Image.new("RGB", (16, 16), (i * 8, 100, 200 - i)).save(folder / f"img{i}.png")
        lines.append(json.dumps({"id": f"m{i}", "platform": "mastodon",
                                 "text": f"ivory carving {i}", "author": f"a{i}",
                                 "created_at": "2024-01-01T00:00:00+00:00",
                                 "media": f"img{i}.png"}))
    path = folder / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows(root: Path) -> list:
    study = Study.open(root)
    try:
        frame = study.store.posts.frame(["platform", "post_id", "text", "media"])
        return sorted(map(repr, frame.itertuples(index=False)))
    finally:
        study.close()


@pytest.mark.parametrize(("nth", "code"), [(1, errno.ENOSPC), (15, errno.EIO),
                                           (30, errno.ENOSPC)])
def test_an_oserror_at_the_nth_media_write_rolls_back_its_batch(tmp_path, monkeypatch, nth,
                                                                code):
    export = _media_export(tmp_path / "export")
    runner = CliRunner()
    reference = Study.init(tmp_path / "reference", name="reference")
    reference.close()
    args = ["import", str(export), "--workers", "1", "--batch-size", "10"]
    assert runner.invoke(app, ["--study", str(reference.root), *args]).exit_code == 0
    study = Study.init(tmp_path / "study", name="study")
    study.close()
    shutil.copy(reference.root / ".wildsift-secret", study.root / ".wildsift-secret")
    media = study.root / "media"
    writes = {"n": 0}
    original = Path.write_bytes

    def failing(self, data):
        if media in self.parents:
            writes["n"] += 1
            if writes["n"] == nth:
                with self.open("wb") as handle:  # half the file, then the disk gives out
                    handle.write(data[: len(data) // 2])
                raise OSError(code, os.strerror(code), str(self))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    result = runner.invoke(app, ["--study", str(study.root), *args])
    monkeypatch.setattr(Path, "write_bytes", original)
    output = result.output + (getattr(result, "stderr", "") or "")
    assert result.exit_code != 0 and "Traceback" not in output
    assert ("disk is full" if code == errno.ENOSPC else "I/O error") in output, output
    assert str(media) in output  # names the file
    assert not [p for p in media.rglob("*") if ".tmp" in p.name]  # no half-written file
    committed = _rows(study.root)
    assert len(committed) == 10 * ((nth - 1) // 10)  # the batches before the failing one
    assert set(committed) <= set(_rows(reference.root))
    rerun = runner.invoke(app, ["--study", str(study.root), *args])
    assert rerun.exit_code == 0, rerun.output
    assert _rows(study.root) == _rows(reference.root)
    assert len(list(media.rglob("*.png"))) == 30
