"""Stress test of the default relevance model where the dev sets are silent: heavy imbalance and
short multilingual posts whose wording the model never saw.

``python benchmarks/generalisation.py [--part imbalance|templates|lolo|all] [--seeds N] [--json
FILE]`` prints one table per part, each comparing the default text model, the TF-IDF baseline
(``sift/models/baseline.py``) and the keyword rule (``sift/rules/relevance_rule.py``, lexicon hits
plus sale cues, at its 0.5 threshold; no training):

* **imbalance**: each labelled dev set in ``/work/shared/datasets`` (skipped when absent) with its
  positives subsampled to 2% prevalence, one draw per seed; stratified 5-fold CV, each model at
  the threshold it chose on its training folds. Mean (and sd over seeds) of F1, MCC, PR-AUC.
* **templates**: the SYNTHETIC demo corpus (``wildsift.demo``, 10 languages, hard negatives) at
  2% relevant, with every phrase list the generator draws from (trade templates, item names,
  hashtags, extras, hard-negative and chatter templates, emoji) split in two halves per seed:
  the model trains on posts made from one half and is tested on posts made from the other (and a
  different generator seed), so scoring well needs more than recalling templates.
* **lolo**: leave one language out of a 2%-relevant demo corpus: train on nine languages, test on
  the tenth; per language and pooled over all ten.

Texts go through the privacy redactor first (contacts become ``<PHONE:..>`` tokens, as in the
store), and only the post text is used (no profile, no images): a tweet is what the model gets.
Test posts whose normalised text also occurs in training are removed. ``F1*`` is the best F1 any
threshold reaches on the test posts (hindsight, for diagnosis only): F1* - F1 is what the
threshold choice cost. The figures come from resampled or synthetic data, not from a real
benchmark; they rank models and expose weaknesses, they do not predict a real F1.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    matthews_corrcoef,
    precision_recall_curve,
)

from wildsift.demo import corpus as demo_corpus
from wildsift.demo import negatives as neg
from wildsift.demo import phrases as ph
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.redact import Redactor
from wildsift.sift.learn.evaluate import read_labelled_csv
from wildsift.sift.learn.splits import deduplicate, normalise_text, split
from wildsift.sift.models.baseline import BaselineModel
from wildsift.sift.models.text import FIELD_PREFIX, TextRelevanceModel, prepare
from wildsift.sift.rules.relevance_rule import rule_scores

DATASETS = Path("/work/shared/datasets")
DEV_SETS = {  # name: (file, text columns, label columns, positive values)
    "sharks": ("marketplace-ads/validation_sharks.csv", ["title", "description"], ["label"],
               ("1",)),
    "leather": ("marketplace-ads/leather_validation.csv", ["title"], ["label"], ("1",)),
    "birds": ("bird-classifieds/text_w_labels.csv", ["text_stop_stem"], ["label1", "label2"],
              ("0",)),
}
PREVALENCE = 0.02
MIN_POSITIVES = 5  # stratified 5-fold CV needs one positive per fold
RULE_THRESHOLD = 0.5
Factory = Callable[[], Any]


def default_models() -> dict[str, Factory | None]:
    """The models compared: None marks the keyword rule (no training)."""
    return {"default": TextRelevanceModel, "baseline": BaselineModel, "rule": None}


# -- metrics ---------------------------------------------------------------------------------
def scores_metrics(y: np.ndarray, scores: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """F1, MCC and macro-F1 of the predictions; PR-AUC and hindsight-best F1 of the scores."""
    precision, recall, _ = precision_recall_curve(y, scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        best = np.nanmax(np.where(precision + recall > 0,
                                  2 * precision * recall / (precision + recall), 0.0))
    return {"f1": float(f1_score(y, predicted, zero_division=0)),
            "mcc": float(matthews_corrcoef(y, predicted)),
            "pr_auc": float(average_precision_score(y, scores)),
            "f1_star": float(best), "predicted_share": float(np.mean(predicted))}


def run_model(factory: Factory | None, X_train: pd.DataFrame, y_train: np.ndarray,
              X_test: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float]:
    """Scores, 0/1 predictions (at the model's own threshold) and that threshold."""
    if factory is None:
        scores = rule_scores(X_test["text"].tolist(), X_test["lexicon_hits"].to_numpy())
        return scores, (scores >= RULE_THRESHOLD).astype(int), RULE_THRESHOLD
    model = factory().fit(X_train, y_train)
    scores = model.decision_scores(X_test)
    threshold = float(getattr(model, "threshold_", 0.5))
    return scores, (scores >= threshold).astype(int), threshold


def summarise(runs: list[dict[str, float]]) -> dict[str, float]:
    """Mean and sd over seeds of each metric."""
    out: dict[str, float] = {"runs": len(runs)}
    for key in runs[0]:
        values = np.array([r[key] for r in runs], dtype=float)
        out[key] = float(values.mean())
        out[key + "_sd"] = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return out


# -- part 1: dev sets subsampled to 2% -------------------------------------------------------
def load_dev_set(name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """A dev set as the model's frame (deduplicated, lexicon counted), as ``evaluate`` reads it."""
    path, text_columns, label_columns, positive = DEV_SETS[name]
    data = read_labelled_csv(DATASETS / path, text_columns, label_columns, positive)
    keep = deduplicate(data.texts, data.y).keep
    raw = pd.DataFrame({"text": [data.texts[i] for i in keep]})
    for column, values in data.fields.items():
        raw[FIELD_PREFIX + column] = [values[i] for i in keep]
    return prepare(raw), data.y[keep]


def imbalance(models: dict[str, Factory | None], seeds: int, sets: list[str],
              prevalence: float = PREVALENCE) -> list[dict[str, Any]]:
    rows = []
    for name in sets:
        if not (DATASETS / DEV_SETS[name][0]).exists():
            print(f"skipping {name}: {DATASETS / DEV_SETS[name][0]} not found", file=sys.stderr)
            continue
        X_all, y_all = load_dev_set(name)
        pos, negs = np.flatnonzero(y_all == 1), np.flatnonzero(y_all == 0)
        k = max(MIN_POSITIVES, round(prevalence / (1 - prevalence) * len(negs)))
        runs: dict[str, list[dict[str, float]]] = {m: [] for m in models}
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            rows_kept = np.sort(np.concatenate([negs, rng.choice(pos, k, replace=False)]))
            X, y = X_all.iloc[rows_kept].reset_index(drop=True), y_all[rows_kept]
            folds = list(split(y, 5, None, seed))
            for model_name, factory in models.items():
                scores, predicted = np.zeros(len(y)), np.zeros(len(y), dtype=int)
                thresholds = []
                for train, test in folds:
                    s, p, t = run_model(factory, X.iloc[train], y[train], X.iloc[test])
                    scores[test], predicted[test] = s, p
                    thresholds.append(t)
                metrics = scores_metrics(y, scores, predicted)
                metrics["threshold"] = float(np.mean(thresholds))
                runs[model_name].append(metrics)
        for model_name, model_runs in runs.items():
            rows.append({"set": name, "n": len(y), "positives": k, "model": model_name,
                         **summarise(model_runs)})
    return rows


# -- part 2 and 3: the synthetic multilingual corpus -----------------------------------------
def _halves(items: list, rng: random.Random) -> tuple[list, list]:
    """Two disjoint halves of a list (both the whole list when it has one item)."""
    if len(items) < 2:
        return list(items), list(items)
    shuffled = list(items)
    rng.shuffle(shuffled)
    cut = len(shuffled) // 2
    return shuffled[:cut], shuffled[cut:]


def _split_phrasebook(seed: int) -> tuple[dict, dict]:
    """Two disjoint phrasebooks (module attribute -> value) for the generator, per seed."""
    rng = random.Random(seed)
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    for module, attr in [(ph, "TEMPLATES"), (ph, "HASHTAGS"), (ph, "EXTRAS"),
                         (neg, "HARD"), (neg, "CHATTER")]:
        source = getattr(module, attr)
        pairs = {lang: _halves(values, rng) for lang, values in source.items()}
        a[(module, attr)] = {lang: h[0] for lang, h in pairs.items()}
        b[(module, attr)] = {lang: h[1] for lang, h in pairs.items()}
    items = {lang: {p: _halves(v, rng) for p, v in products.items()}
             for lang, products in ph.ITEMS.items()}
    a[(ph, "ITEMS")] = {lang: {p: h[0] for p, h in d.items()} for lang, d in items.items()}
    b[(ph, "ITEMS")] = {lang: {p: h[1] for p, h in d.items()} for lang, d in items.items()}
    for attr in ("_POS_EMOJI", "_NEG_EMOJI"):
        first, second = _halves(getattr(demo_corpus, attr), rng)
        a[(demo_corpus, attr)], b[(demo_corpus, attr)] = first, second
    return a, b


@contextmanager
def phrasebook(patch: dict) -> Iterator[None]:
    """The generator drawing from ``patch`` instead of its full phrase lists (restored after)."""
    saved = {key: getattr(*key) for key in patch}
    try:
        for (module, attr), value in patch.items():
            setattr(module, attr, value)
        yield
    finally:
        for (module, attr), value in saved.items():
            setattr(module, attr, value)


_REDACTOR = Redactor(Pseudonymizer(b"generalisation-benchmark-secret"))


def synthetic(n: int, seed: int, prevalence: float = PREVALENCE) -> pd.DataFrame:
    """Redacted demo posts (text, lang, label) from n generated, deduplicated, lexicon counted,
    at ``prevalence`` (chatter repeats more than trade posts, so dedup raises the share of
    trade posts: positives are then subsampled back to it)."""
    posts = list(demo_corpus.generate_posts(n, seed=seed, positive_share=prevalence))
    texts = [_REDACTOR.redact(p["text"]) for p in posts]
    y = np.array([int(p["label"]) for p in posts])
    keep = deduplicate(texts, y).keep
    pos, negs = keep[y[keep] == 1], keep[y[keep] == 0]
    k = min(len(pos), round(prevalence / (1 - prevalence) * len(negs)))
    rng = np.random.default_rng(seed)
    keep = np.sort(np.concatenate([negs, rng.choice(pos, k, replace=False)]))
    frame = prepare(pd.DataFrame({"text": [texts[i] for i in keep]}))
    frame["lang"] = [posts[i]["lang"] for i in keep]
    frame["label"] = y[keep]
    return frame


def _unseen(test: pd.DataFrame, train: pd.DataFrame) -> pd.DataFrame:
    seen = {normalise_text(t) for t in train["text"]}
    return test[[normalise_text(t) not in seen for t in test["text"]]].reset_index(drop=True)


def _model_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["lang", "label"])


def templates(models: dict[str, Factory | None], seeds: int, n_train: int = 12000,
              n_test: int = 12000) -> list[dict[str, Any]]:
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in models}
    sizes = []
    for seed in range(seeds):
        half_a, half_b = _split_phrasebook(seed)
        with phrasebook(half_a):
            train = synthetic(n_train, seed=seed)
        with phrasebook(half_b):
            test = _unseen(synthetic(n_test, seed=1000 + seed), train)
        sizes.append((len(train), int(train["label"].sum()), len(test), int(test["label"].sum())))
        y_train, y_test = train["label"].to_numpy(), test["label"].to_numpy()
        for model_name, factory in models.items():
            scores, predicted, threshold = run_model(factory, _model_frame(train), y_train,
                                                     _model_frame(test))
            runs[model_name].append({**scores_metrics(y_test, scores, predicted),
                                     "threshold": threshold})
    return [{"set": "templates", "n": int(np.mean([s[2] for s in sizes])),
             "positives": int(np.mean([s[3] for s in sizes])), "train": int(
                 np.mean([s[0] for s in sizes])), "model": name, **summarise(model_runs)}
            for name, model_runs in runs.items()]


