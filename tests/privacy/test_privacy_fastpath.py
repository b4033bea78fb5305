"""Redaction edge cases around the cheap gates and the phone-run cuts."""

from __future__ import annotations

import pytest

from wildsift.privacy import contacts, profiles
from wildsift.privacy.ingest import Protector
from wildsift.records import RawPost
from wildsift.study import DEFAULT_PHONE_REGIONS


def _redact(text: str) -> str:
    protector = Protector(b"k" * 32, phone_regions=DEFAULT_PHONE_REGIONS)
    return protector.protect(RawPost(platform="demo", source_id="1", text=text)).text


@pytest.mark.parametrize("text,kept", [
    ("call 0912 345 678 2 pcs left", "2 pcs left"),
    ("zalo 0902 944 480 100% real", "100% real"),
    ("WA: +84 912 345 678 50 pcs", "50 pcs"),
])
def test_a_number_after_a_phone_number_is_kept_and_the_phone_redacted(text, kept):
    redacted = _redact(text)
    assert kept in redacted and ("<PHONE:" in redacted or "<MESSENGER:" in redacted), redacted
    assert "345 678" not in redacted and "944 480" not in redacted


@pytest.mark.parametrize("text", [
    "order 2024 100 200 300 pcs",  # a quantity, not written like a phone number
    "Giá 2 500 000 vnđ",
    "vitamin V: good stuff",  # a lone V needs an id-looking value
    "we want to see the line of products",
])
def test_quantities_and_plain_words_are_not_redacted(text):
    assert _redact(text) == text


def test_v_code_word_ids_are_redacted_like_other_messenger_ids():
    redacted = _redact("V: wx_li_chen98685 或 V：abc_123")
    assert "wx_li_chen98685" not in redacted and "abc_123" not in redacted
    assert redacted.count("<MESSENGER:") == 2


def test_the_messenger_gate_never_hides_a_match():
    texts = ["WhatsApp: 0912345678", "zalo 0912 345 678", "微信: ivory_shop", "加微信abc123",
             "line id: abc", "ไลน์ ivory99", "tele: @abc", "V: wx_abc1", "wa.me/84912345678"]
    for text in texts:
        if contacts.messenger_matches(text):
            assert contacts.may_have_messenger(text.lower()), text


def test_profile_key_gate_keeps_platform_links():
    assert profiles.profile_key("img/everyday_002.jpg") is None
    assert profiles.profile_key("https://www.facebook.com/Ivory.Shop/") == "id:ivory.shop"
    assert profiles.profile_key("https://mastodon.social/@abc") == "id:abc@mastodon.social"
