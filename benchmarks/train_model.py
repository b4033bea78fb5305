"""Train a text relevance model on a small SYNTHETIC labelled study (an input of bench_sift).

``python benchmarks/train_model.py`` writes ``benchmarks/out/trainer/models`` once: 20,000
demo posts (20% trade), imported and trained exactly as ``wildsift train`` does.
"""

from __future__ import annotations

import argparse
import shutil

from _common import OUT, Timer, emit

from wildsift.demo import write_corpus
from wildsift.sift.learn.train import train_study
from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest
from wildsift.study import Study

TRAINER = OUT / "trainer"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if TRAINER.exists():
        shutil.rmtree(TRAINER)
    study = Study.init(TRAINER, name="benchmark-trainer")
    info = write_corpus(TRAINER / "train.jsonl", n=args.n, seed=args.seed, positive_share=0.2)
    ingest(study, FileReader(info.path))
    with Timer() as timer:
        card = train_study(study)
    study.store.close()
    emit("train", args.n, timer, version=card.get("version"), metrics=card.get("metrics"))


if __name__ == "__main__":
    main()
