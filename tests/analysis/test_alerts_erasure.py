"""An erased post leaves the alert files the study wrote (``wildsift comply`` rewrites them)."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import delete

from wildsift.analysis.export_records import purge_exports, record_export
from wildsift.analysis.monitoring.export import write_alerts
from wildsift.records import Post
from wildsift.store.schema import posts


def _alert(ids: list[str]) -> dict:
    return {"kind": "spike", "series": "pangolin | VN | x", "window": ["2024-03-04", "2024-03-10"],
            "observed": 9.0, "expected": 1.5, "score": 4.2, "posts": ids, "direction": "up",
            "note": "", "key": "spike|pangolin | VN | x|2024-03-04|up"}


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_erased_post_ids_leave_every_alert_file(study, tmp_path, fmt):
    study.store.posts.add([Post(platform="x", post_id=i, text="pangolin scales", author="a")
                           for i in ("p1", "p2", "p3")])
    out = tmp_path / f"alerts.{fmt}"
    write_alerts([_alert(["x:p1", "x:p2"]), _alert(["x:p2", "x:p3"])], out, fmt)
    record_export(study.root, out, "alerts", fmt)
    with study.store.engine.begin() as conn:  # as an erasure of p2 leaves the store
        conn.execute(delete(posts).where(posts.c.post_id == "p2"))
    done = purge_exports(study.root, study.store)
    assert done.rewritten == [f"{out} (-2 rows)"] and not done.deleted
    if fmt == "csv":
        with out.open(newline="", encoding="utf-8") as handle:
            lists = [row["posts"].split("|") for row in csv.DictReader(handle)]
    else:
        text = out.read_text(encoding="utf-8")
        rows = json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines()]
        lists = [row["posts"] for row in rows]
    assert lists == [["x:p1"], ["x:p3"]]  # both alerts kept, the erased id gone
    assert "p2" not in out.read_text(encoding="utf-8")
    assert purge_exports(study.root, study.store).rewritten == []  # nothing more to do
