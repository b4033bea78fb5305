"""Spikes and change points in count series, normalised by collection effort, with a false
discovery control across every series and period tested.

Why this test: counts of kept posts per week are small and often zero, so a z-score on them
misleads; a Poisson rate estimated from a short baseline is itself uncertain. Each period is
therefore tested against the *predictive* distribution of its count given the baseline: with a
Gamma(a, 0) prior on the rate per unit of effort and S posts over effort E in the baseline, the
next count at effort e is negative binomial (r = S + a, p = (E) / (E + e)). Its upper tail is the
p-value of a spike. A change point (a sustained shift up or down) is the same test on the sum of
``shift_periods`` periods, counted only when it stays significant without the window's largest
period (one spike is not a shift). Every p-value of every series goes through Benjamini-Hochberg
at ``alpha``, so the share of false alerts among all alerts is bounded, however many series a
study watches.

Effort is a multiplier per (series, period): 1.0 when unknown, else how much was collected in
that period relative to usual (``series.effort_ratios``). A period with no effort is not tested
(an outage is not a drop in trade), and a period whose effort jumped or fell by more than
``effort_jump`` against its baseline is set aside (a new query or an outage's backlog is not a
trade spike); both are reported as effort alerts by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import betainc


@dataclass(frozen=True)
class DetectSettings:
    """How series are tested (``[alerts]`` in wildsift.toml holds the same names)."""

    baseline_periods: int = 8  # periods before the tested one that make its baseline
    min_history: int = 4  # periods of baseline needed before a period is tested
    min_count: int = 3  # a period with fewer posts is never an alert (nor tested)
    alpha: float = 0.1  # Benjamini-Hochberg false discovery rate over all tests
    shift_periods: int = 4  # length of the window a change point is tested over
    effort_jump: float = 3.0  # effort more than x times (or under 1/x) its baseline: set aside
    prior: float = 0.5  # Gamma shape of the rate prior (Jeffreys)


@dataclass
class Finding:
    """One significant test: a spike at ``start`` or a change point over [start, end]."""

    kind: str  # "spike" | "change_point"
    series: str
    start: pd.Timestamp
    end: pd.Timestamp
    observed: int
    expected: float
    p: float
    q: float
    direction: str = "up"


def predictive_tail(observed: np.ndarray, base_sum: np.ndarray, base_effort: np.ndarray,
                    effort: np.ndarray, prior: float, upper: bool = True,
                    dispersion: np.ndarray | float = 1.0) -> np.ndarray:
    """P(X >= observed) (``upper``) or P(X <= observed) under the negative binomial predictive.

    ``dispersion`` (phi >= 1) scales counts down as a quasi-Poisson model does: real series
    vary more than Poisson (a seller posts in bursts), and without it a busy series alerts on
    its ordinary noise. The tails are the regularised incomplete beta, so scaled (non-integer)
    counts keep exact tails: P(X >= k) = I_{1-p}(k, r) and P(X <= k) = I_p(r, k + 1).
    """
    phi = np.asarray(dispersion, dtype=float)
    k = np.asarray(observed, dtype=float) / phi
    r = np.asarray(base_sum, dtype=float) / phi + prior
    p = base_effort / (base_effort + effort)
    if upper:
        return np.where(k > 0, betainc(np.maximum(k, 1e-12), r, 1 - p), 1.0)
    return betainc(r, k + 1, p)


def dispersion(counts: np.ndarray, effort: np.ndarray, settings: DetectSettings) -> float:
    """A series' over-dispersion phi >= 1: the median Pearson residual of each period against
    its baseline, over the median of a chi-square with one degree of freedom (0.455). The median
    keeps the spikes being looked for from inflating it."""
    end = np.arange(len(counts))
    base_sum, base_eff, n_base = _baseline(counts, effort, end, settings.baseline_periods)
    ok = (effort > 0) & (base_eff > 0) & (n_base >= settings.min_history)
    if ok.sum() < 8:
        return 1.0
    mu = (base_sum[ok] + settings.prior) * effort[ok] / base_eff[ok]
    variance = mu * (1 + effort[ok] / base_eff[ok])  # the predictive's: the baseline is short
    pearson = (counts[ok] - mu) ** 2 / variance
    return float(max(1.0, np.median(pearson) / 0.455))


def benjamini_hochberg(pvalues: np.ndarray) -> np.ndarray:
    """Adjusted p-values (q-values) of Benjamini & Hochberg (1995), step-up."""
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def _baseline(counts: np.ndarray, effort: np.ndarray, end: np.ndarray, periods: int):
    """Baseline sums of counts and effort over the ``periods`` before each ``end`` index."""
    cc = np.concatenate([[0.0], np.cumsum(counts)])
    ce = np.concatenate([[0.0], np.cumsum(effort)])
    lo = np.maximum(end - periods, 0)
    return cc[end] - cc[lo], ce[end] - ce[lo], end - lo


def cleaned(counts: np.ndarray, effort: np.ndarray, settings: DetectSettings,
            level: float = 1e-3) -> np.ndarray:
    """Counts for baselines: a period far above its own baseline (upper tail < ``level``) is
    replaced by its expected count, so one spike does not hide the next for weeks nor inflate
    the dispersion. Periods are cleaned in time order, each against cleaned history."""
    out = counts.astype(float).copy()
    for i in range(settings.min_history, len(out)):
        lo = max(0, i - settings.baseline_periods)
        base_sum, base_eff = out[lo:i].sum(), effort[lo:i].sum()
        if effort[i] <= 0 or base_eff <= 0 or out[i] < settings.min_count:
            continue
        tail = predictive_tail(np.array([out[i]]), base_sum, base_eff, effort[i], settings.prior)
        if tail[0] < level:
            out[i] = (base_sum + settings.prior) * effort[i] / base_eff
    return out


def _usable(effort: np.ndarray, base_effort: np.ndarray, n_base: np.ndarray,
            settings: DetectSettings) -> np.ndarray:
    mean_base = np.where(n_base > 0, base_effort / np.maximum(n_base, 1), 0.0)
    ratio = np.where(mean_base > 0, effort / np.where(mean_base > 0, mean_base, 1.0), np.inf)
    steady = (ratio <= settings.effort_jump) & (ratio >= 1.0 / settings.effort_jump)
    return (effort > 0) & (base_effort > 0) & (n_base >= settings.min_history) & steady


def _spike_tests(name: str, index: pd.DatetimeIndex, counts: np.ndarray, effort: np.ndarray,
                 settings: DetectSettings) -> list[tuple]:
    end = np.arange(len(counts))
    clean = cleaned(counts, effort, settings)
    base_sum, base_eff, n_base = _baseline(clean, effort, end, settings.baseline_periods)
    ok = _usable(effort, base_eff, n_base, settings) & (counts >= settings.min_count)
    rows = []
    if ok.any():
        phi = dispersion(clean, effort, settings)
        p = predictive_tail(counts[ok], base_sum[ok], base_eff[ok], effort[ok], settings.prior,
                            dispersion=phi)
        expected = (base_sum[ok] + settings.prior) * effort[ok] / base_eff[ok]
        for i, pv, ex in zip(np.flatnonzero(ok), p, expected, strict=True):
            rows.append(("spike", name, index[i], index[i], int(counts[i]), float(ex), float(pv),
                         "up"))
    return rows


def _shift_tests(name: str, index: pd.DatetimeIndex, counts: np.ndarray, effort: np.ndarray,
                 settings: DetectSettings) -> list[tuple]:
    k = settings.shift_periods
    n = len(counts)
    if n < k + settings.min_history:
        return []
    starts = np.arange(settings.min_history, n - k + 1)
    clean = cleaned(counts, effort, settings)
    base_sum, base_eff, n_base = _baseline(clean, effort, starts, settings.baseline_periods)
    win = np.lib.stride_tricks.sliding_window_view(counts, k)[starts]
    win_eff = np.lib.stride_tricks.sliding_window_view(effort, k)[starts]
    total, total_eff = win.sum(axis=1), win_eff.sum(axis=1)
    ok = ((win_eff > 0).all(axis=1) & (base_eff > 0) & (n_base >= settings.min_history))
    mean_base = np.where(n_base > 0, base_eff / np.maximum(n_base, 1), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):  # no baseline effort: not tested
        ratio = win_eff / mean_base[:, None]
    ok &= ((ratio <= settings.effort_jump) & (ratio >= 1 / settings.effort_jump)).all(axis=1)
    rows = []
    if not ok.any():
        return rows
    args = (base_sum[ok], base_eff[ok])
    phi = dispersion(clean, effort, settings)
    up = predictive_tail(total[ok], *args, total_eff[ok], settings.prior, dispersion=phi)
    # one spike is not a shift: the window must stand out without its largest period too
    drop = win[ok].argmax(axis=1)
    rest = total[ok] - win[ok][np.arange(ok.sum()), drop]
    rest_eff = total_eff[ok] - win_eff[ok][np.arange(ok.sum()), drop]
    up = np.maximum(up, predictive_tail(rest, *args, rest_eff, settings.prior, dispersion=phi))
    down = predictive_tail(total[ok], *args, total_eff[ok], settings.prior, upper=False,
                           dispersion=phi)
    expected = (base_sum[ok] + settings.prior) * total_eff[ok] / base_eff[ok]
    for j, i in enumerate(np.flatnonzero(ok)):
        s = starts[i]
        lo, hi = index[s], index[s + k - 1]
        if total[i] >= settings.min_count * k // 2:
            rows.append(("change_point", name, lo, hi, int(total[i]), float(expected[j]),
                         float(up[j]), "up"))
        if expected[j] >= settings.min_count * k:  # a drop is testable only from enough posts
            rows.append(("change_point", name, lo, hi, int(total[i]), float(expected[j]),
                         float(down[j]), "down"))
    return rows


def _merge_runs(findings: list[Finding]) -> list[Finding]:
    """Overlapping change-point windows of one series and direction are one change: keep the
    most significant window of each run."""
    out: list[Finding] = []
    key = lambda f: (f.series, f.direction, f.start)
    for f in sorted(findings, key=key):
        last = out[-1] if out else None
        if (last is not None and last.series == f.series and last.direction == f.direction
                and f.start <= last.end):
            if f.p < last.p:
                out[-1] = Finding(f.kind, f.series, last.start, max(last.end, f.end), f.observed,
                                  f.expected, f.p, f.q, f.direction)
            else:
                last.end = max(last.end, f.end)
            continue
        out.append(f)
    return out


def detect(counts: pd.DataFrame, effort: pd.DataFrame | None = None,
           settings: DetectSettings | None = None, *, since: pd.Timestamp | None = None
           ) -> list[Finding]:
    """Spikes and change points in ``counts`` (index: regular periods; one column per series).

    ``effort``: same shape (missing cells = 1.0), the collection effort of each series and
    period relative to usual. ``since``: only periods from this one are reported (their
    baselines still use the earlier ones); the false discovery control runs over the tests in
    that range, so it does not depend on how far back the history goes.
    """
    settings = settings or DetectSettings()
    if counts.empty:
        return []
    effort = (pd.DataFrame(1.0, index=counts.index, columns=counts.columns) if effort is None
              else effort.reindex(index=counts.index, columns=counts.columns).fillna(1.0))
    rows: list[tuple] = []
    for name in counts.columns:
        c = counts[name].fillna(0).to_numpy(dtype=float)
        e = effort[name].to_numpy(dtype=float)
        rows += _spike_tests(str(name), counts.index, c, e, settings)
        rows += _shift_tests(str(name), counts.index, c, e, settings)
    if since is not None:
        rows = [r for r in rows if r[2] >= since]
    if not rows:
        return []
    q = benjamini_hochberg(np.array([r[6] for r in rows]))
    found = [Finding(r[0], r[1], r[2], r[3], r[4], r[5], r[6], float(qi), r[7])
             for r, qi in zip(rows, q, strict=True) if qi <= settings.alpha]
    spikes = [f for f in found if f.kind == "spike"]
    shifts = _merge_runs([f for f in found if f.kind == "change_point"])
    return sorted(spikes + shifts, key=lambda f: (f.start, f.series, f.kind))
