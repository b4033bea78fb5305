"""The people network of a study, every measure at once, for the report and the exports."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from wildsift.analysis.network.brokerage import brokerage
from wildsift.analysis.network.clusters import seller_clusters
from wildsift.analysis.network.graph import people_graph, undirected
from wildsift.analysis.network.measures import community_table, key_actors
from wildsift.analysis.network.posts import kept_and_located, people_posts
from wildsift.analysis.network.ties import tie_table


@dataclass
class PeopleNetwork:
    graph: nx.DiGraph  # pseudonyms and counts only (see graph.py)
    ties: pd.DataFrame  # source, target, kind, posts
    actors: pd.DataFrame  # measures.ACTOR_COLUMNS
    communities: pd.DataFrame  # measures.community_table
    brokerage: pd.DataFrame  # node, one column per role, total (country as the group)
    clusters: pd.DataFrame  # clusters.CLUSTER_COLUMNS


def people_network(posts: pd.DataFrame, links: pd.DataFrame | None = None,
                   image_groups: pd.DataFrame | None = None, *, max_image_authors: int = 5,
                   seed: int = 0) -> PeopleNetwork:
    """Every measure of the network of ``posts`` (:func:`.posts.people_posts`)."""
    ties = tie_table(posts, links, image_groups, max_image_authors=max_image_authors)
    graph = people_graph(posts, ties)
    actors = key_actors(undirected(graph), seed)
    community = dict(zip(actors["node"], actors["community"]))
    nx.set_node_attributes(graph, {n: int(community[n]) if pd.notna(community.get(n)) else 0
                                   for n in graph.nodes}, "community")
    groups = {n: d["country"] for n, d in graph.nodes(data=True) if d["country"] != "unknown"}
    return PeopleNetwork(graph, ties, actors, community_table(actors),
                         brokerage(graph, groups), seller_clusters(graph))


def study_network(study, kept: pd.DataFrame | None = None,
                  located: pd.DataFrame | None = None) -> PeopleNetwork:
    """The network of a study's kept posts, with its image links and near-duplicate clusters;
    ``[identify] max_image_authors`` from its settings."""
    from wildsift.analysis.image_clusters import image_clusters

    if kept is None or located is None:
        kept, located = kept_and_located(study)
    posts = people_posts(study.store, kept, located)
    links = study.store.images.post_links([int(pk) for pk in posts["pk"]]) if len(posts) else None
    settings = study.settings.identify
    return people_network(posts, links, image_clusters(study),
                          max_image_authors=settings.max_image_authors)
