"""The people network: one graph across platforms, nodes are account pseudonyms.

A :class:`networkx.DiGraph`: an edge ``a -> b`` sums every tie of :mod:`.ties` from a to b
(``weight``, plus one count per kind). Node attributes say only what the store holds
pseudonymously: ``platform``, ``posts`` (kept posts written), ``country`` (the most frequent
country of those posts, or "unknown"), ``seller`` (offers; see
:func:`wildsift.analysis.network.posts.sellers`). No text, contact hash or platform id is put
in the graph, so a GraphML or GEXF of it holds pseudonyms only.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from wildsift.analysis.geo import UNKNOWN
from wildsift.analysis.network.posts import author_countries, sellers
from wildsift.analysis.network.ties import KINDS


def people_graph(posts: pd.DataFrame, ties: pd.DataFrame) -> nx.DiGraph:
    """The directed weighted graph of ``ties`` among the authors of ``posts``."""
    graph = nx.DiGraph()
    written = posts.dropna(subset=["author"]).groupby("author").agg(
        posts=("pk", "size"), platform=("platform", "first"))
    countries = author_countries(posts)
    offering = sellers(posts)
    platform_of = dict(zip(written.index, written["platform"]))
    named = [posts.dropna(subset=[c]).groupby(c)["platform"].first()
             for c in ("reply_to", "repost_of") if c in posts]
    for name in set(written.index) | set(ties["source"]) | set(ties["target"]):
        platform = platform_of.get(name) or next(
            (found[name] for found in named if name in found.index), "")
        graph.add_node(name, platform=str(platform or ""),
                       posts=int(written["posts"].get(name, 0)),
                       country=str(countries.get(name, UNKNOWN)),
                       seller=bool(name in offering))
    for row in ties.itertuples(index=False):
        if not graph.has_edge(row.source, row.target):
            graph.add_edge(row.source, row.target, weight=0, **dict.fromkeys(KINDS, 0))
        data = graph[row.source][row.target]
        data["weight"] += int(row.posts)
        data[row.kind] += int(row.posts)
    return graph


def undirected(graph: nx.DiGraph) -> nx.Graph:
    """The same ties without direction, weights of a -> b and b -> a summed; ``distance`` is
    1 / weight (betweenness reads it as a length)."""
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for a, b, data in graph.edges(data=True):
        if out.has_edge(a, b):
            out[a][b]["weight"] += data["weight"]
        else:
            out.add_edge(a, b, weight=data["weight"])
    for _, _, data in out.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return out
