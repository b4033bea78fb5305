"""Kill ``wildsift import`` with SIGKILL and check what it leaves: the crash tests' toolkit.

Used by tests/test_import_crash.py (a seeded sample) and benchmarks/bench_crash_import.py (many
runs, figures for docs/reliability.md). Processes are found through /proc (Linux), without
psutil: a process's parent is the 4th field of ``/proc/PID/stat``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pg_admin import drop_database
from sqlalchemy import create_engine, text

from wildsift.demo import write_corpus
from wildsift.study import SECRET_NAME, Study

WILDSIFT = str(Path(sys.executable).with_name("wildsift"))


# -- processes --------------------------------------------------------------------------------
def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None when it does not exist."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = raw[raw.rfind(b")") + 2:].split()
    return fields[0].decode(), int(fields[1])


def running(pid: int) -> bool:
    """Is ``pid`` alive (a zombie, killed but not yet reaped, is not)?"""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    """Every running process below ``pid`` (children, their children, ...)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] not in ("Z", "X"):
                parents[int(entry.name)] = stat[1]
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def wait_until(test, timeout: float, step: float = 0.02) -> bool:
    """Poll ``test()`` until true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(step)
    return bool(test())


# -- studies and files ------------------------------------------------------------------------
def make_export(path: Path, n: int, seed: int = 7) -> Path:
    """A synthetic JSONL export of ``n`` posts with a few broken lines (to be quarantined)."""
    info = write_corpus(path.with_suffix(".raw.jsonl"), n=n, seed=seed)
    lines = info.path.read_text(encoding="utf-8").splitlines()
    for at in (n // 5, n // 2, 4 * n // 5):
        lines.insert(at, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    info.path.unlink()
    return path


@dataclass
class Backend:
    """Where a study's store lives: the study's SQLite file, or a fresh PostgreSQL database."""

    name: str = "sqlite"
    pg_url: str | None = None

    def new_study(self, root: Path, secret_from: Path | None = None) -> tuple[Study, str]:
        """A study folder (sharing ``secret_from``'s secret, so pseudonyms compare) and its
        storage URL."""
        study = Study.init(root, name=root.name)
        study.close()
        if secret_from is not None:
            (root / SECRET_NAME).write_text((secret_from / SECRET_NAME).read_text())
        if self.name == "sqlite":
            return study, f"sqlite:///{root / 'wildsift.sqlite'}"
        assert self.pg_url
        name = "crash_" + uuid.uuid4().hex[:10]
        admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        return study, self.pg_url.rsplit("/", 1)[0] + "/" + name

    def drop(self, url: str) -> None:
        if self.name != "postgresql":
            return
        admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        drop_database(admin, url.rsplit("/", 1)[1])
        admin.dispose()


def import_command(root: Path, export: Path, workers: int, batch_size: int) -> list[str]:
    return [WILDSIFT, "--study", str(root), "import", str(export), "--workers", str(workers),
            "--batch-size", str(batch_size)]


def run_import(root: Path, url: str, export: Path, workers: int = 2,
               batch_size: int = 500) -> subprocess.CompletedProcess:
    env = {**os.environ, "WILDSIFT_STORAGE_URL": url}
    done = subprocess.run(import_command(root, export, workers, batch_size), env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def start_import(root: Path, url: str, export: Path, workers: int = 2,
                 batch_size: int = 500) -> subprocess.Popen:
    """The import in the background; what it writes goes to ``import.log`` in the study."""
    env = {**os.environ, "WILDSIFT_STORAGE_URL": url}
    with (root / "import.log").open("ab") as log:
        return subprocess.Popen(import_command(root, export, workers, batch_size), env=env,
                                stdout=log, stderr=subprocess.STDOUT)


@dataclass(frozen=True)
class Timeline:
    """An uninterrupted import seen from outside: seconds from its start to its first commit,
    its last commit and its exit."""

    first_commit_s: float
    last_commit_s: float
    end_s: float


@dataclass(frozen=True)
class Moment:
    """When to kill: once ``rows`` posts are committed (0: at once), ``delay_s`` later."""

    rows: int
    delay_s: float
    phase: str  # start-up | importing | finishing


def timed_import(root: Path, url: str, export: Path, workers: int = 2,
                 batch_size: int = 500) -> Timeline:
    """Run an import to its end, watching its commits (the reference for the kill moments)."""
    counter = RowCounter(url)
    started = time.monotonic()
    proc = start_import(root, url, export, workers, batch_size)
    first = last = None
    rows = 0
    while proc.poll() is None:
        now = counter.rows()
        if now and first is None:
            first = time.monotonic() - started
        if now != rows:
            rows, last = now, time.monotonic() - started
        time.sleep(0.01)
    end = time.monotonic() - started
    counter.close()
    log = (root / "import.log").read_text(errors="replace")
    assert proc.returncode == 0, f"the uninterrupted import failed: {log[-2000:]}"
    return Timeline(first or end, last or end, end)


def moments(rng, n: int, timeline: Timeline, batch_size: int) -> Moment:
    """A seeded random kill moment: one in ten during start-up (imports, migrations, before
    any commit), one in ten after the last commit (closing), the rest at a random number of
    committed posts plus a random part of one batch's time (between and inside commits)."""
    draw = rng.random()
    if draw < 0.1:
        return Moment(0, rng.uniform(0, timeline.first_commit_s), "start-up")
    if draw > 0.9:
        return Moment(n, rng.uniform(0, timeline.end_s - timeline.last_commit_s), "finishing")
    per_batch = (timeline.last_commit_s - timeline.first_commit_s) * batch_size / max(n, 1)
    return Moment(rng.randint(1, n), rng.uniform(0, per_batch), "importing")


class RowCounter:
    """Counts committed posts from outside the import (a second connection, read only)."""

    def __init__(self, url: str):
        if url.startswith("sqlite:///"):  # read only: never create the file before the import
            url = f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
        self.engine = create_engine(url)

    def rows(self) -> int:
        try:
            with self.engine.connect() as conn:
                return int(conn.execute(text("SELECT count(*) FROM posts")).scalar())
        except Exception:  # noqa: BLE001 - no table yet (before the migrations), or locked
            return 0

    def close(self) -> None:
        self.engine.dispose()


@dataclass
class Kill:
    """What one SIGKILL left: rows committed at the kill, orphans seen after it."""

    moment: Moment
    finished_first: bool  # the import ended before the kill came
    workers_seen: int  # processes below the command just before the kill
    orphans: int  # of them still running a while after the kill
    committed: frozenset


def kill_import(proc: subprocess.Popen, moment: Moment, url: str,
                orphan_wait_s: float = 10.0) -> Kill:
    """SIGKILL ``proc`` at ``moment``; then wait for its workers to go, and read the store."""
    below: set[int] = set()
    counter = RowCounter(url)
    try:
        while proc.poll() is None and moment.rows and counter.rows() < moment.rows:
            below |= descendants(proc.pid)
            time.sleep(0.005)
    finally:
        counter.close()
    finished, orphans = kill_at(proc, time.monotonic() + moment.delay_s, below, orphan_wait_s)
    return Kill(moment, finished, len(below), orphans, snapshot(url).posts)


def kill_at(proc: subprocess.Popen, deadline: float, below: set[int],
            orphan_wait_s: float = 10.0, poll_s: float = 0.005) -> tuple[bool, int]:
    """SIGKILL ``proc`` at ``deadline`` (``time.monotonic()``) unless it ends first, noting the
    processes below it in ``below``; then wait up to ``orphan_wait_s`` for them to go, and kill
    any left (never leave them behind, whatever the test says). Returns (whether it finished
    first, how many outlived it)."""
    while proc.poll() is None and time.monotonic() < deadline:
        below |= descendants(proc.pid)
        time.sleep(poll_s)
    finished = proc.poll() is not None
    if not finished:
        below |= descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    wait_until(lambda: not any(running(pid) for pid in below), orphan_wait_s)
    orphans = sum(running(pid) for pid in below)
    for pid in below:
        if running(pid):
            os.kill(pid, signal.SIGKILL)
    return finished, orphans


# -- what the store holds ---------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    posts: frozenset  # (platform, post_id, text, author, created_at) of every row
    rows: int
    duplicate_keys: int  # (platform, post_id) held by more than one row
    labels: int
    quarantined: frozenset  # (source, location, field, reason)


def snapshot(url: str) -> Snapshot:
    """The store at ``url`` read directly with SQL (no wildsift code, so nothing is hidden);
    an empty Snapshot when the import was killed before it created the tables."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(_tables(conn, engine.dialect.name))
            if "posts" not in tables:
                return Snapshot(frozenset(), 0, 0, 0, frozenset())
            posts = conn.execute(text("SELECT platform, post_id, text, author, created_at "
                                      "FROM posts")).all()
            dups = conn.execute(text("SELECT count(*) FROM (SELECT 1 FROM posts GROUP BY "
                                     "platform, post_id HAVING count(*) > 1) d")).scalar()
            labels = conn.execute(text("SELECT count(*) FROM labels")).scalar()
            quarantined = conn.execute(text("SELECT source, location, field, reason FROM "
                                            "quarantine")).all()
    finally:
        engine.dispose()
    return Snapshot(frozenset(tuple(map(str, p)) for p in posts), len(posts), int(dups),
                    int(labels), frozenset(tuple(map(str, q)) for q in quarantined))


def _tables(conn, dialect: str) -> Sequence[str]:
    if dialect == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return [row[0] for row in conn.execute(text(query))]


def report(figures: dict) -> str:
    return json.dumps(figures, sort_keys=True)
