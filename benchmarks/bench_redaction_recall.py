"""Redaction recall on planted phone numbers, false redactions of other numerals, and speed.

    python benchmarks/bench_redaction_recall.py [numbers_per_region_and_kind]

Planted set (deterministic, from phonenumbers' example numbers and metadata): for each of
:data:`REGIONS`, *valid* numbers (the example mobile and fixed-line numbers, and variants with
a changed tail that are still valid) and *possible-only* numbers (right length, unallocated
range: what leaked), each written in every form of :data:`FORMS` (E.164, international,
national, 00-prefix, dots, dashes, full-width, Arabic-Indic, Persian, Thai and Devanagari
digits, split over two lines, a digit too many or too few next to a cue, a short local number
next to a cue, spelled out in English, Vietnamese or Indonesian) inside ad sentences in
several languages. Posts go through the ingest path (``Protector.protect``, the post's
country as hint for national forms). A planted number counts as *found* when no 5 consecutive
digits of it (nor 3 consecutive words of its spelled form) are left in the stored text.

Non-phone numerals (:data:`NUMERALS`): prices in many currencies, dates, times, quantities,
years and ids in ad sentences, some next to a contact cue; a *false redaction* is a numeral
whose text is not left as written. Bare 9+ digit ids with no id word and no contact cue are
ambiguous: a valid mobile number is redacted (recall first), anything else is kept.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T

from wildsift.privacy.ingest import Protector
from wildsift.privacy.redact import TOKEN_RE
from wildsift.records import RawPost
from wildsift.study import DEFAULT_PHONE_REGIONS

REGIONS = [*DEFAULT_PHONE_REGIONS, "IN", "JP", "RU", "IT", "MX"]
DIGIT_SETS = {"fullwidth": "０１２３４５６７８９", "arabic_indic": "٠١٢٣٤٥٦٧٨٩",
              "persian": "۰۱۲۳۴۵۶۷۸۹", "thai": "๐๑๒๓๔๕๖๗๘๙", "devanagari": "०१२३४५६७८९"}
WORDS = {
    "en": "zero one two three four five six seven eight nine".split(),
    "vi": "không một hai ba bốn năm sáu bảy tám chín".split(),
    "id": "nol satu dua tiga empat lima enam tujuh delapan sembilan".split(),
}
FORMS = ["e164", "international", "national", "idd_00", "dots", "dashes", *DIGIT_SETS,
         "split_lines", "typo_extra", "typo_missing", "short_near_cue", "spelled"]
NEEDS_CUE = {"typo_extra", "typo_missing", "short_near_cue"}

# Ad sentences; {p} is the phone number. With a contact cue, and without one.
CUED = [
    "Rhino horn for sale, genuine, contact {p}", "Selling ivory bangles, WhatsApp {p}",
    "Bán sừng tê giác thật, liên hệ {p} để biết giá", "ขายงาช้างแท้ โทร {p} ค่ะ",
    "出售正品象牙手镯 电话 {p}", "Jual sisik trenggiling asli, hubungi {p}",
    "Vends ivoire ancien, appelez le {p}", "Vendo colmillo de marfil, llama al {p}",
    "Pangolin scales available, call/text me {p} for price",
    "sđt {p} zalo luôn", "WA: {p} (serious buyers only)", "微信 {p} 联系",
]
UNCUED = [
    "Rhino horn for sale, genuine, {p}", "Ivory carving, old piece, 2 kg. {p}",
    "Sừng tê giác nguyên chiếc {p} ship toàn quốc", "งาช้างแท้ ส่งฟรี {p}",
    "象牙 手镯 包邮 {p}", "Jual gading gajah {p} COD",
]


@dataclass
class Planted:
    region: str
    kind: str  # valid | possible
    form: str
    text: str
    digits: str  # the digits as written (ASCII), for the leak test
    words: list[str]  # a spelled form's words


def _numbers(region: str, per_kind: int, rng: random.Random) -> dict[str, list]:
    """``per_kind`` valid and possible-only numbers of ``region`` from its example numbers."""
    examples = [n for t in (T.MOBILE, T.FIXED_LINE)
                if (n := phonenumbers.example_number_for_type(region, t)) is not None]
    out: dict[str, list] = {"valid": [], "possible": []}
    tries = 0
    while min(len(v) for v in out.values()) < per_kind and tries < 20000:
        tries += 1
        base = examples[tries % len(examples)]
        nsn = phonenumbers.national_significant_number(base)
        keep = rng.randrange(1, len(nsn))
        nsn = nsn[:keep] + "".join(rng.choice("0123456789") for _ in nsn[keep:])
        if nsn[0] == "0":
            continue
        number = phonenumbers.PhoneNumber(country_code=base.country_code,
                                          national_number=int(nsn))
        kind = ("valid" if phonenumbers.is_valid_number(number) else
                "possible" if phonenumbers.is_possible_number(number) else None)
        if kind and len(out[kind]) < per_kind and number not in out[kind]:
            out[kind].append(number)
    return out


def _spaced(digits: str, sep: str) -> str:
    groups = [digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)][::-1]
    if len(groups) > 1 and len(groups[0]) < 3:
        groups[1] = groups[0] + groups[1]
        groups = groups[1:]
    return sep.join(groups)


def _write(number, form: str, rng: random.Random) -> tuple[str, list[str]]:
    national = phonenumbers.format_number(number, F.NATIONAL)
    intl = phonenumbers.format_number(number, F.INTERNATIONAL)
    e164 = phonenumbers.format_number(number, F.E164)
    national_digits = "".join(c for c in national if c.isdigit())
    if form == "e164":
        return e164, []
    if form == "international":
        return intl, []
    if form == "national":
        return national, []
    if form == "idd_00":
        return "00" + intl[1:], []
    if form == "dots":
        return _spaced(national_digits, "."), []
    if form == "dashes":
        return _spaced(national_digits, "-"), []
    if form in DIGIT_SETS:
        written = rng.choice([intl, national])
        return written.translate(str.maketrans("0123456789", DIGIT_SETS[form])), []
    if form == "split_lines":
        parts = intl.split(" ")
        cut = max(1, len(parts) // 2)
        return " ".join(parts[:cut]) + "\n" + " ".join(parts[cut:]), []
    if form == "typo_extra":
        i = rng.randrange(2, len(national_digits))
        return _spaced(national_digits[:i] + rng.choice("0123456789") + national_digits[i:],
                       " "), []
    if form == "typo_missing":
        i = rng.randrange(2, len(national_digits))
        return _spaced(national_digits[:i] + national_digits[i + 1:], " "), []
    if form == "short_near_cue":  # the last 6-7 digits, as a local number is told
        return _spaced(national_digits[-rng.choice([6, 7]):], " "), []
    if form == "spelled":
        words = WORDS[rng.choice(sorted(WORDS))]
        spelled = [words[int(c)] for c in national_digits]
        return " ".join(spelled), spelled
    raise ValueError(form)


def planted(per_kind: int = 2, forms: list[str] | None = None, seed: int = 10,
            regions: list[str] | None = None) -> list[Planted]:
    rng = random.Random(seed)
    out = []
    for region in regions or REGIONS:
        for kind, numbers in _numbers(region, per_kind, rng).items():
            for number in numbers:
                for form in forms or FORMS:
                    written, words = _write(number, form, rng)
                    cued = form in NEEDS_CUE or form == "spelled" or rng.random() < 0.5
                    template = rng.choice(CUED if cued else UNCUED)
                    digits = "".join(str(int(c)) for c in written if c.isdigit())
                    out.append(Planted(region, kind, form, template.format(p=written), digits,
                                       words))
    return out


# -- numerals that are not phone numbers ------------------------------------------------------
NUMERALS = {
    "price": ["Rp 1.250.000", "2tr5", "500k", "25.000.000đ", "25.000.000 VND", "$1,500",
              "1500 USD", "฿15,000", "15,000 บาท", "¥3000", "3000元", "€ 2.499,00",
              "KSh 45,000", "₦250,000", "R 1 200 000", "RM 4,500", "US$ 12,500.00",
              "1,250,000 IDR", "Rp1.500.000,-", "PHP 18,000", "HK$ 88,000", "2.500.000 vnđ",
              "120 triệu", "1 juta"],
    "date": ["2024-05-12", "12/05/2024", "12.05.2024", "12 May 2024", "2024年5月12日",
             "12-05-2024", "05/12/24", "20240512", "2024.05.12", "12.5.2024"],
    "time": ["10:30", "08:00 - 17:30", "9.30am"],
    "quantity": ["12 kg", "250 pcs", "1500 g", "3 tons", "50x30 cm", "1,200 pieces",
                 "100 kg", "2 500 000 pcs", "12 kgs", "750 gr"],
    "year": ["since 1998", "2019-2024", "in 2023", "1990s", "2015 - 2020"],
    "id": ["item #123456789", "order no. 2024051234", "ISBN 978-3-16-148410-0",
           "CITES permit No. 21US123456", "listing 1234567890", "order #884422110033",
           "ref 556677889", "SKU 100234567", "invoice 2023-000123", "lot #4455667788",
           "tracking 1Z999AA10123456784", "mã đơn 230512ABC123", "订单号 202405120001"],
    # Ambiguous: no id word and no cue. Reported apart, not in "all" (see the module doc).
    "bare_id (ambiguous)": ["123456789", "9876543210", "100234567890", "5566778899"],
}
NUMERAL_TEMPLATES = [
    "Ivory bangle, {n}, genuine, ship worldwide", "Bán vòng ngà {n} giao toàn quốc",
    "ขายงาช้าง {n} ส่งฟรี", "象牙手镯 {n} 包邮", "Jual sisik trenggiling {n}",
    "Rhino horn {n}, call for details", "Price {n}, WhatsApp for pictures",
]


def numerals(seed: int = 10, repeat: int = 2) -> list[tuple[str, str, str]]:
    """``(kind, numeral, text)`` for every numeral in a few templates."""
    rng = random.Random(seed)
    out = []
    for kind, items in NUMERALS.items():
        for item in items:
            for template in rng.sample(NUMERAL_TEMPLATES, repeat):
                out.append((kind, item, template.format(n=item)))
    return out


# -- measuring ----------------------------------------------------------------------------------
_RUN = re.compile(r"\d(?:[ .\-\n()]{0,2}\d)*")


def leaked(item: Planted, template_text: str, stored: str) -> bool:
    """Are 5 consecutive digits of the planted number (or 3 of its words) left in ``stored``?"""
    rest = TOKEN_RE.sub(" ", stored)
    before = {_ascii(r) for r in _RUN.findall(template_text)}
    for run in _RUN.findall(rest):
        digits = _ascii(run)
        if digits in before:
            continue
        if any(item.digits[i:i + 5] in digits for i in range(len(item.digits) - 4)):
            return True
    if item.words:
        low = rest.lower()
        return any(" ".join(item.words[i:i + 3]) in low for i in range(len(item.words) - 2))
    return False


def _ascii(run: str) -> str:
    return "".join(str(int(c)) for c in run if c.isdigit())


def measure(per_kind: int = 2, forms: list[str] | None = None, seed: int = 10,
            regions: list[str] | None = None, protector: Protector | None = None) -> dict:
    protector = protector or Protector(b"r" * 32, phone_regions=list(DEFAULT_PHONE_REGIONS))
    items = planted(per_kind, forms, seed, regions)
    others = numerals(seed)
    posts = [RawPost("bench", str(i), p.text, country=p.region) for i, p in enumerate(items)]
    posts += [RawPost("bench", f"n{i}", text) for i, (_, _, text) in enumerate(others)]
    protector.protect(RawPost("bench", "warm", "+84 912 345 678"))
    wall, cpu = time.perf_counter(), time.process_time()
    stored = [protector.protect(p).text for p in posts]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for item, text in zip(items, stored, strict=False):
        template = item.text.replace(_written(item), "")
        ok = not leaked(item, template, text)
        for key in (("region", item.region), ("form", item.form), ("kind", item.kind),
                    ("all", "all")):
            found[key][0] += ok
            found[key][1] += 1
        if not ok:
            misses.append((item.region, item.form, item.text, text))
    false: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    false_examples = []
    for (kind, numeral, _), text in zip(others, stored[len(items):], strict=True):
        bad = numeral not in text
        false[kind][0] += bad
        false[kind][1] += 1
        if "ambiguous" not in kind:
            false["all"][0] += bad
            false["all"][1] += 1
        if bad:
            false_examples.append((numeral, text))
    return {"found": dict(found), "false": dict(false), "misses": misses,
            "false_examples": false_examples, "posts": len(posts), "wall": wall, "cpu": cpu,
            "planted": len(items), "regions": len({i.region for i in items})}


def _written(item: Planted) -> str:
    for template in (*CUED, *UNCUED):
        head, tail = template.split("{p}")
        if item.text.startswith(head) and item.text.endswith(tail):
            return item.text[len(head):len(item.text) - len(tail)]
    return item.text


def main(per_kind: int = 2) -> None:
    result = measure(per_kind)
    found = result["found"]
    n, total = found[("all", "all")]
    print(f"{result['planted']} planted numbers, {result['regions']} regions: "
          f"recall {n / total:.4f} ({total - n} missed)")
    for group in ("kind", "form", "region"):
        print(f"\n| {group} | found | planted | recall |\n|---|---:|---:|---:|")
        for (g, name), (k, t) in sorted(found.items()):
            if g == group:
                print(f"| {name} | {k} | {t} | {k / t:.3f} |")
    print("\n| numeral kind | falsely redacted | numerals | rate |\n|---|---:|---:|---:|")
    for kind, (k, t) in sorted(result["false"].items()):
        print(f"| {kind} | {k} | {t} | {k / t:.3f} |")
    print(f"\nspeed: {result['posts']} posts in {result['wall']:.2f} s wall "
          f"({result['posts'] / result['wall']:,.0f} posts/s), {result['cpu']:.2f} s CPU "
          f"({result['posts'] / result['cpu']:,.0f} posts/s CPU), one core")
    if result["misses"]:
        print("\nmissed (region, form, planted text, stored text):")
        for miss in result["misses"][:40]:
            print("  ", miss)
    if result["false_examples"]:
        print("\nfalsely redacted:")
        for example in result["false_examples"][:40]:
            print("  ", example)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
