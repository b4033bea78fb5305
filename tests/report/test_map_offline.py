"""The report's map in Chromium: drawn from the vendored shapes, with no network request, and
place labels in Chinese and Thai rendered with a font that has their glyphs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from wildsift.records import Post
from wildsift.report import build_report
from wildsift.report.map_figure import country_shapes, map_figure
from wildsift.sift.stages.location import FIELDS, LocationStage

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
COLUMNS = ("pk", "text", "lang", "lat", "lon", "place", "country", "profile_place",
           "profile_country", "phone_country")


def test_vendored_shapes_are_small_and_keyed_by_iso_code():
    shapes = country_shapes()
    ids = {feature["id"] for feature in shapes["features"]}
    assert {"VN", "TH", "CN", "KE", "US", "BR", "FR", "ID"} <= ids
    assert all(len(code) == 2 for code in ids)
    path = Path(__file__).resolve().parents[2] / "src/wildsift/report/assets/countries-110m.geojson"
    assert path.stat().st_size < 1_000_000


def test_the_figure_names_its_shapes_and_no_url():
    fig = map_figure(pd.DataFrame({"country": ["VN"], "name": ["Vietnam"], "posts": [3]}),
                     pd.DataFrame({"lat": [21.0], "lon": [105.8], "label": ["河内"]}))
    payload = fig.to_json()
    assert "topojson" not in payload.lower() and "http" not in payload
    assert fig.data[1].geojson["features"] and fig.layout.geo.visible is False


@pytest.fixture
def located_report(study, tmp_path) -> Path:
    study.store.posts.add([
        Post(platform="t", post_id="a", text="象牙手镯", lat=21.0285, lon=105.8542,
             created_at=datetime(2024, 3, 4)),
        Post(platform="t", post_id="b", text="งาช้าง", lat=13.7563, lon=100.5018,
             created_at=datetime(2024, 3, 5)),
        Post(platform="t", post_id="c", text="pangolin scales for sale in Lagos",
             created_at=datetime(2024, 3, 6)),
        Post(platform="t", post_id="d", text="rhino horn", profile_country="VN",
             created_at=datetime(2024, 3, 7)),
    ])
    posts = study.store.posts.frame(COLUMNS)
    located = LocationStage()(posts)
    # place labels as a Chinese or Thai reader would write them
    located.loc[located["location_country"] == "VN", "location_place"] = "河内 Hà Nội"
    located.loc[located["location_country"] == "TH", "location_place"] = "กรุงเทพ"
    study.store.scores.write("location", LocationStage.version, located, FIELDS)
    study.store.scores.write("relevance", "r1", posts.assign(relevance=0.9, relevant=1),
                             ["relevance", "relevant"])
    return build_report(study, tmp_path / "report.html")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")
def test_map_renders_offline_with_cjk_and_thai_labels(located_report, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error"
                    else None)
            page.goto(located_report.as_uri())
            page.wait_for_selector("#fig-map .choroplethlocation", timeout=30_000)
            countries = page.locator("#fig-map path.choroplethlocation").count()
            labels = page.eval_on_selector_all(
                "#fig-map .scattergeo text", "els => els.map(e => [e.textContent, "
                "e.getBBox().width, getComputedStyle(e).fontFamily])")
            page.locator("#map").screenshot(path=str(tmp_path / "map.png"))
            page.locator("#map").screenshot(path="/tmp/geodev/test_map.png")
        finally:
            browser.close()
    assert [url for url in requests if not url.startswith(("file://", "data:"))] == []
    assert errors == []
    # every shape in grey, then the countries with posts (VN, TH, NG) coloured over them
    assert countries == len(country_shapes()["features"]) + 3
    texts = {text: (width, font) for text, width, font in labels}
    assert {"河内 Hà Nội", "กรุงเทพ"} <= set(texts)
    assert all(width > 10 and "Noto Sans CJK" in font for width, font in texts.values())
    assert (tmp_path / "map.png").stat().st_size > 10_000
