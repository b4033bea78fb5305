"""The people network: ties, measures, communities and seller clusters, on posts we write."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from wildsift.analysis.network.study_network import people_network
from wildsift.analysis.network.suppress import suppress


def _post(pk, author, platform, country, *, reply_to=None, mentions=(), contacts=(),
          intent="offer"):
    return {"pk": pk, "platform": platform, "created_at": datetime(2024, 1, 1, tzinfo=UTC),
            "author": author, "reply_to": reply_to, "mentions": list(mentions), "text": "",
            "lang": "en", "contacts": list(contacts), "country": country,
            "country_from": "geotag", "intent": intent}


def _posts():
    rows = [
        _post(1, "fb_seller", "facebook", "NG", contacts=["aa11bb"]),
        _post(2, "tg_seller", "telegram", "NG", contacts=["aa11bb"]),
        _post(3, "ig_seller", "instagram", "VN"),
        _post(4, "buyer1", "facebook", "VN", reply_to="fb_seller", intent="wanted"),
        _post(5, "buyer2", "facebook", "US", reply_to="fb_seller", mentions=["buyer1"],
              intent="wanted"),
    ]
    # ten accounts that each show one stock picture and nothing else
    rows += [_post(10 + i, f"stock{i}", "bluesky", "GB", intent="other") for i in range(10)]
    return pd.DataFrame(rows)


def _links():
    shown = [(2, "ring"), (3, "ring"), (3, "dup-b")] + [(10 + i, "stock") for i in range(10)]
    shown.append((1, "dup-a"))
    return pd.DataFrame(shown, columns=["post_pk", "sha256"])


def test_ties_of_every_kind_and_a_cluster_across_three_platforms():
    groups = pd.DataFrame({"sha256": ["dup-a", "dup-b"], "cluster": [1, 1]})
    net = people_network(_posts(), _links(), groups, max_image_authors=5)
    kinds = net.ties.groupby("kind").size().to_dict()
    assert kinds == {"reply": 2, "mention": 1, "contact": 2, "image": 4}
    # the stock picture (10 accounts > 5) ties no one
    assert not any(n.startswith("stock") for n in net.ties[["source", "target"]].values.ravel())
    top = net.clusters.iloc[0]
    assert top["members"] == ["fb_seller", "ig_seller", "tg_seller"]
    assert top["platforms"] == "facebook, instagram, telegram" and top["countries"] == "NG, VN"
    assert len(net.clusters) == 1


def test_key_actors_and_communities_are_reproducible():
    first = people_network(_posts(), _links(), None)
    again = people_network(_posts(), _links(), None)
    pd.testing.assert_frame_equal(first.actors, again.actors)
    actors = first.actors.set_index("node")
    assert actors["betweenness"].idxmax() == "fb_seller"  # between its buyers and its ring
    assert actors.loc["fb_seller", "degree"] == 3  # two buyers, its telegram account
    assert actors.loc["buyer2", "constraint"] > actors.loc["fb_seller", "constraint"]
    assert {first.graph.nodes[n]["community"] for n in first.graph} >= {0, 1}
    assert first.communities["accounts"].sum() == len(actors)


def test_brokerage_uses_countries():
    net = people_network(_posts(), None, None)
    found = net.brokerage.set_index("node")
    # buyer2 (US) -> fb_seller (NG) -> tg_seller (NG): fb_seller lets an outsider in
    assert found.loc["fb_seller", "gatekeeper"] >= 1


def test_small_cells_are_suppressed():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "posts": [12, 4, 5]})
    shown, hidden = suppress(frame, "posts", 5)
    assert shown["name"].tolist() == ["a", "c"] and hidden == 1


def test_reposts_are_directed_ties_that_join_no_seller_cluster():
    rows = _posts().to_dict("records")
    for row in rows:
        row["repost_of"] = None
    rows += [dict(_post(30, "fan", "facebook", "VN", intent="other"), repost_of="fb_seller"),
             dict(_post(31, "fan", "facebook", "VN", intent="other"), repost_of="fb_seller"),
             dict(_post(32, "fb_seller", "facebook", "NG"), repost_of="fb_seller"),  # own post
             dict(_post(33, "tg_seller", "telegram", "NG"), repost_of="tg_channel")]
    net = people_network(pd.DataFrame(rows), None, None)
    reposts = net.ties[net.ties["kind"] == "repost"]
    assert sorted(zip(reposts["source"], reposts["target"], reposts["posts"])) == [
        ("fan", "fb_seller", 2), ("tg_seller", "tg_channel", 1)]
    assert net.graph["fan"]["fb_seller"]["repost"] == 2
    assert not net.graph.has_edge("fb_seller", "fb_seller")
    # an account only ever reposted: a node with the platform of the post that reposted it
    assert net.graph.nodes["tg_channel"]["platform"] == "telegram"
    assert net.graph.nodes["tg_channel"]["posts"] == 0
    assert all("fan" not in members for members in net.clusters["members"])
