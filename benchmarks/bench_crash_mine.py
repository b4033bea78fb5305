"""Crash safety of ``wildsift mine``: SIGKILL mid-page, mid-download or around a cursor save,
rerun, compare (issue 10, 2.1).

``python benchmarks/bench_crash_mine.py --runs 40 [--backend sqlite|postgresql|both]``: a local
server in Mastodon's shape (tests/mine_crash_harness.py: 240 statuses over 30 pages of 8, 80
PNG images on some posts, one image shared by many, 2 malformed statuses and 5 HTML "images"
that are quarantined, every 3rd page held back and every 3rd image sent in two halves) is mined
once without a kill (the reference). Then, per run, a fresh study (the reference's secret, so
pseudonyms compare) runs ``wildsift mine`` (the installed entry point), which is killed with
SIGKILL at a seeded moment: one in ten during start-up, the rest evenly inside a held-back page,
inside an image being sent, or 0-60 ms after a page's posts are written and before its cursor
(the probe pauses 30 ms there); then ``wildsift mine`` runs to its end. Per run it checks: the
posts committed at the kill are all there after the rerun, 0 duplicate (platform, post_id), the
final posts (with the sha256 of each image), cursor, quarantine (a multiset) and media files
equal the reference's, nothing the killed command started is still running, and what the kill
left under ``media/`` (files whose bytes do not hash to their name: corrupt; other names: a
writer's temporary file). Prints one JSON line per backend (the figures of
docs/reliability.md). PostgreSQL needs WILDSIFT_TEST_PG_URL (a database the user may CREATE
DATABASE from).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from crash_harness import Backend, report
from mine_crash_harness import (
    FakeMastodonServer,
    compare,
    configure,
    describe,
    kill_mine,
    media_files,
    mined,
    moment,
    reference_plan,
    run_mine,
)


def bench(backend: Backend, runs: int, seed: int, folder: Path) -> dict:
    server = FakeMastodonServer()
    try:
        reference, reference_url = backend.new_study(folder / "reference")
        configure(reference.root, server)
        plan, uninterrupted = reference_plan(server, reference.root, reference_url)
        expected, expected_media = mined(reference_url), media_files(reference.root)
        rng = random.Random(seed)
        figures = {"backend": backend.name, "runs": runs, "seed": seed,
                   "posts": expected.rows, "pages": plan.pages, "image_requests": plan.media,
                   "media_files": len(expected_media.complete),
                   "quarantined": sum(expected.quarantine.values()),
                   "uninterrupted_s": round(uninterrupted, 2),
                   "killed_mid_run": 0, "kills_by_phase": {}, "cursor_kills_before_commit": 0,
                   "committed_posts_lost": 0, "duplicate_keys": 0, "runs_not_equal": 0,
                   "not_equal_in": {}, "orphan_workers": 0, "corrupt_media_files": 0,
                   "temporary_media_files_left": 0, "committed_at_kill": []}
        wall = time.monotonic()
        for run in range(runs):
            study, url = backend.new_study(folder / f"run{run}", secret_from=reference.root)
            try:
                configure(study.root, server)
                kill = kill_mine(server, study.root, url, moment(rng, plan))
                probe = (study.root / "probe.log").read_bytes()
                run_mine(study.root, url)
                final, final_media = mined(url), media_files(study.root)
            finally:
                backend.drop(url)
            phase = kill.moment.phase
            figures["kills_by_phase"][phase] = figures["kills_by_phase"].get(phase, 0) + 1
            figures["killed_mid_run"] += not kill.finished_first
            # a cursor save begun and not ended: killed inside the page's transaction
            figures["cursor_kills_before_commit"] += (
                phase == "cursor" and not kill.finished_first
                and probe.count(b"cursor-begin") > probe.count(b"cursor-end"))
            figures["orphan_workers"] += kill.orphans
            figures["committed_posts_lost"] += len(kill.committed - final.posts)
            figures["duplicate_keys"] += final.duplicate_keys
            figures["corrupt_media_files"] += len(final_media.corrupt)
            figures["temporary_media_files_left"] += len(kill.temp_files)
            unequal = compare(final, final_media, expected, expected_media)
            figures["runs_not_equal"] += bool(unequal)
            for name in unequal:
                figures["not_equal_in"][name] = figures["not_equal_in"].get(name, 0) + 1
            figures["committed_at_kill"].append(len(kill.committed))
            print(f"run {run}: {describe(kill)}{' (ended first)' if kill.finished_first else ''}"
                  f", {len(kill.committed)} committed, final {final.rows}"
                  + (f", differs in {unequal}" if unequal else ""), file=sys.stderr, flush=True)
        backend.drop(reference_url)
    finally:
        server.close()
    at_kill = sorted(figures.pop("committed_at_kill"))
    figures["committed_at_kill"] = {"min": at_kill[0], "median": at_kill[len(at_kill) // 2],
                                    "max": at_kill[-1]}
    figures["wall_s"] = round(time.monotonic() - wall, 1)
    figures["machine"] = f"{platform.machine()} {os.cpu_count()} CPUs, Python " \
                         f"{platform.python_version()}, {platform.system()} {platform.release()}"
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
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
        with tempfile.TemporaryDirectory(prefix="wildsift-crash-mine-", dir=args.dir) as folder:
            print(report(bench(Backend(name, pg_url), args.runs, args.seed, Path(folder))),
                  flush=True)


if __name__ == "__main__":
    main()
