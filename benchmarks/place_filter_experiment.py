"""EXPERIMENT (not wired into the location stage): a learned filter over the geoparser's
candidate places, evaluated leave-one-set-out on our five labelled multilingual sets.

Candidates of a post: the places :meth:`Geoparser.mentions` finds in text mode, each tagged
with the stage that kept or dropped it: ``kept`` (what :func:`locate_text` votes with, re-read
as it reads them, ``_agreeing``), ``not_here`` (trip, birthplace, goods, opinion...) or
``destination`` ("ship to USA"); plus ``guard``: the gazetteer names that field mode reads and
text mode's guards dropped (common words, lower case, products, people...), so the filter can
also add a place the rules lost. Nothing in ``src/`` is changed: this script only calls the
geoparser's own functions, in the order ``where_mentions`` does, and checks that the rules'
answer is one of the kept candidates' countries.

Features of a candidate: character 2-4-grams (tf-idf) of a window of 40 characters left and
right of the mention (apart), and dense features: language, kind (country / first-level
division / city), the geoparser's confidence, locative cue, header flag, position in the post,
first / last mention, how many candidates and countries the post has, the share of candidates
of its country, whether the country speaks the post's language, the place's population and
number of readings, whether the post opens with a header-like shape ("Lille, ...", "Bogor -
...") and whether the mention is on the first line. The mention's own letters are NOT a feature
(the model should learn contexts, not names). Variant ``full`` adds what the rules did (the
stage; whether the candidate's country is the rules' answer); variant ``context_only`` does not.

Model: logistic regression (scikit-learn, liblinear); label: the candidate's country equals the
post's gold country. Two decisions: ``argmax`` (the candidate with the highest probability gives
its country when that probability exceeds a threshold, else no country) and ``veto`` (the
rules' country stands when its best candidate's probability exceeds a threshold, else none).
C (0.3 / 1 / 3) and the thresholds are chosen INSIDE the training sets only, from out-of-fold
probabilities (inner leave-one-set-out; for the language variant, inner 5 fixed groups of
languages): the F1 threshold (``*_f1``) and the one with the most recall at inner precision
>= 0.90 (``*_precision_first``). The held-out set is never used to choose anything.

Outer evaluation: (1) leave one set out (5 folds), both variants; (2) leave one language out
over all five sets pooled (does the filter transfer to a language it has not seen?), the
context-only variant. Rules alone: ``locate_text`` on the same posts. Caveat: the rules were
written against the misses of the tuned set and holdouts 1-3, so only holdout 4 is blind for
the rules, and it had already been run once (and its misses read) before this experiment. Filter CPU time: features + prediction of the held-out
posts (``time.process_time``), geoparsing apart.

Run: ``python benchmarks/place_filter_experiment.py [--json PATH] [--skip-language]
[--variant full|context_only]`` (one process, ~15 min on a loaded 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from bench_geoparse import score  # precision and recall, as the benchmark counts them
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from wildsift.places.context import not_here
from wildsift.places.geoparse import _without_destinations
from wildsift.places.guards import home_countries
from wildsift.places.resolve import _agreeing, geoparser, locate_text

ROOT = Path(__file__).resolve().parents[1]
SETS = {"tuned": ROOT / "tests/fixtures/places/multilingual.jsonl",
        "holdout-1": ROOT / "tests/fixtures/places/multilingual_holdout.jsonl",
        "holdout-2": ROOT / "tests/fixtures/places/multilingual_holdout_2.jsonl",
        "holdout-3": ROOT / "tests/fixtures/places/multilingual_holdout_3.jsonl",
        "holdout-4": ROOT / "tests/fixtures/places/multilingual_holdout_4.jsonl"}
WINDOW = 40
C_GRID = (0.3, 1.0, 3.0)
PRECISION_TARGET = 0.90
LANGS = ("de", "en", "es", "fr", "id", "pt", "ru", "sw", "th", "vi", "zh")
KINDS = ("country", "admin1", "city")
STAGES = ("kept", "not_here", "destination", "guard")
LANG_GROUP = {lang: i % 5 for i, lang in enumerate(LANGS)}  # inner folds of the language variant
HEADER_SHAPE = re.compile(r"^\s*[^\n,:;|\-–—]{2,40}\s*[,:;|\-–—(]")


@dataclass(slots=True)
class Candidate:
    country: str
    start: int
    end: int
    kind: str
    confidence: float
    cue: bool
    header: bool
    stage: str
    population: int
    readings: int


@dataclass(slots=True)
class Post:
    set: str
    id: str
    lang: str
    text: str
    gold: str | None
    rules: str | None
    cands: list[Candidate]


def candidates(text: str, lang: str) -> tuple[list[Candidate], str | None]:
    """Every place the geoparser found, with the stage that kept or dropped it; and the rules'
    answer recomputed from the kept ones (checked against ``locate_text`` by the caller)."""
    parser = geoparser()
    raw = parser.mentions(text, "text", lang)
    here = not_here(text, raw)
    kept = _without_destinations(text, here)
    here_ids = {(m.start, m.end) for m in here}
    kept_agreed = _agreeing(kept)
    out: list[Candidate] = []
    for m in kept_agreed:
        out.append(Candidate(m.place.country, m.start, m.end, m.place.kind, m.confidence, m.cue,
                             m.header, "kept", m.place.population, len(m.alternatives)))
    kept_ids = {(m.start, m.end) for m in kept}
    for m in raw:
        if (m.start, m.end) in kept_ids:
            continue
        stage = "destination" if (m.start, m.end) in here_ids else "not_here"
        out.append(Candidate(m.place.country, m.start, m.end, m.place.kind, m.confidence, m.cue,
                             m.header, stage, m.place.population, len(m.alternatives)))
    # the gazetteer names the text-mode guards dropped (common words, lower case, products,
    # compounds, people...): field mode reads every name with few guards
    spans = [(c.start, c.end) for c in out]
    for m in parser.mentions(text, "field"):
        if any(m.start < e and s < m.end for s, e in spans):
            continue
        out.append(Candidate(m.place.country, m.start, m.end, m.place.kind, m.confidence, m.cue,
                             False, "guard", m.place.population, len(m.alternatives)))
    out.sort(key=lambda c: c.start)
    found = locate_text(text, lang)
    return out, found.country if found else None


def load_posts() -> list[Post]:
    posts = []
    for name, path in SETS.items():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            cands, rules = candidates(row["text"], row["lang"])
            kept = {c.country for c in cands if c.stage == "kept"}
            assert rules is None or rules in kept, (row["id"], rules, kept)
            posts.append(Post(name, row.get("id", f"{name}-{len(posts)}"), row["lang"], row["text"], row["country"], rules,
                              cands))
    return posts


# ---------------------------------------------------------------- features

def _windows(post: Post) -> tuple[list[str], list[str]]:
    t = post.text.lower()
    left = [t[max(0, c.start - WINDOW):c.start] for c in post.cands]
    right = [t[c.end:c.end + WINDOW] for c in post.cands]
    return left, right


def _dense(post: Post, rule_features: bool = True) -> list[list[float]]:
    n = len(post.cands)
    countries = {c.country for c in post.cands}
    home = home_countries(post.lang) or frozenset()
    shape = bool(HEADER_SHAPE.match(post.text))
    first_nl = post.text.find("\n")
    first_line_end = first_nl if first_nl >= 0 else len(post.text)
    length = max(1, len(post.text))
    rows = []
    for i, c in enumerate(post.cands):
        same = sum(1 for o in post.cands if o.country == c.country)
        same_kept = sum(1 for o in post.cands if o.country == c.country
                        and (o.stage == "kept" or not rule_features))
        row = [1.0 if post.lang == lang else 0.0 for lang in LANGS]
        row += [1.0 if c.kind == k else 0.0 for k in KINDS]
        if rule_features:  # what the rules did with it (variant "full" only)
            row += [1.0 if c.stage == s else 0.0 for s in STAGES]
            row += [float(post.rules == c.country), float(post.rules is None)]
        row += [c.confidence, float(c.cue), float(c.header), c.start / length, float(i == 0), float(i == n - 1),
                math.log1p(n), math.log1p(len(countries)), same / n, math.log1p(same_kept),
                float(c.country in home), float(post.lang == "en"),
                math.log1p(c.population) / 17.0, math.log1p(c.readings),
                float(shape), float(c.start < first_line_end), float(c.start < 3),
                math.log(length) / 7.0, float(post.text[c.start:c.end].isupper()),
                float(c.end >= len(post.text.rstrip(" .!\n")) - 1)]
        rows.append(row)
    return rows


class Featurizer:
    """Fitted on training posts only (vocabulary, idf, scaling)."""

    def __init__(self, rule_features: bool = True) -> None:
        self.rule_features = rule_features
        opts = {"analyzer": "char", "ngram_range": (2, 4), "min_df": 2, "sublinear_tf": True,
                "max_features": 60000, "dtype": np.float32}
        self.left = TfidfVectorizer(**opts)
        self.right = TfidfVectorizer(**opts)
        self.scaler = StandardScaler()

    def _parts(self, posts: list[Post]) -> tuple[list[str], list[str], np.ndarray]:
        left, right, dense = [], [], []
        for p in posts:
            lw, rw = _windows(p)
            left += lw
            right += rw
            dense += _dense(p, self.rule_features)
        return left, right, np.asarray(dense, dtype=np.float64)

    def fit_transform(self, posts: list[Post]) -> sp.csr_matrix:
        left, right, dense = self._parts(posts)
        return sp.hstack([self.left.fit_transform(left), self.right.fit_transform(right),
                          sp.csr_matrix(self.scaler.fit_transform(dense))]).tocsr()

    def transform(self, posts: list[Post]) -> sp.csr_matrix:
        left, right, dense = self._parts(posts)
        return sp.hstack([self.left.transform(left), self.right.transform(right),
                          sp.csr_matrix(self.scaler.transform(dense))]).tocsr()


def labels(posts: list[Post]) -> np.ndarray:
    return np.asarray([float(c.country == p.gold) for p in posts for c in p.cands])


def fit(posts: list[Post], c_value: float, rule_features: bool
        ) -> tuple[Featurizer, LogisticRegression]:
    feat = Featurizer(rule_features)
    x = feat.fit_transform(posts)
    model = LogisticRegression(C=c_value, solver="liblinear", max_iter=2000,
                               random_state=0)
    model.fit(x, labels(posts))
    return feat, model


# A post's score under each decision: (country, probability)
#   argmax: the candidate with the highest probability gives its country;
#   veto:   the rules' country stands when the best probability among the candidates of that
#           country is high enough, else none (recall can only fall).
DECISIONS = ("argmax", "veto")


def per_post(posts: list[Post], probs: np.ndarray) -> list[dict[str, tuple[str | None, float]]]:
    out, k = [], 0
    for p in posts:
        n = len(p.cands)
        if n == 0:
            out.append({d: (None, 0.0) for d in DECISIONS})
            continue
        chunk = probs[k:k + n]
        j = int(np.argmax(chunk))
        rules_p = max((float(chunk[i]) for i, c in enumerate(p.cands) if c.country == p.rules),
                      default=0.0)
        out.append({"argmax": (p.cands[j].country, float(chunk[j])),
                    "veto": (p.rules, rules_p if p.rules else 0.0)})
        k += n
    return out


def predict(feat: Featurizer, model: LogisticRegression, posts: list[Post]) -> list[dict]:
    with_cands = [p for p in posts if p.cands]
    probs = model.predict_proba(feat.transform(with_cands))[:, 1] if with_cands else np.zeros(0)
    return per_post(posts, probs)


# ---------------------------------------------------------------- scoring and selection

def _pr(golds: list, best: list[tuple[str | None, float]], t: float) -> tuple[float, float, float]:
    right = sum(1 for g, (c, p) in zip(golds, best) if c and p > t and c == g)
    predicted = sum(1 for c, p in best if c and p > t)
    gold = sum(1 for g in golds if g)
    prec = right / predicted if predicted else 1.0
    rec = right / gold if gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def thresholds(golds: list, best: list[tuple[str | None, float]]) -> dict:
    """The F1 threshold and the precision-first one (most recall at precision >= target),
    from out-of-fold probabilities of the TRAINING posts."""
    grid = [0.0] + [round(float(t), 2) for t in np.arange(0.05, 0.96, 0.01)]
    stats = [(t, *_pr(golds, best, t)) for t in grid]
    f1_t, f1_p, f1_r, f1 = max(stats, key=lambda s: (s[3], -s[0]))
    ok = [s for s in stats if s[1] >= PRECISION_TARGET]
    prec_t = max(ok, key=lambda s: (s[2], -s[0]))[0] if ok else grid[-1]
    return {"f1": f1_t, "precision_first": prec_t, "inner_f1": round(f1, 3),
            "inner_precision_at_f1": round(f1_p, 3), "inner_recall_at_f1": round(f1_r, 3)}


def inner_select(train: list[Post], groups: list[str], rule_features: bool) -> dict:
    """C (by the argmax decision's F1) and each decision's thresholds, from out-of-fold
    probabilities inside ``train`` only."""
    by_group: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by_group[g].append(i)
    golds = [p.gold for p in train]
    found = {}
    for c_value in C_GRID:
        oof: list[dict] = [{}] * len(train)
        for g, idx in by_group.items():
            inner_train = [train[i] for i in range(len(train)) if groups[i] != g]
            feat, model = fit(inner_train, c_value, rule_features)
            for i, res in zip(idx, predict(feat, model, [train[i] for i in idx])):
                oof[i] = res
        found[c_value] = {d: thresholds(golds, [r[d] for r in oof]) for d in DECISIONS}
    c_best = max(C_GRID, key=lambda c: (found[c]["argmax"]["inner_f1"], -abs(math.log(c))))
    return {"C": c_best, **found[c_best],
            "inner_argmax_f1_by_C": {str(c): found[c]["argmax"]["inner_f1"] for c in C_GRID}}


def evaluate(posts: list[Post], outer_key, inner_key, label: str, rule_features: bool) -> dict:
    """Outer folds by ``outer_key``; inside each, C and thresholds by ``inner_key`` groups."""
    folds = sorted({outer_key(p) for p in posts})
    result: dict = {"rule_features": rule_features, "folds": {}}
    names = ["rules"] + [f"{d}_{m}" for d in DECISIONS for m in ("f1", "precision_first")]
    pooled: dict[str, list] = {n: [] for n in names}
    by_lang: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    cpu_total, n_timed = 0.0, 0
    for fold in folds:
        test = [p for p in posts if outer_key(p) == fold]
        train = [p for p in posts if outer_key(p) != fold]
        t0 = time.perf_counter()
        chosen = inner_select(train, [inner_key(p) for p in train], rule_features)
        feat, model = fit(train, chosen["C"], rule_features)
        c0 = time.process_time()
        res = predict(feat, model, test)
        cpu = time.process_time() - c0
        cpu_total += cpu
        n_timed += len(test)
        pairs = {"rules": [(p.gold, p.rules) for p in test]}
        for d in DECISIONS:
            for m in ("f1", "precision_first"):
                t = chosen[d][m]
                pairs[f"{d}_{m}"] = [(p.gold, r[d][0] if r[d][0] and r[d][1] > t else None)
                                     for p, r in zip(test, res)]
        ceiling = [(p.gold, p.gold if p.gold in {c.country for c in p.cands} else None)
                   for p in test]
        fold_out: dict = {name: score(pr) for name, pr in pairs.items()}
        fold_out["candidate_ceiling_recall"] = score(ceiling)["recall"]
        fold_out["chosen_in_training"] = chosen
        fold_out["filter_cpu_ms_per_post"] = round(1000 * cpu / max(1, len(test)), 4)
        fold_out["wall_s_fold"] = round(time.perf_counter() - t0, 1)
        langs: dict = defaultdict(dict)
        for name, pr in pairs.items():
            pooled[name] += pr
            grouped = defaultdict(list)
            for p, pair in zip(test, pr):
                grouped[p.lang].append(pair)
                by_lang[name][p.lang].append(pair)
            for lang, g in grouped.items():
                langs[lang][name] = score(g)
        fold_out["by_lang"] = dict(sorted(langs.items()))
        result["folds"][fold] = fold_out
        line = " ".join(f"{n} {fold_out[n]['precision']}/{fold_out[n]['recall']}" for n in names)
        print(f"[{label}] {fold}: {line} C={chosen['C']} t(argmax f1/pf)="
              f"{chosen['argmax']['f1']}/{chosen['argmax']['precision_first']} "
              f"t(veto f1/pf)={chosen['veto']['f1']}/{chosen['veto']['precision_first']} "
              f"({fold_out['wall_s_fold']} s)", flush=True)
    result["pooled"] = {name: score(pr) for name, pr in pooled.items()}
    result["pooled_by_lang"] = {lang: {name: score(by_lang[name][lang]) for name in names}
                                for lang in sorted(by_lang["rules"])}
    result["filter_cpu_ms_per_post"] = round(1000 * cpu_total / max(1, n_timed), 4)
    return result


def candidate_stats(posts: list[Post]) -> dict:
    n = sum(len(p.cands) for p in posts)
    stages = defaultdict(int)
    for p in posts:
        for c in p.cands:
            stages[c.stage] += 1
    return {"posts": len(posts), "candidates": n, "by_stage": dict(stages),
            "posts_without_candidates": sum(1 for p in posts if not p.cands),
            "positive_candidates": int(labels(posts).sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument("--skip-language", action="store_true",
                        help="only the leave-one-set-out evaluation")
    parser.add_argument("--variant", choices=("full", "context_only"))
    args = parser.parse_args()
    geoparser()  # load the gazetteer before timing anything
    c0 = time.process_time()
    posts = load_posts()
    cand_ms = 1000 * (time.process_time() - c0) / len(posts)
    summary: dict = {"experiment": "learned filter over geoparser candidates (not wired in)",
                     "candidates": candidate_stats(posts),
                     "candidate_extraction_plus_locate_text_cpu_ms_per_post": round(cand_ms, 4)}
    for variant, rule_features in (("full", True), ("context_only", False)):
        if args.variant and variant != args.variant:
            continue
        summary[f"leave_one_set_out/{variant}"] = evaluate(
            posts, lambda p: p.set, lambda p: p.set, f"set/{variant}", rule_features)
        if not args.skip_language and variant == "context_only":
            # only for the context-only variant (the full one learns to trust the rules);
            # inner folds: 5 fixed groups of languages (not one per language: modest CPU)
            summary[f"leave_one_language_out/{variant}"] = evaluate(
                posts, lambda p: p.lang, lambda p: str(LANG_GROUP.get(p.lang, 0)),
                f"lang/{variant}", rule_features)
    summary["load_average"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(summary, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
