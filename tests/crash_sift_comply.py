"""Kill ``wildsift sift`` and ``wildsift comply`` with SIGKILL and check what they leave.

The toolkit of tests/test_crash_sift_comply.py (a seeded sample) and
benchmarks/bench_crash_sift_comply.py (many runs). Built on tests/crash_harness.py (the
import's): the same studies, backends and kill moments, read with plain SQL.

- ``sift``: after any kill, every (post, stage, version) holds all of that stage's fields or
  none, no score row is doubled, and a rerun ends with the scores of an uninterrupted run.
- ``comply``: after any kill, a post is erased with everything that hangs on it and its audit
  row, or untouched; a rerun ends where an uninterrupted run ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from crash_harness import WILDSIFT, descendants, running, wait_until
from sqlalchemy import create_engine, text

SIFT_ARGS = ["sift", "--no-images", "--workers", "1", "--batch-size", "100", "--no-progress"]


def command(root: Path, args: list[str]) -> list[str]:
    return [WILDSIFT, "--study", str(root), *args]


def run(root: Path, url: str, args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "WILDSIFT_STORAGE_URL": url}
    done = subprocess.run(command(root, args), env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def start(root: Path, url: str, args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "WILDSIFT_STORAGE_URL": url}
    with (root / "command.log").open("ab") as log:
        return subprocess.Popen(command(root, args), env=env, stdout=log,
                                stderr=subprocess.STDOUT)


def timed(root: Path, url: str, args: list[str]) -> float:
    """Seconds an uninterrupted run takes (the span the kill moments are drawn from)."""
    started = time.monotonic()
    run(root, url, args)
    return time.monotonic() - started


def kill_after(proc: subprocess.Popen, delay_s: float, ready=None,
               timeout_s: float = 600.0) -> bool:
    """SIGKILL ``proc`` ``delay_s`` after ``ready()`` first holds (after its start when no
    ``ready`` is given), and any process below it; True when the kill came before it ended by
    itself. ``ready`` polls the store, so moments follow the work done, not a clock that a
    loaded machine stretches."""
    below: set[int] = set()
    limit = time.monotonic() + timeout_s
    while ready is not None and proc.poll() is None and time.monotonic() < limit:
        below |= descendants(proc.pid)
        if ready():
            break
        time.sleep(0.005)
    deadline = time.monotonic() + delay_s
    while proc.poll() is None and time.monotonic() < deadline:
        below |= descendants(proc.pid)
        time.sleep(0.005)
    killed = proc.poll() is None
    if killed:
        below |= descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    wait_until(lambda: not any(running(pid) for pid in below), 10.0)
    for pid in below:
        if running(pid):
            os.kill(pid, signal.SIGKILL)
    return killed


def count_rows(url: str, table: str):
    """A poll for :func:`kill_after`: rows in ``table`` (0 while it cannot be read)."""
    engine = create_engine(url)

    def rows() -> int:
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar())
        except Exception:  # noqa: BLE001 - locked, or not created yet
            return 0

    return rows


def sift_moment(rng, url: str, total_rows: int):
    """(ready, delay): one in ten during start-up, else once a random share of the score rows
    is committed, plus up to half a second (between and inside batch commits)."""
    if rng.random() < 0.1:
        return None, rng.uniform(0, 1.5)
    rows, target = count_rows(url, "scores"), rng.uniform(0, 1) * total_rows
    return (lambda: rows() >= target), rng.uniform(0, 0.5)


def comply_moment(rng, url: str, audit_rows: int):
    """(ready, delay): a third during start-up and the erasure, a third right after the
    erasure's commit (the sweep of media and exports, the vacuum), a third anywhere."""
    draw = rng.random()
    if draw < 1 / 3:
        return None, rng.uniform(0, 2.0)
    rows = count_rows(url, "erasures")
    if draw < 2 / 3:
        return (lambda: rows() > audit_rows), rng.uniform(0, 0.3)
    return None, rng.uniform(0, 6.0)


