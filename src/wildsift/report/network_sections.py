"""The report's "Routes" and "People network" sections (issue 13, items 1 and 2).

Both read the kept posts, their locations, the images linked to them and the near-duplicate
clusters, all from the store. Rows resting on fewer than ``[identify] min_cell`` posts (a
country pair, a country in a period, an account, a community, a cluster) are not shown; each
table says how many were left out. Accounts appear as their pseudonyms only.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from wildsift.analysis.network.posts import people_posts
from wildsift.analysis.network.study_network import people_network
from wildsift.analysis.network.suppress import suppress
from wildsift.analysis.routes.roles import ROLE_COLUMNS
from wildsift.analysis.routes.study_routes import routes_of
from wildsift.report.routes_figure import routes_fragment

PERIODS_SHOWN = 8
COUNTRIES_SHOWN = 15
ROWS_SHOWN = 15
COMMUNITIES_SHOWN = 10
ROLE_SHORT = {"exporter": "E", "importer": "I", "intermediary": "X",
              "exporter and importer": "E/I"}


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def roles_table(over_time: pd.DataFrame, min_cell: int) -> tuple[list[str], list[dict]]:
    """Countries by period: the role's letter and posts, or None where the cell rests on fewer
    than ``min_cell`` posts; the last :data:`PERIODS_SHOWN` periods."""
    if over_time.empty:
        return [], []
    periods = sorted(over_time["period"].unique())[-PERIODS_SHOWN:]
    recent = over_time[over_time["period"].isin(periods)]
    totals = recent.groupby("country")["posts"].sum().sort_values(ascending=False)
    rows = []
    for country in totals.index[:COUNTRIES_SHOWN]:
        cells = recent[recent["country"] == country].set_index("period")
        row = {"country": country, "cells": []}
        for period in periods:
            if period not in cells.index:
                row["cells"].append("")
            elif cells.at[period, "posts"] < min_cell:
                row["cells"].append("·")
            else:
                cell = cells.loc[period]
                row["cells"].append(f"{ROLE_SHORT[cell['role']]} {int(cell['posts'])}")
        rows.append(row)
    return periods, rows


def routes_context(posts: pd.DataFrame, period: str, min_cell: int,
                   figs: dict[str, Markup]) -> dict[str, Any]:
    routes = routes_of(posts, period)
    edges, hidden_edges = suppress(routes.edges, "posts", min_cell)
    roles, hidden_roles = suppress(routes.roles, "posts", min_cell)
    if len(edges):
        figs["routes"] = Markup(routes_fragment(edges, roles))
    periods, by_period = roles_table(routes.over_time, min_cell)
    methods = routes.flows["method"].value_counts().to_dict() if len(routes.flows) else {}
    return {"flows": len(routes.flows), "posts": int(routes.flows["post_pk"].nunique())
            if len(routes.flows) else 0,
            "domestic": int(routes.flows["domestic"].sum()) if len(routes.flows) else 0,
            "methods": methods, "edges": _rows(edges.head(ROWS_SHOWN)),
            "edges_more": max(0, len(edges) - ROWS_SHOWN), "edges_hidden": hidden_edges,
            "roles": _rows(roles[list(ROLE_COLUMNS)]), "roles_hidden": hidden_roles,
            "periods": periods, "by_period": by_period, "period": period}


def network_context(posts: pd.DataFrame, links: pd.DataFrame | None,
                    image_groups: pd.DataFrame | None, max_image_authors: int,
                    min_cell: int) -> dict[str, Any]:
    net = people_network(posts, links, image_groups, max_image_authors=max_image_authors)
    actors, actors_hidden = suppress(net.actors, "posts", min_cell)
    communities, communities_hidden = suppress(net.communities, "posts", min_cell)
    clusters, clusters_hidden = suppress(net.clusters.drop(columns="members"), "posts",
                                         min_cell)
    posts_by = dict(zip(net.actors["node"], net.actors["posts"]))
    brokers = net.brokerage.assign(posts=net.brokerage["node"].map(posts_by).fillna(0))
    brokers, brokers_hidden = suppress(brokers, "posts", min_cell)
    ties = net.ties.groupby("kind")["posts"].size().to_dict() if len(net.ties) else {}
    cross = clusters[clusters["platforms"].str.contains(",")] if len(clusters) else clusters
    return {"accounts": int(sum(1 for _, d in net.graph.degree() if d)),
            "ties": {k: int(v) for k, v in ties.items()},
            "communities_n": len(net.communities),
            "actors": _rows(actors.head(ROWS_SHOWN)), "actors_hidden": actors_hidden,
            "communities": _rows(communities.head(COMMUNITIES_SHOWN)),
            "communities_hidden": communities_hidden,
            "brokers": _rows(brokers.head(ROWS_SHOWN)), "brokers_hidden": brokers_hidden,
            "clusters": _rows(clusters.head(ROWS_SHOWN)), "clusters_hidden": clusters_hidden,
            "clusters_n": len(net.clusters), "clusters_cross": len(cross),
            "max_image_authors": max_image_authors}


def routes_network_context(study: Any, kept: pd.DataFrame, located: pd.DataFrame,
                           figs: dict[str, Markup]) -> dict[str, Any]:
    """``routes`` and ``network`` for the template (routes.html, network.html); adds the route
    map to ``figs``."""
    from wildsift.analysis.image_clusters import image_clusters

    settings = study.settings.identify
    posts = people_posts(study.store, kept, located)
    links = (study.store.images.post_links([int(pk) for pk in posts["pk"]])
             if len(posts) else None)
    return {"min_cell": settings.min_cell,
            "routes": routes_context(posts, settings.period, settings.min_cell, figs),
            "network": network_context(posts, links, image_clusters(study),
                                       settings.max_image_authors, settings.min_cell)}
