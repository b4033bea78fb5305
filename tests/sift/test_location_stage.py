"""The location stage: sources, the combination rule, and its place in the default plan."""

from __future__ import annotations

import pandas as pd

from wildsift.places.resolve import Location, combine
from wildsift.records import Post
from wildsift.sift.stages.location import FIELDS, LocationStage


def _batch(rows: list[dict]) -> pd.DataFrame:
    columns = ("pk", "text", "lang", "lat", "lon", "place", "country", "profile_place",
               "profile_country", "phone_country")
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows])


def test_each_source_and_the_order_they_win_in():
    batch = _batch([
        {"pk": 1, "text": "ivory for sale in Lagos", "lat": -1.2921, "lon": 36.8219},  # geotag wins
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
    text = Location("VN", "text", 0.7)
    assert combine([text, Location("TH", "profile", 0.75)]).confidence < 0.7
    assert combine([text, Location("VN", "phone", 0.6)]).confidence > 0.7
    assert set(FIELDS) <= set(out.columns)
    assert out["location_confidence"].dtype == "float64"


def _kept(study) -> set[int]:
    decided = study.store.scores.latest(["relevant"])
    return set(decided.loc[decided["relevant"] == 1, "post_pk"].astype(int))


def test_default_plan_locates_the_posts_relevance_keeps_and_sift_stores_it(study):
    from wildsift.sift.pipeline import default_stages, sift_study

    stages = default_stages(study)
    names = [stage.name for stage in stages]
    assert names.index("relevance") < names.index("location")  # it reads the decision
    study.store.posts.add([
        Post(platform="t", post_id="a", text="Pangolin scales for sale in Jakarta, price 2tr",
             phone_country="ID"),
        Post(platform="t", post_id="b", text="rhino horn for sale, price $500, contact me",
             profile_country="VN", profile_place="Hanoi"),
        Post(platform="t", post_id="c", text="lovely weather in Nairobi today", phone_country="KE"),
    ])
    sift_study(study, progress=False, workers=1, stages=stages)
    located = study.store.scores.latest(["location_country", "location_source"])
    kept = _kept(study)
    assert len(kept) == 2 and set(located["post_pk"].astype(int)) == kept  # kept posts only
    assert sorted(zip(located["location_country"], located["location_source"])) == [
        ("ID", "text"), ("VN", "profile")]


def test_kept_posts_sifted_before_the_stage_existed_are_located_by_the_next_sift(study):
    from wildsift.sift.pipeline import default_stages, sift_study

    study.store.posts.add([Post(platform="t", post_id="a", text="ivory bangle for sale, Nairobi"),
                           Post(platform="t", post_id="b", text="sunny day in Nairobi")])
    stages = default_stages(study)
    without = [stage for stage in stages if stage.name != "location"]
    sift_study(study, progress=False, workers=1, stages=without)
    assert "location_country" not in study.store.scores.latest()
    with study.store.engine.connect() as conn:
        before = conn.exec_driver_sql("SELECT COUNT(*) FROM scores WHERE stage != 'location'"
                                      ).scalar_one()
    second = sift_study(study, progress=False, workers=1, stages=stages)
    assert second.posts == 1  # the kept post, not yet located: the other is not asked for
    with study.store.engine.connect() as conn:
        after = conn.exec_driver_sql("SELECT COUNT(*) FROM scores WHERE stage != 'location'"
                                     ).scalar_one()
    assert after == before  # the other stages had done it: nothing of theirs written again
    assert list(study.store.scores.latest(["location_country"])["location_country"]) == ["KE"]
    assert sift_study(study, progress=False, workers=1, stages=stages).posts == 0


def test_posts_nowhere_are_stored_as_missing_not_as_text(study):
    from wildsift.sift.pipeline import default_stages, sift_study

    study.store.posts.add([Post(platform="t", post_id="a", text="rhino horn for sale, $500"),
                           Post(platform="t", post_id="b", text="ivory for sale in Nairobi, $500")])
    sift_study(study, progress=False, workers=1, stages=default_stages(study))
    located = study.store.scores.latest(["location_country", "location_source"])
    assert len(_kept(study)) == 2
    assert sorted(located["location_country"].dropna()) == ["KE"]
    assert located["location_source"].isna().sum() == 1  # not the string "nan"
