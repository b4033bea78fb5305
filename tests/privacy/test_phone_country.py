"""Ingest keeps where a phone number and a profile point (ISO codes, gazetteer places), never
the number or the profile's free text."""

from __future__ import annotations

import dataclasses

import pytest

from wildsift.privacy.ingest import Protector
from wildsift.privacy.phone_country import phone_country
from wildsift.records import RawPost


@pytest.mark.parametrize("texts, country", [
    (("gọi +84 90 123 4567",), "VN"),
    (("WhatsApp wa.me/254712345678",), "KE"),
    (("+1 416 555 0199 or +1 212 555 0123", "+1 416 555 0100"), "CA"),  # most numbers win
    (("call 0903 123 456",), None),  # no international prefix: no country
    (("price +50%",), None),
    ((None, ""), None),
])
def test_phone_country(texts, country):
    assert phone_country(*texts) == country


def test_protect_stores_codes_and_places_not_the_numbers_or_the_profile_text():
    raw = RawPost(platform="x", source_id="1", author="seller",
                  text="Ngà voi, gọi +84 90 123 4567",
                  author_location="🏠 Sài Gòn, sỉ lẻ toàn quốc")
    post = Protector(b"k" * 32).protect(raw)
    assert (post.phone_country, post.profile_country, post.profile_place) == (
        "VN", "VN", "Ho Chi Minh City")
    stored = " ".join(str(v) for v in dataclasses.asdict(post).values())
    assert "123 4567" not in stored and "sỉ lẻ" not in stored and "🏠" not in stored


def test_a_profile_location_that_names_no_place_leaves_nothing():
    post = Protector(b"k" * 32).protect(RawPost(platform="x", source_id="2", text="hi",
                                                author_location="somewhere nice"))
    assert (post.profile_place, post.profile_country, post.phone_country) == (None, None, None)
