"""Person names written in text become ``<NAME:..>`` tokens; places, brands and words stay."""

from __future__ import annotations

import pytest

from wildsift.privacy import names
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.redact import KINDS, TOKEN_RE, Redactor, tokens
from wildsift.records import RawPost


@pytest.fixture
def redactor():
    return Redactor(Pseudonymizer(b"n" * 32))


@pytest.mark.parametrize("text, name", [
    ("ask Nguyen Van Minh at the shop on Hang Bac street", "Nguyen Van Minh"),
    ("Bán ngà voi, liên hệ anh Tuấn nhé", "Tuấn"),
    ("Ngà voi thật, gặp chị Lan ở chợ", "Lan"),
    ("Nguyễn Thị Hương bán sừng tê giác", "Nguyễn Thị Hương"),
    ("Contact Mr. John Smith for the tusks", "John Smith"),
    ("Rhino horn, ask for Maria", "Maria"),
    ("出售象牙，联系王先生", "王"),
    ("联系人：张伟 价格优惠", "张伟"),
    ("穿山甲鳞片 请找李小姐", "李"),
    ("ขายงาช้าง ติดต่อคุณสมชายค่ะ", "สมชาย"),
    ("นายสมชาย ใจดี ขายเขาสัตว์", "สมชาย ใจดี"),
    ("Jual sisik trenggiling, hubungi Pak Budi Santoso", "Budi Santoso"),
    ("Pembelian lewat Ibu Siti saja", "Siti"),
    ("Pembe za ndovu, wasiliana na Bwana Juma", "Juma"),
    ("Marfil auténtico, llamar a Sr. Juan Pérez", "Juan Pérez"),
    ("Ivoire véritable, contactez Mme Dupont", "Dupont"),
    ("Elfenbein, fragen Sie nach Herr Müller", "Müller"),
    ("Marfim, falar com Sra. Ana Costa", "Ana Costa"),
])
def test_person_names_become_name_tokens(redactor, text, name):
    out = redactor.redact(text)
    assert name not in out, out
    assert "NAME" in {kind for kind, _ in tokens(out)}, out
    assert out.count("<NAME:") == 1, out


@pytest.mark.parametrize("text", [
    "ask Nguyen Van Minh at the shop on Hang Bac street",
    "Ivory from Hanoi and Lagos, shipping to Nairobi",
    "Louis Vuitton Monogram bag, genuine leather",
    "Le Creuset pot, Ho Chi Minh City pickup",
    "Shop on Nguyen Hue street, District 1",
    "Bà Rịa Vũng Tàu, rùa biển ở Cô Tô",
    "Call Now for Price, DM for details",
    "สินค้าคุณภาพดี ขอบคุณครับ รังนกนางแอ่น",
    "联系方式: 微信 ivory888",
    "learn tiếng Anh, Việt Nam",
    "rainbow lorikeet male grace jack russell pick croydon",
])
def test_places_brands_and_words_stay(redactor, text):
    out = redactor.redact(text)
    for place in ("Hang Bac", "Hanoi", "Lagos", "Nairobi", "Louis Vuitton", "Ho Chi Minh",
                  "Nguyen Hue", "Bà Rịa", "Cô Tô", "Now", "นางแอ่น", "คุณภาพ", "Việt Nam",
                  "grace", "jack"):
        if place in text:
            assert place in out, out


def test_one_name_one_token_however_written(redactor):
    a = redactor.redact("liên hệ anh Nguyễn Văn Minh")
    b = redactor.redact("ask NGUYEN VAN MINH")
    assert tokens(a)[0][1] == tokens(b)[0][1]
    assert redactor.token("name", "Nguyen Van Minh") in a


def test_name_next_to_a_contact(redactor):
    out = redactor.redact("Minh 0912 345 678, John: +44 7700 900123")
    kinds = [kind for kind, _ in tokens(out)]
    assert kinds.count("NAME") == 2 and kinds.count("PHONE") == 2, out


def test_the_kind_is_registered_and_can_be_turned_off():
    assert "name" in KINDS
    assert TOKEN_RE.fullmatch("<NAME:0a1b2c>")
    plain = Redactor(Pseudonymizer(b"n" * 32), kinds=[k for k in KINDS if k != "name"])
    assert plain.redact("contact Mr. John Smith") == "contact Mr. John Smith"


def test_honorific_and_cue_stay(redactor):
    out = redactor.redact("hubungi Pak Budi")
    assert out.startswith("hubungi Pak <NAME:"), out


def test_lower_case_text_needs_no_pass():
    assert not names.maybe("rainbow budgie male fed quality seed pick croydon hill")
    assert names.find_names("lorikeet cage meet larri larri loud social") == []


def test_names_are_redacted_at_ingest_in_text_and_profile(tmp_path):
    from wildsift.privacy.ingest import Protector
    post = Protector(b"k" * 32).protect(RawPost(
        "csv", "1", "Ngà voi thật, liên hệ anh Tuấn", author="seller1",
        author_description="Owner: Mr. David Brown, Lagos"))
    assert "Tuấn" not in post.text and "<NAME:" in post.text
    assert "David" not in (post.author_description or "")
    assert "Lagos" in (post.author_description or "")


def test_redacting_twice_changes_nothing(redactor):
    for text in ("ask Nguyen Van Minh, Name: Trevor Blackwood", "联系人：张伟 <PHONE:0a1b2c>",
                 "ติดต่อคุณสมชายค่ะ", "Minh 0912 345 678"):
        once = redactor.redact(text)
        assert redactor.redact(once) == once


def test_ocr_text_goes_through_the_same_rule(redactor):
    from wildsift.sift.stages.ocr import redact_ocr_text
    out = redact_ocr_text(redactor, "NGÀ VOI THẬT\nLiên hệ anh Tuấn 0912 345 678")
    assert "Tuấn" not in out and "<NAME:" in out and "<PHONE:" in out


def test_lower_case_name_after_an_honorific_next_to_a_contact(redactor):
    out = redactor.redact("ngà voi thật, lh anh tuấn 0912 345 678")
    assert "tuấn" not in out and out.count("<NAME:") == 1, out
    kept = redactor.redact("hàng đẹp, em dùng rồi, gọi 0912 345 678")
    assert "<NAME:" not in kept, kept
