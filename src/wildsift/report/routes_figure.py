"""The report's route map: country flows as lines between country points, offline.

The same vendored Natural Earth shapes and no-fetch guard as the Countries map
(:mod:`wildsift.report.map_figure`); each flow is a line from the origin's representative point
to the destination's (the gazetteer's country points), as wide as its share of posts, with a
marker three quarters of the way along that shows its direction; countries are dots coloured by
role (exporter, intermediary, importer).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from wildsift.places.gazetteer import load_gazetteer
from wildsift.report.map_figure import FONT, NO_FETCH, country_shapes

ROLE_COLOURS = {"exporter": "#d62728", "intermediary": "#ff7f0e", "importer": "#1f77b4",
                "exporter and importer": "#9467bd"}
MAX_WIDTH = 9.0


def _point(code: str) -> tuple[float, float] | None:
    place = load_gazetteer().country(code)
    if place is None or place.lat is None or place.lon is None:
        return None
    return place.lat, place.lon


def routes_figure(edges: pd.DataFrame, roles: pd.DataFrame) -> go.Figure:
    """``edges``: origin, destination, posts; ``roles``: country, role, out/in strength."""
    shapes = country_shapes()
    drawn = sorted(feature["id"] for feature in shapes["features"])
    fig = go.Figure(go.Choropleth(
        geojson=shapes, featureidkey="id", locations=drawn, z=[0] * len(drawn),
        colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]], showscale=False, hoverinfo="skip",
        marker_line_color="#ffffff", marker_line_width=0.4))
    top = float(edges["posts"].max()) if len(edges) else 1.0
    heads_lat, heads_lon, heads_text = [], [], []
    for row in edges.itertuples(index=False):
        a, b = _point(row.origin), _point(row.destination)
        if a is None or b is None:
            continue
        label = f"{row.origin} → {row.destination}: {int(row.posts)} posts"
        fig.add_trace(go.Scattergeo(
            lat=[a[0], b[0]], lon=[a[1], b[1]], mode="lines", hoverinfo="text", text=label,
            line={"width": 1.0 + MAX_WIDTH * float(row.posts) / top, "color": "#555555"},
            opacity=0.55, showlegend=False))
        heads_lat.append(a[0] + 0.75 * (b[0] - a[0]))
        heads_lon.append(a[1] + 0.75 * (b[1] - a[1]))
        heads_text.append(label)
    if heads_lat:
        fig.add_trace(go.Scattergeo(
            lat=heads_lat, lon=heads_lon, text=heads_text, mode="markers", hoverinfo="text",
            marker={"size": 6, "color": "#333333", "symbol": "diamond"}, showlegend=False))
    for role, colour in ROLE_COLOURS.items():
        chosen = roles[roles["role"] == role]
        points = [(_point(c), c, o, i) for c, o, i in zip(
            chosen["country"], chosen["out_strength"], chosen["in_strength"])]
        points = [p for p in points if p[0] is not None]
        if not points:
            continue
        fig.add_trace(go.Scattergeo(
            lat=[p[0][0] for p in points], lon=[p[0][1] for p in points],
            text=[f"{c}: {role}, out {o}, in {i} posts" for _, c, o, i in points],
            mode="markers+text", textposition="top center", textfont={"size": 11},
            marker={"size": 11, "color": colour, "line": {"width": 1, "color": "#ffffff"}},
            hoverinfo="text", name=role))
        fig.data[-1].update(text=[p[1] for p in points],
                            hovertext=[f"{c}: {role}, out {o}, in {i} posts"
                                       for _, c, o, i in points])
    fig.update_geos(visible=False, projection_type="natural earth", showframe=False,
                    lataxis_range=[-58, 85], lonaxis_range=[-180, 180])
    fig.update_layout(height=460, margin={"l": 0, "r": 0, "t": 10, "b": 0},
                      font={"family": FONT, "size": 13}, template="plotly_white",
                      legend={"orientation": "h", "y": -0.02})
    return fig


def routes_fragment(edges: pd.DataFrame, roles: pd.DataFrame) -> str:
    from wildsift.report.figures import to_fragment

    return NO_FETCH + to_fragment(routes_figure(edges, roles), "fig-routes")
