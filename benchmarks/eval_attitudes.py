"""Macro-F1 of stance and sentiment on our own SYNTHETIC labelled set (issue 13, item 3).

The set (tests/fixtures/attitudes_synthetic.jsonl) is 315 short posts we wrote and labelled for
wildsift, 45 in each of seven languages (en, fr, es, pt, id, vi, zh-Hans), 15 per stance. Many
posts in different languages say similar things, so the head's cross-validated figure is
optimistic (a paraphrase in another language may sit in the training folds); the prototype
classifier never sees the set. Reported: the prototypes (no labels), the trained head out of
fold (stratified 5-fold), and VADER on the English posts' sentiment.

    python benchmarks/eval_attitudes.py [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from wildsift.analysis.attitudes import vader
from wildsift.analysis.attitudes.embed import Embedder
from wildsift.analysis.attitudes.head import macro_f1, out_of_fold
from wildsift.analysis.attitudes.prototypes import PrototypeClassifier

SET = HERE.parent / "tests" / "fixtures" / "attitudes_synthetic.jsonl"


def per_language(frame: pd.DataFrame, truth: str, pred: str) -> dict[str, float]:
    out = {lang: round(macro_f1(g[truth].to_numpy(), g[pred].to_numpy()), 3)
           for lang, g in frame.groupby("lang")}
    out["all"] = round(macro_f1(frame[truth].to_numpy(), frame[pred].to_numpy()), 3)
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    frame = pd.read_json(SET, lines=True)
    wall, cpu = time.perf_counter(), time.process_time()
    embedder = Embedder()
    X = embedder.embed(frame["text"].tolist())
    frame["stance_proto"] = PrototypeClassifier("stance").fit(embedder.embed).predict(X)
    frame["sentiment_proto"] = PrototypeClassifier("sentiment").fit(embedder.embed).predict(X)
    frame["stance_head"] = out_of_fold(X, frame["stance"].to_numpy())
    frame["sentiment_head"] = out_of_fold(X, frame["sentiment"].to_numpy())
    out = {"set": str(SET.relative_to(HERE.parent)), "posts": len(frame),
           "languages": sorted(frame["lang"].unique()),
           "stance_prototypes": per_language(frame, "stance", "stance_proto"),
           "stance_head_out_of_fold": per_language(frame, "stance", "stance_head"),
           "sentiment_prototypes": per_language(frame, "sentiment", "sentiment_proto"),
           "sentiment_head_out_of_fold": per_language(frame, "sentiment", "sentiment_head")}
    if vader.available():
        en = frame[frame["lang"] == "en"]
        pred = vader.vader_sentiment(en["text"].tolist())
        out["sentiment_vader_en"] = round(macro_f1(en["sentiment"].to_numpy(), np.array(pred)), 3)
    out |= {"wall_s": round(time.perf_counter() - wall, 1),
            "cpu_s": round(time.process_time() - cpu, 1),
            "load_average": [round(v, 1) for v in os.getloadavg()]}
    print(json.dumps(out, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    main()
