"""Gould-Fernandez brokerage roles, written here: no Python library has them.

Gould and Fernandez (1989, Sociological Methodology 19: 89-126) call ``b`` a broker between
distinct ``a`` and ``c`` when ``a -> b -> c`` and not ``a -> c``. With every actor in one group
(here: a country), the two-path's groups name the role ``b`` plays (the definition of R's
``sna::brokerage``, whose names are in brackets):

- coordinator (w_I): a, b and c in one group;
- itinerant, or consultant (w_O): a and c in one group, b in another;
- representative (b_IO): a and b in one group, c in another (b speaks for its group);
- gatekeeper (b_OI): b and c in one group, a in another (b lets an outsider in);
- liaison (b_O): all three in different groups.

Actors whose group is unknown broker nothing and are brokered for no one: a two-path counts
only when its three actors all have a group.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import pandas as pd

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def role(group_a: Hashable, group_b: Hashable, group_c: Hashable) -> str:
    """The role of ``b`` in the two-path a -> b -> c, from the three groups."""
    if group_a == group_b == group_c:
        return "coordinator"
    if group_a == group_c:
        return "itinerant"
    if group_a == group_b:
        return "representative"
    if group_b == group_c:
        return "gatekeeper"
    return "liaison"


def brokerage(graph: nx.DiGraph, groups: Mapping[Hashable, Hashable | None]) -> pd.DataFrame:
    """One row per actor that brokers at least once: ``node``, one count per role of
    :data:`ROLES` and ``total``, the most brokering first."""
    counts: dict[Hashable, dict[str, int]] = {}
    for b in graph.nodes:
        group_b = groups.get(b)
        if group_b is None:
            continue
        for a in graph.predecessors(b):
            group_a = groups.get(a)
            if a == b or group_a is None:
                continue
            for c in graph.successors(b):
                if c in (a, b) or graph.has_edge(a, c):
                    continue
                group_c = groups.get(c)
                if group_c is None:
                    continue
                row = counts.setdefault(b, dict.fromkeys(ROLES, 0))
                row[role(group_a, group_b, group_c)] += 1
    frame = pd.DataFrame([{"node": n, **row} for n, row in counts.items()],
                         columns=["node", *ROLES])
    frame["total"] = frame[list(ROLES)].sum(axis=1).astype(int)
    return frame.sort_values(["total", "node"], ascending=[False, True], ignore_index=True)