def leave_one_language_out(models: dict[str, Factory | None], n: int = 24000,
                           seed: int = 7) -> list[dict[str, Any]]:
    frame = synthetic(n, seed=seed)
    rows = []
    pooled: dict[str, list[tuple]] = {m: [] for m in models}
    for lang in sorted(frame["lang"].unique()):
        train = frame[frame["lang"] != lang].reset_index(drop=True)
        test = _unseen(frame[frame["lang"] == lang], train)
        y_train, y_test = train["label"].to_numpy(), test["label"].to_numpy()
        for model_name, factory in models.items():
            scores, predicted, threshold = run_model(factory, _model_frame(train), y_train,
                                                     _model_frame(test))
            pooled[model_name].append((y_test, scores, predicted))
            rows.append({"set": f"lolo:{lang}", "n": len(test), "positives": int(y_test.sum()),
                         "model": model_name, "threshold": threshold,
                         **scores_metrics(y_test, scores, predicted)})
    for model_name, parts in pooled.items():
        y, s, p = (np.concatenate(a) for a in zip(*parts))
        # pooled PR-AUC mixes ten models' score scales; F1 and MCC of the decisions are exact
        rows.append({"set": "lolo:pooled", "n": len(y), "positives": int(y.sum()),
                     "model": model_name, **scores_metrics(y, s, p)})
    return rows


