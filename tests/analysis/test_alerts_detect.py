"""Spike and change-point detection (analysis/monitoring/detect.py): planted spikes are found,
noise and collection effort are not read as trade, Benjamini-Hochberg is the textbook one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wildsift.analysis.monitoring.detect import (
    DetectSettings,
    benjamini_hochberg,
    detect,
    predictive_tail,
)

WEEKS = pd.date_range("2024-01-01", periods=60, freq="W-MON")


def _noise(n_series: int, rate: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.poisson(rate, (len(WEEKS), n_series)), index=WEEKS,
                        columns=[f"s{i}" for i in range(n_series)])


def test_benjamini_hochberg_matches_the_step_up_definition():
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5])
    # sorted: 0.005 0.01 0.03 0.04 0.5 -> p*m/rank: 0.025 0.025 0.05 0.05 0.5, then cummin from top
    assert benjamini_hochberg(p) == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])
    assert benjamini_hochberg(np.array([])).size == 0


def test_predictive_tail_is_the_negative_binomial_tail():
    from scipy.stats import nbinom

    got = predictive_tail(np.array([7.0]), np.array([16.0]), np.array([8.0]), np.array([1.0]), 0.5)
    assert got[0] == pytest.approx(nbinom.sf(6, 16.5, 8 / 9), rel=1e-9)


def test_a_planted_spike_is_found_where_it_was_planted():
    counts = _noise(20, 3.0, 0)
    counts.loc[WEEKS[40], "s7"] += 15
    found = detect(counts)
    spikes = [(f.series, f.start) for f in found if f.kind == "spike"]
    assert ("s7", WEEKS[40]) in spikes
    assert len(found) <= 2  # 20 series x 60 weeks of noise: at most a stray alert


def test_pure_noise_gives_few_false_alarms():
    found = detect(_noise(200, 4.0, 1))  # 200 series-years of weekly noise, scaled: ~230
    assert len(found) <= 10


def test_an_outage_and_its_recovery_are_not_trade_alerts():
    counts = _noise(1, 6.0, 2)
    effort = pd.DataFrame(1.0, index=WEEKS, columns=counts.columns)
    counts.iloc[30:33, 0] = 0  # nothing collected for three weeks
    effort.iloc[30:33, 0] = 0.0
    assert detect(counts, effort) == []


def test_a_new_query_is_not_a_spike_when_effort_is_given():
    counts = _noise(1, 5.0, 3)
    effort = pd.DataFrame(1.0, index=WEEKS, columns=counts.columns)
    rng = np.random.default_rng(4)
    counts.iloc[35:, 0] = rng.poisson(10.0, len(WEEKS) - 35)  # twice the posts from week 35 ...
    effort.iloc[35:, 0] = 2.0  # ... because twice as much is collected
    assert detect(counts, effort) == []
    without = detect(counts)  # the same counts without the effort series look like a change
    assert without and all(f.start >= WEEKS[31] for f in without)


def test_a_sustained_shift_is_a_change_point_and_one_spike_is_not():
    counts = _noise(2, 4.0, 5)
    rng = np.random.default_rng(6)
    counts.iloc[40:, 0] = rng.poisson(14.0, len(WEEKS) - 40)
    counts.iloc[30, 1] += 30
    found = detect(counts)
    shifts = [f for f in found if f.kind == "change_point"]
    assert any(f.series == "s0" and f.direction == "up" and WEEKS[36] <= f.start <= WEEKS[41]
               for f in shifts)
    assert not any(f.series == "s1" for f in shifts)
    assert any(f.series == "s1" and f.kind == "spike" and f.start == WEEKS[30] for f in found)


def test_since_limits_what_is_reported_not_the_baseline():
    counts = _noise(3, 3.0, 7)
    counts.loc[WEEKS[20], "s1"] += 20
    counts.loc[WEEKS[50], "s2"] += 20
    found = detect(counts, since=WEEKS[45])
    assert ("s2", WEEKS[50]) in [(f.series, f.start) for f in found if f.kind == "spike"]
    assert all(f.start >= WEEKS[45] for f in found)
    assert ("s1", WEEKS[20]) in [(f.series, f.start) for f in detect(counts)]


def test_stricter_alpha_never_finds_more():
    counts = _noise(30, 3.0, 8)
    counts.iloc[25, 3] += 9
    loose = detect(counts, settings=DetectSettings(alpha=0.2))
    strict = detect(counts, settings=DetectSettings(alpha=0.001))
    assert {(f.series, f.start) for f in strict} <= {(f.series, f.start) for f in loose}
