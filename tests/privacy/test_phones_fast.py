"""The phone fast path (``privacy/phone_fast.py``) gives exactly what PhoneNumberMatcher gives.

``PhoneFinder(fast=False)`` is the reference: every window goes through ``PhoneNumberMatcher``,
``parse`` and ``is_valid_number`` (or ``is_possible_number``: the rule is valid first, then
possible, see ``privacy/phones.py``). On generated numbers of the study's default regions (and the
regions that share +1, +44, +61), written in many ways (national with trunk prefix, +cc, 00cc,
cc without '+', spaces, dots, dashes, parentheses, no-break spaces, full-width, Thai and
Arabic-Indic digits, glued to words, after messenger labels), the fast finder must find the same
spans and E.164 numbers, and the whole Redactor must write the same text.
"""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from phonenumbers import phonenumberutil as util

from wildsift.privacy.phone_fast import FastMatcher, _Region
from wildsift.privacy.phones import PhoneFinder
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.redact import Redactor
from wildsift.study import DEFAULT_PHONE_REGIONS

REGIONS = [*DEFAULT_PHONE_REGIONS, "CA", "JE", "GG", "CX", "IT", "JP", "IN", "RU", "KR", "SG"]
_TYPES = [PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.TOLL_FREE]


def _examples() -> list[tuple[str, phonenumbers.PhoneNumber]]:
    found = []
    for region in REGIONS:
        for kind in _TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.append((region, number))
    return found


EXAMPLES = _examples()
_DIGIT_SETS = ["0123456789", "０１２３４５６７８９", "๐๑๒๓๔๕๖๗๘๙", "٠١٢٣٤٥٦٧٨٩"]
_FINDERS = {"fast": PhoneFinder(DEFAULT_PHONE_REGIONS),
            "slow": PhoneFinder(DEFAULT_PHONE_REGIONS, fast=False)}


@st.composite
def written_numbers(draw) -> str:
    """One example number, its last digits maybe changed, written in one of many styles."""
    region, number = draw(st.sampled_from(EXAMPLES))
    nsn = util.national_significant_number(number)
    keep = draw(st.integers(min_value=max(0, len(nsn) - 5), max_value=len(nsn)))
    size = max(0, len(nsn) - keep + draw(st.sampled_from([0, 0, 0, 1, -1])))
    tail = draw(st.text(alphabet="0123456789", min_size=size, max_size=size))
    nsn = nsn[:keep] + tail
    code = str(number.country_code)
    prefix = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix or ""
    style = draw(st.sampled_from(["national", "plus", "00", "bare_cc", "nsn", "formatted"]))
    if style == "formatted":
        try:
            parsed = phonenumbers.parse(nsn, region)
        except phonenumbers.NumberParseException:
            parsed = number
        fmt = draw(st.sampled_from([PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL,
                                    PhoneNumberFormat.E164]))
        return phonenumbers.format_number(parsed, fmt)
    head = {"national": prefix, "plus": "+" + code, "00": "00" + code, "bare_cc": code,
            "nsn": ""}[style]
    digits = head.lstrip("+") + nsn
    cuts = sorted(set(draw(st.lists(st.integers(1, max(1, len(digits) - 1)), max_size=4))))
    seps = st.sampled_from([" ", " ", "-", ".", " - ", "", "\u00a0", ") ", "–"])
    out, last = [], 0
    for cut in cuts:
        out.append(digits[last:cut])
        out.append(draw(seps))
        last = cut
    out.append(digits[last:])
    written = "".join(out)
    if style == "plus":
        written = "+" + written
    if draw(st.booleans()) and style == "national" and len(cuts) > 0:  # "(0912) 345 678"
        written = "(" + written.replace(") ", " ", 1)
    digit_set = draw(st.sampled_from(_DIGIT_SETS[:1] * 6 + _DIGIT_SETS[1:]))
    return written.translate(str.maketrans("0123456789", digit_set))


_AROUND = ["", "", " ", "call ", "WA: ", "zalo ", "Tel.", "sđt:", "liên hệ ", "ขาย ", "微信:",
           "price 120$ ", "abc", "x", "2024-05-01 ", "line id: "]
_AFTER = ["", "", " ", " pcs", " ok", "k", "!", "/0987654321", " 2 pcs left", " 100% real", "abc",
          ":30", " 象牙", ", 0912 345 678"]


