"""The location stage: sources, the combination rule, and its place in the default plan."""

from __future__ import annotations

import pandas as pd

from wildsift.records import Post
from wildsift.sift.stages.location import FIELDS, LocationStage


def _batch(rows: list[dict]) -> pd.DataFrame:
    columns = ("pk", "text", "lang", "lat", "lon", "place", "country", "profile_place",
               "profile_country", "phone_country")
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows])


def test_each_source_and_the_order_they_win_in():
    batch = _batch([
        {"pk": 1, "text": "ivory from Lagos", "lat": -1.2921, "lon": 36.8219},  # geotag wins
        {"pk": 2, "text": "tê tê tại Hà Nội", "lang": "vi", "profile_country": "TH",
         "phone_country": "VN"},
        {"pk": 3, "text": "rhino horn", "profile_country": "VN",
         "profile_place": "Ho Chi Minh City", "phone_country": "TH"},
        {"pk": 4, "text": "rhino horn", "phone_country": "TH"},
        {"pk": 5, "text": "nothing to say"},
        {"pk": 6, "text": "scales", "country": "ke", "place": "Mombasa"},  # platform's place
    ])
    out = LocationStage()(batch).set_index("pk")
    assert list(out["location_source"].fillna("-")) == [
        "geotag", "text", "profile", "phone", "-", "platform_place"]
    assert list(out["location_country"].fillna("-")) == ["KE", "VN", "VN", "TH", "-", "KE"]
    assert out.loc[1, "location_evidence"] == "geotag=KE text=NG"
    assert out.loc[3, "location_place"] == "Ho Chi Minh City"
    assert out.loc[6, "location_place"] == "Mombasa"
    # agreement raises confidence, disagreement lowers it
    assert out.loc[2, "location_confidence"] < LocationStage.locate(
        {"text": "tê tê tại Hà Nội", "lang": "vi"}).confidence
    assert set(FIELDS) <= set(out.columns)
    assert out["location_confidence"].dtype == "float64"


def test_default_plan_locates_posts_before_relevance_and_sift_stores_it(study):
    from wildsift.sift.pipeline import default_stages, sift_study

    stages = default_stages(study)
    names = [stage.name for stage in stages]
    assert names.index("location") < names.index(stages[-1].name) == len(names) - 1
    study.store.add_posts([
        Post(platform="t", post_id="a", text="Pangolin scales for sale in Jakarta",
             phone_country="ID"),
        Post(platform="t", post_id="b", text="rhino horn", profile_country="VN",
             profile_place="Hanoi"),
    ])
    sift_study(study, progress=False, workers=1, stages=stages)
    located = study.store.scores.latest(["location_country", "location_source"])
    assert sorted(zip(located["location_country"], located["location_source"])) == [
        ("ID", "text"), ("VN", "profile")]


def test_posts_sifted_before_the_stage_existed_are_located_by_the_next_sift(study):
    from wildsift.sift.pipeline import default_stages, sift_study

    study.store.add_posts([Post(platform="t", post_id="a", text="ivory bangle, Nairobi")])
    stages = default_stages(study)
    without = [stage for stage in stages if stage.name != "location"]
    sift_study(study, progress=False, workers=1, stages=without)
    assert "location_country" not in study.store.scores.latest()
    second = sift_study(study, progress=False, workers=1, stages=stages)
    assert second["posts"] == 0  # relevance had scored it: nothing rescored
    assert list(study.store.scores.latest(["location_country"])["location_country"]) == ["KE"]


def test_posts_nowhere_are_stored_as_missing_not_as_text(study):
    from wildsift.sift.pipeline import default_stages, sift_study

    study.store.add_posts([Post(platform="t", post_id="a", text="no place at all"),
                           Post(platform="t", post_id="b", text="ivory, Nairobi")])
    sift_study(study, progress=False, workers=1, stages=default_stages(study))
    located = study.store.scores.latest(["location_country", "location_source"])
    assert sorted(located["location_country"].dropna()) == ["KE"]
    assert located["location_source"].isna().sum() == 1  # not the string "nan"
