"""Gold questions: skill per volunteer from their answers on posts researchers settled."""

from __future__ import annotations

import pandas as pd
import pytest

from wildsift.labels.gold import GoldRate, gold_from_labels, skill_scores


def _labels(rows):
    return pd.DataFrame(rows, columns=["post_pk", "field", "value", "annotator", "created_at"])


def test_gold_is_what_the_experts_agree_on():
    labels = _labels([(1, "relevant", "1", "res1", None), (1, "relevant", "yes", "res2", None),
                      (2, "relevant", "1", "res1", None), (2, "relevant", "0", "res2", None),
                      (3, "intent", "offer", "res1", None), (3, "relevant", "0", "vol", None)])
    gold = gold_from_labels(labels, {"res1", "res2"})
    assert sorted(map(tuple, gold.to_numpy().tolist())) == [(1, "relevant", "1"),
                                                             (3, "intent", "offer")]


def test_skill_is_accuracy_on_gold_shrunk_for_few_answers():
    gold = pd.DataFrame({"post_pk": [1, 2, 3, 4], "field": "relevant",
                         "value": ["1", "0", "1", "0"]})
    labels = _labels(
        [(pk, "relevant", v, "careful", None) for pk, v in [(1, "1"), (2, "0"), (3, "1"), (4, "0")]]
        + [(pk, "relevant", v, "careless", None) for pk, v in [(1, "0"), (2, "0"), (3, "0"),
                                                                 (4, "1")]]
        + [(1, "relevant", "yes", "newcomer", None), (9, "relevant", "1", "newcomer", None)])
    table = skill_scores(labels, gold).set_index("annotator")
    assert table.loc["careful", "accuracy"] == 1.0 and table.loc["careful", "answered"] == 4
    assert table.loc["careless", "correct"] == 1
    assert table.loc["newcomer", "answered"] == 1  # post 9 is not gold
    assert table.loc["careful", "skill"] == pytest.approx(5 / 6)
    assert table.loc["newcomer", "skill"] == pytest.approx(2 / 3)
    assert table.loc["newcomer", "skill"] < table.loc["careful", "skill"]
    assert list(table.index) == ["careful", "newcomer", "careless"]


def test_gold_rate_keeps_its_share():
    rate, gold = GoldRate(0.2), 0
    for served in range(100):
        if rate.due(served, gold):
            gold += 1
    assert gold == 20
    with pytest.raises(ValueError):
        GoldRate(1.5)
