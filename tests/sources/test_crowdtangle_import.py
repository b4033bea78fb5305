"""CrowdTangle CSV exports: the real column sets, detected and mapped; page names kept out."""

from __future__ import annotations

from pathlib import Path

import pytest

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.files.crowdtangle import post_created, post_id
from wildsift.sources.files.detect import detect_format, open_import
from wildsift.sources.ingest import ingest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "crowdtangle"


def test_both_exports_are_detected():
    assert detect_format(FIXTURES / "crowdtangle_facebook.csv") == "crowdtangle-csv"
    assert detect_format(FIXTURES / "crowdtangle_instagram.csv") == "crowdtangle-csv"


def test_facebook_rows():
    records = list(open_import(FIXTURES / "crowdtangle_facebook.csv"))
    posts = [r for r in records if isinstance(r, RawPost)]
    bad = [r for r in records if isinstance(r, Quarantined)]
    first, second = posts
    assert (first.platform, first.source_id, first.author) == (
        "facebook", "100064512345678_4012345678901234", "100064512345678")
    assert first.created_at.isoformat() == "2021-03-04T11:34:56+00:00"  # CET is UTC+1
    assert "GIÁ 3.500.000đ" in first.text  # the text CrowdTangle read in the image
    assert "Ngà Voi Phú Quốc" not in first.text and "@fb_" in first.text
    assert (first.author_location, first.hashtags) == ("VN", ["ngavoi"])
    assert first.author_description.startswith("Chuyên ngà voi")
    assert "Pangolin seizures 2020" in second.text  # the link's title and description
    assert second.created_at.isoformat() == "2021-03-05T01:00:00+00:00"  # ICT is UTC+7
    assert [(q.location, q.field) for q in bad] == [("crowdtangle_facebook.csv:4",
                                                     "Post Created")]


def test_instagram_rows():
    (post,) = list(open_import(FIXTURES / "crowdtangle_instagram.csv"))
    assert (post.platform, post.source_id, post.author) == ("instagram", "CYkq1Zyh3Ab", "tusk_th")
    assert [m.url for m in post.media] == ["https://scontent.cdninstagram.com/v/t51/abc.jpg"]
    assert "Tusk Thailand" not in post.text


@pytest.mark.parametrize("url,expected", [
    ("https://www.facebook.com/page/posts/123", "9_123"),
    ("https://www.facebook.com/groups/555/permalink/777/", "9_777"),
    ("https://www.facebook.com/page/videos/888/", "9_888"),
])
def test_post_ids_follow_the_graph_api(url, expected):
    assert post_id(url, "9", instagram=False) == expected


def test_unknown_zone_is_utc_and_a_bad_date_is_an_error():
    assert post_created("2021-01-01 00:00:00 XYZ", "f:1").isoformat() == \
        "2021-01-01T00:00:00+00:00"
    with pytest.raises(RecordError):
        post_created("01/01/2021", "f:1")


def test_import_stores_no_page_name_or_phone(study):
    counts = ingest(study, open_import(FIXTURES / "crowdtangle_facebook.csv"))
    assert (counts.stored, counts.quarantined) == (2, 1)
    frame = study.store.posts.frame()
    stored = " ".join(frame["text"]) + " ".join(frame["author"]) + " ".join(
        frame["author_description"].dropna())
    for identifier in ("Ngà Voi Phú Quốc", "100064512345678", "0903 111 222"):
        assert identifier not in stored
    assert set(frame["profile_country"].dropna()) == {"VN"}
