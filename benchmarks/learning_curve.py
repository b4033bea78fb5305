"""Active vs random labelling on the real labelled dev data: F1 after 50, 100, 200, 400 labels.

    pip install -e '.[bench]'
    python benchmarks/learning_curve.py [--seeds 5] [--datasets sharks leather birds]

For each data set and seed: a stratified held-out test split, a random seed set of 20 posts, then
batches of 25 chosen by the queue's rule (``wildsift.sift.learn.active.select_batch``: uncertain +
diverse + 10% random) or uniformly at random, the default text model retrained after each batch,
F1 (threshold 0.5) on the test split at each size. Both strategies start from the same seed set.
Writes docs/learning-curve.png and prints the table for
docs/benchmarks.md; results per data set go to benchmarks/out/learning_curve-NAME.json
(reused when present). Needs /work/shared/datasets (not part of the repository).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from wildsift.sift.learn.active import text_features
from wildsift.sift.learn.evaluate import read_labelled_csv
from wildsift.sift.learn.learning_curve import (
    active_selector,
    compare,
    random_selector,
    summarise,
)
from wildsift.sift.models.text import TextRelevanceModel, prepare

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = Path("/work/shared/datasets")
# name: (file, text columns, label columns, positive, test posts, pool posts (None: the rest))
DATASETS = {
    "sharks": ("marketplace-ads/validation_sharks.csv", ["title", "description"], ["label"],
               ["1"], 99, None),
    "leather": ("marketplace-ads/leather_validation.csv", ["title"], ["label"], ["1"], 100, None),
    "birds": ("bird-classifieds/text_w_labels.csv", ["text_stop_stem"], ["label1", "label2"],
              ["0"], 1000, 2000),
}
SIZES = [50, 100, 200, 400]


def run_dataset(name: str, seeds: int, batch_size: int) -> pd.DataFrame:
    path, text_cols, label_cols, positive, n_test, n_pool = DATASETS[name]
    data = read_labelled_csv(DATA / path, text_cols, label_cols, positive)
    X = prepare(data.texts, use_lexicon=True)  # lexicon hits once, reused by every fit
    runs = []
    for seed in range(seeds):
        rest, test = train_test_split(np.arange(len(data.y)), test_size=n_test,
                                      stratify=data.y, random_state=seed)
        if n_pool is not None:
            rest, _ = train_test_split(rest, train_size=n_pool, stratify=data.y[rest],
                                       random_state=seed)
        pool_X, test_X = X.iloc[rest].reset_index(drop=True), X.iloc[test].reset_index(drop=True)
        sizes = [s for s in SIZES if s <= len(rest)]
        started = time.perf_counter()
        frame = compare(pool_X, data.y[rest], test_X, data.y[test],
                        make_model=TextRelevanceModel,
                        selectors={"active": active_selector(), "random": random_selector},
                        features=text_features(pool_X["text"]), sizes=sizes, seed=seed,
                        batch_size=batch_size)
        frame["dataset"], frame["pool"], frame["test"] = name, len(rest), len(test)
        runs.append(frame)
        print(f"{name} seed {seed}: pool {len(rest)}, test {len(test)}, "
              f"{time.perf_counter() - started:.0f}s", flush=True)
    return pd.concat(runs, ignore_index=True)


def plot(runs: pd.DataFrame, out: Path) -> None:
    names = list(dict.fromkeys(runs["dataset"]))
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.6), squeeze=False)
    for ax, name in zip(axes[0], names):
        table = summarise(runs[runs["dataset"] == name])
        for strategy, colour in (("active", "tab:blue"), ("random", "tab:orange")):
            part = table[table["strategy"] == strategy]
            ax.plot(part["size"], part["f1_mean"], "o-", color=colour, label=strategy)
            ax.fill_between(part["size"], part["f1_mean"] - part["f1_sd"],
                            part["f1_mean"] + part["f1_sd"], color=colour, alpha=0.2)
        pool = int(runs.loc[runs["dataset"] == name, "pool"].iloc[0])
        ax.set_title(f"{name} (pool {pool})")
        ax.set_xscale("log", base=2)
        ax.set_xticks(SIZES, [str(s) for s in SIZES])
        ax.set_xlabel("labels")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("F1 on held-out test split")
    axes[0][0].legend(loc="lower right")
    fig.suptitle("Active (uncertain + diverse + 10% random) vs random labelling, mean ± sd")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def markdown(runs: pd.DataFrame) -> str:
    header = ("| dataset | labels | active F1 | random F1 | active - random | positives found "
              "(active / random) |")
    lines = [header, "|---|---|---|---|---|---|"]
    for name in dict.fromkeys(runs["dataset"]):
        table = summarise(runs[runs["dataset"] == name]).set_index(["strategy", "size"])
        paired = runs[runs["dataset"] == name].pivot_table(index=["seed", "size"],
                                                          columns="strategy", values="f1")
        for size in sorted({s for _, s in table.index}):
            a, r = table.loc[("active", size)], table.loc[("random", size)]
            diff = (paired["active"] - paired["random"]).xs(size, level="size")
            lines.append(f"| {name} | {size} | {a.f1_mean:.3f} ± {a.f1_sd:.3f} | "
                         f"{r.f1_mean:.3f} ± {r.f1_sd:.3f} | {diff.mean():+.3f} ± {diff.std():.3f}"
                         f" | {a.positives_mean:.0f} / {r.positives_mean:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=25)
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "learning-curve.png")
    args = parser.parse_args()
    (HERE / "out").mkdir(exist_ok=True)
    runs = []
    for name in args.datasets:  # one results file per data set: rerun one by deleting it
        results = HERE / "out" / f"learning_curve-{name}.json"
        if results.exists():
            print(f"{name}: reusing {results} (delete it to rerun)")
            runs.append(pd.DataFrame(json.loads(results.read_text())))
            continue
        if not DATA.exists():
            raise SystemExit(f"{DATA} is missing: this benchmark needs the shared labelled data")
        frame = run_dataset(name, args.seeds, args.batch_size)
        results.write_text(frame.to_json(orient="records"))
        runs.append(frame)
    combined = pd.concat(runs, ignore_index=True)
    plot(combined, args.out)
    print(markdown(combined))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
