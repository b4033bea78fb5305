"""The report's map: posts per country (a choropleth) and the geotagged posts (points), offline.

Plotly's geo traces fetch their base map (TopoJSON) from a CDN. Here the country shapes are
vendored (``assets/countries-110m.geojson``: Natural Earth 1:110m admin-0, public domain, via
the npm ``world-atlas`` package; see ``shapes_build.py``) and given to the choropleth as
``geojson``; the geo subplot's own base layers are switched off (``visible=False``). plotly.js
still asks for its world TopoJSON whenever a trace has a ``locationmode`` (a choropleth always
has one), unless ``window.PlotlyGeoAssets`` already holds it: the fragment registers an empty
topology under that name first (:data:`NO_FETCH`), so nothing is downloaded and no tile server
is involved. The font stack names Noto CJK and Thai
so place names in those scripts render.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

SHAPES = Path(__file__).with_name("assets") / "countries-110m.geojson"
FONT = ("system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Noto Sans CJK SC, "
        "Noto Sans Thai, sans-serif")
MAX_POINTS = 5000  # geotags drawn; more would slow the page, not tell more
COLOURS = [[0, "#a8dcc4"], [0.5, "#2a9d8f"], [1, "#0b3d5c"]]  # no colour paler than the land
MAX_LABELS = 30  # up to this many geotags, each is labelled with its place on the map
# plotly.js looks up its base-map TopoJSON by name here before fetching it from its CDN
NO_FETCH = ("<script>(function(){var a=window.PlotlyGeoAssets=window.PlotlyGeoAssets||"
            "{topojson:{}};a.topojson=a.topojson||{};var e={type:'Topology',objects:{},"
            "arcs:[]};['world','usa','europe','asia','africa','north-america','south-america']"
            ".forEach(function(s){['110m','50m'].forEach(function(r){"
            "a.topojson[s+'_'+r]=a.topojson[s+'_'+r]||e;});});})();</script>")


@functools.cache
def country_shapes() -> dict:
    """The vendored GeoJSON FeatureCollection; feature ids are ISO 3166-1 alpha-2 codes."""
    return json.loads(SHAPES.read_text(encoding="utf-8"))


def map_figure(countries: pd.DataFrame, points: pd.DataFrame | None = None) -> go.Figure:
    """``countries``: country (code), name, posts (unknown left out); ``points``: lat, lon,
    label (hover text) of geotagged posts."""
    known = countries[countries["country"] != "unknown"]
    shapes = country_shapes()
    drawn = {feature["id"] for feature in shapes["features"]}
    fig = go.Figure()
    # every country in light grey underneath, so the map has land where no post is
    fig.add_trace(go.Choropleth(
        geojson=shapes, featureidkey="id", locations=sorted(drawn), z=[0] * len(drawn),
        colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]], showscale=False, hoverinfo="skip",
        marker_line_color="#ffffff", marker_line_width=0.4))
    shown = known[known["country"].isin(drawn)]
    fig.add_trace(go.Choropleth(
        geojson=shapes, featureidkey="id", locations=shown["country"], z=shown["posts"],
        text=shown["name"], colorscale=COLOURS, marker_line_color="#ffffff",
        marker_line_width=0.5,
        colorbar={"title": {"text": "posts"}, "thickness": 12, "tickformat": ",d"},
        hovertemplate="%{text}: %{z} posts<extra></extra>", name="posts"))
    if points is not None and len(points):
        sample = points.head(MAX_POINTS)
        fig.add_trace(go.Scattergeo(
            lat=sample["lat"], lon=sample["lon"], text=sample["label"],
            mode="markers+text" if len(sample) <= MAX_LABELS else "markers",
            textposition="top center", textfont={"size": 11, "color": "#333333"},
            marker={"size": 6, "color": "#d62728", "line": {"width": 0.5, "color": "#ffffff"}},
            hovertemplate="%{text}<extra>geotag</extra>", name="geotagged posts"))
    fig.update_geos(visible=False, projection_type="natural earth", showframe=False,
                    lataxis_range=[-58, 85], lonaxis_range=[-180, 180])
    fig.update_layout(height=420, margin={"l": 0, "r": 0, "t": 10, "b": 0},
                      font={"family": FONT, "size": 13}, showlegend=False,
                      template="plotly_white")
    return fig


def geotag_points(located: pd.DataFrame) -> pd.DataFrame:
    """lat, lon, label of the posts located by their geotag (label: the place, else the
    country code)."""
    tagged = located[located["country_from"].eq("geotag") & located["lat"].notna()
                     & located["lon"].notna()]
    labels = tagged["place"].where(tagged["place"].notna(), tagged["country"]).astype(str)
    return pd.DataFrame({"lat": tagged["lat"].astype(float), "lon": tagged["lon"].astype(float),
                         "label": labels})


def map_fragment(countries: pd.DataFrame, located: pd.DataFrame) -> str:
    """The map as an HTML fragment (``fig-map``) for the report's Countries section."""
    from wildsift.report.figures import to_fragment

    return NO_FETCH + to_fragment(map_figure(countries, geotag_points(located)), "fig-map")
