"""Shared helpers of the benchmark scripts: corpus files, study folders, timing and peak memory.

Each benchmark runs in its own process (see run_all.sh) so that its peak resident memory
(``getrusage(RUSAGE_SELF).ru_maxrss``) is its own. Inputs a benchmark needs but does not
measure (the corpus file, an imported study) are made in a child process first.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DEFAULT_N = 100_000
DEFAULT_SHARE = 0.02  # about 2% of what a keyword search returns is trade (benchmarks only)


def corpus_parser(description: str | None) -> argparse.ArgumentParser:
    """The options every corpus benchmark takes: size, seed, share of trade posts, profiling."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--positive-share", type=float, default=DEFAULT_SHARE)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    return parser


def corpus_path(n: int, seed: int = 0, share: float = DEFAULT_SHARE) -> Path:
    return OUT / f"posts-n{n}-s{seed}-p{share:g}.jsonl"


def study_path(n: int, stage: str) -> Path:
    return OUT / f"study-n{n}-{stage}"


def run_child(script: str, *args: str) -> None:
    """Run another benchmark script (to make an input) in its own process."""
    subprocess.run([sys.executable, str(HERE / script), *args], check=True,
                   stdout=subprocess.DEVNULL)


def ensure_corpus(n: int, seed: int = 0, share: float = DEFAULT_SHARE) -> Path:
    path = corpus_path(n, seed, share)
    if not path.exists():
        run_child("generate_corpus.py", "--n", str(n), "--seed", str(seed),
                  "--positive-share", str(share), "--out", str(path))
    return path


def fresh_copy(src: Path, dst: Path) -> Path:
    """A throwaway copy of a study folder, so a benchmark can be rerun on the same input."""
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    return dst


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem_kb = 0
    return {"cpus": os.cpu_count(), "cpu": model, "ram_gb": round(mem_kb / 1024 ** 2, 1),
            "python": platform.python_version()}


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        self.rss_before_mb = peak_rss_mb()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start


def emit(bench: str, n: int, timer: Timer, *, target_rate: float | None = None,
         target_seconds: float | None = None, target_rss_mb: float | None = None,
         **extra) -> dict:
    """Print one JSON line of results (and return it)."""
    rate = n / timer.seconds if timer.seconds else float("inf")
    peak = peak_rss_mb()
    result = {"bench": bench, "n": n, "seconds": round(timer.seconds, 2),
              "posts_per_s": round(rate), "peak_rss_mb": round(peak),
              "rss_before_mb": round(timer.rss_before_mb), **extra}
    checks = []
    if target_rate is not None:
        result["target_posts_per_s"] = target_rate
        checks.append(rate >= target_rate)
    if target_seconds is not None:
        result["target_seconds"] = target_seconds
        checks.append(timer.seconds <= target_seconds)
    if target_rss_mb is not None:
        result["target_peak_rss_mb"] = target_rss_mb
        checks.append(peak < target_rss_mb)
    if checks:
        result["meets_targets"] = all(checks)
    result["machine"] = machine()
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


@contextmanager
def profiled(enabled: bool, top: int = 25) -> Iterator[None]:
    """With ``--profile``: cProfile the block and print the top functions (own time) to stderr."""
    if not enabled:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
