"""``wildsift export FILE --what routes|network``: the flows between countries and the people
network, for R, Python or Gephi, each with its data dictionary.

routes: ``.csv`` one row per flow (a post's origin -> destination); ``.json`` the flows, the
country edges, the roles and the roles per period in one document. network: ``.graphml`` or
``.gexf`` (networkx writers; Gephi opens both) or ``.csv`` (the edge list, and the accounts in
``FILE.nodes.csv``). Accounts are their pseudonyms (keyed hashes per platform), posts their
pseudonymous ids; no text, contact, name or platform id is written. After an erasure
``wildsift comply`` rewrites the routes CSV without the erased posts and deletes the other
files (they cannot be rewritten row by row): export them again.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd

from wildsift.analysis.export_dictionary import Entry, dictionary_paths

ROUTE_FORMATS = ("csv", "json")
NETWORK_FORMATS = ("graphml", "gexf", "csv")
_FLOW = "analysis: routes (docs/identify-network.md)"
_NET = "analysis: network (docs/identify-network.md)"
ROUTES: dict[str, Entry] = {
    "post_id": ("keyed hash of the platform's post id", "string", "ingest"),
    "platform": ("platform of the post", "string", "ingest"),
    "created_at": ("when the post was published (UTC, ISO 8601)", "datetime", "ingest"),
    "period": ("quarter or month of created_at ([identify] period)", "string", _FLOW),
    "origin": ("country the goods leave", "ISO 3166-1 alpha-2", _FLOW),
    "destination": ("country the goods go to", "ISO 3166-1 alpha-2", _FLOW),
    "method": (("text (both ends named), text+location (one end named, the other the seller's "
                "country), text via seller (both named, the seller in a third country), reply "
                "(a buyer's reply to a seller)"), "string", _FLOW),
    "origin_place": ("gazetteer place the text named as the origin", "string", _FLOW),
    "destination_place": ("gazetteer place the text named as the destination", "string",
                          _FLOW),
    "cue": ("the words that made it a route (ship to, từ ... về, reply)", "string", _FLOW),
    "domestic": ("origin and destination are one country (not in the network)", "bool", _FLOW),
}
NETWORK: dict[str, Entry] = {
    "source": ("account pseudonym (keyed hash per platform) the tie leaves", "string", _NET),
    "target": ("account pseudonym the tie goes to", "string", _NET),
    "weight": (("all ties from source to target: replies + mentions + reposts + shared "
                "contacts + shared pictures"), "integer", _NET),
    "reply": ("posts of source replying to target", "integer", _NET),
    "mention": ("posts of source mentioning target", "integer", _NET),
    "repost": ("posts of source reposting, quoting or forwarding a post of target", "integer",
               _NET),
    "contact": ("contact tokens (phone, e-mail, messenger id, profile link) both wrote",
                "integer", _NET),
    "image": ("pictures (or near-duplicate clusters) both showed", "integer", _NET),
    "id": ("account pseudonym", "string", _NET),
    "platform": ("platform of the account", "string", "ingest"),
    "posts": ("relevant posts the account wrote", "integer", _NET),
    "country": ("most frequent country of its posts, or unknown", "ISO 3166-1 alpha-2", _NET),
    "seller": ("the account offers (trade-intent head), or is replied to", "bool", _NET),
    "community": ("Louvain community (1 = largest; 0: no tie)", "integer", _NET),
}


def routes_frames(routes, posts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The flows (by post id), edges, roles and roles per period of a :class:`Routes`."""
    from wildsift.analysis.routes.roles import period_of

    ids = dict(zip(posts["pk"], posts["post_id"])) if "post_id" in posts else {}
    flows = routes.flows.copy()
    flows.insert(0, "post_id", flows["post_pk"].map(ids))
    flows["period"] = period_of(flows["created_at"], routes.period)
    flows["created_at"] = pd.to_datetime(flows["created_at"], utc=True).map(
        lambda t: t.isoformat() if pd.notna(t) else None)
    columns = [c for c in ROUTES if c in flows]
    return {"flows": flows[columns], "edges": routes.edges, "roles": routes.roles,
            "over_time": routes.over_time}


