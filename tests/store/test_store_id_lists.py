"""Reads keyed by a caller's id list take any number of ids, on both backends.

A study of 100,000 labelled posts made ``wildsift train`` fail on PostgreSQL ("number of
parameters must be between 0 and 65535") because ``post_images_frame`` bound one parameter per
post; these tests pass more than 65,535 ids to every such read.
"""

from __future__ import annotations

from sqlalchemy import text

N = 70_000  # more than PostgreSQL's 65,535 parameters (and SQLite's 32,766)


def _bulk(store, n: int = N) -> None:
    """n minimal posts, each linked to its own image, generated inside the database (fast)."""
    if store.engine.dialect.name == "postgresql":
        numbers = f"SELECT generate_series(1, {n}) AS i"
        sha = "lpad(to_hex(i), 64, '0')"
    else:
        numbers = (f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
                   f"WHERE i < {n}) SELECT i FROM s")
        sha = "printf('%064x', i)"
    with store.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO posts (platform, post_id, text) "
                          f"SELECT 'x', 'p' || i, 'ivory' FROM ({numbers}) AS g"))
        conn.execute(text(f"INSERT INTO images (sha256) SELECT {sha} FROM ({numbers}) AS g"))
        conn.execute(text(f"INSERT INTO post_images (post_pk, sha256, position, frame) "
                          f"SELECT p.pk, {sha}, 0, 0 FROM ({numbers}) AS g "
                          f"JOIN posts p ON p.platform = 'x' AND p.post_id = 'p' || g.i"))


def test_reads_by_id_list_take_more_ids_than_a_statement_has_parameters(store):
    _bulk(store)  # once: 70,000 posts, images and links
    everything = store.images.post_links()
    pks, hashes = everything["post_pk"].tolist(), everything["sha256"].tolist()
    assert len(pks) == N
    assert store.images.post_links(pks)["post_pk"].tolist() == sorted(pks)  # in post order
    some = store.images.post_links(pks[::2] + [10 ** 9])  # an unknown pk is just absent
    assert len(some) == len(pks[::2])
    assert store.images.frame(("sha256",), sha256s=hashes)["sha256"].tolist() == sorted(hashes)
    assert len(store.images.frame(("sha256",), sha256s=hashes, limit=5)) == 5
    assert store.images.frame(("sha256",), sha256s=[]).empty
    assert store.scores.scored_pks("s", "v1", pks[::3]) == set()
    assert store.posts.frame(("pk",), pks=pks)["pk"].tolist() == sorted(pks)
