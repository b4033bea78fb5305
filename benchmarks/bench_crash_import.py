"""Crash safety of ``wildsift import``: SIGKILL at a random moment, rerun, compare (issue 10, 2.1).

``python benchmarks/bench_crash_import.py --runs 200 [--backend sqlite|postgresql|both]``: for each
run, a fresh study imports a synthetic JSONL export (3 broken lines included) in worker
processes, is killed with SIGKILL at a seeded random moment (one in ten during start-up and
migrations, one in ten after the last commit, the rest once a random number of posts is
committed plus a random part of one batch's time: between and inside commits), and the import
is run again. Per run it checks: the posts committed before the kill are all there
after the rerun (none lost), 0 duplicate (platform, id), the final rows, labels and quarantine
equal the uninterrupted import's, and no worker process outlived the killed command. Prints one
JSON line per backend (the figures of docs/reliability.md). PostgreSQL needs
WILDSIFT_TEST_PG_URL (a database the user may CREATE DATABASE from).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from crash_harness import (  # noqa: E402
    Backend,
    kill_import,
    make_export,
    moments,
    report,
    run_import,
    snapshot,
    start_import,
    timed_import,
)


def bench(backend: Backend, runs: int, n: int, workers: int, batch_size: int, seed: int,
          folder: Path) -> dict:
    export = make_export(folder / "export.jsonl", n=n, seed=seed)
    reference, reference_url = backend.new_study(folder / "reference")
    timeline = timed_import(reference.root, reference_url, export, workers, batch_size)
    expected = snapshot(reference_url)
    rng = random.Random(seed)
    figures = {"backend": backend.name, "runs": runs, "posts": n, "workers": workers,
               "batch_size": batch_size, "seed": seed, "uninterrupted_s": round(timeline.end_s, 2),
               "first_commit_s": round(timeline.first_commit_s, 2),
               "killed_mid_import": 0, "killed_before_first_commit": 0, "orphan_workers": 0,
               "committed_posts_lost": 0, "duplicate_keys": 0, "runs_not_equal": 0,
               "not_equal_in": {}}
    committed_at_kill: list[int] = []
    phases: dict[str, int] = {}
    wall = time.monotonic()
    for run in range(runs):
        study, url = backend.new_study(folder / f"run{run}", secret_from=reference.root)
        try:
            moment = moments(rng, n, timeline, batch_size)
            kill = kill_import(start_import(study.root, url, export, workers, batch_size),
                               moment, url)
            run_import(study.root, url, export, workers, batch_size)
            final = snapshot(url)
        finally:
            backend.drop(url)
        figures["killed_mid_import"] += not kill.finished_first
        figures["killed_before_first_commit"] += not kill.committed
        figures["orphan_workers"] += kill.orphans
        figures["committed_posts_lost"] += len(kill.committed - final.posts)
        figures["duplicate_keys"] += final.duplicate_keys
        unequal = [name for name, a, b in (("posts", final.posts, expected.posts),
                                           ("labels", final.labels, expected.labels),
                                           ("quarantine", final.quarantined, expected.quarantined))
                   if a != b]
        figures["runs_not_equal"] += bool(unequal)
        for name in unequal:
            figures["not_equal_in"][name] = figures["not_equal_in"].get(name, 0) + 1
        committed_at_kill.append(len(kill.committed))
        phases[moment.phase] = phases.get(moment.phase, 0) + 1
        print(f"run {run}: {moment}, {len(kill.committed)} committed, final {final.rows}"
              + (f", differs in {unequal}: {_diff(final, expected)}" if unequal else ""),
              file=sys.stderr, flush=True)
    backend.drop(reference_url)
    figures["committed_at_kill"] = {"min": min(committed_at_kill),
                                    "median": statistics.median(committed_at_kill),
                                    "max": max(committed_at_kill)}
    figures["kills_by_phase"] = phases
    figures["wall_s"] = round(time.monotonic() - wall, 1)
    figures["machine"] = f"{platform.machine()} {os.cpu_count()} CPUs, Python " \
                         f"{platform.python_version()}, {platform.system()} {platform.release()}"
    return figures


def _diff(final, expected) -> str:
    """A few of the rows that differ, for the log (pseudonymised data only)."""
    extra = sorted(final.posts - expected.posts)[:2]
    missing = sorted(expected.posts - final.posts)[:2]
    quarantine = sorted(final.quarantined ^ expected.quarantined)[:3]
    return f"extra {extra} missing {missing} quarantine {quarantine}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--n", type=int, default=3_000, help="posts in the export")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--dir", type=Path, default=None, help="scratch folder")
    args = parser.parse_args()
    names = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for name in names:
        pg_url = os.environ.get("WILDSIFT_TEST_PG_URL")
        if name == "postgresql" and not pg_url:
            print("postgresql: skipped (set WILDSIFT_TEST_PG_URL)", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory(prefix="wildsift-crash-", dir=args.dir) as folder:
            print(report(bench(Backend(name, pg_url), args.runs, args.n, args.workers,
                               args.batch_size, args.seed, Path(folder))), flush=True)


if __name__ == "__main__":
    main()
