"""A live source's page and its cursor commit together (issue 10, 2.1; found by
tests/reliability/test_mine_crash.py).

Before, ``Store.save_page`` committed the posts, the quarantine and the cursor in three
transactions: ``wildsift mine`` killed after the first two fetched the page again from the old
cursor and wrote its quarantine entries (which have no key) a second time.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wildsift.records import Post, Quarantined
from wildsift.store.cursors import Cursors


def _page() -> tuple[list[Post], list[Quarantined]]:
    posts = [Post(platform="mastodon", post_id=f"p{i}", text=f"post {i}",
                  created_at=datetime(2025, 1, 1, tzinfo=UTC), author="u") for i in range(3)]
    refused = [Quarantined(source="mastodon:fedi", location=f"GET /tag?limit=8 #{i}",
                           reason="status has no valid 'id'", field="id") for i in (3, 4)]
    return posts, refused


class Killed(Exception):
    """Stands for the process dying while the cursor is written."""


def test_a_page_without_its_cursor_leaves_nothing(store, monkeypatch):
    posts, refused = _page()

    def dies(self, *args, **kwargs):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(Cursors, "set", dies)
        with pytest.raises(Killed):
            store.save_page(posts, refused, "fedi", "#tag", '{"since": "9"}')
    assert store.posts.count() == 0
    assert store.quarantine.all() == []
    assert store.cursors.get("fedi", "#tag") is None

    # the rerun fetches the page again from the old cursor: stored once, quarantined once
    assert store.save_page(posts, refused, "fedi", "#tag", '{"since": "9"}') == 3
    assert store.posts.count() == 3
    assert store.quarantine.all() == refused
    assert store.cursors.get("fedi", "#tag") == '{"since": "9"}'


def test_repositories_still_commit_on_their_own(store):
    posts, refused = _page()
    assert store.posts.add(posts) == 3
    store.quarantine.add(refused)
    store.cursors.set("fedi", "#tag", "c1")
    assert store.posts.count() == 3 and len(store.quarantine.all()) == 2
    assert store.cursors.get("fedi", "#tag") == "c1"
