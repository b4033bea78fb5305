"""The report's "Products and prices" and "Conservation context" sections, from the store."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from wildsift.records import Post
from wildsift.report import build_report


def _fill(study) -> None:
    rows = [  # post_id, country, lang, text, relevance, (taxon, product)
        ("a", "VN", "vi", "Bán vảy tê tê 2 kg giá 23.787.000đ", 0.9, ("pangolin", "scales")),
        ("b", "VN", "vi", "vảy tê tê 1 kg giá 11.893.500đ", 0.9, ("pangolin", "scales")),
        ("c", "NA", "en", "ivory bangle for sale, asking $300", 0.9, ("loxodonta_africana", "ivory")),
        ("d", "KE", "en", "ivory bangle, $100", 0.9, ("loxodonta_africana", "ivory")),
        ("e", "US", "en", "ivory paint $20", 0.1, ("elephant", "ivory")),
    ]
    study.store.posts.add([
        Post(platform="facebook", post_id=pid, text=text, created_at=datetime(2023, 6, 1, 12),
             country=country, lang=lang, source="import:test.csv")
        for pid, country, lang, text, _, _ in rows])
    pks = study.store.posts.frame(["pk", "post_id"]).set_index("post_id")["pk"]
    study.store.scores.write("relevance", "text-1", pd.DataFrame({
        "pk": [pks[r[0]] for r in rows], "relevance": [r[4] for r in rows],
        "relevant": [int(r[4] >= 0.5) for r in rows],
        "relevance_method": ["model:text-1"] * len(rows)}),
        ["relevance", "relevant", "relevance_method"])
    study.store.matches.replace(pd.DataFrame([
        {"post_pk": pks[r[0]], "taxon": r[5][0], "product": r[5][1], "lang": r[2],
         "term": "x", "kind": "product"} for r in rows]))


def test_report_shows_prices_by_product_and_conservation_columns(study, tmp_path):
    _fill(study)
    # a GBIF snapshot that says Loxodonta africana is native to Kenya only
    folder = study.root / "registries"
    folder.mkdir()
    (folder / "gbif-2026-12-01.json").write_text(json.dumps({
        "source": "gbif", "retrieved": "2026-12-01", "base_url": "http://local",
        "taxa": {"Loxodonta africana": {"native_range": ["KE"]}}}), encoding="utf-8")
    html = build_report(study, tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<section id="prices">' in html and '<section id="conservation">' in html
    prices = html[html.index('<section id="prices">'):html.index('<section id="conservation">')]
    # pangolin scales: ~1000 USD (23,787,000 VND at the 2023 World Bank rate, 23,787.3) and 500 USD
    assert "<td>pangolin</td><td>scales</td>" in prices
    assert "750 (2)" in prices  # median USD of the two pangolin posts, n = 2
    assert "500 (2)" in prices  # median USD per kg: 1000/2 and 500/1
    assert "200 (2)" in prices  # ivory: median of $300 and $100
    assert "$20" not in html  # the irrelevant post counts nowhere
    conservation = html[html.index('<section id="conservation">'):]
    row = conservation[conservation.index("Loxodonta africana"):]
    row = row[:row.index("</tr>")]
    assert "II: BW, NA, ZA, ZW" in row
    assert "for these posts: I, II" in row  # Namibia's post is Appendix II, Kenya's Appendix I
    assert "GBIF distributions (2026-12-01)" in row
    cells = [c.split(">")[-1] for c in row.split("</td>")]
    assert cells[5:8] == ["1", "1", "0"]  # inside (KE), outside (NA), uncertain
    assert "gbif 2026-12-01" in conservation
