"""Crash safety of ``wildsift import`` (issue 10, 2.1, a CI sample): SIGKILL at 5 seeded random
moments (start-up, after N committed posts, while closing), each followed by a rerun, on SQLite and (when WILDSIFT_TEST_PG_URL is set) PostgreSQL.

After every kill the posts committed so far are all still there after the next run (0 committed
posts lost); at the end the store holds exactly what an uninterrupted import stores (same rows,
labels and quarantine), with 0 duplicate (platform, id) and no worker left running.
benchmarks/bench_crash_import.py runs the same for many fresh studies and prints the figures.
"""

from __future__ import annotations

import random
import sys

import pytest
from crash_harness import (
    kill_import,
    make_export,
    moments,
    run_import,
    snapshot,
    start_import,
    timed_import,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
KILLS = 5
SEED = 20240501



def test_kill_9_at_random_moments_loses_nothing_committed(tmp_path, crash_backend):
    export = make_export(tmp_path / "export.jsonl", n=3_000)
    reference, reference_url = crash_backend.new_study(tmp_path / "reference")
    killed, url = crash_backend.new_study(tmp_path / "killed", secret_from=reference.root)
    try:
        timeline = timed_import(reference.root, reference_url, export, workers=2, batch_size=100)
        expected = snapshot(reference_url)
        assert expected.rows == 3_000 and len(expected.quarantined) == 3

        rng = random.Random(SEED)
        committed: frozenset = frozenset()
        kills = []
        for _ in range(KILLS):
            proc = start_import(killed.root, url, export, workers=2, batch_size=100)
            kill = kill_import(proc, moments(rng, 3_000, timeline, 100), url)
            kills.append(kill)
            assert kill.orphans == 0, "a worker outlived the killed import"
            assert committed <= kill.committed, "a kill lost posts committed before it"
            committed = kill.committed
        assert any(not k.finished_first for k in kills), "every import ended before its kill"

        run_import(killed.root, url, export, workers=2, batch_size=100)
        final = snapshot(url)
        assert committed <= final.posts
        assert final.duplicate_keys == 0
        assert final.rows == expected.rows and final.posts == expected.posts
        assert final.labels == expected.labels and final.quarantined == expected.quarantined
    finally:
        crash_backend.drop(url)
        crash_backend.drop(reference_url)
