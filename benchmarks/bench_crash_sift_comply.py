"""Crash safety of ``wildsift sift`` and ``wildsift comply``: SIGKILL at a random moment, check,
rerun, compare (issue 10, 2.1).

``python benchmarks/bench_crash_sift_comply.py --runs 20 [--backend sqlite|postgresql|both]
[--command sift|comply|both]``.
A synthetic export (3,000 posts) is imported once per backend. Then, per run:

- sift: ``wildsift sift --no-images --workers 1 --batch-size 100`` is killed at a seeded moment
  (one in ten during start-up, else once a random share of the score rows is committed, plus
  up to half a second); the store must hold no partial stage
  (every (post, stage, version) has all that stage's fields or none) and no doubled score;
  a rerun must end with exactly the uninterrupted run's scores. The scores are then cleared
  for the next run (plain SQL, as a fresh study would be).
- comply: a sifted copy of the study (SQLite: the file copied; PostgreSQL: CREATE DATABASE ..
  TEMPLATE) gets ``wildsift comply --deleted-ids`` with the export's Mastodon ids, killed at a
  seeded moment (a third in start-up and the erasure, a third right after its commit: the
  sweep of media and exports and the vacuum, a third anywhere); every listed post must be erased with all its rows and its audit row, or
  untouched, and a rerun must end where an uninterrupted run ends.

Prints one JSON line per backend and command (the figures of docs/reliability.md).
PostgreSQL needs WILDSIFT_TEST_PG_URL (a database the user may CREATE DATABASE from).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from crash_harness import Backend, make_export, report, run_import  # noqa: E402
from crash_sift_comply import (  # noqa: E402
    SIFT_ARGS,
    check_complete_or_absent,
    comply_moment,
    comply_state,
    kill_after,
    post_fields,
    run,
    sift_moment,
    sift_state,
    start,
    timed,
)
from sqlalchemy import create_engine, text  # noqa: E402


def _execute(url: str, *statements: str, autocommit: bool = False) -> None:
    engine = create_engine(url, **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}))
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def bench_sift(root: Path, url: str, runs: int, rng: random.Random) -> dict:
    span = timed(root, url, SIFT_ARGS)
    expected = sift_state(url)
    fields = post_fields(expected)
    figures = {"command": "sift", "runs": runs, "uninterrupted_s": round(span, 2),
               "killed_mid_run": 0, "partial_groups": 0, "doubled_scores": 0,
               "runs_not_equal": 0, "posts_scored_at_kill": []}
    for _ in range(runs):
        _execute(url, "DELETE FROM scores", "DELETE FROM matches")
        ready, delay = sift_moment(rng, url, len(expected.scores))
        figures["killed_mid_run"] += kill_after(start(root, url, SIFT_ARGS), delay, ready)
        state = sift_state(url, fields)
        figures["partial_groups"] += state.partial
        figures["doubled_scores"] += state.doubled
        figures["posts_scored_at_kill"].append(state.scored_posts)
        run(root, url, SIFT_ARGS)
        final = sift_state(url, fields)
        figures["partial_groups"] += final.partial
        figures["doubled_scores"] += final.doubled
        figures["runs_not_equal"] += final.scores != expected.scores
    return figures


def _clone(backend: Backend, root: Path, url: str, target: Path) -> str:
    shutil.copytree(root, target)
    if backend.name == "sqlite":
        return f"sqlite:///{target / 'wildsift.sqlite'}"
    name = "crash_" + uuid.uuid4().hex[:10]
    _execute(backend.pg_url, f"CREATE DATABASE {name} TEMPLATE {url.rsplit('/', 1)[1]}",
             autocommit=True)
    return url.rsplit("/", 1)[0] + "/" + name


def _id_list(export: Path, path: Path) -> list[str]:
    ids = [json.loads(line)["id"] for line in export.read_text(encoding="utf-8").splitlines()
           if '"platform":"mastodon"' in line]
    path.write_text("\n".join(ids) + "\n", encoding="utf-8")
    return ["comply", "--deleted-ids", str(path), "--platform", "mastodon"]


def bench_comply(backend: Backend, root: Path, url: str, export: Path, runs: int,
                 rng: random.Random, folder: Path) -> dict:
    args = _id_list(export, folder / "deleted.txt")
    _execute(url, "SELECT 1")  # the sifted study is the template: no one connected
    before = comply_state(url)
    reference_url = _clone(backend, root, url, folder / "reference")
    span = timed(folder / "reference", reference_url, args)
    expected = comply_state(reference_url)
    listed = before.posts - expected.posts
    figures = {"command": "comply", "runs": runs, "uninterrupted_s": round(span, 2),
               "listed_posts": len(listed), "erased_at_kill": {"all": 0, "none": 0, "part": 0},
               "broken_invariants": 0, "runs_not_equal": 0}
    for number in range(runs):
        target = folder / f"comply{number}"
        at = _clone(backend, root, url, target)
        try:
            ready, delay = comply_moment(rng, at, before.audit_rows)
            kill_after(start(target, at, args), delay, ready)
            after = comply_state(at)
            figures["broken_invariants"] += bool(check_complete_or_absent(before, after, listed))
            gone = len(before.posts - after.posts)
            figures["erased_at_kill"]["all" if gone == len(listed) else
                                      "none" if gone == 0 else "part"] += 1
            run(target, at, args)
            final = comply_state(at)
            figures["broken_invariants"] += bool(check_complete_or_absent(after, final, listed))
            figures["runs_not_equal"] += (final.posts, final.audit, final.children) != (
                expected.posts, expected.audit, expected.children)
        finally:
            backend.drop(at)
            shutil.rmtree(target, ignore_errors=True)
    backend.drop(reference_url)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="kills per command and backend")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--command", choices=("sift", "comply", "both"), default="both")
    parser.add_argument("--posts", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=20261207)
    options = parser.parse_args()
    names = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    for name in names:
        if name == "postgresql" and not os.environ.get("WILDSIFT_TEST_PG_URL"):
            print("postgresql: skipped (WILDSIFT_TEST_PG_URL is not set)")
            continue
        backend = Backend(name, os.environ.get("WILDSIFT_TEST_PG_URL"))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            export = make_export(folder / "export.jsonl", n=options.posts, seed=7)
            study, url = backend.new_study(folder / "study")
            try:
                run_import(study.root, url, export, workers=1, batch_size=500)
                rng = random.Random(options.seed)
                wall = time.monotonic()
                if options.command in ("sift", "both"):
                    figures = bench_sift(study.root, url, options.runs, rng)
                    at_kill = sorted(figures.pop("posts_scored_at_kill"))
                    figures.update(backend=name, posts=options.posts,
                                   posts_scored_at_kill_min_median_max=[
                                       at_kill[0], at_kill[len(at_kill) // 2], at_kill[-1]],
                                   wall_s=round(time.monotonic() - wall, 1))
                    print(report(figures), flush=True)
                if options.command in ("comply", "both"):
                    if options.command == "comply":
                        run(study.root, url, SIFT_ARGS)
                    wall = time.monotonic()
                    figures = bench_comply(backend, study.root, url, export, options.runs, rng,
                                           folder)
                    figures.update(backend=name, posts=options.posts,
                                   wall_s=round(time.monotonic() - wall, 1))
                    print(report(figures), flush=True)
            finally:
                backend.drop(url)


if __name__ == "__main__":
    main()
