"""Key actors and communities of the people network, with networkx.

- degree: distinct accounts tied to an actor (either direction); strength: the ties' weights;
- betweenness: :func:`networkx.betweenness_centrality` on the undirected graph with
  ``weight="distance"`` (1 / weight: many shared posts make a short path), normalised; above
  :data:`EXACT_UP_TO` actors it is estimated from ``k`` sampled sources (``seed`` fixed);
- Burt's constraint: :func:`networkx.constraint` with ``weight="weight"`` (low: an actor whose
  contacts are not tied to each other, a broker), for the :data:`CONSTRAINT_FOR` actors of
  highest degree (it costs a pass over each one's neighbours' neighbours);
- communities: :func:`networkx.community.louvain_communities` with ``weight="weight"`` and a
  fixed ``seed``, so a report is the same each time it is built.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

EXACT_UP_TO = 2000
SAMPLE_SOURCES = 500
CONSTRAINT_FOR = 200
ACTOR_COLUMNS = ("node", "platform", "country", "seller", "posts", "degree", "strength",
                 "betweenness", "constraint", "community")


def communities(graph: nx.Graph, seed: int = 0) -> dict[str, int]:
    """Node -> community number (1 = the largest; isolated actors are left out)."""
    tied = graph.subgraph([n for n in graph.nodes if graph.degree(n) > 0])
    if tied.number_of_edges() == 0:
        return {}
    found = nx.community.louvain_communities(tied, weight="weight", seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {node: i for i, members in enumerate(ordered, 1) for node in members}


def key_actors(graph: nx.Graph, seed: int = 0) -> pd.DataFrame:
    """One row per tied actor: :data:`ACTOR_COLUMNS` (``constraint`` NaN beyond the
    :data:`CONSTRAINT_FOR` of highest degree), highest betweenness then degree first."""
    tied = graph.subgraph([n for n in graph.nodes if graph.degree(n) > 0])
    if tied.number_of_nodes() == 0:
        return pd.DataFrame(columns=list(ACTOR_COLUMNS))
    n = tied.number_of_nodes()
    k = None if n <= EXACT_UP_TO else SAMPLE_SOURCES
    between = nx.betweenness_centrality(tied, k=k, weight="distance", normalized=True,
                                        seed=seed)
    degree = dict(tied.degree())
    strength = dict(tied.degree(weight="weight"))
    top = sorted(degree, key=lambda v: (-degree[v], str(v)))[:CONSTRAINT_FOR]
    constraint = nx.constraint(tied, nodes=top, weight="weight")
    community = communities(tied, seed)
    rows = []
    for node, data in tied.nodes(data=True):
        rows.append((node, data.get("platform", ""), data.get("country", "unknown"),
                     bool(data.get("seller", False)), int(data.get("posts", 0)),
                     int(degree[node]), float(strength[node]), float(between[node]),
                     float(constraint.get(node, float("nan"))), community.get(node)))
    frame = pd.DataFrame(rows, columns=list(ACTOR_COLUMNS))
    return frame.sort_values(["betweenness", "degree", "node"], ascending=[False, False, True],
                             ignore_index=True)


def community_table(actors: pd.DataFrame) -> pd.DataFrame:
    """Per community: accounts, sellers, posts, platforms and countries (',' joined)."""
    if actors.empty:
        return pd.DataFrame(columns=["community", "accounts", "sellers", "posts", "platforms",
                                     "countries"])
    grouped = actors.dropna(subset=["community"]).groupby("community")
    frame = grouped.agg(accounts=("node", "size"), sellers=("seller", "sum"),
                        posts=("posts", "sum"),
                        platforms=("platform", lambda s: ", ".join(sorted(set(s) - {""}))),
                        countries=("country", lambda s: ", ".join(
                            sorted(set(s) - {"unknown"})))).reset_index()
    frame["community"] = frame["community"].astype(int)
    return frame.sort_values("community", ignore_index=True)
