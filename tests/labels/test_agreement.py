"""Agreement per field: Krippendorff's alpha against the published worked examples, Cohen's
kappa pairs against scikit-learn, and the cases where a figure is undefined."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from wildsift.labels.agreement import agreement, field_agreement


def _frame(coders: dict[str, list], field: str = "relevant") -> pd.DataFrame:
    rows = [(unit, field, value, coder, None)
            for coder, values in coders.items()
            for unit, value in enumerate(values, start=1) if value is not None]
    return pd.DataFrame(rows, columns=["post_pk", "field", "value", "annotator", "created_at"])


def test_alpha_matches_krippendorffs_nominal_example_with_missing_values():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    # observers, twelve units, missing values; nominal alpha = 0.743
    coders = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    result = field_agreement(_frame(coders, "intent"), "intent")
    assert result.alpha == pytest.approx(0.743, abs=5e-4)
    assert result.annotators == 4 and result.posts == 12 and result.labels == 41
    assert result.pairable_posts == 11  # unit 12 has one value: it cannot be paired


def test_alpha_matches_krippendorffs_binary_two_observer_example():
    # Krippendorff (2011), section A: two observers, ten units, binary; alpha = 0.095
    coders = {"A": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], "B": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]}
    assert field_agreement(_frame(coders), "relevant").alpha == pytest.approx(0.095, abs=5e-4)


def test_kappa_matrix_is_sklearns_kappa_on_the_posts_both_labelled():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, 60)
    a = truth.copy()
    b = np.where(rng.random(60) < 0.8, truth, 1 - truth)
    c = [v if i % 3 else None for i, v in enumerate(np.where(rng.random(60) < 0.6, truth,
                                                             1 - truth))]
    result = field_agreement(_frame({"a": list(a), "b": list(b), "c": c}), "relevant")
    assert result.kappa.loc["a", "b"] == pytest.approx(cohen_kappa_score(a, b))
    both = [i for i, v in enumerate(c) if v is not None]
    assert result.overlap.loc["a", "c"] == len(both) == 40
    assert result.kappa.loc["c", "a"] == pytest.approx(
        cohen_kappa_score(a[both], [c[i] for i in both]))
    assert (result.kappa.to_numpy() == result.kappa.to_numpy().T).all()


def test_spellings_of_one_answer_agree_and_one_value_throughout_is_undefined():
    frame = _frame({"a": ["yes", "no", "1", "0"], "b": ["1", "0", "true", "false"]})
    assert field_agreement(frame, "relevant").alpha == pytest.approx(1.0)
    same = _frame({"a": ["1", "1", "1"], "b": ["1", "1", "1"]})
    result = field_agreement(same, "relevant")
    assert result.alpha is None and math.isnan(result.kappa.loc["a", "b"])
    lone = field_agreement(_frame({"a": ["1", "0"]}), "relevant")
    assert lone.alpha is None and lone.pairable_posts == 0


def test_report_covers_each_judged_field_and_is_json_ready():
    frame = pd.concat([_frame({"a": ["1", "0", "1"], "b": ["1", "1", "1"]}),
                       _frame({"a": ["offer", "news"], "b": ["offer", "news"]}, "intent"),
                       _frame({"a": ["random", "uncertain"]}, "queue_reason")])
    report = agreement(frame)
    assert list(report.fields) == ["intent", "relevant"]  # queue_reason is bookkeeping
    document = report.to_dict()
    assert document["fields"]["intent"]["alpha"] == pytest.approx(1.0)
    assert document["fields"]["relevant"]["values"] == {"0": 1, "1": 5}
    assert document["fields"]["relevant"]["overlap"]["a"]["b"] == 3
