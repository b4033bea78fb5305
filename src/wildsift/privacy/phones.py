"""Find phone numbers in free text and normalise them to E.164.

``phonenumbers.PhoneNumberMatcher`` is accurate but slow (~100 µs a call), and most posts hold
no phone number. So a cheap regex first finds runs of >= 7 digits (with the separators people
use), guards reject what is clearly a price, a date, a quantity or an id, a metadata check
keeps only the regions whose numbering plan fits the digits, and only then does the matcher
run, region by region (hints such as the post's country first, then the study's
``phone_regions``). A number is normalised to E.164, so ``0912 345 678`` (VN) and
``+84 912-345-678`` are one contact. Nothing here logs or keeps a number beyond a bounded
in-memory cache.

The rule favours recall (a privacy tool must err towards redacting). Each window is tried
twice: first for a *valid* number (allocated ranges: the result, and so the token, is what it
always was), then for a *possible* one (the right length for its country, in a range the
metadata may not know yet: "+44 7700 900123"). The second try takes only numbers written as
phone numbers are: with '+', '00' or a national trunk prefix ("07700 900123"); a bare digit run
("123456789") must still be a valid mobile number, or it would take every listing id. Runs
near a contact cue, spelled out or split across lines are :mod:`phone_loose`'s work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import phonenumbers
from phonenumbers import Leniency, PhoneMetadata, PhoneNumberFormat, PhoneNumberMatcher

from wildsift.privacy.phone_cues import id_before
from wildsift.privacy.phone_fast import FastMatcher

# A run of >= 7 digits joined by the separators found in ads: space, '.', '-', parentheses.
# '/' is left out on purpose: it usually separates two numbers ("0912345678/0987654321").
_SEP = r"(?:\s?[-\u2013.]\s?|[ \u00a0]|\)\s?|\s?\()"
_CANDIDATE = re.compile(rf"(?<![\d+\uff0b])(?:[+\uff0b]\s?|\(\s?)?\d(?:{_SEP}?\d){{6,}}")
# The prefilter: a maximal run of digits and separator characters (one fast character-class
# scan); the structured pattern above runs only inside such runs.
_RUN = re.compile(r"[+\uff0b(\d][\d \u00a0().\-\u2013]{5,}\d")

# What a candidate must not be: amounts with thousand groups, decimals, dates, year ranges.
_AMOUNT = re.compile(r"[1-9]\d{0,2}([.,\u00a0 ])\d{3}(?:\1\d{3})+|\d{1,3}(?:[.,]\d{3})+[.,]\d{1,2}")
_DATE = re.compile(
    r"(?:19|20)\d\d[-./ ]\d{1,2}[-./ ]\d{1,2}(?: \d{1,2})?"
    r"|\d{1,2}[-./ ]\d{1,2}[-./ ](?:19|20)\d\d(?: \d{1,2})?"
    r"|(?:19|20)\d\d\s?[-\u2013]\s?(?:19|20)\d\d"
)
_CURRENCY_BEFORE = re.compile(
    r"(?:[$€£¥₦₱฿₫]|\b(?:rp|rm|usd|us\$|hk\$|ksh|kes|idr|vnd|hkd|myr|thb|php|ngn|zar|r|cny|rmb)"
    r"\.?)\s*$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s*(?:[$€£¥₦₱฿₫元块万千%]|(?:đ|d|vnd|vnđ|usd|eur|rmb|cny|yuan|baht|บาท|thb|rp|idr|rupiah|rm|"
    r"myr|ringgit|ksh|kes|naira|ngn|zar|rand|php|pesos?|kip|lak|riel|khr|kyat|mmk|gbp|hkd|twd|"
    r"ntd|sgd|aud|k|tr|triệu|nghìn|ngàn|juta|ribu|pcs|pieces?|kg|kgs|g|gr|grams?|tons?|tấn|cm|"
    r"mm|m|x|views?|likes?|followers?)(?![^\W\d_]))",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r":\d\d")

_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
_NO_BARE_CODES = {1, 7}  # NANP and Russia: numbers are not written as bare "1201..." / "7912..."
MAX_DIGITS = 15  # E.164 allows at most 15 digits
_CACHE_SIZE = 8192


_GROUP_END = re.compile(r"\d(?=[ \u00a0]+\d)")
_MIN_DIGITS = 7


def _cuts(window: str) -> Iterator[str]:
    """``window``, then the window cut at each space between digit groups, longest first, while
    at least 7 digits remain: a number followed by another number ("... 2056 100% real").
    Only runs written like a phone number are cut ('+', '00' or a trunk '0' first), so that
    "order 2024 100 200 300 pcs" stays a quantity."""
    yield window
    if window.lstrip("( ")[:1] not in ("+", "\uff0b", "0"):
        return
    ends = [m.end() for m in _GROUP_END.finditer(window)]
    for end in reversed(ends):
        part = window[:end]
        if sum(c.isdigit() for c in part) < _MIN_DIGITS:
            return
        yield part


def _digits(text: str) -> str:
    if text.isascii():  # nearly always: ASCII digits need no conversion
        return "".join(filter(str.isdigit, text))
    return "".join(str(int(c)) for c in text if c.isdigit())


class _Plan:
    """A fast, necessary test of one region's numbering plan, from phonenumbers' metadata.

    It decides in a few microseconds what the matcher (~100 µs, ~1 ms when it fails and
    searches inner candidates) would reject, so the matcher only runs to confirm a number.
    """

    _TYPES = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost",
              "personal_number", "voip", "pager", "uan", "voicemail")

    def __init__(self, region: str):
        meta = PhoneMetadata.metadata_for_region(region)
        self.region = region
        self.code = meta.country_code
        self.prefix = meta.national_prefix or ""
        # NANP's trunk "1" is rarely written, and "1..." is how CN mobiles start: not a trunk here.
        self.trunk = self.prefix if self.prefix != "1" else ""
        self.exact = meta.national_prefix_transform_rule is None
        self.lengths = set(meta.general_desc.possible_length or ())
        self.general = re.compile(meta.general_desc.national_number_pattern)
        self.types = [re.compile(desc.national_number_pattern) for desc in
                      (getattr(meta, name) for name in self._TYPES)
                      if desc is not None and desc.national_number_pattern]
        self.mobile = [re.compile(meta.mobile.national_number_pattern)] if (
            meta.mobile is not None and meta.mobile.national_number_pattern) else []
        # is_possible_number tests lengths against the main region of the country code.
        main = PhoneMetadata.metadata_for_region(
            phonenumbers.region_code_for_country_code(self.code)) or meta
        self.possible_lengths = {*(main.general_desc.possible_length or ()),
                                 *(main.general_desc.possible_length_local_only or ())}
        self.plain_parsing = meta.national_prefix_for_parsing in (None, "", meta.national_prefix)

    def fits(self, digits: str, *, mobile_only: bool = False, possible: bool = False) -> bool:
        """Could ``digits`` (national, with or without the trunk prefix) be a valid number
        (with ``possible``: a possible one, unless ``mobile_only``)?"""
        if not self.exact:
            return True
        if possible and not mobile_only:
            if not self.plain_parsing:
                return True
            if len(digits) in self.possible_lengths:
                return True
            return bool(self.prefix) and digits.startswith(self.prefix) and (
                len(digits) - len(self.prefix) in self.possible_lengths)
        types = self.mobile if mobile_only else self.types
        candidates = [digits]
        if self.prefix and digits.startswith(self.prefix):
            candidates.append(digits[len(self.prefix):])
        for nsn in candidates:
            if (len(nsn) in self.lengths and self.general.fullmatch(nsn)
                    and any(p.fullmatch(nsn) for p in types)):
                return True
        return False


class PhoneFinder:
    """Phone numbers in text for a list of regions (ISO 3166-1 alpha-2), in order of preference."""

    def __init__(self, regions: Sequence[str] | None = None, *, fast: bool = True):
        # phonenumbers compiles its metadata patterns through re.compile on every call; with
        # two dozen regions they overflow the re module's cache (512) and are compiled again
        # and again. Its own unbounded (metadata-sized) cache is switched on once per process.
        phonenumbers.enable_pattern_cache()
        self.regions = [r.upper() for r in (regions or ["VN"]) if _known(r)] or ["VN"]
        self._plans: dict[str, _Plan] = {}
        self._codes = {phonenumbers.country_code_for_region(r) for r in self.regions}
        self._cache: dict[tuple[str, tuple[str, ...], bool], list[tuple[int, int, str]]] = {}
        # ``fast``: plain numbers skip PhoneNumberMatcher (same results, see phone_fast);
        # False runs the matcher on every window (the reference the tests compare with).
        self.fast = fast
        self._fast = FastMatcher()

    # -- public ------------------------------------------------------------------------------
    @staticmethod
    def maybe(text: str) -> bool:
        """Cheap test: could ``text`` hold a phone number at all (a run of >= 7 digits)?"""
        return _RUN.search(text) is not None

    def find(self, text: str, hints: Iterable[str] = (), *,
             script_hints: bool = True) -> list[tuple[int, int, str]]:
        """``(start, end, e164)`` of each phone number in ``text``.

        ``hints``: regions to try first (the post's country); then, with ``script_hints``, the
        regions the script of ``text`` suggests; then the finder's regions.
        """
        found: list[tuple[int, int, str]] = []
        order: tuple[str, ...] | None = None
        for run in _RUN.finditer(text):
            for m in _CANDIDATE.finditer(text, run.start(), run.end()):
                start = m.start()
                # The whole run first; if it is no number (or reads as an amount), the run cut
                # before a later group: "+86 177 7234 2056 100% real", "0902 944 480 100%".
                # Valid numbers over all cuts first, so a valid number is never displaced
                # by a longer possible one ("0912 345 678 100" is not a CN number).
                windows = list(_cuts(m.group(0)))
                for possible in (False, True):
                    resolved = None
                    for window in windows:
                        end = start + len(window)
                        if self._rejected(text, start, end, window.lstrip("( ")):
                            continue
                        if order is None:  # only now: most texts have no candidate left
                            extra = script_regions(text) if script_hints else []
                            order = tuple(h.upper() for h in (*hints, *extra) if _known(h))
                        resolved = self._resolve(window, order, possible)
                        if resolved:
                            found.extend((start + s, start + e, n) for s, e, n in resolved)
                            break
                    if resolved:
                        break
        return found

    def normalise(self, value: str, hints: Iterable[str] = (), *,
                  possible: bool = True) -> str | None:
        """E.164 form of one written number (``None`` when it is not a possible number, or
        with ``possible=False`` not a valid one)."""
        hints = tuple(h.upper() for h in hints if _known(h))
        value = value.strip()
        digits = _digits(value)
        for possible in (False, True)[:1 + possible]:
            for s, e, number in self._resolve(value, hints, possible):
                if _digits(value[s:e]) == digits:
                    return number
        if value.startswith(("+", "\uff0b")) or not 10 <= len(digits) <= MAX_DIGITS:
            return None
        return (self._international(digits, whole=True)
                or self._international(digits, whole=True, possible=possible))

    # -- internals ---------------------------------------------------------------------------
    def _rejected(self, text: str, start: int, end: int, window: str) -> bool:
        return rejected(text, start, end, window)

    def _resolve(self, window: str, hints: tuple[str, ...],
                 possible: bool = False) -> list[tuple[int, int, str]]:
        key = (window, hints, possible)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        digits = _digits(window)
        if len(digits) > MAX_DIGITS and window[0] not in "+\uff0b":
            result = self._segment(window, hints, possible)
        else:
            result = self._match(window, digits, hints, possible)
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _match(self, window: str, digits: str, hints: tuple[str, ...],
               possible: bool = False) -> list[tuple[int, int, str]]:
        """Try, in order: international with '+'/'00'; national with a trunk prefix ('0912..');
        international without '+' ('84912..'); national without a trunk prefix (HK, US, CN
        mobiles). With ``possible``, only the first two, for possible numbers.
        """
        if window[0] in "+\uff0b":
            region = self._fitting_country(digits, possible)
            return self._run(window, region, possible=possible) if region else []
        if window.startswith("00") and self._fitting_country(digits[2:], possible):
            # "DE": a region whose international prefix is "00"
            result = self._run(window, "DE", possible=possible)
            if result:
                return result
        order = [self._plan(r) for r in dict.fromkeys(hints + tuple(self.regions))]
        for plan in order:
            if not (plan.trunk and digits.startswith(plan.trunk)):
                continue
            # A hinted region (the post's country, language, script) is tried for a possible
            # number before other regions for a valid one: "07700 900123" in a GB post is
            # +44 7700 900123, though the digits are also a valid CN fixed line.
            tries = (possible, True) if plan.region in hints else (possible,)
            for loose in dict.fromkeys(tries):
                if plan.fits(digits, possible=loose):
                    result = self._run(window, plan.region, possible=loose)
                    if result:
                        return result
        if possible:
            # The post's own country (and language, script): its numbers are also written
            # without a trunk prefix ("(208) 052-5380", "890 88 00 34", "5157 6422").
            for plan in order:
                if plan.region not in hints:
                    break
                if not (plan.trunk and digits.startswith(plan.trunk)) and plan.fits(
                        digits, possible=True):
                    result = self._run(window, plan.region, possible=True)
                    if result:
                        return result
            return []
        number = self._international(digits, whole=False)
        if number:
            return [(0, len(window), number)]
        for plan in order:
            if plan.trunk and digits.startswith(plan.trunk):
                continue
            # Where a trunk prefix exists, fixed lines are written with it: without it, only a
            # mobile number is plausible (a CN mobile "138 0013 8000", a US "(201) 555-0123").
            mobile_only = bool(plan.prefix)
            if plan.fits(digits, mobile_only=mobile_only):
                result = self._run(window, plan.region, mobile_only=mobile_only)
                if result:
                    return result
        return []

    def _fitting_country(self, digits: str, possible: bool = False) -> str | None:
        """The region of the country code ``digits`` start with, if the rest fits its plan."""
        for n in (1, 2, 3):
            for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:n] or 0), ()):
                if region != "001" and self._plan(region).fits(digits[n:], possible=possible):
                    return region
        return None

    def _international(self, digits: str, *, whole: bool, possible: bool = False) -> str | None:
        """Digits written without their '+' ("84912345678"), for a study region's country code
        (any country code, and a possible number is enough, when ``whole``: the value after a
        messenger label or in a click-to-chat link)."""
        possible = possible and whole
        if not 10 <= len(digits) <= MAX_DIGITS or not self._fitting_country(digits, possible):
            return None
        quick = self._fast.e164_plus(digits, possible=possible) if self.fast else None
        if quick is not None:
            code, e164 = quick
            if not whole and (code not in self._codes or code in _NO_BARE_CODES):
                return None
            return e164
        try:
            number = phonenumbers.parse("+" + digits, None)
        except phonenumbers.NumberParseException:
            return None
        if not whole and (number.country_code not in self._codes
                          or number.country_code in _NO_BARE_CODES):
            return None
        ok = phonenumbers.is_possible_number if possible else phonenumbers.is_valid_number
        if not ok(number):
            return None
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)

    def _segment(self, window: str, hints: tuple[str, ...],
                 possible: bool = False) -> list[tuple[int, int, str]]:
        """Split a run of digit groups that holds several numbers ("0912 345 678 0987 654 321"):
        region by region, the longest run of whole groups that is one valid number, left to right.
        """
        groups = [(m.start(), m.end()) for m in re.finditer(r"\d+", window)]
        for region in dict.fromkeys(hints + tuple(self.regions)):
            found: list[tuple[int, int, str]] = []
            i = 0
            while i < len(groups):
                for j in range(len(groups) - 1, i - 1, -1):
                    part = window[groups[i][0]:groups[j][1]]
                    digits = _digits(part)
                    plan = self._plan(region)
                    if not 7 <= len(digits) <= MAX_DIGITS or not plan.fits(digits,
                                                                           possible=possible):
                        continue
                    if possible and not (plan.trunk and digits.startswith(plan.trunk)):
                        continue  # a possible number needs its trunk prefix (module doc)
                    hit = [x for x in self._run(part, region, possible=possible)
                           if x[1] - x[0] == len(part)]
                    if hit:
                        found.append((groups[i][0], groups[j][1], hit[0][2]))
                        i = j
                        break
                i += 1
            if found:
                return found
        return []

    def _run(self, window: str, region: str, mobile_only: bool = False, *,
             possible: bool = False) -> list[tuple[int, int, str]]:
        """PhoneNumberMatcher over one window (``Leniency.POSSIBLE`` with ``possible``, unless
        ``mobile_only``, which needs a valid number's type)."""
        possible = possible and not mobile_only
        if self.fast:
            quick = self._fast.run(window, region, mobile_only, possible=possible)
            if quick is not None:
                return quick
        leniency = Leniency.POSSIBLE if possible else Leniency.VALID
        found = []
        for m in PhoneNumberMatcher(window, region, leniency=leniency):
            if mobile_only and phonenumbers.number_type(m.number) not in _MOBILE:
                continue
            e164 = phonenumbers.format_number(m.number, PhoneNumberFormat.E164)
            found.append((m.start, m.end, e164))
        if possible:
            # Under Leniency.POSSIBLE the matcher also reads short inner runs as local numbers
            # ("+44 7700 9001234" -> "7700 900"): only the whole window counts (as the fast
            # path answers); what is left is the loose pass's work.
            found = [f for f in found if f[0] == 0 and f[1] == len(window)]
        return found

    def _plan(self, region: str) -> _Plan:
        plan = self._plans.get(region)
        if plan is None:
            plan = self._plans[region] = _Plan(region)
        return plan


_SCRIPT_REGIONS = [
    (re.compile(r"[\u0e00-\u0e7f]"), "TH"),
    (re.compile(r"[\u0e80-\u0eff]"), "LA"),
    (re.compile(r"[\u1780-\u17ff]"), "KH"),
    (re.compile(r"[\u1000-\u109f]"), "MM"),
    (re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]"), "VN"),
    (re.compile(r"[\u4e00-\u9fff]"), "CN"),
    (re.compile(r"[\u0400-\u04ff]"), "RU"),  # Cyrillic: VK and Telegram posts in Russian
]


def rejected(text: str, start: int, end: int, window: str, *, amounts: bool = True) -> bool:
    """Is the run ``text[start:end]`` (``window``, its digits) clearly no phone number: an
    amount with thousand groups (unless not ``amounts``) or a currency, a date, a time, a
    quantity with its unit, or an id ("item #123456789": an id word right before the run
    settles it, whatever cue is near)? Runs that start with '+' never are."""
    if window[0] in "+\uff0b":
        return False
    if (amounts and _AMOUNT.fullmatch(window)) or _DATE.fullmatch(window):
        return True
    if _TIME_AFTER.match(text, end):
        return True
    before = text[max(0, start - 6):start]
    if _CURRENCY_BEFORE.search(before) or _UNIT_AFTER.match(text, end):
        return True
    return id_before(text, start, window)


def script_regions(text: str) -> list[str]:
    """Regions suggested by the script of ``text`` (Thai script -> TH, Vietnamese letters -> VN).

    National numbers are ambiguous across countries ("081 234 5678" is valid in TH and VN);
    the script a post is written in is a cheap, good hint.
    """
    return [region for pattern, region in _SCRIPT_REGIONS if pattern.search(text)]


def _known(region: str | None) -> bool:
    return bool(region) and region.upper() in phonenumbers.SUPPORTED_REGIONS
