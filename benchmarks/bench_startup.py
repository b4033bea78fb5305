"""Start-up of the ``wildsift`` command: what ``wildsift --help`` costs before any work is done.

Every command pays this, and it is what a user feels first. Measured in child processes, as a
user runs it: wall time, CPU time (user + system, which a loaded machine inflates less than
wall time) and peak resident memory of each run (``os.wait4``'s rusage, the per-child form of
``getrusage(RUSAGE_CHILDREN)``), with hyperfine-like repeats after warm-up runs, plus how many
modules the CLI imports and which heavy libraries are among them.

    python benchmarks/bench_startup.py                      # this checkout
    python benchmarks/bench_startup.py --src /tmp/old/src   # another tree (e.g. a git worktree)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("pandas", "sklearn", "sqlalchemy", "plotly", "numpy", "scipy", "pyarrow", "PIL",
         "phonenumbers", "pydantic", "yaml", "jinja2", "httpx")
RUN_CLI = "import sys; sys.argv[0] = 'wildsift'; from wildsift.cli.main import app; app()"
LIST_MODULES = ("import json, sys; import wildsift.cli.main; "
                "print(json.dumps(sorted(sys.modules)))")


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    return env


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited with {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure(args: list[str], env: dict[str, str], runs: int, warmup: int) -> dict:
    for _ in range(warmup):
        run_once(args, env)
    samples = [run_once(args, env) for _ in range(runs)]
    walls, cpus, rss = zip(*samples, strict=True)
    return {"runs": runs, "wall_median_s": statistics.median(walls), "wall_min_s": min(walls),
            "cpu_median_s": statistics.median(cpus), "cpu_min_s": min(cpus),
            "peak_rss_mb": max(rss) / 1024}


def imported(env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", LIST_MODULES], env=env, capture_output=True,
                         text=True, check=True).stdout
    modules = json.loads(out.strip().splitlines()[-1])
    tops = {name.split(".")[0] for name in modules}
    return {"modules": len(modules), "heavy": [name for name in HEAVY if name in tops]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=None,
                        help="a src/ folder to import wildsift from (default: installed)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--args", default="--help", help="arguments after 'wildsift'")
    options = parser.parse_args()
    env = _env(options.src)
    result = {"src": str(options.src or "installed"), "command": f"wildsift {options.args}",
              "load_average": os.getloadavg(), "cpus": os.cpu_count(),
              **measure([sys.executable, "-c", RUN_CLI, *options.args.split()], env,
                        options.runs, options.warmup),
              **imported(env)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
