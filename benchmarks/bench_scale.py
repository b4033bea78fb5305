"""The commands users type, end to end at scale: ``wildsift import`` -> ``sift`` -> ``report``.

``python benchmarks/bench_scale.py --n 5000000 --backend postgresql --engine ray`` generates a
SYNTHETIC corpus (if missing), makes a fresh study (a fresh PostgreSQL database from
WILDSIFT_TEST_PG_URL's server, or a SQLite file), copies in the text model that train_model.py
trained (what a user has after ``wildsift train``), then runs each command as a child process,
as a user would, and prints one JSON line per command and one for the whole run: wall seconds,
CPU seconds of the command and everything it started (workers, Ray actors), posts per second,
and the peak resident memory of the largest process. These are the per-stage costs that
docs/scaling.md turns into posts per day.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _common import OUT, ensure_corpus, machine
from process_cpu import TreeSampler, postgres_cpu_seconds
from train_model import TRAINER

from wildsift.errors import StoreError

WILDSIFT = [str(Path(sys.executable).with_name("wildsift"))]  # the command users type


def emit_line(result: dict) -> None:
    print(json.dumps(result, ensure_ascii=False), flush=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(name: str, args: list[str], cwd: Path, env: dict, n: int) -> dict:
    """Run ``wildsift <args>`` in ``cwd``; its wall time and the CPU time of its process tree.

    ``cpu_s`` is the larger of the reaped children's rusage and the sampled process tree
    (``process_cpu``): Ray's daemons are not reaped by the command, so rusage alone misses
    them; both are printed. ``db_cpu_s`` is the PostgreSQL server's CPU meanwhile.
    """
    cpu_before, db_before = _children_cpu(), postgres_cpu_seconds()
    start = time.perf_counter()
    child = subprocess.Popen([*WILDSIFT, *args], cwd=cwd, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with TreeSampler(child.pid) as tree:
        out, err = child.communicate()
    tree.sample()
    wall = time.perf_counter() - start
    reaped = _children_cpu() - cpu_before
    db_after = postgres_cpu_seconds()
    cpu = max(reaped, tree.cpu_seconds)
    if child.returncode != 0:
        raise SystemExit(f"wildsift {' '.join(args)} failed ({child.returncode}):\n"
                         f"{out[-2000:]}\n{err[-4000:]}")
    # ru_maxrss of children: the largest child that has ended so far (KiB on Linux)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"bench": f"scale-{name}", "n": n, "seconds": round(wall, 1),
            "cpu_s": round(cpu, 1), "cpu_s_reaped": round(reaped, 1),
            "cpu_s_tree_sampled": round(tree.cpu_seconds, 1), "processes": tree.processes,
            "db_cpu_s": (round(db_after - db_before, 1)
                         if db_before is not None and db_after is not None else None),
            "posts_per_s": round(n / wall),
            "posts_per_cpu_s": round(n / cpu) if cpu else None,
            "us_cpu_per_post": round(1e6 * cpu / n, 1), "peak_rss_mb_so_far": round(peak),
            "loadavg_after": [round(x, 2) for x in os.getloadavg()]}


def fresh_database(base_url: str, name: str) -> str:
    """A new, empty PostgreSQL database on the server of ``base_url``; its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        raise StoreError(f"cannot create database {name} on {url.host}: {exc}") from exc
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--engine", choices=["local", "ray"], default="local")
    parser.add_argument("--keep", action="store_true", help="keep the study (and database)")
    args = parser.parse_args()
    corpus = ensure_corpus(args.n)
    root = OUT / f"scale-n{args.n}-{args.backend}-{args.engine}"
    shutil.rmtree(root, ignore_errors=True)
    env = dict(os.environ)
    if args.backend == "postgresql":
        base = os.environ.get("WILDSIFT_TEST_PG_URL")
        if not base:
            raise SystemExit("set WILDSIFT_TEST_PG_URL to a server where this user may CREATE "
                             "DATABASE (.ci/run makes one)")
        env["WILDSIFT_STORAGE_URL"] = fresh_database(base, f"wildsift_scale_{args.n}")
    if not (TRAINER / "models").exists():
        subprocess.run([sys.executable, str(Path(__file__).with_name("train_model.py"))],
                       check=True)
    results = []
    start = time.perf_counter()
    subprocess.run([*WILDSIFT, "init", str(root), "--name", "scale"],
                   env=env, check=True, capture_output=True)
    shutil.copytree(TRAINER / "models", root / "models", dirs_exist_ok=True)
    results.append(run_command("import", ["import", str(corpus.resolve())], root, env, args.n))
    emit_line(results[-1])
    sift = ["sift", "--no-images"] + (["--engine", "ray"] if args.engine == "ray" else [])
    results.append(run_command("sift", sift, root, env, args.n))
    emit_line(results[-1])
    results.append(run_command("report", ["report"], root, env, args.n))
    emit_line(results[-1])
    wall = time.perf_counter() - start
    cpu = sum(r["cpu_s"] for r in results)
    db_cpu = [r["db_cpu_s"] for r in results]
    emit_line({"bench": "scale-total", "n": args.n, "backend": args.backend,
               "engine": args.engine, "seconds": round(wall, 1), "cpu_s": round(cpu, 1),
               "db_cpu_s": round(sum(db_cpu), 1) if None not in db_cpu else None,
               "posts_per_s": round(args.n / wall),
               "posts_per_day_at_this_rate": round(args.n / wall * 86400),
               "steps": {r["bench"]: r["seconds"] for r in results}, "machine": machine()})
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
