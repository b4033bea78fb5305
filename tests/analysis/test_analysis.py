"""Analysis on small frames built here: every number is checked against a hand count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from wildsift.analysis import conservation, geo, summary, terms, timeline
from wildsift.analysis.data import StudyData, frame_posts, load_report_data, load_study_data
from wildsift.records import Post, Quarantined


@dataclass
class FakeTaxon:
    key: str
    scientific_name: str
    group: str
    iucn: str
    cites: str
    rank: str = "species"
    common_names: dict = field(default_factory=dict)
    native_range: list = field(default_factory=list)
    cites_populations: dict = field(default_factory=dict)


TAXA = {
    "diceros_bicornis": FakeTaxon("diceros_bicornis", "Diceros bicornis", "rhinoceros", "CR", "I",
                                  common_names={"en": ["black rhinoceros"]},
                                  native_range=["KE", "TZ", "ZA"]),
    "ceratotherium_simum": FakeTaxon("ceratotherium_simum", "Ceratotherium simum", "rhinoceros",
                                     "NT", "I", native_range=["ZA", "KE"],
                                     cites_populations={"II": ["ZA", "SZ", "NA"]}),
    "manis_javanica": FakeTaxon("manis_javanica", "Manis javanica", "pangolin", "CR", "I",
                                native_range=["VN", "TH", "MY"]),
}


def posts_frame(rows: list[dict]) -> pd.DataFrame:
    """Posts shaped like load_study_data's: defaults for every column not given."""
    base = {"platform": "twitter", "created_at": None, "lat": None, "lon": None,
            "country": None, "source": "import:test.csv", "relevance": None, "relevant": None,
            "relevance_method": None}
    frame = pd.DataFrame([base | {"pk": i + 1} | row for i, row in enumerate(rows)])
    scores = frame[["pk", "relevance", "relevant", "relevance_method"]].rename(
        columns={"pk": "post_pk"})
    return frame_posts(frame.drop(columns=["relevance", "relevant", "relevance_method"]), scores)


def matches(rows: list[tuple]) -> pd.DataFrame:
    """(post_pk, taxon, term, lang[, kind[, product]]) tuples as a matches frame."""
    out = []
    for row in rows:
        pk, taxon, term, lang, *rest = row
        kind = rest[0] if rest else "product"
        product = rest[1] if len(rest) > 1 else None
        out.append({"post_pk": pk, "taxon": taxon, "product": product, "lang": lang,
                    "term": term, "kind": kind})
    return pd.DataFrame(out, columns=["post_pk", "taxon", "product", "lang", "term", "kind"])


# -- timeline -----------------------------------------------------------------------------
def test_weekly_buckets_start_on_monday_and_fill_empty_weeks():
    posts = posts_frame([
        {"created_at": datetime(2024, 3, 4, 9)},    # Monday, week of 4 March
        {"created_at": datetime(2024, 3, 10, 23)},  # Sunday, same week
        {"created_at": datetime(2024, 3, 25, 1)},   # week of 25 March; 11 and 18 March empty
        {"created_at": None},
    ])
    found = matches([(1, "diceros_bicornis", "rhino horn", "en"),
                     (1, "ceratotherium_simum", "white rhino", "en"),  # same group: once
                     (2, "manis_javanica", "pangolin scales", "en")])
    result = timeline.posts_over_time(posts, found, conservation.taxon_groups(TAXA))
    assert result.freq == "week"
    assert list(result.by_group.index) == list(pd.to_datetime(
        ["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25"]))
    assert result.by_group.loc["2024-03-04", "rhinoceros"] == 1
    assert result.by_group.loc["2024-03-04", "pangolin"] == 1
    assert result.by_group.loc["2024-03-25", timeline.UNMATCHED] == 1
    assert result.by_group.loc["2024-03-11"].sum() == 0
    assert result.by_platform["twitter"].tolist() == [2, 0, 0, 1]
    assert result.undated == 1


