"""Protector: a RawPost in, a Post out in which no raw identifier survives, in any field."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wildsift.privacy.ingest import Protector
from wildsift.privacy.redact import tokens
from wildsift.records import RawMedia, RawPost

SECRET = b"a-test-secret-of-32-bytes-length"
PROTECTOR = Protector(SECRET)


def raw_post(**fields) -> RawPost:
    base = {"platform": "mastodon", "source_id": "109876543210", "text": "", "lang": "en",
                "created_at": datetime(2024, 5, 1, tzinfo=UTC), "source": "import:posts.csv"}
    base.update(fields)
    return RawPost(**base)


def test_accounts_become_pseudonyms_and_text_is_redacted():
    post = PROTECTOR.protect(raw_post(
        text="Rhino horn for sale, call +84 912 345 678 or @ivory_shop",
        author="@Ivory_Shop", reply_to="buyer_one", mentions=["@buyer_two", ""],
        place="Hanoi", country="VN", hashtags=["#Ivory", "#0912345678"]))
    account = PROTECTOR.pseudonyms.account
    assert post.author == account("mastodon", "ivory_shop")
    assert post.reply_to == account("mastodon", "buyer_one")
    assert post.mentions == [account("mastodon", "buyer_two")]
    assert post.post_id == PROTECTOR.pseudonyms.post_id("mastodon", "109876543210")
    assert [k for k, _ in tokens(post.text)] == ["PHONE", "HANDLE"]
    assert post.place == "Hanoi" and post.country == "VN" and post.geo_source == "place"
    assert post.hashtags[0] == "ivory" and tokens(post.hashtags[1])[0][0] == "PHONE"
    assert post.collected_at is not None


def test_account_names_written_without_at_are_redacted_too():
    post = PROTECTOR.protect(raw_post(text="Ivory_Shop sells horn, ask ivory_shop. Not me!",
                                      author="ivory_shop", author_description="I am Ivory_Shop"))
    assert "ivory_shop" not in post.text.lower()
    assert len({h for _, h in tokens(post.text)}) == 1
    assert tokens(post.author_description) == tokens(post.text)[:1]


def test_an_account_named_like_a_token_kind_does_not_break_tokens():
    post = PROTECTOR.protect(raw_post(text="handle @handle and call 0912 345 678",
                                      author="handle", lang="vi"))
    assert post.text.count("<") == 3 and all(k in {"HANDLE", "PHONE"}
                                             for k, _ in tokens(post.text))


def test_media_urls_naming_an_account_are_redacted_and_others_kept():
    cdn = "https://files.example.org/media/a1b2c3.jpg"
    post = PROTECTOR.protect(raw_post(author="ivory_shop", media=[
        RawMedia(cdn), RawMedia("https://www.facebook.com/ivory_shop/photos/1"),
        RawMedia("https://cdn.example.org/avatars/ivory_shop.png")]))
    assert post.media[0].url == cdn
    assert all(tokens(m.url)[0][0] == "URL" for m in post.media[1:])


def test_keep_source_ids_keeps_the_post_id_only():
    post = Protector(SECRET, keep_source_ids=True).protect(raw_post(author="someone"))
    assert post.post_id == "109876543210" and post.author.startswith("u_")


def test_for_study_uses_the_study_secret_and_settings(study):
    protector = Protector.for_study(study)
    raw = raw_post(author="ivory_shop", text="WA: 0912 345 678")
    assert protector.protect(raw).author == Protector(study.secret).protect(raw).author
    assert protector.redactor.regions == study.settings.privacy.phone_regions
    assert tokens(protector.protect(raw).text)[0][0] == "MESSENGER"


def test_the_country_of_a_post_decides_an_ambiguous_national_number():
    # "081 234 5678" is a valid national number in Thailand and in Viet Nam
    thai = PROTECTOR.protect(raw_post(text="call 081 234 5678", country="TH"))
    viet = PROTECTOR.protect(raw_post(text="call 081 234 5678", country="VN"))
    assert thai.text == f"call {PROTECTOR.redactor.token('phone', '+66812345678')}"
    assert viet.text == f"call {PROTECTOR.redactor.token('phone', '+84812345678')}"


# -- property: no raw identifier survives ------------------------------------------------------
_name = st.from_regex(r"[a-z]{2,8}_[a-z0-9]{2,8}", fullmatch=True)
_phone = st.sampled_from([
    ("+84 912 345 678", "912345678"), ("0912-345-678", "912345678"),
    ("+86 138 0013 8000", "13800138000"), ("+66 81 234 5678", "812345678"),
    ("0812 3456 7890", "81234567890"), ("+234 802 123 4567", "8021234567"),
    ("+254 712 123456", "712123456"), ("+44 7400 123456", "7400123456"),
])
_template = st.sampled_from([
    "Rhino horn for sale {contact}!", "Bán sừng tê giác, liên hệ {contact} nhé",
    "出售象牙，联系{contact}，包邮", "ขายงาช้าง ติดต่อ {contact} ค่ะ",
    "Jual sisik trenggiling, hub {contact} ya", "{contact}", "({contact})",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_name, phone=_phone, template=_template, style=st.integers(0, 6),
       where=st.sampled_from(["text", "author_description"]))
def test_no_raw_identifier_survives_in_any_field(name, phone, template, style, where):
    written_phone, national = phone
    email = f"{name}@gmail.com"
    contact = [f"@{name}", written_phone, email, f"https://instagram.com/{name}",
               f"WA: {written_phone}", f"微信: {name}", f"t.me/{name}"][style]
    raw = raw_post(**{where: template.format(contact=contact)}, author=name,
                   reply_to=f"re_{name}", mentions=[name.upper()], hashtags=[f"#{name}"],
                   media=[RawMedia(f"https://cdn.example.org/{name}/1.jpg")])
    dumped = repr(asdict(PROTECTOR.protect(raw))).lower()
    for secret in (name, email, written_phone, national):
        assert secret.lower() not in dumped


def test_protect_logs_no_raw_value(caplog):
    with caplog.at_level(logging.DEBUG):
        PROTECTOR.protect(raw_post(text="call 0912 345 678, mail seller_x@gmail.com",
                                   author="seller_x"))
    assert "912 345" not in caplog.text and "seller_x" not in caplog.text
