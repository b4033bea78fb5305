"""Seller clusters: accounts that are likely one seller, or one ring of sellers.

Connected components of the graph kept to ``contact`` and ``image`` ties only (a shared phone,
e-mail, messenger id or profile link; a shared or near-duplicate image that few accounts show):
replies, mentions and reposts say who talks to whom, not who is who. A cluster of accounts on several
platforms is one seller's presence across them.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

CLUSTER_COLUMNS = ("cluster", "accounts", "platforms", "countries", "posts", "contact_ties",
                   "image_ties", "members")


def seller_clusters(graph: nx.DiGraph) -> pd.DataFrame:
    """One row per cluster of two accounts or more, the largest first: :data:`CLUSTER_COLUMNS`
    (``members``: the accounts' pseudonyms; ``platforms``/``countries``: ',' joined)."""
    linked = nx.Graph()
    for a, b, data in graph.edges(data=True):
        if data.get("contact", 0) or data.get("image", 0):
            if linked.has_edge(a, b):
                linked[a][b]["contact"] += data.get("contact", 0)
                linked[a][b]["image"] += data.get("image", 0)
            else:
                linked.add_edge(a, b, contact=data.get("contact", 0),
                                image=data.get("image", 0))
    rows = []
    for members in nx.connected_components(linked):
        sub = linked.subgraph(members)
        nodes = [graph.nodes[m] for m in members]
        rows.append({
            "accounts": len(members),
            "platforms": ", ".join(sorted({n.get("platform", "") for n in nodes} - {""})),
            "countries": ", ".join(sorted({n.get("country", "unknown") for n in nodes}
                                          - {"unknown"})),
            "posts": sum(int(n.get("posts", 0)) for n in nodes),
            "contact_ties": sum(1 for *_, d in sub.edges(data=True) if d["contact"]),
            "image_ties": sum(1 for *_, d in sub.edges(data=True) if d["image"]),
            "members": sorted(members),
        })
    frame = pd.DataFrame(rows, columns=list(CLUSTER_COLUMNS[1:]))
    frame = frame.sort_values(["accounts", "posts"], ascending=False, ignore_index=True)
    frame.insert(0, "cluster", range(1, len(frame) + 1))
    return frame
