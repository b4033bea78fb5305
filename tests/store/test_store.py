"""The store on a real SQLite file and, when CI started one, a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from wildsift.records import Label, Media, Post, Quarantined
from wildsift.store import Store


def _posts(n: int, platform: str = "test") -> list[Post]:
    return [
        Post(platform=platform, post_id=f"p{i}", text=f"post {i}",
             created_at=datetime(2025, 1, 1 + i % 28, tzinfo=UTC), author=f"u_{i % 3}",
             hashtags=["ivory"], media=[Media(url=f"img/{i}.jpg")])
        for i in range(n)
    ]




def test_add_posts_is_idempotent(store):
    assert store.posts.add(_posts(10)) == 10
    assert store.posts.add(_posts(12)) == 2
    assert store.posts.count() == 12


def test_iter_posts_batches_and_unscored(store):
    store.posts.add(_posts(25))
    sizes = [len(b) for b in store.posts.iter(batch_size=10)]
    assert sizes == [10, 10, 5]
    first = next(store.posts.iter(batch_size=10))
    first["relevance"] = 0.9
    store.scores.write("relevance", "v1", first, ["relevance"])
    remaining = pd.concat(store.posts.iter(batch_size=7, unscored_by=("relevance", "v1")))
    assert len(remaining) == 15 and not set(remaining["pk"]) & set(first["pk"])
    # a new model version sees every post as unscored again
    assert sum(len(b) for b in store.posts.iter(unscored_by=("relevance", "v2"))) == 25


def test_latest_scores_keep_the_newest_value(store):
    store.posts.add(_posts(3))
    batch = next(store.posts.iter())
    batch["relevance"], batch["method"] = 0.2, "rules"
    store.scores.write("relevance", "rules", batch, ["relevance", "method"])
    batch["relevance"], batch["method"] = 0.8, "model:1"
    store.scores.write("relevance", "1", batch, ["relevance", "method"])
    latest = store.scores.latest()
    assert list(latest["relevance"]) == [0.8, 0.8, 0.8]
    assert set(latest["method"]) == {"model:1"}


def test_labels_upsert_and_report_unknown_posts(store):
    store.posts.add(_posts(2))
    stored, missing = store.labels.add([
        Label(post_id="p0", field="relevant", value="1", annotator="a_x"),
        Label(post_id="nope", field="relevant", value="0", annotator="a_x"),
    ])
    assert (stored, missing) == (1, ["nope"])
    store.labels.add([Label(post_id="p0", field="relevant", value="0", annotator="a_x")])
    frame = store.labels.frame("relevant")
    assert list(frame["value"]) == ["0"]


def test_quarantine_cursor_and_matches(store):
    store.quarantine.add([Quarantined(source="f.csv", location="f.csv:3", reason="bad lat",
                                  field="lat")])
    assert store.quarantine.all()[0].location == "f.csv:3"
    assert store.cursors.get("mastodon:x", "ivory") is None
    store.cursors.set("mastodon:x", "ivory", "100")
    store.cursors.set("mastodon:x", "ivory", "200")
    assert store.cursors.get("mastodon:x", "ivory") == "200"
    store.posts.add(_posts(1))
    pk = int(next(store.posts.iter())["pk"].iloc[0])
    row = {"post_pk": pk, "taxon": "loxodonta_africana", "product": "ivory", "lang": "en",
           "term": "ivory", "kind": "product"}
    store.matches.replace(pd.DataFrame([row, row]))
    store.matches.replace(pd.DataFrame([row]))
    assert len(store.matches.frame()) == 1


def test_store_is_migrated_to_the_newest_revision(store):
    from wildsift.store.migrate import current_revision, head_revision

    assert current_revision(store.engine) == head_revision()
    reopened = Store.open(store.engine.url.render_as_string(hide_password=False))
    assert current_revision(reopened.engine) == head_revision()  # opening again is a no-op
    reopened.close()


def test_rematching_a_post_removes_its_stale_matches(store):
    store.posts.add(_posts(2))
    pks = [int(pk) for pk in next(store.posts.iter())["pk"]]
    rows = [{"post_pk": pk, "taxon": "pangolin", "product": "scales", "lang": "en",
             "term": "scales", "kind": "product"} for pk in pks]
    store.matches.replace(pd.DataFrame(rows))
    empty = pd.DataFrame(columns=["post_pk", "taxon", "product", "lang", "term", "kind"])
    store.matches.replace(empty, pks=[pks[0]])
    assert list(store.matches.frame()["post_pk"]) == [pks[1]]
