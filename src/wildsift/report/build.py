"""Build the study report: one static HTML file that opens offline.

Everything on the page is computed by :mod:`wildsift.analysis` from the store, and the page loads
nothing from the network: Plotly's JavaScript is inlined once, there are no maps (Plotly's map
outlines come from a CDN), no web fonts and no links to remote resources.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from wildsift import __version__
from wildsift.analysis import conservation, geo, quality, run_notes, summary, terms, timeline
from wildsift.analysis import images as images_analysis
from wildsift.analysis import reuse as reuse_analysis
from wildsift.analysis import trade as trade_analysis
from wildsift.analysis.data import StudyData, load_report_data
from wildsift.analysis.image_clusters import DEFAULT_MAX_DISTANCE, image_clusters
from wildsift.analysis.places.located import post_locations
from wildsift.report import assets, figures
from wildsift.report.identify_sections import identify_context
from wildsift.report.map_figure import map_fragment
from wildsift.report.monitoring_sections import monitoring_context
from wildsift.report.network_sections import routes_network_context
from wildsift.study import Study

EXAMPLE_CHARS = 600  # longer example texts are cut (the full text stays in the store)


def _env() -> Environment:
    env = Environment(loader=PackageLoader("wildsift.report", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["num"] = lambda v: "–" if v is None or pd.isna(v) else f"{int(v):,}"
    env.filters["pct"] = lambda v: "–" if v is None or pd.isna(v) else f"{100 * float(v):.1f}%"
    env.filters["day"] = lambda v: "–" if v is None or pd.isna(v) else pd.Timestamp(v).strftime(
        "%d %b %Y")
    return env


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _texts(study: Study, pks: list[int]) -> dict[int, str]:
    """Stored (redacted) texts of a few posts."""
    if not pks:
        return {}
    frame = study.store.posts.frame(["pk", "text"], pks=pks)
    return dict(zip(frame["pk"].astype(int), frame["text"].fillna("")))


def _examples(study: Study, data: StudyData, taxa: Mapping[str, Any]) -> list[dict[str, Any]]:
    picked = summary.example_posts(data.kept, data.taxon_matches)
    texts = _texts(study, sorted({int(pk) for pk in picked["pk"]}))
    out = []
    for row in _rows(picked):
        text = texts.get(int(row["pk"]), "")
        out.append(row | {
            "text": text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS] + " …",
            "scientific_names": [getattr(taxa.get(key), "scientific_name", None) or key
                                 for key in row["taxa"]],
        })
    return out


def _method_sentence(methods: pd.DataFrame) -> str:
    if methods.empty:
        return "The relevance filter has not run on this study yet."
    parts = []
    for method, posts in zip(methods["method"], methods["posts"]):
        if method == "rules":
            what = "keyword rules (no trained model)"
        elif str(method).startswith("model:"):
            what = f"the text model version {str(method)[len('model:'):]}"
        else:
            what = str(method)
        parts.append(f"{what} for {posts:,} posts")
    return "Relevance was decided by " + "; ".join(parts) + "."


def _trade(study: Study) -> dict[str, Any]:
    """Intent, captive-bred claims and scam cues of the kept posts (the task-heads stage)."""
    found = trade_analysis.summarise_trade(trade_analysis.load_trade_frame(study),
                                           study.store.media.reused_pks())
    return {"summary": found, "intents": _rows(found.intents), "claims": _rows(found.claims),
            "cues": _rows(found.scam_cues), "platforms": _rows(found.by_platform),
            "rules_only": all(m == ["rules"] for m in found.methods.values() if m)}


REUSE_ROWS = 20  # clusters listed in the "Reused images" section


def _reuse(study: Study) -> dict[str, Any]:
    """Clusters of near-duplicate images shown by several posts (counts only: no pictures, which
    may show faces), those spanning most authors and platforms first."""
    clusters = image_clusters(study, DEFAULT_MAX_DISTANCE, min_size=1)
    linked = reuse_analysis.cluster_posts(study, clusters)
    table = reuse_analysis.reuse_summary(study, clusters, linked=linked)
    overview = reuse_analysis.reuse_overview(study, clusters, table, linked)
    shown = table[(table["authors"] >= 2) | (table["platforms"] >= 2)]
    return {"overview": overview, "max_distance": DEFAULT_MAX_DISTANCE,
            "clusters": _rows(shown.head(REUSE_ROWS).assign(example=shown["example"].str[:12])),
            "more": max(0, len(shown) - REUSE_ROWS)}


def _images(study: Study, kept_pks: list[int]) -> dict[str, Any]:
    """The "Images" section: counts per image stage, a few redacted OCR snippets of kept posts,
    the image model's scores, fusion against text alone, and why a step did not run (as the
    last recorded sift said: analysis/run_notes.py). Text only: no picture is embedded (it may
    show a face)."""
    overview = images_analysis.images_overview(study)
    scores = images_analysis.image_scores_summary(study, kept_pks)
    return {"overview": overview, "why_not": run_notes.unavailable_steps(study),
            "snippets": _rows(images_analysis.ocr_snippets(study, kept_pks)),
            "scores": scores, "fusion": images_analysis.fusion_counts(study),
            "blur": study.settings.privacy.blur_faces}


RUNS_SHOWN = 5


def _runs(study: Study) -> dict[str, Any]:
    """The "Runs" section: the latest sift runs as the store recorded them (stages, versions,
    counts, what was unavailable on the machine that ran them), not re-probed here."""

    runs = study.store.runs.list()
    return {"runs": runs[:RUNS_SHOWN], "runs_more": max(0, len(runs) - RUNS_SHOWN)}


def report_context(study: Study, data: StudyData, taxa: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the template shows, computed from the study's store."""
    kept = data.kept
    totals = summary.summarize(data)
    times = timeline.posts_over_time(kept, data.taxon_matches, conservation.taxon_groups(taxa))
    located = post_locations(study.store, kept)  # the location stage's, else geotag/field
    countries = geo.countries_table(kept, located)
    taxa_table = conservation.taxa_table(data.taxon_matches, kept, taxa,
                                         countries=located["country"].set_axis(kept["pk"]),
                                         matched=data.totals.taxa if data.totals else None)
    top_terms = terms.top_terms(data.matches, kept)

    figs: dict[str, Markup] = {}
    if not times.by_group.empty:
        figs["timeline_group"] = Markup(figures.to_fragment(
            figures.timeline_figure(times.by_group, times.freq), "fig-time-group"))
        figs["timeline_platform"] = Markup(figures.to_fragment(
            figures.timeline_figure(times.by_platform, times.freq),
            "fig-time-platform"))
    if (countries["country"] != geo.UNKNOWN).any():
        figs["countries"] = Markup(figures.to_fragment(figures.countries_figure(countries),
                                                       "fig-countries"))
        figs["map"] = Markup(map_fragment(countries, located))
    if not taxa_table.empty:
        figs["taxa"] = Markup(figures.to_fragment(figures.taxa_figure(taxa_table), "fig-taxa"))
    if not totals.by_platform.empty:
        figs["sift"] = Markup(figures.to_fragment(figures.sift_figure(totals.by_platform),
                                                  "fig-sift"))
    routes_network = routes_network_context(study, kept, located, figs)
    curve = quality.pr_curve(study)
    if curve is not None:
        figs["pr_curve"] = Markup(figures.to_fragment(figures.pr_curve_figure(curve), "fig-pr"))
    return {
        "name": data.name,
        "pr_curve": curve,
        "generated": datetime.now(UTC).strftime("%d %b %Y %H:%M UTC"),
        "version": __version__,
        "plotly_version": assets.plotly_version(),
        "plotly_js": Markup(assets.plotly_js()) if figs else None,
        "scope": data.scope,
        "kept": len(kept),
        "totals": totals,
        "platforms": _rows(totals.by_platform),
        "methods": _rows(totals.methods),
        "method_sentence": _method_sentence(totals.methods),
        "timeline": times,
        "countries": _rows(countries.head(30)),
        "countries_more": max(0, len(countries) - 30),
        "located_share": float((located["country"] != geo.UNKNOWN).mean()) if len(kept) else None,
        "geotagged": int((located["country_from"] == "geotag").sum()),
        "located_by": located["country_from"].value_counts().to_dict() if len(kept) else {},
        "taxa": _rows(taxa_table),
        "terms": [(lang, _rows(group)) for lang, group in top_terms.groupby("lang", sort=False)],
        "examples": _examples(study, data, taxa),
        "quarantine_reasons": _rows(summary.quarantine_reasons(data.quarantine)),
        "figs": figs,
        "trade": _trade(study),
        "reuse": _reuse(study),
        "images": _images(study, [int(pk) for pk in kept["pk"]] if "pk" in kept else []),
        **identify_context(study, kept, data.taxon_matches, taxa, located),
        **routes_network,
        **monitoring_context(study, kept, data.taxon_matches),
        **_runs(study),
    }


def render(context: Mapping[str, Any]) -> str:
    return _env().get_template("report.html").render(**context)


def build_report(study: Study, out: Path | None = None, *,
                 taxa: Mapping[str, Any] | None = None) -> Path:
    """Write the report (default ``reports/report.html`` in the study) and return its path.

    ``taxa`` (key -> lexicon Taxon) defaults to the default lexicon's taxa.
    """
    if taxa is None:
        taxa = conservation.load_taxa()
    out = Path(out) if out is not None else study.reports_dir / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    data = load_report_data(study)
    html = render(report_context(study, data, taxa))
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    return out
