"""An exact shortcut for ``PhoneNumberMatcher`` on the plain windows :class:`PhoneFinder` builds.

Most phone candidates are written plainly ("0912 345 678", "+86 138-0013-8000", "0084 912.345.678").
For those, the matcher's work (candidate search, ``parse``, ``is_valid_number`` or
``is_possible_number``, the national-prefix check, E.164 formatting, ~65 µs, all pure Python)
reduces to a few steps over the digits. :class:`FastMatcher` takes those steps with the
library's own helpers (national-prefix stripping, length test, national-prefix check) and
per-region validity tables compiled once from the library's metadata, and answers only when
its answer is certain: the window is ASCII digits with ' ', '.' or '-' between them (and an
optional leading '+'), parsing takes none of the rare branches (a country code written
without '+', an Italian leading zero, a non-geographic code), and the number passes the
leniency asked for (``Leniency.VALID``, or ``Leniency.POSSIBLE`` with ``possible=True``: the
redaction rule since a possible-but-unallocated number leaked, see ``docs/privacy.md``). In
every other case it returns ``None`` and the caller runs the matcher, which then also looks
for numbers inside the window. ``tests/privacy/test_phones_fast.py`` compares the two on generated
windows and texts, under both leniencies.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import CountryCodeSource, PhoneMetadata, PhoneNumber, PhoneNumberType
from phonenumbers import phonenumberutil as _util
from phonenumbers.phonenumbermatcher import _is_national_prefix_present_if_required

# '+' directly before a digit; groups of digits joined by at most three of ' ', '.', '-'.
_PLAIN = re.compile(r"\+?[0-9](?:[ .\-]{0,3}[0-9]){1,16}")
_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_SHORT = (_util.ValidationResult.TOO_SHORT, _util.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
          _util.ValidationResult.INVALID_LENGTH)
_POSSIBLE = (_util.ValidationResult.IS_POSSIBLE, _util.ValidationResult.IS_POSSIBLE_LOCAL_ONLY)
# The order of phonenumbers' ``_number_type_helper``; fixed line and mobile last.
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
          "voicemail", "fixed_line")


def _desc_test(desc) -> tuple[frozenset[int] | None, re.Pattern[str]] | None:
    """``_is_number_matching_desc`` of one description, compiled once."""
    if desc is None or not desc.national_number_pattern:
        return None
    lengths = frozenset(desc.possible_length) if desc.possible_length else None
    return lengths, re.compile(desc.national_number_pattern)


class _Region:
    """What validation needs of one region's metadata, compiled once."""

    def __init__(self, region: str):
        meta = PhoneMetadata.metadata_for_region(region)
        self.meta = meta
        self.code = meta.country_code
        self.code_str = str(meta.country_code)
        self.idd = re.compile(meta.international_prefix) if meta.international_prefix else None
        self.leading = re.compile(meta.leading_digits) if meta.leading_digits is not None else None
        self.general = _desc_test(meta.general_desc)
        descs = [getattr(meta, name) for name in _TYPES]
        if not meta.same_mobile_and_fixed_line_pattern:
            descs.append(meta.mobile)
        self.types = [t for t in map(_desc_test, descs) if t is not None]

    def valid(self, nsn: str) -> bool:
        """``_number_type_helper(nsn, metadata) != UNKNOWN``, i.e. ``is_valid_number``."""
        if not _matches(self.general, nsn):
            return False
        return any(_matches(t, nsn) for t in self.types)


def _matches(test, nsn: str) -> bool:
    if test is None:
        return False
    lengths, pattern = test
    if lengths is not None and len(nsn) not in lengths:
        return False
    return pattern.fullmatch(nsn) is not None


