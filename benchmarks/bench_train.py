"""Training time of the default text model: ``wildsift train`` on 10,000 labelled posts.

``python benchmarks/bench_train.py [--n 10000]`` imports n SYNTHETIC demo posts (20% trade, each
with its label) into a fresh study, then times ``train_study`` alone: lexicon matching, dedup,
grouped 5-fold cross-validation with bootstrap CIs, and the final fit with its inner-CV
threshold choice. Target (issue): under a minute on 2 cores. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import shutil

from _common import OUT, Timer, emit, profiled

from wildsift.demo import write_corpus
from wildsift.sift.learn.train import train_study
from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest
from wildsift.study import Study


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = parser.parse_args()
    root = OUT / f"train-n{args.n}"
    if root.exists():
        shutil.rmtree(root)
    study = Study.init(root, name="benchmark-train")
    info = write_corpus(root / "train.jsonl", n=args.n, seed=args.seed, positive_share=0.2)
    ingest(study, FileReader(info.path))
    with profiled(args.profile), Timer() as timer:
        card = train_study(study)
    study.store.close()
    metrics = card["metrics"]
    emit("train", args.n, timer, target_seconds=60, version=card["version"],
         labelled=card["data_size"], threshold=round(card["threshold"], 3),
         f1=round(metrics["f1"], 3), mcc=round(metrics["mcc"], 3), folds=metrics["folds"],
         grouped=metrics["grouped"], duplicates_removed=card["duplicates_removed"])


if __name__ == "__main__":
    main()