# -- output ----------------------------------------------------------------------------------
def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table: set, n, positives, model, F1, MCC, PR-AUC, F1*, threshold."""
    def cell(row: dict, key: str) -> str:
        if key not in row:
            return ""
        sd = row.get(key + "_sd")
        return f"{row[key]:.3f}" + (f" ± {sd:.3f}" if sd is not None and row["runs"] > 1 else "")

    lines = ["| set | test n | pos | model | F1 | MCC | PR-AUC | F1* | threshold |",
             "|---|---:|---:|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['set']} | {row['n']} | {row['positives']} | {row['model']} | "
                     + " | ".join(cell(row, k) for k in ("f1", "mcc", "pr_auc", "f1_star",
                                                           "threshold")) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None, models: dict[str, Factory | None] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["imbalance", "templates", "lolo", "all"],
                        default="all")
    parser.add_argument("--seeds", type=int, default=5, help="draws per dev set / template split")
    parser.add_argument("--sets", default="sharks,leather,birds")
    parser.add_argument("--lolo-n", type=int, default=24000)
    parser.add_argument("--json", type=Path, help="also write every row to this JSON file")
    args = parser.parse_args(argv)
    models = models or default_models()
    results: dict[str, list] = {}
    started = time.perf_counter()
    if args.part in ("imbalance", "all"):
        results["imbalance"] = imbalance(models, args.seeds, args.sets.split(","))
        print(f"\n## Dev sets, positives subsampled to {PREVALENCE:.0%} "
              f"({args.seeds} draws, 5-fold CV)\n\n" + table(results["imbalance"]))
    if args.part in ("templates", "all"):
        results["templates"] = templates(models, args.seeds)
        print(f"\n## Synthetic multilingual posts, unseen templates ({args.seeds} splits)\n\n"
              + table(results["templates"]))
    if args.part in ("lolo", "all"):
        results["lolo"] = leave_one_language_out(models, args.lolo_n)
        print("\n## Synthetic multilingual posts, leave one language out\n\n"
              + table(results["lolo"]))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
