"""Usual values stored once per stage version (``score_defaults``) read back as if every post
had its own row: the readers' answers must not depend on how a field was stored."""

from __future__ import annotations

import pandas as pd
import pytest

from wildsift.records import Post
from wildsift.store.scores import encode_scores


def _posts(store, n: int) -> list[int]:
    store.posts.add([Post(platform="t", post_id=f"p{i}", text="x") for i in range(n)])
    return sorted(store.posts.frame(["pk"])["pk"].tolist())


def _frame(pks: list[int]) -> pd.DataFrame:
    n = len(pks)
    return pd.DataFrame({"pk": pks, "score": [i / n for i in range(n)],
                         "method": ["model:7"] * (n - 1) + ["rules"],  # one post differs
                         "cues": ["" if i % 3 else "price,urgent" for i in range(n)]})


def test_usual_values_read_back_as_per_post_rows(store):
    pks = _posts(store, 9)
    frame = _frame(pks)
    store.scores.write("plain", "v1", frame, ("score", "method", "cues"))
    store.scores.write("compact", "v1", frame.rename(columns=lambda c: c if c == "pk" else f"c_{c}"),
                       ("c_score", "c_method", "c_cues"), {"c_method": "model:7", "c_cues": ""})
    got = store.scores.latest()
    for field in ("score", "method", "cues"):
        assert got[f"c_{field}"].tolist() == got[field].tolist() == frame[field].tolist()
    between = store.scores.latest_between(["c_method", "c_cues"], pks[2], pks[5],
                                          versions=store.scores.versions())
    assert between["post_pk"].tolist() == pks[2:6]
    assert between["c_method"].tolist() == frame["method"].tolist()[2:6]
    assert between["c_cues"].tolist() == frame["cues"].tolist()[2:6]


def test_only_the_unusual_values_take_rows(store):
    pks = _posts(store, 9)
    store.scores.write("compact", "v1", _frame(pks), ("score", "method", "cues"),
                       {"method": "model:7", "cues": ""})
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT field, COUNT(*) FROM scores GROUP BY field").all()
    assert dict(rows) == {"score": 9, "method": 1, "cues": 3}


def test_a_later_scoring_overrides_an_earlier_usual_value(store):
    """Fusion rewrites relevance_method per post after the text stage stored it once."""
    pks = _posts(store, 4)
    frame = pd.DataFrame({"pk": pks, "relevance": [0.1, 0.2, 0.3, 0.4],
                          "relevance_method": ["model:7"] * 4})
    store.scores.write("relevance", "v1", frame, ("relevance", "relevance_method"),
                       {"relevance_method": "model:7"})
    fused = pd.DataFrame({"pk": pks[:2], "relevance_method": ["fused", "fused"]})
    store.scores.write("fusion", "f1", fused, ("relevance_method",))
    got = store.scores.latest(["relevance_method"])
    assert got["relevance_method"].tolist() == ["fused", "fused", "model:7", "model:7"]


def test_a_stage_that_changes_a_usual_value_without_a_new_version_fails_loudly(store):
    pks = _posts(store, 3)
    frame = _frame(pks)
    store.scores.write("s", "v1", frame, ("score", "method"), {"method": "model:7"})
    with pytest.raises(ValueError, match="usual value"):
        store.scores.write("s", "v1", frame, ("score", "method"), {"method": "model:8"})


def test_a_stage_must_keep_one_field_per_post(store):
    pks = _posts(store, 2)
    with pytest.raises(ValueError, match="store one field per post"):
        store.scores.write("s", "v1", _frame(pks), ("method",), {"method": "model:7"})


def test_a_chunk_with_a_conflicting_usual_value_is_refused_whole(tmp_path):
    from wildsift.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    pks = _posts(store, 3)
    frame = _frame(pks)
    store.scores.write("s", "v1", frame, ("score", "method"), {"method": "model:7"})
    chunk = encode_scores([("s", "v1", frame, ("score", "method"), {"method": "rules"})])
    with pytest.raises(ValueError, match="usual"):
        store.scores.add_chunk(chunk)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM scores").scalar_one() == 4
    store.close()