def write_routes(frames: dict[str, pd.DataFrame], out: Path, fmt: str) -> int:
    if fmt == "csv":
        frames["flows"].to_csv(out, index=False)
    else:
        doc = {name: json.loads(frame.to_json(orient="records", force_ascii=False))
               for name, frame in frames.items()}
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(frames["flows"])


def write_network(graph: nx.DiGraph, out: Path, fmt: str) -> int:
    """Write ``graph`` (pseudonyms and counts only: analysis/network/graph.py)."""
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    elif fmt == "gexf":
        nx.write_gexf(graph, out)
    else:
        edges = nx.to_pandas_edgelist(graph, source="source", target="target")
        edges.to_csv(out, index=False)
        nodes = pd.DataFrame([{"id": n, **d} for n, d in graph.nodes(data=True)])
        nodes.to_csv(nodes_path(out), index=False)
    return graph.number_of_edges()


def nodes_path(out: Path) -> Path:
    return out.with_name(out.stem + ".nodes.csv")


def write_identify_dictionary(out: Path, what: str, fmt: str, rows: int,
                              tables: dict[str, list[str]]) -> Path:
    """``FILE.dictionary.md`` and ``.json`` for routes or network: each table's columns."""
    known = ROUTES if what == "routes" else NETWORK
    md_path, json_path = dictionary_paths(out)
    lines = [f"# Data dictionary: {out.name}", "",
             f"wildsift export, what: {what}, format: {fmt}, rows: {rows}.", ""]
    described = {}
    for table, columns in tables.items():
        fallback = ("count or measure, see docs/identify-network.md", "number",
                    _FLOW if what == "routes" else _NET)
        entries = [dict(zip(("meaning", "type", "source"), known.get(c, fallback)), column=c)
                   for c in columns]
        described[table] = entries
        lines += [f"## {table}", "", "| column | meaning | type | source |", "|---|---|---|---|"]
        lines += [f"| {e['column']} | {e['meaning']} | {e['type']} | {e['source']} |"
                  for e in entries]
        lines.append("")
    md_path.write_text("\n".join(lines), encoding="utf-8")
    json_path.write_text(json.dumps({"file": out.name, "what": what, "format": fmt,
                                     "rows": rows, "tables": described},
                                    ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return md_path


def export_identify(study, out: Path, what: str, fmt: str) -> tuple[int, Path]:
    """Write routes or the network of ``study`` to ``out``; returns rows (flows or edges) and
    the dictionary's path."""
    from wildsift.analysis.network.posts import kept_and_located, people_posts

    kept, located = kept_and_located(study)
    posts = people_posts(study.store, kept, located)
    if what == "routes":
        from wildsift.analysis.routes.study_routes import study_routes

        ids = study.store.posts.frame(("pk", "post_id"), pks=[int(p) for p in posts["pk"]])
        frames = routes_frames(study_routes(study, posts=posts),
                               posts.merge(ids, on="pk", how="left"))
        rows = write_routes(frames, out, fmt)
        tables = ({"flows": list(frames["flows"].columns)} if fmt == "csv"
                  else {name: list(frame.columns) for name, frame in frames.items()})
    else:
        from wildsift.analysis.network.study_network import study_network
        from wildsift.analysis.network.ties import KINDS

        graph = study_network(study, kept, located).graph
        rows = write_network(graph, out, fmt)
        edge_columns = ["source", "target", "weight", *KINDS]
        node_columns = ["id", "platform", "posts", "country", "seller", "community"]
        tables = {"edges": edge_columns, "nodes": node_columns}
    return rows, write_identify_dictionary(out, what, fmt, rows, tables)
