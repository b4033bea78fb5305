"""Write a SYNTHETIC benchmark corpus: ``python benchmarks/generate_corpus.py --n 1000000
--out benchmarks/out/posts.jsonl`` (CSV when the name ends in .csv). Prints one JSON line."""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import DEFAULT_N, DEFAULT_SHARE, Timer, emit

from wildsift.demo import write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--positive-share", type=float, default=DEFAULT_SHARE)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/posts.jsonl"))
    parser.add_argument("--format", choices=["csv", "jsonl"], default=None)
    args = parser.parse_args()
    with Timer() as timer:
        info = write_corpus(args.out, n=args.n, seed=args.seed, fmt=args.format,
                            positive_share=args.positive_share)
    emit("generate", args.n, timer, path=str(info.path), positives=info.positives,
         mb=round(info.path.stat().st_size / 1024 ** 2, 1))


if __name__ == "__main__":
    main()
