"""The SYNTHETIC demo corpus: deterministic, multilingual, labelled, marked, with planted contacts."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import datetime

import phonenumbers
import pytest

from wildsift.demo import COLUMNS, SOURCE, generate_posts, write_corpus
from wildsift.demo.corpus import DAYS, START
from wildsift.demo.negatives import HARD_TOPICS
from wildsift.demo.people import LANG_COUNTRIES, phone_number

N = 4000


@pytest.fixture(scope="module")
def posts() -> list[dict]:
    return list(generate_posts(N, seed=7, include_topic=True))


def test_same_seed_same_corpus_other_seed_other_corpus():
    first = list(generate_posts(500, seed=3))
    assert first == list(generate_posts(500, seed=3))
    other = list(generate_posts(500, seed=4))
    assert [p["text"] for p in first] != [p["text"] for p in other]


def test_topic_flag_adds_a_key_and_changes_nothing_else():
    plain = list(generate_posts(300, seed=1))
    tagged = list(generate_posts(300, seed=1, include_topic=True))
    assert [{k: v for k, v in p.items() if k != "topic"} for p in tagged] == plain
    assert all(set(p) == set(COLUMNS) for p in plain)


def test_at_least_eight_languages_in_positives_and_negatives(posts):
    for label in ("0", "1"):
        langs = Counter(p["lang"] for p in posts if p["label"] == label)
        assert len(langs) >= 8, langs
    assert {"en", "zh-Hans", "zh-Hant", "vi", "th", "id", "fr", "sw"} <= {p["lang"] for p in posts}


def test_every_hard_negative_topic_present_and_labelled_zero(posts):
    hard = [p for p in posts if p["topic"].startswith("hard:")]
    assert {p["topic"].removeprefix("hard:") for p in hard} == set(HARD_TOPICS)
    assert all(p["label"] == "0" for p in hard)
    # Hard negatives really share the trade vocabulary (else they would not be hard).
    texts = " ".join(p["text"].lower() for p in hard)
    for word in ("ivory", "pangolin", "rhino", "象牙", "sừng tê giác", "jaguar"):
        assert word in texts, word


def test_positives_are_trade_posts_and_negatives_are_not(posts):
    assert all(p["topic"] in {"chatter"} or p["topic"].startswith("hard:")
               for p in posts if p["label"] == "0")
    products = Counter(p["topic"] for p in posts if p["label"] == "1")
    assert {"ivory_bangle", "rhino_horn", "pangolin_scales", "live_pangolin"} <= set(products)


@pytest.mark.parametrize("share", [0.02, 0.2, 0.5])
def test_positive_share_near_requested(share):
    n = 20000
    positives = sum(p["label"] == "1" for p in generate_posts(n, seed=2, positive_share=share))
    sd = (n * share * (1 - share)) ** 0.5
    assert abs(positives - n * share) < 5 * sd


def test_default_share_is_a_demo_share(posts):
    share = sum(p["label"] == "1" for p in posts) / len(posts)
    assert 0.15 <= share <= 0.25


def test_every_record_is_marked_synthetic(posts, tmp_path):
    assert all(p["source"].startswith("demo:synthetic") for p in posts)
    info = write_corpus(tmp_path / "posts.csv", n=200, seed=1)
    meta = json.loads(info.meta_path.read_text(encoding="utf-8"))
    assert meta["SYNTHETIC"] is True and meta["n"] == 200 and meta["seed"] == 1
    with info.path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 200 and all(r["source"] == SOURCE for r in rows)
    assert sum(r["label"] == "1" for r in rows) == info.positives


def test_csv_and_jsonl_hold_the_same_records(tmp_path):
    csv_info = write_corpus(tmp_path / "a.csv", n=150, seed=5)
    jsonl_info = write_corpus(tmp_path / "a.jsonl", n=150, seed=5)
    with csv_info.path.open(encoding="utf-8", newline="") as handle:
        from_csv = list(csv.DictReader(handle))
    lines = jsonl_info.path.read_text(encoding="utf-8").splitlines()
    from_jsonl = [json.loads(line) for line in lines]
    assert [r["text"] for r in from_csv] == [r["text"] for r in from_jsonl]
    assert [r["id"] for r in from_jsonl] == [f"demo-{i:07d}" for i in range(150)]


_EMAIL = re.compile(r"[\w.+-]+@example\.(?:com|net|org)")
_PHONE = re.compile(r"\+\d{1,3}[\d ()-]{6,}\d")


def test_planted_contacts_present_and_parseable(posts):
    texts = [p["text"] for p in posts]
    emails = [m for t in texts for m in _EMAIL.findall(t)]
    intl = [m for t in texts for m in _PHONE.findall(t)]
    assert len(emails) >= 20 and len(intl) >= 50
    for number in intl[:200]:  # the privacy layer finds what phonenumbers finds
        assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number
    for key in ("Zalo ", "微信", "WhatsApp +", "Line", "Telegram @"):
        assert any(key in t for t in texts), key
    # Sellers reuse their contacts: the same number appears in several ads.
    assert Counter(intl).most_common(1)[0][1] >= 3


@pytest.mark.parametrize("country", sorted({c for cs, _ in LANG_COUNTRIES.values() for c in cs}))
def test_phone_numbers_valid_in_every_country(country):
    import random

    rng = random.Random(country)
    for _ in range(20):
        national, intl = phone_number(rng, country)
        parsed = phonenumbers.parse(intl)
        assert phonenumbers.is_valid_number(parsed), intl
        assert phonenumbers.region_code_for_number(parsed) == country
        if not national.startswith("+"):
            assert phonenumbers.parse(national, country) == parsed, national


def test_geotags_valid_and_about_a_third(posts):
    geo = [p for p in posts if p["lat"] is not None]
    assert 0.25 <= len(geo) / len(posts) <= 0.35
    for p in geo:
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180
        assert re.fullmatch(r"[A-Z]{2}", p["country"]) and p["place"]
    assert len({p["country"] for p in geo}) >= 12


def test_time_spans_two_years_with_bursts(posts):
    times = [datetime.fromisoformat(p["created_at"]) for p in posts]
    assert all(t.tzinfo is not None for t in times)
    days = [(t - START).days for t in times]
    assert min(days) >= 0 and max(days) < DAYS and max(days) - min(days) > 600
    weekly = Counter(d // 7 for d, p in zip(days, posts) if p["label"] == "1")
    mean = sum(weekly.values()) / (DAYS / 7)
    assert max(weekly.values()) > 2.5 * mean  # at least one burst week


def test_sellers_post_many_times_and_buyers_reply(posts):
    authors = Counter(p["author"] for p in posts if p["label"] == "1")
    assert authors.most_common(1)[0][1] >= 10
    sellers = set(authors)
    replies = [p for p in posts if p["label"] == "1" and p["reply_to"]]
    assert replies and sum(p["reply_to"] in sellers for p in replies) >= len(replies) / 2
    assert any(p["mentions"] for p in posts) and any(p["hashtags"] for p in posts)
    assert any(p["media"].startswith("img/") for p in posts)
