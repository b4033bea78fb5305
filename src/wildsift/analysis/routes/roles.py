"""The country flow network and each country's role: exporter, intermediary or importer.

In the manner of Patel et al. (2015, PNAS 112(26): 7948-7953), who ranked countries in the
seizure network of elephant, rhino and tiger products by their weighted out- and in-degree
(strength) and betweenness: a weighted directed graph (:class:`networkx.DiGraph`), one node per
country, an edge ``origin -> destination`` whose ``weight`` is the number of posts that state or
imply that flow. Betweenness is :func:`networkx.betweenness_centrality` with
``weight="distance"``, ``distance = 1 / weight`` (networkx reads the weight as a length: a flow
that many posts support is a short, likely path) and ``normalized=True`` (divided by
``(n - 1)(n - 2)`` for a directed graph).

Roles: a country with betweenness above zero whose out- and in-strength are both positive and
within a factor of :data:`BALANCE` of each other is an ``intermediary``; otherwise ``exporter``
when more flows leave than arrive, ``importer`` when more arrive, ``exporter and importer``
when as many leave as arrive.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

BALANCE = 2.0  # an intermediary's out- and in-strength differ by at most this factor
PERIODS = {"month": "M", "quarter": "Q"}
ROLE_COLUMNS = ("country", "out_strength", "in_strength", "betweenness", "role", "posts")


def flow_graph(flows: pd.DataFrame) -> nx.DiGraph:
    """Countries and their flows (domestic flows left out): edge attributes ``weight`` (posts),
    ``distance`` (1 / weight) and one count per method (text, text+location, text via seller,
    reply)."""
    graph = nx.DiGraph()
    international = flows[flows["origin"] != flows["destination"]]
    if international.empty:
        return graph
    grouped = international.groupby(["origin", "destination", "method"]).size()
    for (origin, destination, method), n in grouped.items():
        if not graph.has_edge(origin, destination):
            graph.add_edge(origin, destination, weight=0)
        data = graph[origin][destination]
        data["weight"] += int(n)
        data[method] = data.get(method, 0) + int(n)
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return graph


def role_of(out_strength: float, in_strength: float, betweenness: float) -> str:
    if (betweenness > 0 and out_strength > 0 and in_strength > 0
            and max(out_strength, in_strength) <= BALANCE * min(out_strength, in_strength)):
        return "intermediary"
    if out_strength > in_strength:
        return "exporter"
    if in_strength > out_strength:
        return "importer"
    return "exporter and importer"


def country_roles(graph: nx.DiGraph) -> pd.DataFrame:
    """One row per country: :data:`ROLE_COLUMNS` (``posts``: out + in strength), the busiest
    first."""
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=list(ROLE_COLUMNS))
    between = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    out_s = dict(graph.out_degree(weight="weight"))
    in_s = dict(graph.in_degree(weight="weight"))
    rows = [(c, int(out_s[c]), int(in_s[c]), float(between[c]),
             role_of(out_s[c], in_s[c], between[c]), int(out_s[c] + in_s[c]))
            for c in graph.nodes]
    frame = pd.DataFrame(rows, columns=list(ROLE_COLUMNS))
    return frame.sort_values(["posts", "country"], ascending=[False, True], ignore_index=True)


def period_of(times: pd.Series, period: str = "quarter") -> pd.Series:
    """"2024Q1" or "2024-03" for each time (UTC); empty where the time is unknown."""
    times = pd.to_datetime(times, utc=True, errors="coerce")
    out = times.dt.tz_localize(None).dt.to_period(PERIODS[period]).astype(str)
    return out.where(times.notna(), "")


def roles_over_time(flows: pd.DataFrame, period: str = "quarter") -> pd.DataFrame:
    """:func:`country_roles` per period: ``period`` then :data:`ROLE_COLUMNS`."""
    if flows.empty:
        return pd.DataFrame(columns=["period", *ROLE_COLUMNS])
    flows = flows.assign(period=period_of(flows["created_at"], period))
    parts = []
    for when, group in flows[flows["period"] != ""].groupby("period", sort=True):
        roles = country_roles(flow_graph(group))
        if len(roles):
            parts.append(roles.assign(period=when))
    if not parts:
        return pd.DataFrame(columns=["period", *ROLE_COLUMNS])
    frame = pd.concat(parts, ignore_index=True)
    return frame[["period", *ROLE_COLUMNS]]


def edge_table(graph: nx.DiGraph) -> pd.DataFrame:
    """origin, destination, posts and the posts per method, the largest flow first."""
    rows = [{"origin": o, "destination": d, "posts": data["weight"],
             "text": data.get("text", 0), "text_location": data.get("text+location", 0),
             "text_via_seller": data.get("text via seller", 0), "reply": data.get("reply", 0)}
            for o, d, data in graph.edges(data=True)]
    columns = ["origin", "destination", "posts", "text", "text_location", "text_via_seller",
               "reply"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["posts", "origin", "destination"],
                             ascending=[False, True, True], ignore_index=True)
