"""A study's alerts from its store (analysis/monitoring/alerts.py), `wildsift alerts` and
`wildsift export --what alerts`: a planted spike in one taxon x country x platform series, an
outage in collection, and a contact token that a second author starts to use."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from wildsift.analysis.monitoring.alerts import study_alerts
from wildsift.cli.main import app
from wildsift.records import Post

START = datetime(2024, 1, 1, 9, tzinfo=UTC)  # a Monday
SPIKE_WEEK, OUTAGE_WEEK = 20, 26


def fill(study, seed: int = 0) -> None:
    """30 weeks of posts: pangolin | VN | facebook about 3 a week (15 more in SPIKE_WEEK),
    40 unrelated posts a week on facebook (the effort), none at all in OUTAGE_WEEK."""
    rng = np.random.default_rng(seed)
    posts, relevant = [], []
    for week in range(30):
        if week == OUTAGE_WEEK:
            continue
        kept = int(rng.poisson(3)) + (15 if week == SPIKE_WEEK else 0)
        for i in range(kept):
            when = START + timedelta(weeks=week, hours=int(rng.integers(0, 150)))
            text = "bán vảy tê tê giá tốt"
            author = f"seller{int(rng.integers(0, 6))}"
            if week == 24 and i < 2:  # two sellers start sharing one phone
                text += " <PHONE:ab12cd>"
                author = f"ring{i}"
            posts.append(Post(platform="facebook", post_id=f"k{week}-{i}", text=text,
                              created_at=when, country="VN", lang="vi", author=author,
                              source="import:test.csv"))
            relevant.append(1)
        for i in range(40):
            when = START + timedelta(weeks=week, hours=int(rng.integers(0, 150)))
            posts.append(Post(platform="facebook", post_id=f"n{week}-{i}", text="chuyện hằng ngày",
                              created_at=when, lang="vi", author="people",
                              source="import:test.csv"))
            relevant.append(0)
    study.store.posts.add(posts)
    pks = study.store.posts.frame(["pk", "post_id"]).set_index("post_id")["pk"]
    ids = [p.post_id for p in posts]
    study.store.scores.write("relevance", "text-1", pd.DataFrame({
        "pk": [pks[i] for i in ids], "relevance": [0.9 if r else 0.1 for r in relevant],
        "relevant": relevant, "relevance_method": ["model:text-1"] * len(ids)}),
        ["relevance", "relevant", "relevance_method"])
    study.store.matches.replace(pd.DataFrame([
        {"post_pk": pks[i], "taxon": "pangolin", "product": "scales", "lang": "vi",
         "term": "vảy tê tê", "kind": "product"} for i, r in zip(ids, relevant) if r]))


def test_study_alerts_find_the_spike_the_outage_and_the_shared_contact(study):
    fill(study)
    alerts = study_alerts(study)
    spike_day = (START + timedelta(weeks=SPIKE_WEEK)).date().isoformat()
    spikes = [a for a in alerts if a.kind == "spike"]
    assert [(a.series, a.window[0]) for a in spikes] == [("pangolin | VN | facebook", spike_day)]
    spike = spikes[0]
    assert spike.observed >= 15 and spike.expected < spike.observed / 3
    assert len(spike.posts) == spike.observed
    assert all(p.startswith("facebook:") for p in spike.posts)
    outage_day = (START + timedelta(weeks=OUTAGE_WEEK)).date().isoformat()
    effort = [a for a in alerts if a.kind == "effort"]
    assert any(a.window[0] == outage_day and a.direction == "down" and a.observed == 0
               for a in effort)
    # the outage week is not a fall in trade, and the week after is not a rise
    assert not any(a.kind in ("spike", "change_point") and a.window[0] >= outage_day
                   for a in alerts)
    clusters = [a for a in alerts if a.kind == "new_cluster"]
    assert [a.series for a in clusters] == ["contact <PHONE:ab12cd>"]
    assert clusters[0].observed == 2 and len(clusters[0].posts) == 2


def test_since_keeps_only_later_alerts(study):
    fill(study)
    later = study_alerts(study, since=(START + timedelta(weeks=SPIKE_WEEK + 1)).date())
    assert not any(a.kind == "spike" for a in later)
    assert any(a.kind == "new_cluster" for a in later)


def test_alerts_command_writes_one_json_object_per_alert(study, tmp_path):
    fill(study)
    out = tmp_path / "alerts.jsonl"
    result = CliRunner().invoke(app, ["--study", str(study.root), "alerts", "--json", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {"kind", "series", "window", "observed", "expected", "score", "posts"} <= set(rows[0])
    assert {r["kind"] for r in rows} >= {"spike", "effort", "new_cluster"}
    assert f"wrote {len(rows)} alerts" in result.output
    stdout = CliRunner().invoke(app, ["--study", str(study.root), "alerts", "--json", "-"])
    assert [json.loads(line) for line in stdout.output.splitlines()] == rows


def test_export_alerts_csv_and_json_with_a_dictionary(study, tmp_path):
    fill(study)
    runner = CliRunner()
    for name in ("alerts.csv", "alerts.json"):
        out = tmp_path / name
        result = runner.invoke(app, ["--study", str(study.root), "export", str(out),
                                     "--what", "alerts"])
        assert result.exit_code == 0, result.output
        dictionary = out.with_name(name + ".dictionary.md").read_text(encoding="utf-8")
        assert "| posts |" in dictionary and "what: alerts" in dictionary
    frame = pd.read_csv(tmp_path / "alerts.csv")
    loaded = json.loads((tmp_path / "alerts.json").read_text(encoding="utf-8"))
    assert len(frame) == len(loaded) > 0
    spike = frame[frame["kind"] == "spike"].iloc[0]
    assert len(spike["posts"].split("|")) == spike["observed"]
    from wildsift.analysis.export_records import recorded_exports

    recorded = {(item["path"], item["kind"]) for item in recorded_exports(study.root)}
    assert {(str(tmp_path / n), "alerts") for n in ("alerts.csv", "alerts.json")} <= recorded
    bad = runner.invoke(app, ["--study", str(study.root), "export", str(tmp_path / "a.xlsx"),
                              "--what", "alerts"])
    assert bad.exit_code != 0 and "xlsx" in bad.output


def test_collection_alerts_name_a_stopped_query_and_a_new_one(study):
    from wildsift.analysis.monitoring.collection import collection_alerts

    day0 = datetime(2024, 3, 1, 6, tzinfo=UTC)
    posts = []
    for day in range(30):
        if 20 <= day <= 22:
            continue  # the API was down for three days
        for i in range(5):
            posts.append(Post(platform="mastodon", post_id=f"p{day}-{i}", text="x",
                              created_at=day0 + timedelta(days=day, hours=-1),
                              collected_at=day0 + timedelta(days=day), query="pangolin"))
        if day >= 15:  # a second query from day 15 on
            posts.append(Post(platform="mastodon", post_id=f"q{day}", text="y",
                              created_at=day0 + timedelta(days=day, hours=-2),
                              collected_at=day0 + timedelta(days=day), query="tê tê"))
    study.store.posts.add(posts)
    frame = study.store.posts.frame(["platform", "created_at", "collected_at", "query"])
    alerts = collection_alerts(frame)
    stops = [a for a in alerts if a.direction == "down"]
    assert sorted((a.series, a.window[0], a.window[1]) for a in stops) == [
        ("mastodon | pangolin | collected", "2024-03-21", "2024-03-23"),
        ("mastodon | tê tê | collected", "2024-03-21", "2024-03-23")]  # both queries stopped
    pangolin = next(a for a in stops if "pangolin" in a.series)
    assert pangolin.score == 3 and pangolin.expected == 5 and "3 day(s)" in pangolin.note
    new = [a for a in alerts if a.direction == "up"]
    assert [(a.series, a.window[0]) for a in new] == [("mastodon | tê tê | collected",
                                                       "2024-03-16")]
    assert collection_alerts(frame, since=pd.Timestamp("2024-03-24")) == []
    assert any(a.series.endswith("| collected") for a in study_alerts(study))
    # an import (one collection day) says nothing
    one_day = frame.assign(collected_at=frame["collected_at"].iloc[0])
    assert collection_alerts(one_day) == []
