"""The country flow network: flows from posts, the weight transform of betweenness, roles."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from wildsift.analysis.routes.flows import post_flows, reply_flows, text_flows
from wildsift.analysis.routes.roles import (
    country_roles,
    flow_graph,
    role_of,
    roles_over_time,
)


def _flows(rows):
    return pd.DataFrame([{"post_pk": i, "platform": "x", "created_at": when,
                          "origin": o, "destination": d, "method": "text"}
                         for i, (o, d, when) in enumerate(rows)])


def _post(pk, text, author, country, source="geotag", reply_to=None, intent="offer",
          lang="en"):
    return {"pk": pk, "platform": "facebook", "created_at": datetime(2024, 1, 5, tzinfo=UTC),
            "author": author, "reply_to": reply_to, "mentions": [], "text": text, "lang": lang,
            "contacts": [], "country": country, "country_from": source, "intent": intent}


def test_betweenness_reads_one_over_weight_as_the_distance():
    # A -> B -> C carried by 10 posts each, A -> C by one: the short path runs through B
    when = datetime(2024, 1, 1, tzinfo=UTC)
    rows = [("NG", "LA", when)] * 10 + [("LA", "CN", when)] * 10 + [("NG", "CN", when)]
    roles = country_roles(flow_graph(_flows(rows))).set_index("country")
    assert roles.loc["LA", "betweenness"] > 0  # with the raw weight as a length it would be 0
    assert roles.loc["LA", "role"] == "intermediary"
    assert roles.loc["NG", "role"] == "exporter" and roles.loc["CN", "role"] == "importer"
    assert (roles.loc["NG", "out_strength"], roles.loc["CN", "in_strength"]) == (11, 11)


def test_domestic_flows_stay_out_of_the_network():
    when = datetime(2024, 1, 1, tzinfo=UTC)
    graph = flow_graph(_flows([("ID", "ID", when), ("ID", "MY", when)]))
    assert list(graph.edges) == [("ID", "MY")]


@pytest.mark.parametrize(("out", "into", "between", "role"), [
    (10, 1, 0.5, "exporter"), (1, 10, 0.5, "importer"), (5, 4, 0.2, "intermediary"),
    (5, 4, 0.0, "exporter"), (3, 3, 0.0, "exporter and importer")])
def test_role_rule(out, into, between, role):
    assert role_of(out, into, between) == role


def test_roles_per_quarter():
    rows = [("NG", "LA", datetime(2023, 2, 1, tzinfo=UTC)),
            ("LA", "CN", datetime(2023, 11, 1, tzinfo=UTC))]
    over = roles_over_time(_flows(rows), "quarter")
    assert set(over["period"]) == {"2023Q1", "2023Q4"}
    assert over.set_index(["period", "country"]).loc[("2023Q1", "LA"), "role"] == "importer"
    assert over.set_index(["period", "country"]).loc[("2023Q4", "LA"), "role"] == "exporter"


def test_one_end_from_the_sellers_country_not_from_a_text_location():
    posts = pd.DataFrame([
        _post(1, "Ivory, ship to Vietnam", "a", "NG"),
        # located by its own text (the destination): the author's other post says NG
        _post(2, "Tusks, ship to Thailand", "a", "TH", source="text"),
        _post(3, "hàng từ Lào về", "b", "VN", lang="vi"),
        _post(4, "from Nigeria to China", "c", "LA"),  # a seller in a third country
    ])
    flows = text_flows(posts)
    found = set(zip(flows["post_pk"], flows["origin"], flows["destination"], flows["method"]))
    assert found == {(1, "NG", "VN", "text+location"), (2, "NG", "TH", "text+location"),
                     (3, "LA", "VN", "text+location"), (4, "NG", "LA", "text via seller"),
                     (4, "LA", "CN", "text via seller")}


def test_replies_from_buyers_to_sellers_in_another_country():
    posts = pd.DataFrame([
        _post(1, "Ivory bangles", "seller", "NG"),
        _post(2, "price?", "buyer", "US", reply_to="seller", intent="wanted"),
        _post(3, "me too", "other", "unknown", reply_to="seller", intent="wanted"),
        _post(4, "selling too", "rival", "KE", reply_to="seller", intent="offer"),
    ])
    flows = reply_flows(posts)
    assert list(zip(flows["origin"], flows["destination"])) == [("NG", "US")]
    assert post_flows(posts)["method"].tolist() == ["reply"]
