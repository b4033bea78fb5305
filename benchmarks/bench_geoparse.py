"""Where posts are (issue 12 item 1): country precision and recall, and CPU time per post.

Sets:
- ``shark-location``: the real ``location`` column of the marketplace shark ads
  (``/work/shared/datasets/marketplace-ads/validation_sharks.csv``, 276 non-empty rows; read in
  place, never copied). Gold: the last comma-separated part ("Spartanburg, South Carolina,
  United States" -> US), mapped by :data:`GOLD_NAMES`, written by hand. Resolved as a profile
  location would be (:func:`wildsift.places.resolve.locate_field`).
- ``shark-location-no-country``: the same strings without their last part ("Spartanburg, South
  Carolina"), which the resolver must place from the city and state alone.
- ``multilingual`` and ``multilingual-holdout``: our own SYNTHETIC ads
  (``tests/fixtures/places/``, made by ``benchmarks/make_places_set.py``; 11 languages x 120);
  the holdout was written after the guards were tuned on the first (see that script).
- ``multilingual-holdout-2``: our own SYNTHETIC posts written one by one by hand, without
  templates, before their author read the geoparser (9 languages x 101-110, 930 posts; gold:
  where the post places the seller or the item, null for a destination only, a product named
  after a place, a person's name or a nationality). ``--misses`` lists its errors.
- ``multilingual-holdout-3``: 800 posts (8 languages x 100), written blind, with the same
  conventions, by someone who read neither the geoparser nor the other sets; measured once,
  after the rules that holdout 2's misses prompted.
- ``multilingual-holdout-4``: 800 posts (8 languages x 100, 360 without a place), written blind
  the same way on 7 Dec 2026; measured once, after the rules that holdout 3's misses prompted.

- ``multilingual-holdout-5``: 800 posts written blind the same way, kept outside the repository
  until the learned filter was chosen, then measured once (7 Dec 2026); since then a fixture.
- ``multilingual-train-a`` ... ``-o``: fifteen sets of 400 posts (8 languages x 50) written
  blind the same way to train the learned place filter (a-f on the morning of 7 Dec 2026, g-l
  in the evening, m-o that night: places in several roles, places outside each language's
  biggest country, small and informal places).

Each multilingual set is scored four ways: ``rules`` (``locate_text``, the geoparser's rules
alone), ``learned`` (``place_filter.locate_texts``: the shipped filter deciding among the
rules' candidates, what the location stage runs by default), ``learned-e5`` (the same with
sentence embeddings) and ``cascade`` (``learned``, then ``learned-e5`` where it is unsure;
``[identify] text_places``); a method with no shipped model gives the rules' answers (the
cascade, the one filter shipped). The
filters were trained on every set above but the shark ads, so their figures on them are NOT
held out (``python -m wildsift.places.train_filter`` gives the
out-of-fold ones); ``--file PATH`` scores another labelled JSONL (a blind set kept outside
the repository, such as the sixth).

Precision = right countries / posts given a country; recall = right countries / posts with a
gold country. Timing: CPU time (``time.process_time``) of ``locate_text`` and of
``locate_texts`` (in batches of 256, as the stage calls it) over the multilingual texts and
over the shark ads' title + description (real, long texts), after the gazetteer and the model
are loaded (their load is timed apart). Run: ``python benchmarks/bench_geoparse.py [--csv
PATH] [--file PATH]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import time
from collections import defaultdict
from pathlib import Path

from wildsift.places.gazetteer import load_gazetteer
from wildsift.places.place_filter import MODELS, locate_texts, place_filter
from wildsift.places.resolve import locate_field
from wildsift.places.train_filter import (  # precision and recall, as training counts
    ABSORBED,
    FIXTURES,
    UNABSORBED,
    score,
)

SHARKS = Path("/work/shared/datasets/marketplace-ads/validation_sharks.csv")
# the sets training reads, under this benchmark's names ("multilingual" for the tuned set)
SETS = {("multilingual" if name == "tuned" else "multilingual-holdout" if name == "holdout-1"
         else f"multilingual-{name}"): FIXTURES / file
        for name, file in {**ABSORBED, **UNABSORBED}.items()}
BATCH = 256
MODES = ("rules", "learned", "learned-e5", "cascade")
GOLD_NAMES = {"United States": "US", "China": "CN", "United Kingdom": "GB", "Japan": "JP",
              "Germany": "DE", "France": "FR", "Canada": "CA", "Hong Kong": "HK",
              "Panama": "PA", "Ukraine": "UA"}


def shark_sets(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["location"].strip()]
    full, stripped = [], []
    for row in rows:
        parts = [p.strip() for p in row["location"].split(",")]
        gold = GOLD_NAMES[parts[-1]]
        found = locate_field(row["location"])
        full.append((gold, found.country if found else None))
        if len(parts) > 1:
            found = locate_field(", ".join(parts[:-1]))
            stripped.append((gold, found.country if found else None))
    return {"shark-location": score(full), "shark-location-no-country": score(stripped)}


def rows_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def located(rows: list[dict], mode: str) -> list[str | None]:
    """Each row's country under ``mode`` (the learned filter scores in batches)."""
    out: list[str | None] = []
    for i in range(0, len(rows), BATCH):
        chunk = rows[i:i + BATCH]
        found = locate_texts([r["text"] for r in chunk], [r["lang"] for r in chunk],
                             method=mode)
        out += [f.country if f else None for f in found]
    return out


