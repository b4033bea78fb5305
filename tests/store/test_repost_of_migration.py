"""Migration 0008: a store from before it gets the posts' ``repost_of`` column."""

from __future__ import annotations

from sqlalchemy import inspect, text

from wildsift.records import Post
from wildsift.store import Store
from wildsift.store.migrate import current_revision, head_revision


def test_a_store_from_before_gets_the_column_and_keeps_its_posts(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store.open(url)
    store.posts.add([Post(platform="t", post_id="a", text="old post", reply_to="u_1")])
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE posts DROP COLUMN repost_of"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    store.close()
    reopened = Store.open(url)
    assert "repost_of" in {c["name"] for c in inspect(reopened.engine).get_columns("posts")}
    assert current_revision(reopened.engine) == head_revision() == "0008"
    reopened.posts.add([Post(platform="t", post_id="b", text="new", repost_of="u_2")])
    frame = reopened.posts.frame(("post_id", "text", "reply_to", "repost_of"))
    assert list(frame["text"]) == ["old post", "new"]
    assert list(frame["reply_to"].fillna("-")) == ["u_1", "-"]
    assert list(frame["repost_of"].fillna("-")) == ["-", "u_2"]
    reopened.close()


def test_a_new_store_writes_repost_of_through_both_sqlite_paths(tmp_path):
    from datetime import UTC, datetime

    from wildsift.store.sqlite_bulk import encode_chunk

    store = Store.open(f"sqlite:///{tmp_path / 'new.sqlite'}")
    store.posts.add([Post(platform="t", post_id="a", text="x", repost_of="u_a")])
    chunk = encode_chunk([Post(platform="t", post_id="b", text="y", repost_of="u_b")], [],
                         datetime.now(UTC))
    store.posts.add_chunk(chunk)
    frame = store.posts.frame(("post_id", "repost_of"))
    assert dict(zip(frame["post_id"], frame["repost_of"])) == {"a": "u_a", "b": "u_b"}
    store.close()
