"""No worker outlives its parent: ``wildsift import`` killed with -9 leaves no process behind
(issue 10, 2.1), and running it again ends where an uninterrupted import ends."""

from __future__ import annotations

import os
import signal
import sys

import pytest
from crash_harness import (
    Backend,
    descendants,
    make_export,
    run_import,
    running,
    snapshot,
    start_import,
    wait_until,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def test_workers_die_with_a_killed_import_and_the_rerun_completes_it(tmp_path):
    export = make_export(tmp_path / "big.jsonl", n=12_000)  # over 4 MB: the worker pool
    backend = Backend()
    reference, reference_url = backend.new_study(tmp_path / "reference")
    _study, url = backend.new_study(tmp_path / "killed", secret_from=reference.root)

    proc = start_import(_study.root, url, export, workers=2, batch_size=200)
    seen = wait_until(lambda: len(descendants(proc.pid)) >= 2 or proc.poll() is not None, 300)
    workers = descendants(proc.pid)
    assert seen and proc.poll() is None and len(workers) >= 2, "no workers seen running"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _assert_gone(workers, "the killed import")

    run_import(_study.root, url, export, workers=2, batch_size=200)
    run_import(reference.root, reference_url, export, workers=2, batch_size=200)
    after, expected = snapshot(url), snapshot(reference_url)
    assert after.duplicate_keys == 0
    assert after.rows == expected.rows == 12_000
    assert after.posts == expected.posts and after.labels == expected.labels
    assert after.quarantined == expected.quarantined and len(after.quarantined) == 3


def test_the_sift_engines_pool_dies_with_its_parent_too():
    """The other pool wildsift starts (engine.local, for `wildsift sift`) is guarded the same
    way: a parent killed with -9 right after starting it leaves no worker."""
    import subprocess

    code = ("import time\nfrom wildsift.engine.local import _start_pool\n"
            "pool = _start_pool([], 2)\nprint('ready', flush=True)\ntime.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        workers = descendants(proc.pid)
        assert len(workers) >= 2
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    _assert_gone(workers, "their parent")


def _assert_gone(workers: list[int], parent: str) -> None:
    """Every worker exits within 30 s of its parent's death (any left are killed, then fail)."""
    gone = wait_until(lambda: not any(running(pid) for pid in workers), 30)
    left = [pid for pid in workers if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert gone and not left, f"workers {left} outlived {parent}"
