"""The runs repository and stale counts, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import text

from wildsift.records import Post
from wildsift.store import Store
from wildsift.store.runs import RunRecord, Runs, StageCount, Unavailable, stale_images, stale_posts


def _posts(n: int) -> list[Post]:
    return [Post(platform="test", post_id=f"p{i}", text=f"post {i}") for i in range(n)]


def test_runs_are_added_and_listed_newest_first(store):
    runs = Runs(store.engine)
    start = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    for i in range(2):
        began = start + timedelta(hours=i)
        runs.add(RunRecord("sift", began, began + timedelta(seconds=5),
                           stages=[StageCount("relevance", "posts", f"v{i}", scored=3, skipped=i)],
                           unavailable=[Unavailable("ocr", "Tesseract not installed")]))
    listed = runs.list()
    assert [r.stages[0].version for r in listed] == ["v1", "v0"]
    assert listed[0].stages[0] == StageCount("relevance", "posts", "v1", scored=3, skipped=1)
    assert listed[1].unavailable == [Unavailable("ocr", "Tesseract not installed")]
    assert [r.id for r in runs.list(limit=1)] == [listed[0].id]


def test_stale_counts_come_from_stored_outputs(store):
    store.posts.add(_posts(3))
    pks = [int(pk) for pk in next(store.posts.iter())["pk"]]
    assert stale_posts(store.engine, "relevance", "v1") == 3
    store.scores.write("relevance", "v1", pd.DataFrame({"pk": pks[:2], "relevance": [0.1, 0.9]}),
                       ("relevance",))
    assert stale_posts(store.engine, "relevance", "v1") == 1
    assert stale_posts(store.engine, "relevance", "v2") == 3  # a new version: all stale again
    assert stale_images(store.engine, "ocr", "t5", "ocr_text") == 0


def test_a_store_from_before_the_runs_table_gets_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store.open(url)
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE runs"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    store.close()
    reopened = Store.open(url)
    assert Runs(reopened.engine).list() == []
    reopened.close()
