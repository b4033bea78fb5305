"""Migration 0007: a store from before it gets the posts' profile and phone country columns."""

from __future__ import annotations

from sqlalchemy import inspect, text

from wildsift.records import Post
from wildsift.store import Store

NEW = {"profile_place", "profile_country", "phone_country"}


def test_a_store_from_before_gets_the_columns_and_keeps_its_posts(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store.open(url)
    store.posts.add([Post(platform="t", post_id="a", text="old post")])
    with store.engine.begin() as conn:
        for column in sorted(NEW):
            conn.execute(text(f"ALTER TABLE posts DROP COLUMN {column}"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    store.close()
    reopened = Store.open(url)
    columns = {c["name"] for c in inspect(reopened.engine).get_columns("posts")}
    assert NEW <= columns
    reopened.posts.add([Post(platform="t", post_id="b", text="new", phone_country="VN",
                             profile_country="TH", profile_place="Bangkok")])
    frame = reopened.posts.frame(("post_id", "text", "phone_country", "profile_place"))
    assert list(frame["text"]) == ["old post", "new"]
    assert list(frame["phone_country"].fillna("-")) == ["-", "VN"]
    reopened.close()