@st.composite
def texts(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        parts.append(draw(st.sampled_from(_AROUND)) + draw(written_numbers())
                     + draw(st.sampled_from(_AFTER)))
    return draw(st.sampled_from([" ", ", ", "\n", ""])).join(parts)


_HINTS = st.sampled_from([(), ("VN",), ("TH",), ("CN",), ("US",), ("GB",), ("ID",), ("MY",)])


@given(written_numbers(), st.sampled_from(REGIONS), st.booleans(), st.booleans())
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_matcher_answers_only_what_the_matcher_finds(window, region, mobile_only, possible):
    quick = _FINDERS["fast"]._fast.run(window, region, mobile_only, possible=possible)
    if quick is not None:
        assert quick == _FINDERS["slow"]._run(window, region, mobile_only,
                                              possible=possible), window


@given(texts(), _HINTS)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_finder_finds_the_same_numbers_as_the_reference(text, hints):
    fast = PhoneFinder(DEFAULT_PHONE_REGIONS)  # fresh: no answer comes from the window cache
    assert fast.find(text, hints) == _FINDERS["slow"].find(text, hints), text
    assert fast.normalise(text, hints) == _FINDERS["slow"].normalise(text, hints), text


_REDACTORS = {"fast": Redactor(Pseudonymizer(b"k" * 32), DEFAULT_PHONE_REGIONS),
              "slow": Redactor(Pseudonymizer(b"k" * 32), DEFAULT_PHONE_REGIONS)}
_REDACTORS["slow"].phones.fast = False


@given(texts(), _HINTS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_redaction_writes_the_same_text_as_the_reference(text, hints):
    assert _REDACTORS["fast"]._redact(text, hints) == _REDACTORS["slow"]._redact(text, hints)


@given(st.sampled_from(REGIONS), st.text(alphabet="0123456789", min_size=2, max_size=17),
       st.sampled_from(EXAMPLES))
@settings(max_examples=800, deadline=None)
def test_region_tables_equal_is_valid_number(region, digits, example):
    # Half the cases from an example number with a changed tail, so that many are valid.
    nsn = util.national_significant_number(example[1])
    for candidate in (digits, nsn[: max(2, len(nsn) - 3)] + digits[:3]):
        # The fast path never asks about an Italian leading zero (it defers those numbers).
        candidate = candidate.lstrip("0") or "1"
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        assert _Region(region).valid(candidate) == (
            util._number_type_helper(candidate, meta) != PhoneNumberType.UNKNOWN)
        code = example[1].country_code
        assert FastMatcher().valid(code, candidate) == phonenumbers.is_valid_number(
            phonenumbers.PhoneNumber(country_code=code, national_number=int(candidate)))


@pytest.mark.parametrize("window,region,e164", [
    ("0912 345 678", "VN", "+84912345678"), ("+84 912-345-678", "VN", "+84912345678"),
    ("0084 912.345.678", "DE", "+84912345678"), ("081 234 5678", "TH", "+66812345678"),
    ("+1 786 555 5442", "US", "+17865555442"), ("+44 7472 931944", "GB", "+447472931944"),
    ("0812-3456-7890", "ID", "+6281234567890"),
])
def test_the_fast_path_answers_plain_valid_numbers(window, region, e164):
    """Without this, a fast path that always deferred to the matcher would pass the tests."""
    assert FastMatcher().run(window, region) == [(0, len(window), e164)]
    assert PhoneFinder([region], fast=False)._run(window, region) == [(0, len(window), e164)]


@pytest.mark.parametrize("window,region", [
    ("(0912) 345 678", "VN"), ("０９１２ ３４５ ６７８", "VN"), ("84912345678", "VN"),
    ("0912 345 679 1", "VN"), ("+39 06 1234 5678", "IT"), ("+ 84 912 345 678", "VN"),
])
def test_the_fast_path_defers_what_it_does_not_cover(window, region):
    assert FastMatcher().run(window, region) is None


@pytest.mark.parametrize("window,region,e164", [
    ("+44 7700 900123", "VN", "+447700900123"), ("07700 900123", "GB", "+447700900123"),
    ("+84 123 456 789", "VN", "+84123456789"), ("0084 123 456 789", "DE", "+84123456789"),
])
def test_the_fast_path_answers_possible_numbers_under_the_possible_rule(window, region, e164):
    """Possible but not valid: the fast path answers them (no matcher call) only when asked
    for the possible rule, and the matcher under Leniency.POSSIBLE agrees."""
    assert FastMatcher().run(window, region) is None
    assert FastMatcher().run(window, region, possible=True) == [(0, len(window), e164)]
    assert PhoneFinder([region], fast=False)._run(window, region, possible=True) == [
        (0, len(window), e164)]
    assert PhoneFinder([region], fast=False)._run(window, region) == []


def test_possible_windows_without_a_trunk_prefix_still_need_a_valid_mobile():
    """``mobile_only`` overrides ``possible``: a bare digit run is a listing id until it is a
    valid mobile number (or stands near a contact cue, which the loose pass handles)."""
    assert FastMatcher().run("123 456 789", "VN", mobile_only=True, possible=True) in (None, [])
    assert PhoneFinder(["VN"]).find("listing 123 456 789") == []


def test_fast_can_be_switched_off():
    assert PhoneFinder(["VN"]).fast is True
    assert PhoneFinder(["VN"], fast=False).fast is False
