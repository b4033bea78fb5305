"""A study's routes: its flows, the country network, roles overall and per period."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from wildsift.analysis.network.posts import kept_and_located, people_posts
from wildsift.analysis.routes.flows import post_flows
from wildsift.analysis.routes.roles import country_roles, edge_table, flow_graph, roles_over_time


@dataclass
class Routes:
    flows: pd.DataFrame  # one row per (post, origin, destination): flows.FLOW_COLUMNS
    graph: nx.DiGraph  # countries, international flows weighted by posts
    edges: pd.DataFrame  # origin, destination, posts, per method
    roles: pd.DataFrame  # roles.ROLE_COLUMNS over the whole study
    over_time: pd.DataFrame  # period then roles.ROLE_COLUMNS
    period: str


def routes_of(posts: pd.DataFrame, period: str = "quarter") -> Routes:
    flows = post_flows(posts)
    graph = flow_graph(flows)
    return Routes(flows, graph, edge_table(graph), country_roles(graph),
                  roles_over_time(flows, period), period)


def study_routes(study, kept: pd.DataFrame | None = None,
                 located: pd.DataFrame | None = None,
                 posts: pd.DataFrame | None = None) -> Routes:
    """Routes of a study's kept posts; ``posts``: :func:`people_posts` already read."""
    if posts is None:
        if kept is None or located is None:
            kept, located = kept_and_located(study)
        posts = people_posts(study.store, kept, located)
    return routes_of(posts, study.settings.identify.period)
