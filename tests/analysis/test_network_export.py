"""wildsift export --what network|routes: files other tools read back, pseudonyms only."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime

import networkx as nx
import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.records import RawPost
from wildsift.sources.ingest import ingest
from wildsift.study import Study

PSEUDONYM = re.compile(r"u_[0-9a-f]{16}")
RAW = ("Ivory King Nairobi", "ivory_king_tg", "Buyer Hanoi", "Jane Doe", "712 345 678",
       "712345678", "+254", "ivory.king@example.com", "fb-1", "tg-2",
       "100077700000001", "tusk_wholesale_ke")  # the last two: a reposted account's id, handle
NODE_KEYS = {"platform", "posts", "country", "seller", "community"}


def _raw_posts() -> list[RawPost]:
    when = datetime(2024, 3, 5, tzinfo=UTC)
    return [
        RawPost("facebook", "fb-1", "Ivory bangles 2kg. WhatsApp +254 712 345 678, "
                "ivory.king@example.com. Ship to Vietnam", when, author="Ivory King Nairobi",
                lat=-1.2921, lon=36.8219, country="KE"),
        RawPost("telegram", "tg-2", "Tusks available, call +254 712 345 678", when,
                author="ivory_king_tg", lat=-1.29, lon=36.82, country="KE"),
        RawPost("facebook", "fb-3", "How much for the bangles? Jane Doe asked too", when,
                author="Buyer Hanoi", reply_to="Ivory King Nairobi", lat=21.0285,
                lon=105.8542, country="VN", mentions=["Jane Doe"]),
        RawPost("facebook", "fb-4", "I can pay in dong", when, author="Jane Doe",
                lat=21.03, lon=105.85, country="VN"),
        # Jane Doe shares a post of a page no kept post was written by (its id, its handle)
        RawPost("facebook", "fb-5", "Shared from @tusk_wholesale_ke: tusks, good price", when,
                author="Jane Doe", repost_of="100077700000001", lat=21.03, lon=105.85,
                country="VN"),
    ]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("exports")
    study = Study.init(tmp_path / "study", name="network export")
    counts = ingest(study, _raw_posts(), workers=1)
    assert counts.stored == 5
    runner = CliRunner()
    out = {}
    for name, what in (("net.graphml", "network"), ("net.gexf", "network"),
                       ("edges.csv", "network"), ("routes.csv", "routes"),
                       ("routes.json", "routes")):
        path = tmp_path / name
        result = runner.invoke(app, ["--study", str(study.root), "export", str(path),
                                     "--what", what])
        assert result.exit_code == 0, result.output
        out[name] = path
    study.close()
    return out


def test_graphml_read_back_holds_pseudonyms_only(exported):
    graph = nx.read_graphml(exported["net.graphml"])
    assert graph.number_of_nodes() == 5  # the reposted page too, as its pseudonym
    assert all(PSEUDONYM.fullmatch(node) for node in graph.nodes)
    assert all(set(data) <= NODE_KEYS for _, data in graph.nodes(data=True))
    text = exported["net.graphml"].read_text(encoding="utf-8")
    for raw in RAW:
        assert raw not in text, raw
    # the seller's two accounts share a phone (a messenger id in one ad) across platforms
    kenyan = [n for n, d in graph.nodes(data=True) if d["country"] == "KE"]
    assert len(kenyan) == 2
    assert {graph.nodes[n]["platform"] for n in kenyan} == {"facebook", "telegram"}
    assert graph[kenyan[0]][kenyan[1]]["contact"] == 1
    # the buyer replied to the seller's facebook account and mentioned Jane Doe's
    replies = [(a, b) for a, b, d in graph.edges(data=True) if d["reply"]]
    assert len(replies) == 1
    buyer, seller = replies[0]
    assert graph.nodes[buyer]["country"] == "VN" and graph.nodes[seller]["platform"] == "facebook"
    assert any(d["mention"] for a, _, d in graph.edges(data=True) if a == buyer)
    # Jane Doe reposted the page: a repost tie to a pseudonym, the page's id nowhere
    reposts = [(a, b) for a, b, d in graph.edges(data=True) if d["repost"]]
    assert len(reposts) == 1
    jane, page = reposts[0]
    assert graph[jane][page]["weight"] == 1 and graph.nodes[page]["platform"] == "facebook"
    assert graph.nodes[page]["posts"] == 0 and PSEUDONYM.fullmatch(page)


def test_gexf_and_csv_edge_list_match_the_graphml(exported):
    graphml = nx.read_graphml(exported["net.graphml"])
    gexf = nx.read_gexf(exported["net.gexf"])
    assert set(gexf.nodes) == set(graphml.nodes)
    assert set(gexf.edges) == set(graphml.edges)
    with exported["edges.csv"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["source"], r["target"]) for r in rows} == set(graphml.edges)
    nodes = exported["edges.csv"].with_name("edges.nodes.csv").read_text(encoding="utf-8")
    for raw in RAW:
        assert raw not in nodes
    dictionary = json.loads(exported["net.graphml"].with_name(
        "net.graphml.dictionary.json").read_text(encoding="utf-8"))
    described = {e["column"] for e in dictionary["tables"]["edges"]}
    assert {"source", "target", "weight", "repost", "contact", "image"} <= described
    assert all(e["meaning"] for table in dictionary["tables"].values() for e in table)


def test_routes_export_has_the_flow_and_a_dictionary(exported):
    with exported["routes.csv"].open(encoding="utf-8", newline="") as handle:
        flows = list(csv.DictReader(handle))
    stated = [f for f in flows if f["method"] == "text+location"]
    assert [(f["origin"], f["destination"]) for f in stated] == [("KE", "VN")]
    assert stated[0]["platform"] == "facebook" and stated[0]["period"] == "2024Q1"
    assert "fb-1" not in exported["routes.csv"].read_text(encoding="utf-8")
    replied = [f for f in flows if f["method"] == "reply"]
    assert [(f["origin"], f["destination"]) for f in replied] == [("KE", "VN")]
    doc = json.loads(exported["routes.json"].read_text(encoding="utf-8"))
    assert {"flows", "edges", "roles", "over_time"} <= set(doc)
    roles = {r["country"]: r["role"] for r in doc["roles"]}
    assert roles == {"KE": "exporter", "VN": "importer"}
    assert exported["routes.csv"].with_name("routes.csv.dictionary.md").exists()


def test_unknown_network_format_is_refused(study, tmp_path):
    result = CliRunner().invoke(app, ["--study", str(study.root), "export",
                                      str(tmp_path / "net.xlsx"), "--what", "network"])
    assert result.exit_code != 0
    assert "graphml" in result.output
