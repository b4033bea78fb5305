"""The HTML report: its sections and figures, offline (nothing remote), and escaped examples."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.records import Post, Quarantined
from wildsift.report import assets, build_report

EVIL = '<script>alert("owned")</script> rhino horn for sale <PHONE:ab12cd>'
SECTIONS = ["summary", "time", "countries", "taxa", "sifting", "terms", "method", "examples",
            "quarantine"]
FIGURES = ["fig-time-group", "fig-time-platform", "fig-countries", "fig-map", "fig-taxa",
           "fig-sift"]


def fill(study, source: str = "import:test.csv") -> None:
    """Six posts on two platforms over three weeks; four relevant; two records quarantined."""
    rows = [  # post_id, platform, day, lat, lon, country, text, relevance
        ("a", "twitter", 4, 21.0285, 105.8542, None, EVIL, 0.97),
        ("b", "twitter", 5, 6.5244, 3.3792, None, "ivory bangle, real elephant", 0.91),
        ("c", "facebook", 12, None, None, "KE", "pangolin scales wholesale", 0.88),
        ("d", "facebook", 20, None, None, None, "tê tê vảy giá tốt", 0.75),
        ("e", "twitter", 20, None, None, "US", "Rhino 3D modelling course", 0.05),
        ("f", "facebook", 21, None, None, None, "ivory paint for the kitchen", 0.10),
    ]
    study.store.posts.add([
        Post(platform=platform, post_id=pid, text=text, created_at=datetime(2024, 3, day, 12),
             lat=lat, lon=lon, country=country, source=source)
        for pid, platform, day, lat, lon, country, text, _ in rows])
    pks = study.store.posts.frame(["pk", "post_id"]).set_index("post_id")["pk"]
    scores = pd.DataFrame({
        "pk": [pks[r[0]] for r in rows],
        "relevance": [r[7] for r in rows],
        "relevant": [int(r[7] >= 0.5) for r in rows],
        "relevance_method": ["model:text-1"] * len(rows),
    })
    study.store.scores.write("relevance", "text-1", scores,
                             ["relevance", "relevant", "relevance_method"])
    study.store.matches.replace(pd.DataFrame([
        {"post_pk": pks["a"], "taxon": "diceros_bicornis", "product": "horn", "lang": "en",
         "term": "rhino horn", "kind": "product"},
        {"post_pk": pks["b"], "taxon": "elephant", "product": "ivory", "lang": "en",
         "term": "ivory bangle", "kind": "product"},
        {"post_pk": pks["c"], "taxon": "pangolin", "product": "scales", "lang": "en",
         "term": "pangolin scales", "kind": "product"},
        {"post_pk": pks["d"], "taxon": "pangolin", "product": "scales", "lang": "vi",
         "term": "vảy tê tê", "kind": "product"},
        {"post_pk": pks["e"], "taxon": "rhinoceros", "product": None, "lang": "en",
         "term": "rhino", "kind": "name"},
    ]))
    study.store.quarantine.add([
        Quarantined(source="import:test.csv", location=f"test.csv:{n}", reason="no text",
                    field="text") for n in (7, 9)])


@pytest.fixture
def report(study, tmp_path) -> str:
    fill(study)
    path = build_report(study, tmp_path / "out" / "report.html")
    assert path == tmp_path / "out" / "report.html"
    return path.read_text(encoding="utf-8")


class RemoteLoads(HTMLParser):
    """Collects every attribute that would make a browser fetch a remote resource."""

    ATTRS = frozenset({"src", "href", "srcset", "data", "action", "poster", "background",
                       "formaction"})

    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self.scripts_with_src: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRS and value and re.match(r"\s*(https?:)?//", value, re.IGNORECASE):
                self.remote.append(f"<{tag} {name}={value}>")
            if tag == "script" and name == "src":
                self.scripts_with_src.append(value or "")
            if name == "style" and value and re.search(r"url\(\s*['\"]?(https?:)?//", value):
                self.remote.append(f"<{tag} style={value}>")


def test_report_has_every_section_and_figure(report):
    for section in SECTIONS:
        assert f'<section id="{section}">' in report
    for figure in FIGURES:
        assert f'id="{figure}"' in report
    assert report.count("Plotly.newPlot(") == len(FIGURES)
    assert report.count(assets.plotly_js()[:300]) == 1  # the library inlined exactly once


def test_report_numbers_come_from_the_store(report):
    assert '<strong id="discarded-share">33.3%</strong>' in report  # 2 of 6 sifted discarded
    assert '<strong id="quarantine-count">2</strong>' in report
    assert "the text model version text-1 for 6 posts" in report
    taxa = report[report.index('id="taxa-table"'):]
    row = taxa[taxa.index("Diceros bicornis"):taxa.index("</tr>", taxa.index("Diceros bicornis"))]
    assert '<span class="iucn iucn-CR"' in row and "<td>I</td>" in row
    assert "Manidae" in taxa  # a family-level match (pangolin) has its own row
    countries = report[report.index('id="countries-table"'):]
    for name in ("Vietnam", "Nigeria", "Kenya"):
        assert name in countries
    assert "United States" not in countries  # only relevant posts are located
    assert "vảy tê tê" in report[report.index('<section id="terms">'):]
    assert "Synthetic data" not in report


def test_report_loads_nothing_remote(report):
    parser = RemoteLoads()
    parser.feed(report)
    assert parser.remote == []
    assert parser.scripts_with_src == []
    assert "<link" not in report
    page_without_library = report.replace(assets.plotly_js(), "")
    assert not re.search(r"https?://", page_without_library)
    assert "@import" not in page_without_library


def test_example_posts_are_escaped(report):
    examples = report[report.index('<section id="examples">'):report.index(
        '<section id="quarantine">')]
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in examples
    assert "&lt;PHONE:ab12cd&gt;" in examples
    assert "<script>alert" not in report
    # highest relevance first, discarded posts never shown
    assert examples.index("&lt;script&gt;") < examples.index("ivory bangle")
    assert "Rhino 3D" not in examples


def test_synthetic_banner_for_demo_posts(study, tmp_path):
    fill(study, source="demo:synthetic:v1")
    html = build_report(study).read_text(encoding="utf-8")
    assert 'id="synthetic-banner"' in html
    assert (study.reports_dir / "report.html").exists()


def test_empty_study_still_builds(study):
    html = build_report(study).read_text(encoding="utf-8")
    assert "No dated posts to show." in html
    assert "has not run on this study yet" in html
    assert "Plotly.newPlot(" not in html
    assert "<script" not in html  # no charts, so no library either


def test_cli_report_prints_the_path(study, tmp_path):
    fill(study)
    out = tmp_path / "cli.html"
    result = CliRunner().invoke(app, ["--study", str(study.root), "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_report_without_study_fails_cleanly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report"])
    assert result.exit_code != 0
    assert "wildsift init" in result.output


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")
def test_report_renders_offline_in_a_browser(study, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    fill(study)
    path = build_report(study, tmp_path / "report.html")
    attempted: list[str] = []
    errors: list[str] = []

    def only_local(route):
        if route.request.url.startswith(("file://", "data:", "about:")):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.route("**/*", only_local)
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error"
                    else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(path.as_uri())
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                f"{len(FIGURES)}", timeout=30_000)
            drawn = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => e.id)")
            bars = page.locator("#fig-taxa .bars .point").count()
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert attempted == []
    assert errors == []
    assert sorted(drawn) == sorted(FIGURES)
    assert bars == 4  # Diceros bicornis, Elephantidae, Manidae, Rhinocerotidae
    assert (tmp_path / "report.png").stat().st_size > 10_000