def multilingual(path: Path, misses: bool = False) -> dict[str, dict]:
    rows = rows_of(path)
    out: dict[str, dict] = {}
    for mode in MODES:
        by_lang: dict[str, list] = defaultdict(list)
        for row, got in zip(rows, located(rows, mode)):
            by_lang[row["lang"]].append((row["country"], got))
            if misses and got != row["country"]:
                print(f"MISS[{mode}] {row['lang']} want {row['country']} got {got}: "
                      f"{row['text']}")
        out[mode] = {lang: score(pairs) for lang, pairs in sorted(by_lang.items())}
        out[mode]["all"] = score([p for pairs in by_lang.values() for p in pairs])
    return out


def timing(texts: list[tuple[str, str | None]], repeats: int, mode: str = "rules") -> dict:
    rows = [{"text": text, "lang": lang} for text, lang in texts]
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    for _ in range(repeats):
        located(rows, mode)
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    n = len(texts) * repeats
    return {"posts": n, "cpu_ms_per_post": round(1000 * cpu / n, 4),
            "wall_ms_per_post": round(1000 * wall / n, 4),
            "mean_chars": round(sum(len(t) for t, _ in texts) / max(1, len(texts)))}


def ads_speed(path: Path, repeats: int, modes: tuple[str, ...] = MODES) -> dict:
    """Each method's time a post on the real ads' title + description (long texts: 1,372
    characters on average), the models loaded and the texts read once before the clock."""
    with path.open(encoding="utf-8", newline="") as handle:
        ads = [(f"{r['title']}\n{r['description']}", None) for r in csv.DictReader(handle)]
    out = {}
    for mode in modes:
        timing(ads[:20], 1, mode)  # warm: the geoparser's memo, the sentence model
        out[f"timing_shark_ads_text_{mode}"] = timing(ads, repeats, mode)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=SHARKS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", choices=sorted(SETS), help="score this multilingual set only")
    parser.add_argument("--misses", action="store_true",
                        help="list the wrong posts of the set(s) scored")
    parser.add_argument("--file", type=Path,
                        help="score this labelled JSONL (id, lang, text, country) only")
    parser.add_argument("--ads-speed", action="store_true",
                        help="only time each method on the shark ads' title + description")
    parser.add_argument("--method", choices=MODES, action="append",
                        help="with --ads-speed: time only this method (repeatable); run "
                             "before/after trees interleaved, the machine's speed wanders")
    args = parser.parse_args()
    start = time.process_time()
    load_gazetteer()
    result: dict = {"gazetteer_load_cpu_s": round(time.process_time() - start, 2)}
    for mode in MODELS:  # the shipped filters (the cascade runs both)
        start = time.process_time()
        model = place_filter(mode)
        result[f"place_filter_{mode}"] = (
            {k: model.meta.get(k) for k in ("trained_on", "pool", "C")}
            | {"decision": model.decision, "threshold": model.threshold,
               "load_cpu_s": round(time.process_time() - start, 2)}
            if model else "none shipped: same as rules")
    if args.ads_speed:
        result.update(ads_speed(args.csv, args.repeats, tuple(args.method or MODES)))
        print(json.dumps(result, indent=1))
        return
    chosen = {args.file.name: args.file} if args.file else {
        name: path for name, path in SETS.items() if not args.only or name == args.only}
    for name, path in chosen.items():
        result[name] = multilingual(path, args.misses)
    if args.only or args.file:
        rows = rows_of(next(iter(chosen.values())))
        for mode in MODES:
            result[f"timing_{mode}"] = timing([(r["text"], r["lang"]) for r in rows],
                                              args.repeats, mode)
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(result, indent=1))
        return
    texts = [(r["text"], r["lang"]) for path in SETS.values() for r in rows_of(path)]
    for mode in MODES:
        result[f"timing_multilingual_{mode}"] = timing(texts, args.repeats, mode)
    if args.csv.exists():
        result.update(shark_sets(args.csv))
        result.update(ads_speed(args.csv, max(1, args.repeats // 2)))
    else:
        result["shark-location"] = f"skipped: {args.csv} not found"
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