def test_long_span_uses_monthly_buckets():
    posts = posts_frame([{"created_at": datetime(2023, 1, 15)},
                         {"created_at": datetime(2023, 1, 31)},
                         {"created_at": datetime(2024, 2, 1), "platform": "facebook"}])
    result = timeline.posts_over_time(posts, matches([]), {})
    assert result.freq == "month"
    assert len(result.by_platform) == 14  # Jan 2023 .. Feb 2024
    assert result.by_platform.loc["2023-01-01", "twitter"] == 2
    assert result.by_platform.loc["2024-02-01", "facebook"] == 1
    assert timeline.choose_freq(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-05-01")) == "week"


# -- geo ----------------------------------------------------------------------------------
def test_reverse_geocoding_known_cities_offline():
    lat = [21.0285, 6.5244, -1.2921, np.nan, 200.0]
    lon = [105.8542, 3.3792, 36.8219, 10.0, 10.0]
    assert list(geo.reverse_geocode(lat, lon)) == ["VN", "NG", "KE", None, None]


def test_post_country_prefers_geotag_then_falls_back_to_field():
    posts = posts_frame([
        {"lat": 21.0285, "lon": 105.8542, "country": "TH"},  # geotag wins
        {"country": "za"},
        {},
    ])
    located = geo.post_countries(posts)
    assert located["country"].tolist() == ["VN", "ZA", geo.UNKNOWN]
    assert located["country_from"].tolist() == ["geotag", "field", "none"]


def test_countries_table_counts_and_shares():
    posts = posts_frame([{"lat": 6.5244, "lon": 3.3792}, {"country": "NG"}, {"country": "KE"},
                         {}])
    table = geo.countries_table(posts)
    assert table["country"].tolist() == ["NG", "KE", geo.UNKNOWN]  # unknown always last
    assert table["posts"].tolist() == [2, 1, 1]
    assert table["geotagged"].tolist() == [1, 0, 0]
    assert table["share"].sum() == pytest.approx(1.0)
    assert table.loc[0, "name"] == "Nigeria"
    assert geo.country_name("KE") == "Kenya"


# -- conservation --------------------------------------------------------------------------
def test_taxa_table_joins_iucn_and_cites_and_counts_relevant_posts():
    posts = posts_frame([
        {"relevant": 1, "country": "VN"},  # black rhino offered outside its range
        {"relevant": 1, "country": "KE"},
        {"relevant": 0},
        {"relevant": 1},
    ])
    found = matches([(1, "diceros_bicornis", "rhino horn", "en", "product", "horn"),
                     (2, "diceros_bicornis", "black rhino", "en", "name"),
                     (3, "diceros_bicornis", "rhino", "en", "name"),
                     (4, "manis_javanica", "vảy tê tê", "vi", "product", "scales"),
                     (4, "manis_javanica", "tê tê", "vi", "name"),
                     (4, "not_in_lexicon", "x", "en")])
    kept = posts[posts["relevant"] == 1]
    countries = geo.post_countries(kept)["country"].set_axis(kept["pk"])
    table = conservation.taxa_table(found, kept, TAXA, countries=countries).set_index("taxon")
    rhino = table.loc["diceros_bicornis"]
    assert (rhino["scientific_name"], rhino["iucn"], rhino["iucn_name"], rhino["cites"]) == (
        "Diceros bicornis", "CR", "Critically Endangered", "I")
    assert rhino["common_name"] == "black rhinoceros"
    assert (rhino["posts"], rhino["matched_posts"]) == (2, 3)
    assert rhino["products"] == "horn"
    assert rhino["outside_native_range"] == 1
    assert table.loc["manis_javanica", "posts"] == 1  # two terms, one post
    assert table.loc["not_in_lexicon", "iucn"] == ""
    assert table.index[0] == "diceros_bicornis"  # most relevant posts first


def test_cites_split_listing_is_stated():
    posts = posts_frame([{"relevant": 1}])
    table = conservation.taxa_table(matches([(1, "ceratotherium_simum", "white rhino", "en")]),
                                    posts, TAXA)
    assert table.loc[0, "cites_note"] == "II for populations of NA, SZ, ZA"


# -- terms ---------------------------------------------------------------------------------
def test_top_terms_count_distinct_posts_per_language():
    posts = posts_frame([{"relevant": 1}, {"relevant": 1}, {"relevant": 1}, {"relevant": 0}])
    found = matches([(1, "diceros_bicornis", "rhino horn", "en"),
                     (1, "diceros_bicornis", "rhino horn", "en"),  # same post twice: once
                     (2, "diceros_bicornis", "rhino horn", "en"),
                     (3, "diceros_bicornis", "ivory", "en"),
                     (3, "manis_javanica", "vảy tê tê", "vi"),
                     (4, "manis_javanica", "tê tê", "vi")])  # not relevant: left out
    kept = posts[posts["relevant"] == 1]
    table = terms.top_terms(found, kept, n=1)
    assert table[["lang", "term", "posts"]].values.tolist() == [
        ["en", "rhino horn", 2], ["vi", "vảy tê tê", 1]]


# -- summary -------------------------------------------------------------------------------
def make_data(rows: list[dict], found: pd.DataFrame | None = None,
              quarantine: int = 0) -> StudyData:
    q = pd.DataFrame([{"source": "import:a.csv", "location": f"a.csv:{i}", "reason": "bad date",
                       "field": "created_at"} for i in range(quarantine)],
                     columns=["source", "location", "reason", "field"])
    return StudyData(name="t", posts=posts_frame(rows),
                     matches=found if found is not None else matches([]), quarantine=q)


def test_share_discarded_counts_only_sifted_posts():
    data = make_data([
        {"relevant": 1, "relevance_method": "model:text-3"},
        {"relevant": 0, "relevance_method": "model:text-3"},
        {"relevant": 0, "relevance_method": "rules", "platform": "facebook"},
        {"relevant": 0, "relevance_method": "model:text-3"},
        {},  # not sifted: neither relevant nor discarded
    ], quarantine=2)
    totals = summary.summarize(data)
    assert (totals.posts, totals.sifted, totals.relevant, totals.discarded) == (5, 4, 1, 3)
    assert totals.discarded_share == pytest.approx(0.75)
    assert totals.unsifted == 1
    assert totals.quarantined == 2
    platforms = totals.by_platform.set_index("platform")
    assert platforms.loc["twitter", "discarded_share"] == pytest.approx(2 / 3)
    assert platforms.loc["facebook", "discarded_share"] == pytest.approx(1.0)
    assert totals.methods.values.tolist() == [["model:text-3", 3], ["rules", 1]]
    reasons = summary.quarantine_reasons(data.quarantine)
    assert reasons.values.tolist() == [["import:a.csv", "created_at", "bad date", 2]]


def test_nothing_sifted_keeps_all_posts_and_has_no_share():
    data = make_data([{}, {}])
    assert not data.sifted
    assert len(data.kept) == 2
    assert summary.summarize(data).discarded_share is None


def test_synthetic_flag_and_negative_matches():
    data = make_data([{"source": "demo:synthetic v1"}],
                     found=matches([(1, "manis_javanica", "pangolin armoured vehicle", "en",
                                     "negative"),
                                    (1, "manis_javanica", "pangolin scales", "en")]))
    assert data.synthetic
    assert data.taxon_matches["term"].tolist() == ["pangolin scales"]
    assert not make_data([{}]).synthetic


def test_example_posts_highest_relevance_first_a_few_per_taxon():
    posts = posts_frame([{"relevant": 1, "relevance": r} for r in (0.6, 0.99, 0.8, 0.7)]
                        + [{"relevant": 0, "relevance": 0.1}])
    found = matches([(pk, "diceros_bicornis", "rhino horn", "en") for pk in (1, 2, 3, 4, 5)]
                    + [(1, "manis_javanica", "tê tê", "vi"), (2, "manis_javanica", "tê tê", "vi")])
    kept = posts[posts["relevant"] == 1]
    examples = summary.example_posts(kept, found, per_taxon=2)
    # post 2 (0.99) names both taxa: shown once, under the taxon with more posts
    assert examples[["taxon", "pk"]].values.tolist() == [
        ["diceros_bicornis", 2], ["diceros_bicornis", 3], ["manis_javanica", 1]]
    assert examples["taxa"].tolist() == [["diceros_bicornis", "manis_javanica"],
                                         ["diceros_bicornis"],
                                         ["diceros_bicornis", "manis_javanica"]]


# -- loading from a real store ---------------------------------------------------------------
def test_load_study_data_joins_latest_scores(study):
    study.store.posts.add([
        Post(platform="twitter", post_id="a", text="rhino horn", created_at=datetime(2024, 1, 2)),
        Post(platform="twitter", post_id="b", text="jaguar car", created_at=datetime(2024, 1, 3)),
    ])
    pks = study.store.posts.frame(["pk", "post_id"]).set_index("post_id")["pk"]
    first = pd.DataFrame({"pk": [pks["a"], pks["b"]], "relevance": [0.2, 0.1],
                          "relevant": [0, 0], "relevance_method": ["rules", "rules"]})
    study.store.scores.write("relevance", "rules", first,
                             ["relevance", "relevant", "relevance_method"])
    later = first.assign(relevance=[0.9, 0.1], relevant=[1, 0],
                         relevance_method=["model:text-2", "model:text-2"])
    study.store.scores.write("relevance", "text-2", later,
                             ["relevance", "relevant", "relevance_method"])
    study.store.quarantine.add([Quarantined(source="import:x", location="x:1", reason="no text")])
    data = load_study_data(study)
    by_id = data.posts.set_index("pk")
    assert by_id.loc[pks["a"], "relevant"] == 1.0
    assert by_id.loc[pks["a"], "relevance_method"] == "model:text-2"
    assert by_id.loc[pks["b"], "relevant"] == 0.0
    assert data.quarantined == 1
    assert data.kept["pk"].tolist() == [pks["a"]]


def _fill_mixed(study) -> dict[str, int]:
    """Posts on two platforms, re-scored once, with taxon and negative matches; one unsifted."""
    study.store.posts.add([
        Post(platform="twitter", post_id="a", text="rhino horn", created_at=datetime(2024, 1, 2)),
        Post(platform="twitter", post_id="b", text="jaguar car", created_at=datetime(2024, 3, 3)),
        Post(platform="telegram", post_id="c", text="pangolin scales",
             created_at=datetime(2024, 2, 1), lat=10.8, lon=106.7),
        Post(platform="telegram", post_id="d", text="pangolin tank"),
        Post(platform="facebook", post_id="e", text="not sifted", source="demo:synthetic"),
    ])
    pks = study.store.posts.frame(["pk", "post_id"]).set_index("post_id")["pk"].to_dict()
    sifted = [pks[k] for k in "abcd"]
    first = pd.DataFrame({"pk": sifted, "relevance": [0.2, 0.1, 0.3, 0.4],
                          "relevant": [0, 0, 0, 0], "relevance_method": ["rules"] * 4})
    study.store.scores.write("relevance", "rules", first,
                             ["relevance", "relevant", "relevance_method"])
    later = first.assign(relevance=[0.9, 0.1, 0.8, 0.3], relevant=[1, 0, 1, 0],
                         relevance_method=["model:m", "model:m", "model:m", "rules"])
    study.store.scores.write("relevance", "m", later[later["pk"] != pks["d"]],
                             ["relevance", "relevant", "relevance_method"])
    study.store.matches.replace(matches([
        (pks["a"], "diceros_bicornis", "rhino horn", "en", "product", "horn"),
        (pks["b"], "diceros_bicornis", "rhino", "en", "name"),
        (pks["c"], "manis_javanica", "pangolin scales", "en", "product", "scales"),
        (pks["c"], "manis_javanica", "tenggiling", "id", "name"),
        (pks["d"], "manis_javanica", "pangolin tank", "en", "negative"),
        (pks["d"], "ceratotherium_simum", "white rhino", "en", "name", "horn"),
    ]))
    return pks


@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_load_report_data_counts_like_load_study_data(study, batch_size):
    """Batch by batch (bounded memory) gives every number the all-in-memory load gives."""
    _fill_mixed(study)
    full = load_study_data(study)
    bounded = load_report_data(study, batch_size=batch_size)
    want, got = summary.summarize(full), summary.summarize(bounded)
    for name in ("posts", "sifted", "relevant", "discarded", "discarded_share", "unsifted",
                 "quarantined", "first", "last", "synthetic"):
        assert getattr(got, name) == getattr(want, name), name
    pd.testing.assert_frame_equal(got.by_platform, want.by_platform, check_dtype=False)
    pd.testing.assert_frame_equal(got.methods, want.methods, check_dtype=False)
    assert bounded.kept["pk"].tolist() == full.kept["pk"].tolist()
    assert set(bounded.matches["post_pk"]) <= set(bounded.kept["pk"])
    pd.testing.assert_frame_equal(
        conservation.taxa_table(bounded.taxon_matches, bounded.kept, TAXA,
                                matched=bounded.totals.taxa),
        conservation.taxa_table(full.taxon_matches, full.kept, TAXA))
    pd.testing.assert_frame_equal(terms.top_terms(bounded.matches, bounded.kept),
                                  terms.top_terms(full.matches, full.kept), check_dtype=False)
    pd.testing.assert_frame_equal(
        summary.example_posts(bounded.kept, bounded.taxon_matches).astype(object),
        summary.example_posts(full.kept, full.taxon_matches).astype(object))


def test_load_report_data_keeps_all_posts_when_nothing_is_sifted(study):
    study.store.posts.add([Post(platform="twitter", post_id=str(i), text="rhino horn")
                           for i in range(5)])
    data = load_report_data(study, batch_size=2)
    assert not data.sifted
    assert len(data.kept) == 5
    assert summary.summarize(data).unsifted == 5


def test_store_reads_scores_and_matches_of_a_pk_range(study):
    pks = _fill_mixed(study)
    lo, hi = pks["b"], pks["c"]
    latest = study.store.scores.latest(["relevant", "relevance_method"])
    want = latest[latest["post_pk"].between(lo, hi)].reset_index(drop=True)
    for versions in (None, study.store.scores.versions()):
        got = study.store.scores.latest_between(["relevant", "relevance_method"], lo, hi,
                                                versions=versions)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert study.store.scores.versions() == [("relevance", "m"), ("relevance", "rules")]
    assert set(study.store.matches.between(lo, hi)["post_pk"]) == {lo, hi}
