"""Per-stage sift throughput on SYNTHETIC generated text, in one process.

``python benchmarks/bench_sift_stages.py [--n 50000] [--repeat 3]`` generates posts with
``wildsift.demo.generate_posts`` (2% trade), trains the default text model on 2,000 other posts
(20% trade), then times, batch by batch (``--batch-size``), each stage alone: language id,
lexicon matching, sale cues, the rules, the task heads (rules: intent, origin, scam), the
trained text model (features + calibrated LR, with the lexicon hits passed in as in the
pipeline; run after the heads, as in the pipeline, it reuses their sale-cue counts) and
``Store.scores.write`` into a fresh SQLite store. Prints one JSON line per measure (best and median of ``--repeat`` runs) and the load
average, since the machine may be shared. The whole ``sift_study`` is bench_sift.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from wildsift.demo import generate_posts
from wildsift.records import Post
from wildsift.sift.models.text import TextRelevanceModel
from wildsift.sift.rules.cues import cue_matrix
from wildsift.sift.rules.relevance_rule import rule_scores
from wildsift.sift.stages.heads import TaskHeadsStage
from wildsift.sift.stages.langid import LanguageStage
from wildsift.sift.stages.lexicon_match import LexiconStage
from wildsift.store import Store


def frame_of(n: int, seed: int, share: float) -> tuple[pd.DataFrame, np.ndarray]:
    posts = list(generate_posts(n, seed=seed, positive_share=share))
    frame = pd.DataFrame({"pk": np.arange(1, n + 1), "text": [p["text"] or "" for p in posts],
                          "lang": [p["lang"] for p in posts]})
    return frame, np.array([int(p["label"]) for p in posts])


def timed(fn: Callable[[pd.DataFrame], object], batches: list[pd.DataFrame],
          repeat: int) -> dict:
    rates = []
    n = sum(len(b) for b in batches)
    for _ in range(repeat):
        started = time.perf_counter()
        for batch in batches:
            fn(batch)
        rates.append(n / (time.perf_counter() - started))
    return {"best_posts_per_s": round(max(rates)), "median_posts_per_s":
            round(statistics.median(rates)), "runs": repeat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None, help="measure only these stages")
    args = parser.parse_args()
    print(json.dumps({"loadavg_before": os.getloadavg(), "cpus": os.cpu_count()}), flush=True)

    frame, _ = frame_of(args.n, seed=0, share=0.02)
    train, y = frame_of(2000, seed=1, share=0.2)
    lexicon_stage = LexiconStage()
    model = TextRelevanceModel().fit(lexicon_stage(train)[["text", "lexicon_hits"]], y)
    language_stage = LanguageStage(["en", "zh-Hans", "zh-Hant", "vi", "th", "id", "fr", "es",
                                    "pt", "sw"])
    heads = TaskHeadsStage(group_of={key: taxon.group for key, taxon in
                                     lexicon_stage.lexicon.taxa.items()})
    matched = lexicon_stage(frame)
    batches = [matched.iloc[i:i + args.batch_size].reset_index(drop=True)
               for i in range(0, len(matched), args.batch_size)]
    raw = [b[["pk", "text", "lang"]] for b in batches]
    no_source = [b.assign(lang=None) for b in raw]
    scored = [b.assign(relevance=0.5, relevant=1, relevance_method="rules",
                       lang_detected=b["lang"]) for b in batches]

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        if not args.only or any("write" in word for word in args.only):
            store.posts.add([Post(platform="bench", post_id=str(pk), text="")
                             for pk in frame["pk"]])  # pks 1..n, as the scores reference them
        counter = iter(range(10**9))

        def write(batch: pd.DataFrame) -> None:
            version = f"bench-{next(counter)}"
            store.scores.write("relevance", version, batch,
                               ("relevance", "relevant", "relevance_method"))
            store.scores.write("langid", version, batch, ("lang_detected",))
            store.scores.write("lexicon", version, batch, ("lexicon_hits",))

        measures: dict[str, tuple[Callable, list[pd.DataFrame]]] = {
            "langid (source language given)": (language_stage, raw),
            "langid (no source language)": (language_stage, no_source),
            "lexicon": (lexicon_stage, raw),
            "sale cues": (lambda b: cue_matrix(b["text"]), batches),
            "rules": (lambda b: rule_scores(b["text"].tolist(), b["lexicon_hits"]), batches),
            "task heads (rules)": (heads, batches),
            "heads then trained text model": (
                lambda b: model.decision_scores(heads(b)[["text", "lexicon_hits"]]), batches),
            "trained text model": (lambda b: model.decision_scores(b[["text", "lexicon_hits"]]),
                                   batches),
            "write_scores (5 fields, SQLite)": (write, scored),
        }
        for name, (fn, data) in measures.items():
            if args.only and not any(word in name for word in args.only):
                continue
            result = timed(fn, data, args.repeat)
            print(json.dumps({"stage": name, "n": args.n, "batch_size": args.batch_size,
                              **result, "loadavg": os.getloadavg()}), flush=True)
        store.close()


if __name__ == "__main__":
    main()