def _query(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


# -- sift ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SiftState:
    scores: frozenset  # (platform, post_id, stage, version, field, value, text_value)
    partial: int  # (post, stage, version) groups whose fields differ from an uninterrupted run's
    doubled: int  # (post, stage, version, field) stored more than once
    scored_posts: int  # posts with a score of any stage


def sift_state(url: str, fields: dict[tuple, frozenset] | None = None) -> SiftState:
    """The scores at ``url``; ``fields``: the fields each (platform, post_id, stage, version)
    has after an uninterrupted run (:func:`post_fields`), to find partial groups with. Per post,
    not per stage: a field at its stage's usual value has no row of its own (score_defaults)."""
    rows = _query(url, "SELECT p.platform, p.post_id, s.stage, s.model_version, s.field, "
                       "s.value, s.text_value FROM scores s JOIN posts p ON p.pk = s.post_pk")
    groups: dict[tuple, set] = {}
    for platform, post_id, stage, version, field, _v, _t in rows:
        groups.setdefault((platform, post_id, stage, version), set()).add(field)
    partial = 0
    if fields is not None:
        partial = sum(1 for key, got in groups.items() if got != fields.get(key))
    doubled = _query(url, "SELECT count(*) FROM (SELECT post_pk, stage, model_version, field "
                          "FROM scores GROUP BY post_pk, stage, model_version, field "
                          "HAVING count(*) > 1) d")[0][0]
    return SiftState(frozenset((r[0], r[1], r[2], r[3], r[4],
                                None if r[5] is None else round(float(r[5]), 12), r[6])
                               for r in rows), partial, int(doubled),
                     len({(k[0], k[1]) for k in groups}))


def post_fields(state: SiftState) -> dict[tuple, frozenset]:
    """The fields stored per (platform, post_id, stage, version)."""
    found: dict[tuple, set] = {}
    for platform, post_id, stage, version, field, _v, _t in state.scores:
        found.setdefault((platform, post_id, stage, version), set()).add(field)
    return {key: frozenset(value) for key, value in found.items()}


def stage_fields(state: SiftState) -> dict[tuple[str, str], frozenset]:
    found: dict[tuple[str, str], set] = {}
    for _p, _i, stage, version, field, _v, _t in state.scores:
        found.setdefault((stage, version), set()).add(field)
    return {key: frozenset(value) for key, value in found.items()}


# -- comply --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComplyState:
    posts: frozenset  # (platform, post_id)
    audit: frozenset  # post hashes
    audit_rows: int
    children: frozenset  # (table, platform, post_id, rows) of every post's dependent rows
    orphans: int  # dependent rows whose post is gone


CHILDREN = ("scores", "matches", "labels", "post_images")


def comply_state(url: str) -> ComplyState:
    posts = frozenset(_query(url, "SELECT platform, post_id FROM posts"))
    audit = _query(url, "SELECT post_hash FROM erasures")
    children, orphans = set(), 0
    for table in CHILDREN:
        for row in _query(url, f"SELECT p.platform, p.post_id, count(*) FROM {table} c "
                               f"JOIN posts p ON p.pk = c.post_pk GROUP BY p.platform, p.post_id"):
            children.add((table, *row))
        orphans += _query(url, f"SELECT count(*) FROM {table} c WHERE NOT EXISTS "
                               f"(SELECT 1 FROM posts p WHERE p.pk = c.post_pk)")[0][0]
    return ComplyState(posts, frozenset(a[0] for a in audit), len(audit), frozenset(children),
                       int(orphans))


def check_complete_or_absent(before: ComplyState, after: ComplyState,
                             listed: frozenset) -> list[str]:
    """What breaks "complete or absent" between two states around a (killed) comply run:
    only listed posts may go, each that went has its audit row, and every post still there
    keeps all its dependent rows."""
    problems = []
    gone = before.posts - after.posts
    if not gone <= listed:
        problems.append(f"{len(gone - listed)} posts erased that were not listed")
    if after.audit_rows - before.audit_rows != len(gone):
        problems.append(f"{len(gone)} posts gone, {after.audit_rows - before.audit_rows} audit "
                        "rows added")
    if after.orphans:
        problems.append(f"{after.orphans} dependent rows of erased posts left")
    kept = {c for c in before.children if (c[1], c[2]) in after.posts}
    if kept != {c for c in after.children if (c[1], c[2]) in after.posts}:
        problems.append("a post not erased lost (or gained) dependent rows")
    return problems
