"""Plotly figures of the report, rendered as HTML fragments without the library (inlined once).

Maps are deliberately absent: Plotly's geo traces fetch their topojson from a CDN, which breaks
the offline promise, so countries are a bar chart and a table.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

IUCN_COLOURS = {  # the Red List's own colours
    "EX": "#000000", "EW": "#542344", "CR": "#d81e05", "EN": "#fc7f3f", "VU": "#f9e814",
    "NT": "#cce226", "LC": "#60c659", "DD": "#d1d1c6", "NE": "#ffffff",
}
_CONFIG = {"displaylogo": False, "responsive": True,
           "modeBarButtonsToRemove": ["select2d", "lasso2d"], "toImageButtonOptions": {"scale": 2}}
# Titles are HTML headings above each chart, so a legend never collides with them.
_LAYOUT = {
    "template": "plotly_white", "height": 340,
    "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13},
}


def to_fragment(fig: go.Figure, div_id: str) -> str:
    """A <div> and the script that draws it; plotly.js itself is inlined once by the page."""
    return fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                       div_id=div_id, config=_CONFIG)


def timeline_figure(table: pd.DataFrame, freq: str) -> go.Figure:
    """One line per column (taxon group or platform) of weekly or monthly counts."""
    fig = go.Figure()
    for column in table.columns:
        fig.add_trace(go.Scatter(x=table.index, y=table[column], mode="lines+markers",
                                 name=str(column), line_shape="linear",
                                 hovertemplate=f"{column}<br>%{{x|%d %b %Y}}: %{{y}} posts"
                                               "<extra></extra>"))
    fig.update_layout(**_LAYOUT, yaxis_title=f"posts per {freq}", xaxis_title=f"{freq} starting",
                      hovermode="x unified")
    fig.update_yaxes(rangemode="tozero")
    return fig


def countries_figure(table: pd.DataFrame, top: int = 15) -> go.Figure:
    """Horizontal bars of the countries with most posts (unknown left out)."""
    known = table[table["country"] != "unknown"].head(top).iloc[::-1]
    fig = go.Figure(go.Bar(x=known["posts"], y=known["name"], orientation="h",
                           marker_color="#2a7f62",
                           hovertemplate="%{y}: %{x} posts<extra></extra>"))
    fig.update_layout(**{**_LAYOUT, "height": max(240, 26 * len(known) + 90)},
                      xaxis_title="posts")
    return fig


def taxa_figure(table: pd.DataFrame, top: int = 20) -> go.Figure:
    """Posts per taxon, coloured by IUCN Red List category."""
    rows = table.head(top).iloc[::-1]
    labels = [f"{s} ({c})" if c else s for s, c in zip(rows["scientific_name"], rows["common_name"])]
    colours = ["#bbbbbb" if rank in ("family", "group") else IUCN_COLOURS.get(cat, "#888888")
               for cat, rank in zip(rows["iucn"], rows["rank"])]
    fig = go.Figure(go.Bar(
        x=rows["posts"], y=labels, orientation="h", marker_color=colours,
        marker_line_color="#555555", marker_line_width=0.5,
        customdata=list(zip(rows["iucn"], rows["cites"])),
        hovertemplate="%{y}: %{x} posts<br>IUCN %{customdata[0]}, CITES %{customdata[1]}"
                      "<extra></extra>"))
    fig.update_layout(**{**_LAYOUT, "height": max(240, 28 * len(rows) + 90)},
                      xaxis_title="relevant posts")
    fig.update_layout(margin={"l": 20, "r": 20, "t": 20, "b": 50})
    fig.update_yaxes(automargin=True)
    return fig


def sift_figure(platforms: pd.DataFrame) -> go.Figure:
    """Per platform: posts kept as relevant, discarded as irrelevant, not sifted yet."""
    unsifted = platforms["posts"] - platforms["sifted"]
    fig = go.Figure()
    for name, values, colour in (("relevant", platforms["relevant"], "#2a7f62"),
                                 ("discarded as irrelevant", platforms["discarded"], "#c0c0c0"),
                                 ("not sifted yet", unsifted, "#f0d080")):
        if values.sum() == 0 and name == "not sifted yet":
            continue
        fig.add_trace(go.Bar(x=platforms["platform"], y=values, name=name, marker_color=colour,
                             hovertemplate=f"%{{x}}: %{{y}} {name}<extra></extra>"))
    fig.update_layout(**_LAYOUT, barmode="stack", yaxis_title="posts")
    return fig


def pr_curve_figure(curve) -> go.Figure:
    """Precision against recall of the relevance scores on labelled posts (analysis.quality),
    with the stored decisions' operating point."""
    fig = go.Figure(go.Scatter(
        x=curve.recall, y=curve.precision, mode="lines", name="relevance score",
        line_shape="hv", hovertemplate="recall %{x:.2f}<br>precision %{y:.2f}<extra></extra>"))
    if curve.point_precision is not None and curve.point_recall is not None:
        fig.add_trace(go.Scatter(
            x=[curve.point_recall], y=[curve.point_precision], mode="markers",
            name="threshold in use", marker={"size": 11, "symbol": "diamond"},
            hovertemplate="recall %{x:.2f}<br>precision %{y:.2f}<extra></extra>"))
    fig.update_layout(**_LAYOUT)
    fig.update_xaxes(title="recall", range=[0, 1.02])
    fig.update_yaxes(title="precision", range=[0, 1.02])
    return fig
