"""Alerts on a SYNTHETIC benchmark with planted spikes and planted collection outages (issue 13,
item 4: recall >= 0.9 at <= 1 false alarm per series-year).

Each series is a weekly count of kept posts (think taxon x country x platform) over ``--years``:
a base rate drawn log-uniform in [``--rate-min``, ``--rate-max``] posts a week, a yearly season
of +-30%, over-dispersed noise (Gamma-Poisson, shape 20), times the collection effort of its
platform. Each platform's effort has planted outages (one to three weeks at 0-20% of usual) and
a new query (effort x2 from a random week on); the detector sees the effort measured as a
platform's weekly count of all collected posts (1,000 a week at usual effort, Poisson) over its
median, as ``wildsift alerts`` measures it from the store. Spikes are planted on random weeks
(about one a series-year): the week's rate is multiplied by ``--spike-factor`` with at least
``--spike-min`` extra posts expected.

A spike counts as found when a spike alert names its series and week. A false alarm is any
alert (spike or change point) whose window holds no planted spike of its series.

    python benchmarks/bench_alerts.py --series 500 --years 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wildsift.analysis.monitoring.detect import DetectSettings, detect


def make_benchmark(series: int, years: float, seed: int, *, rate_min: float, rate_max: float,
                   spike_factor: float, spike_min: float, platforms: int = 6):
    """(counts, measured effort ratios, planted spikes {(series, week)}, outage weeks)."""
    rng = np.random.default_rng(seed)
    weeks = round(52 * years)
    index = pd.date_range("2023-01-02", periods=weeks, freq="W-MON")
    effort = np.ones((platforms, weeks))
    outages = set()
    for p in range(platforms):
        for _ in range(max(1, round(years))):
            start, length = int(rng.integers(10, weeks - 4)), int(rng.integers(1, 4))
            effort[p, start:start + length] = rng.uniform(0.0, 0.2)
            outages |= {(p, w) for w in range(start, start + length)}
        effort[p, int(rng.integers(10, weeks - 10)):] *= 2.0  # a new query from that week on
    measured = rng.poisson(1000 * effort) / 1000.0
    measured /= np.median(measured, axis=1, keepdims=True)
    names = [f"s{i:04d}" for i in range(series)]
    counts = np.zeros((weeks, series))
    ratios = np.zeros((weeks, series))
    planted = set()
    season = 1 + 0.3 * np.sin(2 * np.pi * np.arange(weeks) / 52 + rng.uniform(0, 2 * np.pi))
    for i in range(series):
        p = int(rng.integers(platforms))
        rate = np.exp(rng.uniform(np.log(rate_min), np.log(rate_max)))
        mean = rate * season * effort[p]
        for _ in range(rng.poisson(years)):
            w = int(rng.integers(12, weeks))
            if effort[p, w] < 0.5:
                continue  # a spike during an outage is not collected
            mean = mean.copy()
            mean[w] = max(mean[w] * spike_factor, mean[w] + spike_min)
            planted.add((names[i], index[w]))
        counts[:, i] = rng.poisson(rng.gamma(20.0, mean / 20.0))
        ratios[:, i] = measured[p]
    return (pd.DataFrame(counts, index=index, columns=names),
            pd.DataFrame(ratios, index=index, columns=names), planted, outages)


def score(findings, planted, series: int, years: float) -> dict:
    found = {(f.series, f.start) for f in findings if f.kind == "spike"}
    hits = planted & found
    false = 0
    for f in findings:
        if not any((f.series, w) in planted for w in pd.date_range(f.start, f.end, freq="W-MON")):
            false += 1
    return {"planted": len(planted), "found": len(hits),
            "recall": len(hits) / len(planted) if planted else None,
            "alerts": len(findings), "false_alarms": false,
            "false_per_series_year": false / (series * years),
            "change_points": sum(f.kind == "change_point" for f in findings)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rate-min", type=float, default=1.0)
    parser.add_argument("--rate-max", type=float, default=30.0)
    parser.add_argument("--spike-factor", type=float, nargs="+", default=[2.0, 3.0, 4.0, 5.0, 6.0],
                        help="One benchmark per factor (the same series, noise and outages).")
    parser.add_argument("--spike-min", type=float, default=8.0)
    parser.add_argument("--alpha", type=float, default=DetectSettings.alpha)
    parser.add_argument("--no-effort", action="store_true",
                        help="Do not give the detector the effort series (to see what it buys).")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args(argv)
    settings = DetectSettings(alpha=args.alpha)
    rows, wall, cpu = [], 0.0, 0.0
    for factor in args.spike_factor:
        counts, ratios, planted, _ = make_benchmark(
            args.series, args.years, args.seed, rate_min=args.rate_min, rate_max=args.rate_max,
            spike_factor=factor, spike_min=args.spike_min)
        w0, c0 = time.perf_counter(), time.process_time()
        findings = detect(counts, None if args.no_effort else ratios, settings)
        wall, cpu = wall + time.perf_counter() - w0, cpu + time.process_time() - c0
        rows.append({"spike": f"x{factor:g}, >= +{args.spike_min:g} posts",
                     **score(findings, planted, args.series, args.years)})
    out = {"series": args.series, "years": args.years, "seed": args.seed,
           "rates": [args.rate_min, args.rate_max], "alpha": args.alpha,
           "effort": not args.no_effort, "results": rows,
           "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "load_average": [round(v, 1) for v in os.getloadavg()]}
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
