"""Gould-Fernandez brokerage, checked on worked examples."""

from __future__ import annotations

import networkx as nx
import pytest

from wildsift.analysis.network.brokerage import ROLES, brokerage

# The five two-paths of Gould and Fernandez (1989, fig. 1): groups of a, b (the broker), c.
ARCHETYPES = [("coordinator", "A", "A", "A"), ("itinerant", "A", "B", "A"),
              ("representative", "A", "A", "B"), ("gatekeeper", "A", "B", "B"),
              ("liaison", "A", "B", "C")]


@pytest.mark.parametrize(("name", "ga", "gb", "gc"), ARCHETYPES)
def test_each_archetype_is_its_role(name, ga, gb, gc):
    graph = nx.DiGraph([("a", "b"), ("b", "c")])
    found = brokerage(graph, {"a": ga, "b": gb, "c": gc}).set_index("node")
    assert list(found.index) == ["b"]
    assert found.loc["b", name] == 1 and found.loc["b", "total"] == 1


def test_a_direct_tie_means_no_brokerage():
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    assert brokerage(graph, {"a": 1, "b": 1, "c": 1}).empty


def test_four_actor_example_counted_by_hand():
    # The adjacency of the example in cograph's documentation of its sna-exact brokerage
    # functions: A->B, A->C, B->C, B->D, C->D, D->A; groups A, B = 1 and C, D = 2. Open
    # two-paths (x -> v -> y, not x -> y): D->A->B gatekeeper, D->A->C itinerant,
    # A->B->D representative, A->C->D gatekeeper, B->D->A itinerant, C->D->A representative
    # (A->B->C and B->C->D are closed by A->C and B->D).
    graph = nx.DiGraph([("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"),
                        ("D", "A")])
    found = brokerage(graph, {"A": 1, "B": 1, "C": 2, "D": 2}).set_index("node")
    expected = {"A": {"gatekeeper": 1, "itinerant": 1}, "B": {"representative": 1},
                "C": {"gatekeeper": 1}, "D": {"itinerant": 1, "representative": 1}}
    for node, roles in expected.items():
        assert {r: int(found.loc[node, r]) for r in ROLES if found.loc[node, r]} == roles


def test_actors_without_a_group_are_left_out():
    graph = nx.DiGraph([("a", "b"), ("b", "c")])
    assert brokerage(graph, {"a": "VN", "b": "CN"}).empty  # c's country unknown
