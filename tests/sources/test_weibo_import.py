"""Weibo exports (weibo-crawler, weiboSpider, the web API): detected, mapped, located, and
screen names kept out of the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wildsift.records import Quarantined, RawPost
from wildsift.sources.files.detect import detect_format, open_import
from wildsift.sources.ingest import ingest
from wildsift.sources.weibo.ids import bid_to_mid, mid_to_bid
from wildsift.sources.weibo.mapping import map_status
from wildsift.sources.weibo.places import place_and_country

FIXTURES = Path(__file__).parents[1] / "fixtures" / "weibo"
CRAWLER_CSV = FIXTURES / "crawler" / "1669879400.csv"
CRAWLER_JSON = FIXTURES / "crawler" / "1669879400.json"
SPIDER_CSV = FIXTURES / "spider" / "3669102477.csv"
STATUSES = FIXTURES / "web_statuses.jsonl"


def split(path: Path) -> tuple[list[RawPost], list[Quarantined]]:
    records = list(open_import(path))
    return ([r for r in records if isinstance(r, RawPost)],
            [r for r in records if isinstance(r, Quarantined)])


@pytest.mark.parametrize("path,fmt", [(CRAWLER_CSV, "weibo-crawler-csv"),
                                      (CRAWLER_JSON, "weibo-json"),
                                      (SPIDER_CSV, "weibo-spider-csv"),
                                      (STATUSES, "weibo-json")])
def test_detected_from_content(path, fmt):
    assert detect_format(path) == fmt


@pytest.mark.parametrize("mid,bid", [("3501756485200075", "z0JH2lOMb"),
                                     ("3500247231472384", "z06qL6b28"),
                                     ("3486913690606804", "yAt1n2xRa")])
def test_bid_and_mid_are_one_id(mid, bid):
    assert bid_to_mid(bid) == mid and mid_to_bid(mid) == bid


def test_crawler_csv():
    posts, bad = split(CRAWLER_CSV)
    first, repost = posts
    assert (first.source_id, first.author) == ("4983456789012345", "1669879400")  # tab gone
    assert first.created_at.isoformat() == "2024-03-05T02:00:00+00:00"  # Beijing time
    assert (first.place, first.country) == ("广州·白云区", "CN")
    assert first.mentions == ["象牙小店"] and first.hashtags == ["象牙"]
    assert len(first.media) == 2
    assert "犀角杯" in repost.text and "犀角收藏家" not in repost.text  # reposted author's name
    assert [(q.location, q.field) for q in bad] == [("1669879400.csv:4", "id")]


def test_crawler_json_and_csv_give_the_same_posts():
    json_posts, bad = split(CRAWLER_JSON)
    csv_posts, _ = split(CRAWLER_CSV)
    assert [p.source_id for p in json_posts] == [p.source_id for p in csv_posts]
    assert "象牙小店" not in json_posts[0].text  # the author's own screen name
    assert len(bad) == 1


def test_spider_csv_ids_are_mids():
    posts, bad = split(SPIDER_CSV)
    assert [p.source_id for p in posts] == ["3501756485200075", "3501703397689247"]
    assert (posts[0].place, posts[0].country) == ("昆明·官渡区", "CN")
    assert posts[0].created_at.isoformat() == "2024-02-01T13:05:00+00:00"
    assert posts[1].place is None and posts[1].mentions == ["象牙小店"]
    # the second row's text spans lines 3-4, so the third row starts on line 5
    assert [(q.location, q.field) for q in bad] == [("3669102477.csv:5", "发布时间")]


def test_web_api_statuses():
    posts, bad = split(STATUSES)
    first, repost = posts
    assert first.created_at.isoformat() == "2026-12-06T02:00:00+00:00"
    assert (first.place, first.country, first.author) == ("广东", "CN", "2803301701")
    assert [m.url for m in first.media] == ["https://wx3.sinaimg.cn/large/006xyzly1hpaaaa.jpg",
                                            "https://wx3.sinaimg.cn/large/006xyzly1hpbbbb.jpg"]
    assert first.author_location == "广东 深圳" and first.hashtags == ["象牙收藏"]
    assert (repost.place, repost.country) == ("美国", "US")
    assert "老象牙收藏" not in repost.text and "有意私信" in repost.text
    assert len(bad) == 1


def test_m_weibo_card_and_bid_only():
    card = {"card_type": 9, "mblog": {"mblogid": "z0JH2lOMb", "text": "象牙<br />雕件",
                                      "created_at": "Wed Dec 06 10:00:00 +0800 2026",
                                      "user": {"id": 1}}}
    post = map_status(card, source="s", location="f:1")
    assert (post.source_id, post.text) == ("3501756485200075", "象牙\n雕件")


@pytest.mark.parametrize("value,expected", [("发布于 广东", ("广东", "CN")),
                                            ("发布于 中国香港", ("中国香港", "HK")),
                                            ("无", (None, None))])
def test_region_names(value, expected):
    assert place_and_country(value) == expected


def test_one_post_from_two_tools_is_stored_once_and_names_stay_out(study):
    first = ingest(study, open_import(CRAWLER_CSV))
    second = ingest(study, open_import(CRAWLER_JSON))
    assert (first.stored, second.stored, second.duplicates) == (2, 0, 2)
    ingest(study, open_import(STATUSES))
    frame = study.store.posts.frame()
    stored = json.dumps(frame[["text", "author", "mentions"]].astype(str).values.tolist(),
                        ensure_ascii=False)
    for name in ("象牙小店", "犀角收藏家", "老象牙收藏", "1669879400"):
        assert name not in stored
    assert {"CN", "US"} <= set(frame["country"].dropna())
