"""Meta Content Library result files: detected from content, mapped to posts, bad records set
aside with file:line and field, and names kept out of the store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wildsift.records import Quarantined, RawPost
from wildsift.sources.files.detect import detect_format, open_import
from wildsift.sources.ingest import ingest
from wildsift.sources.meta.mapping import flatten, map_record, record_kind

FIXTURES = Path(__file__).parents[1] / "fixtures" / "meta"


def read(name: str, **kw) -> tuple[list[RawPost], list[Quarantined]]:
    records = list(open_import(FIXTURES / name, **kw))
    return ([r for r in records if isinstance(r, RawPost)],
            [r for r in records if isinstance(r, Quarantined)])


@pytest.mark.parametrize("name,fmt", [("mcl_facebook_posts.json", "mcl-json"),
                                      ("mcl_marketplace.csv", "mcl-csv"),
                                      ("mcl_comments.jsonl", "mcl-json"),
                                      ("mcl_instagram_response.json", "mcl-json")])
def test_formats_are_detected_from_content(name, fmt, tmp_path):
    copy = tmp_path / "results.txt"  # not from the extension
    shutil.copy(FIXTURES / name, copy)
    assert detect_format(copy) == fmt


def test_facebook_posts_of_a_saved_job():
    posts, bad = read("mcl_facebook_posts.json")
    assert [p.source_id for p in posts] == ["963780196442228", "963780196442229",
                                           "963780196442230"]
    first = posts[0]
    assert (first.platform, first.author, first.lang) == ("facebook", "1784140000000123", "vi")
    assert first.created_at.isoformat() == "2026-08-20T09:14:45+00:00"
    assert "Ivory Shop HN" not in first.text and "@fb_" in first.text
    assert first.hashtags == ["ngavoi"]
    assert [m.url.split("?")[0] for m in first.media] == [
        "https://prod-fortapis-api-async-uploads.s3.amazonaws.com/a1.jpg"]
    assert posts[1].author == "1784140000000456"  # the poster, not the group it posted to
    assert posts[2].created_at.year == 2026  # a Unix time works too
    assert [(q.location, q.field) for q in bad] == [("mcl_facebook_posts.json:record #4", "id")]


def test_marketplace_table_with_a_rounded_id():
    posts, bad = read("mcl_marketplace.csv")
    listing = posts[0]
    assert listing.text.splitlines()[:2] == ["Vòng tay ngà voi thật", "4500000 VND"]
    assert (listing.place, listing.country) == ("Hà Nội, Vietnam", "VN")
    assert (posts[1].place, posts[1].country) == ("Lagos, Nigeria", "NG")
    (rounded,) = bad
    assert (rounded.location, rounded.field) == ("mcl_marketplace.csv:4", "id")
    assert "scientific notation" in rounded.reason


def test_comments_name_their_platform_only_when_told():
    posts, bad = read("mcl_comments.jsonl")
    assert {p.platform for p in posts} == {"facebook"}
    assert posts[1].text.startswith("@fb_") and "Ivory Shop HN" not in posts[1].text
    assert [(q.location, q.reason.split(":")[0]) for q in bad] == [
        ("mcl_comments.jsonl:3", "not valid JSON")]
    posts, _ = read("mcl_comments.jsonl", platform="instagram")
    assert {p.platform for p in posts} == {"instagram"}


def test_instagram_response_and_a_bad_date():
    posts, bad = read("mcl_instagram_response.json")
    (post,) = posts
    assert (post.platform, post.author, post.hashtags) == ("instagram", "17841400000000555",
                                                           ["งาช้าง"])
    assert "Tusk Thailand" not in post.text
    assert [(q.field, q.reason) for q in bad] == [("creation_time", "unparseable creation_time")]


def test_nested_and_dotted_records_map_alike():
    nested = json.loads((FIXTURES / "mcl_facebook_posts.json").read_text())[0]
    a = map_record(nested, source="s", location="x")
    b = map_record(flatten(nested), source="s", location="x")
    assert (a.source_id, a.author, a.text, a.created_at) == (
        b.source_id, b.author, b.text, b.created_at)
    assert record_kind({"id", "post_id", "owner.id", "text"}) == "comment"
    assert record_kind({"id", "text"}) is None


def test_import_keeps_names_out_and_a_second_import_stores_nothing(study):
    counts = ingest(study, open_import(FIXTURES / "mcl_facebook_posts.json"))
    assert (counts.read, counts.stored, counts.quarantined) == (4, 3, 1)
    frame = study.store.posts.frame()
    stored = " ".join(frame["text"]) + " ".join(frame["author"])
    for name in ("Ivory Shop HN", "ivoryshophn", "1784140000000123", "0912 345 678"):
        assert name not in stored
    assert "<HANDLE:" in stored and "<PHONE:" in stored
    again = ingest(study, open_import(FIXTURES / "mcl_facebook_posts.json"))
    assert (again.stored, again.duplicates) == (0, 3)