class FastMatcher:
    """``PhoneNumberMatcher(window, region, Leniency.VALID)`` (or ``Leniency.POSSIBLE``) for
    plain windows, or ``None``."""

    def __init__(self) -> None:
        self._regions: dict[str, _Region] = {}

    def run(self, window: str, region: str, mobile_only: bool = False, *,
            possible: bool = False) -> list[tuple[int, int, str]] | None:
        """``[(0, len(window), e164)]`` (``[]`` when ``mobile_only`` and the number is not a
        mobile one) when the whole window is certainly one valid number (one possible number
        with ``possible``, which ``mobile_only`` overrides); else ``None``."""
        if not window.isascii() or _PLAIN.fullmatch(window) is None:
            return None
        digits = "".join(filter(str.isdigit, window))
        parsed = self._parse(digits, region, plus=window[0] == "+")
        if parsed is None:
            return None
        code, nsn, source = parsed
        if possible and not mobile_only:
            # Leniency.POSSIBLE checks the length only: no national-prefix test, no type.
            return [(0, len(window), f"+{code}{nsn}")] if self.possible(code, nsn) else None
        if not self.valid(code, nsn):
            return None  # the matcher may still find a number inside the window
        number = PhoneNumber(country_code=code, national_number=int(nsn),
                             country_code_source=source, raw_input=window)
        if source == CountryCodeSource.FROM_DEFAULT_COUNTRY and not (
                _is_national_prefix_present_if_required(number)):
            return None
        if mobile_only and phonenumbers.number_type(number) not in _MOBILE:
            return []
        return [(0, len(window), f"+{code}{nsn}")]

    def e164_plus(self, digits: str, *, possible: bool = False) -> tuple[int, str | None] | None:
        """``parse("+" + digits)`` then ``is_valid_number`` (``is_possible_number`` with
        ``possible``): ``(country code, E.164 or None when it fails)``; ``None`` when unsure
        (then ask phonenumbers)."""
        if not digits.isascii() or not digits.isdigit():
            return None
        parsed = self._parse(digits, None, plus=True)
        if parsed is None:
            return None
        code, nsn, _ = parsed
        ok = self.possible(code, nsn) if possible else self.valid(code, nsn)
        return code, (f"+{code}{nsn}" if ok else None)

    @staticmethod
    def possible(code: int, nsn: str) -> bool:
        """``is_possible_number``: the length test against the main region of ``code``."""
        meta = PhoneMetadata.metadata_for_region_or_calling_code(
            code, phonenumbers.region_code_for_country_code(code))
        return meta is not None and _util._test_number_length(nsn, meta) in _POSSIBLE

    def valid(self, code: int, nsn: str) -> bool:
        """``is_valid_number`` of a number without an Italian leading zero: the region is the
        only one of its country code, or (+1, +44, +61, ...) the first whose leading digits
        match or, without leading digits, whose plan fits (``region_code_for_number``)."""
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
        if "001" in regions or any(PhoneMetadata.metadata_for_region(r) is None for r in regions):
            return phonenumbers.is_valid_number(PhoneNumber(country_code=code,
                                                            national_number=int(nsn)))
        if len(regions) == 1:
            return self._region(regions[0]).valid(nsn)
        for region in regions:
            plan = self._region(region)
            if plan.leading is not None:
                if plan.leading.match(nsn):
                    return plan.valid(nsn)
            elif plan.valid(nsn):
                return True
        return False

    # -- parse ---------------------------------------------------------------------------------
    def _parse(self, digits: str, region: str | None, *,
               plus: bool) -> tuple[int, str, CountryCodeSource] | None:
        """``parse(window, region)`` for a plain window: ``(country code, national significant
        number, source)``, or ``None`` where the library would raise or take a rare branch."""
        if plus:
            source, full = CountryCodeSource.FROM_NUMBER_WITH_PLUS_SIGN, digits
        else:
            own = self._region(region)
            source, full = CountryCodeSource.FROM_DEFAULT_COUNTRY, digits
            m = own.idd.match(digits) if own.idd is not None else None
            if m is not None:
                rest = digits[m.end():]
                if rest[:1] != "0":  # the library keeps an IDD followed by a '0'
                    source, full = CountryCodeSource.FROM_NUMBER_WITH_IDD, rest
        if source == CountryCodeSource.FROM_DEFAULT_COUNTRY:
            if digits.startswith(own.code_str):
                return None  # maybe a country code without '+': the library decides
            code, nsn, meta = own.code, digits, own.meta
        else:
            if len(full) <= 2:
                return None
            code, nsn = _country_code(full)
            main = phonenumbers.region_code_for_country_code(code) if code else None
            if main is None or main in ("001", "ZZ"):
                return None
            meta = self._region(main).meta
        if len(nsn) < 2:
            return None
        _carrier, stripped, _ = _util._maybe_strip_national_prefix_carrier_code(nsn, meta)
        if _util._test_number_length(stripped, meta) not in _SHORT:
            nsn = stripped
        if not 2 <= len(nsn) <= 17 or nsn[0] == "0":  # too short/long, or an Italian zero
            return None
        return code, nsn, source

    def _region(self, region: str) -> _Region:
        found = self._regions.get(region)
        if found is None:
            found = self._regions[region] = _Region(region)
        return found


def _country_code(full: str) -> tuple[int, str]:
    """``_extract_country_code``: the first 1-3 digit prefix that is a calling code."""
    if full[0] == "0":
        return 0, full
    for n in range(1, min(3, len(full)) + 1):
        code = int(full[:n])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return code, full[n:]
    return 0, full
