"""The import speed-ups of issue 4 change nothing that is stored or quarantined.

Each fast path is checked against the slow code it replaces, on generated inputs:
- ``import_lines.has_long_number`` (a byte mask and one substring search) against the regex
  ``\\d{20}`` it replaces, which decides when a line is parsed again to keep big ids exact;
- ``phones._digits`` (ASCII fast path) against the per-character conversion;
- redaction with phonenumbers' compiled-pattern cache switched on (what ``PhoneFinder`` does
  now) against redaction without it, on texts with planted phone numbers, e-mails, handles and
  messenger ids in several scripts; and the planted identifiers never survive either way.
"""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wildsift.privacy import phones
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.redact import Redactor
from wildsift.sources.files import lines as import_lines
from wildsift.sources.files.lines import _LONG_NUMBER, has_long_number, loads
from wildsift.study import DEFAULT_PHONE_REGIONS

# -- long numbers in a JSON line ------------------------------------------------------------
_BYTES = st.lists(st.one_of(st.binary(max_size=8), st.sampled_from(
    [b"1" * 19, b"9" * 20, b"12345678901234567890123", b"\xef\xbc\x91" * 21, b"0" * 25,
     b"\xd9\xa1" * 20, b" ", b"-", b"."])), max_size=12).map(b"".join)


@given(_BYTES)
@settings(max_examples=400)
def test_has_long_number_is_the_regex_it_replaces(raw):
    assert has_long_number(raw) == (_LONG_NUMBER.search(raw) is not None)


@pytest.mark.parametrize("raw,expected", [
    (b'{"id": 12345678901234567890123}', True), (b'{"id": "1790000000000000001"}', False),
    (b"9" * 19 + b"x" + b"9" * 19, False), (b"x" + b"0" * 20, True),
])
def test_has_long_number_examples(raw, expected):
    assert has_long_number(raw) is expected


def test_loads_still_keeps_every_digit_of_a_big_id_in_a_page():
    page = (b'{"data": [{"id": "1", "n": 123456789012345678901234567890}], "includes": {}, '
            b'"meta": {"result_count": 1}}')
    assert loads(page)["data"][0]["n"] == 123456789012345678901234567890
    assert import_lines.loads(b'{"n": 18446744073709551615}')["n"] == 18446744073709551615


# -- digits of a phone-number window ---------------------------------------------------------
_DIGIT_TEXT = st.text(alphabet=st.sampled_from(
    list("0123456789 +-.()abcXYZ") + ["\uff11", "\uff19", "\u0661", "\u0669", "\u0e51", "\u0e59",
                                      "\u00a0", "\u2013", "é", "象"]), max_size=30)


@given(_DIGIT_TEXT)
@settings(max_examples=300)
def test_digits_fast_path_equals_the_per_character_conversion(text):
    assert phones._digits(text) == "".join(str(int(c)) for c in text if c.isdigit())


# -- redaction with the compiled-pattern cache ----------------------------------------------
_PHONES = ["0912 345 678", "+84 912-345-678", "081 234 5678", "+66 81 234 5678",
           "0812-3456-7890", "+62 812 3456 7890", "138 0013 8000", "+86 138 0013 8000",
           "(415) 555-5405", "+1 786 555 5442", "0712 104685", "+254 712 787578",
           "+27 61 422 6977", "020 7946 0958", "+44 7472 931944", "(31) 99786-6753",
           "0084912345678", "06 12 34 56 78"]
_CONTACTS = _PHONES + ["ivory.shop@gmail.com", "ban_nga [at] mail [dot] com", "@ivory_seller",
                       "@user@mastodon.social", "WA: 0912 345 678", "微信: ivory_shop",
                       "line id: tusk_99", "zalo 0902944480", "ไลน์ ivory99",
                       "wa.me/84912345678", "facebook.com/Ivory.Shop"]
_WORDS = ["Bán ngà voi", "giá 2 500 000 vnđ", "ขายงาช้าง", "象牙手镯", "出售", "pangolin scales",
          "order 2024 100 200 300 pcs", "liên hệ", "hubungi", "100% real", "call", "kg", "2023-05-01",
          "Продаю", "x", "12:30", "$ 1,250.00"]
_TEXTS = st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_CONTACTS)),
                  min_size=1, max_size=8).map(", ".join)


_REDACTORS: dict[str, Redactor] = {}


def _slow_digits(text: str) -> str:
    return "".join(str(int(c)) for c in text if c.isdigit())


def _reference(mp: pytest.MonkeyPatch) -> Redactor:
    """Under ``mp``: phonenumbers compiles its patterns as before (no pattern cache) and digits
    use the per-character conversion, i.e. the code before the speed-ups."""
    mp.setattr(phonenumbers, "enable_pattern_cache", lambda: None)
    mp.setattr(phonenumbers.re_util, "_COMPILED_PATTERNS", None)
    mp.setattr(phones, "_digits", _slow_digits)
    if "slow" not in _REDACTORS:
        _REDACTORS["slow"] = Redactor(Pseudonymizer(b"k" * 32), DEFAULT_PHONE_REGIONS)
    return _REDACTORS["slow"]


def _fast() -> Redactor:
    if "fast" not in _REDACTORS:
        _REDACTORS["fast"] = Redactor(Pseudonymizer(b"k" * 32), DEFAULT_PHONE_REGIONS)
    return _REDACTORS["fast"]


_PLANTED = ["ivory.shop@gmail.com", "ivory_seller", "mastodon.social", "ivory_shop", "tusk_99",
            "ivory99", "84912345678", "Ivory.Shop", "345 678", "0013 8000", "555-5405", "787578",
            "931944", "99786-6753", "234 5678", "3456 7890"]


@given(_TEXTS, st.sampled_from([(), ("VN",), ("TH",), ("ID",), ("CN",)]))
@settings(max_examples=150, deadline=None)
def test_fast_redaction_equals_the_reference_and_hides_every_planted_contact(text, regions):
    with pytest.MonkeyPatch.context() as mp:
        slow = _reference(mp)._redact(text, regions)
        assert phonenumbers.re_util._COMPILED_PATTERNS is None
    fast = _fast()
    assert phonenumbers.re_util._COMPILED_PATTERNS is not None  # the fast path is on
    redacted = fast._redact(text, regions)
    assert redacted == slow
    for contact in _PLANTED:
        assert contact not in redacted, (text, redacted)
