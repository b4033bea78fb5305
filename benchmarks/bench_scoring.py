"""Scoring throughput of each relevance candidate, with one and with two text columns, as
``wildsift evaluate`` and ``wildsift sift`` score them.

    python benchmarks/bench_scoring.py [--n 30000] [--train 3000] [--repeat 3]
        [--candidates ngram,baseline,default] [--profile]

Posts are SYNTHETIC (``wildsift.demo.generate_posts``: tweet-length text in ten languages, 2%
trade) with the author's profile description as the second column, built the way
``evaluate_file`` builds them (the columns joined as ``text``, each also a ``field:`` column) and
with lexicon counts computed beforehand, as in the pipeline. Each candidate is trained on
``--train`` other posts (20% trade), then scores the posts in batches of 5,000. Prints posts/s
by wall clock and by CPU time (best of ``--repeat``), and the load average, since the machine
may be shared; ``--profile`` prints where one scoring pass of each candidate spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

import numpy as np
import pandas as pd

from wildsift.demo import generate_posts
from wildsift.sift.models.registry import make_model
from wildsift.sift.models.text import FIELD_PREFIX, prepare


def frame_of(n: int, seed: int, share: float, two_columns: bool) -> tuple[pd.DataFrame, np.ndarray]:
    posts = list(generate_posts(n, seed=seed, positive_share=share))
    texts = [p["text"] or "" for p in posts]
    raw = pd.DataFrame({"text": texts})
    if two_columns:
        profiles = [p["author_description"] or "" for p in posts]
        raw = pd.DataFrame({"text": [f"{t} \n {d}" for t, d in zip(texts, profiles)],
                            FIELD_PREFIX + "text": texts, FIELD_PREFIX + "profile": profiles})
    return prepare(raw), np.array([int(p["label"]) for p in posts])


def rates(model, batches: list[pd.DataFrame], repeat: int) -> tuple[float, float]:
    n = sum(len(b) for b in batches)
    best_wall, best_cpu = 0.0, 0.0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            model.decision_scores(batch)
        best_wall = max(best_wall, n / (time.perf_counter() - wall))
        best_cpu = max(best_cpu, n / max(time.process_time() - cpu, 1e-9))
    return best_wall, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30_000)
    parser.add_argument("--train", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--candidates", default="ngram,baseline,default")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    print("| candidate | text columns | chosen | posts/s (wall) | posts/s (CPU) |")
    print("|---|---|---|---|---|")
    for two in (False, True):
        X_train, y_train = frame_of(args.train, 1, 0.2, two)
        X, _ = frame_of(args.n, 2, 0.02, two)
        batches = [X.iloc[i:i + 5000] for i in range(0, len(X), 5000)]
        for name in args.candidates.split(","):
            model = make_model(name).fit(X_train, y_train)
            wall, cpu = rates(model, batches, args.repeat)
            print(f"| {name} | {2 if two else 1} | {getattr(model, 'winner_', '-')} | "
                  f"{wall:,.0f} | {cpu:,.0f} |", flush=True)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(model.decision_scores, batches[0])
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
