"""Prices in posts, converted to US dollars, and the floor below which an offer is too good to be true.

A price is a number with a currency around it ("$120", "5tr", "1.200.000đ", "Rp 50.000", "2000元",
"20元/克", "KSh 2,000", "300 บาท"). Amounts written with a unit ("/kg", "/克") are prices per kilo;
otherwise a weight in the same post ("2 kg", "500 gram", "3 lạng") turns the listing price into
a price per kilo. "$" alone is read as US dollars and "¥" as yuan (the common case in this trade);
"500k" with no currency says nothing and is ignored.

``USD_PER_UNIT``: approximate exchange rates of mid-2024 (order of magnitude is all the rule needs;
refresh them for a study of another period). ``PRICE_FLOORS``: for each lexicon (group, product),
the lowest price (USD per kg, and per listing when no weight is given) that a genuine offer could
plausibly ask. They are deliberately low, rounded down from the lowest prices reported along the
trade chain (source-country and wholesale prices in UNODC, *World Wildlife Crime Report* 2020 and
2024, and the TRAFFIC / Save the Elephants market surveys it cites: raw ivory a few hundred USD/kg,
rhino horn thousands to tens of thousands USD/kg, pangolin scales tens to hundreds USD/kg); prices
vary by country, year and product form, so they are uncertain by a factor of several, and a study
can pass its own table. An offer below its floor is flagged ``too_good_price``: a scam cue (or a
fake, or a price in another unit), not evidence of a cheap product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

USD_PER_UNIT: dict[str, float] = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CNY": 0.14, "HKD": 0.128, "TWD": 0.031,
    "VND": 0.000039, "THB": 0.028, "IDR": 0.000062, "MYR": 0.21, "NGN": 0.00067,
    "KES": 0.0077, "TZS": 0.00038, "ZAR": 0.054, "MZN": 0.0157, "AOA": 0.0012, "XAF": 0.00165,
    "LAK": 0.000046, "MXN": 0.055, "BRL": 0.19, "JPY": 0.0066, "RUB": 0.011, "SGD": 0.74,
}

# (group, product) -> (USD per kg, USD per listing without a weight). See the module docstring.
PRICE_FLOORS: dict[tuple[str, str], tuple[float, float]] = {
    ("rhinoceros", "horn"): (2000.0, 300.0),
    ("rhinoceros", "powder"): (2000.0, 10.0),
    ("rhinoceros", "carving"): (2000.0, 100.0),
    ("elephant", "ivory"): (100.0, 10.0),
    ("elephant", "tusk"): (100.0, 100.0),
    ("elephant", "carving"): (100.0, 10.0),
    ("elephant", "bangle"): (100.0, 10.0),
    ("pangolin", "scales"): (20.0, 5.0),
    ("pangolin", "live"): (20.0, 20.0),
}

_PREFIX = {"hk$": "HKD", "nt$": "TWD", "us$": "USD", "r$": "BRL", "s$": "SGD", "$": "USD",
           "€": "EUR", "£": "GBP", "¥": "CNY", "₦": "NGN", "฿": "THB", "₫": "VND", "usd": "USD",
           "eur": "EUR", "gbp": "GBP", "rmb": "CNY", "cny": "CNY", "hkd": "HKD", "twd": "TWD",
           "thb": "THB", "idr": "IDR", "myr": "MYR", "vnd": "VND", "ngn": "NGN", "kes": "KES",
           "ksh": "KES", "tsh": "TZS", "tzs": "TZS", "zar": "ZAR", "rp": "IDR", "rp.": "IDR",
           "rm": "MYR"}
_SUFFIX = {"usd": "USD", "eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR", "gbp": "GBP",
           "vnd": "VND", "vnđ": "VND", "đ": "VND", "₫": "VND", "dong": "VND", "cny": "CNY",
           "rmb": "CNY", "元": "CNY", "块": "CNY", "円": "JPY", "hkd": "HKD", "thb": "THB",
           "บาท": "THB", "฿": "THB", "baht": "THB", "idr": "IDR", "myr": "MYR", "ngn": "NGN",
           "kes": "KES", "zar": "ZAR", "fcfa": "XAF", "cfa": "XAF", "xaf": "XAF", "xof": "XAF",
           "mt": "MZN", "mzn": "MZN", "kz": "AOA", "aoa": "AOA", "kip": "LAK", "mxn": "MXN",
           "brl": "BRL", "$": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD",
           "руб": "RUB", "₽": "RUB"}
# Multipliers; some imply their currency (5tr = 5 million dong, 2 jt = 2 million rupiah).
_MULT = {"k": (1e3, None), "m": (1e6, None), "million": (1e6, None), "tr": (1e6, "VND"),
         "triệu": (1e6, "VND"), "trieu": (1e6, "VND"), "jt": (1e6, "IDR"), "juta": (1e6, "IDR"),
         "rb": (1e3, "IDR"), "ribu": (1e3, "IDR"), "万": (1e4, "CNY"), "萬": (1e4, "CNY"),
         "nghìn": (1e3, "VND"), "ngàn": (1e3, "VND")}
_KG_PER_UNIT = {"kg": 1.0, "kgs": 1.0, "kilo": 1.0, "kilos": 1.0, "公斤": 1.0, "กิโล": 1.0,
                "กก": 1.0, "cân": 1.0, "g": 0.001, "gr": 0.001, "gram": 0.001, "grams": 0.001,
                "克": 0.001, "斤": 0.5, "lạng": 0.1}


def _alt(keys) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_NUM = r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_UNIT = rf"(?:\s?/\s?(?P<unit>{_alt(_KG_PER_UNIT)}))?"
_PRICE = re.compile(
    rf"(?:(?<![a-z])(?P<pre>{_alt(_PREFIX)})\s?(?P<n1>{_NUM})(?:\s?(?P<m1>k|m|million)\b)?"
    rf"|(?P<n2>{_NUM})\s?(?:(?P<m2>{_alt(_MULT)})\s?)?(?P<suf>{_alt(_SUFFIX)})?)" + _UNIT)
_WEIGHT = re.compile(rf"(?P<n>\d+(?:[.,]\d+)?)\s?(?P<unit>{_alt(_KG_PER_UNIT)})(?![a-zà-ỹ])")


def parse_amount(text: str) -> float:
    """'1.200.000' -> 1200000, '1,200.50' -> 1200.5, '2,5' -> 2.5, '20 000' -> 20000."""
    grouped = re.fullmatch(r"(\d{1,3}(?:([.,\u00a0 ])\d{3})+)(?:[.,](\d{1,2}))?", text)
    if grouped:
        whole = re.sub(r"[.,\u00a0 ]", "", grouped.group(1))
        return float(whole + ("." + grouped.group(3) if grouped.group(3) else ""))
    return float(text.replace(",", "."))


@dataclass(frozen=True, slots=True)
class Price:
    """A price found in a text: amount in US dollars, and whether it is per kilogram."""

    usd: float
    per_kg: bool
    currency: str


def find_prices(text: str) -> list[Price]:
    """Every price with a known currency in ``text`` (lower-cased inside)."""
    out = []
    for m in _PRICE.finditer((text or "").lower()):
        if m.group("n1"):
            currency, amount = _PREFIX[m.group("pre")], parse_amount(m.group("n1"))
            factor = _MULT[m.group("m1")][0] if m.group("m1") else 1.0
        else:
            mult = _MULT.get(m.group("m2") or "", (1.0, None))
            currency = _SUFFIX.get(m.group("suf") or "") or mult[1]
            if currency is None:
                continue  # a bare number, or "500k" with no currency
            amount, factor = parse_amount(m.group("n2")), mult[0]
        usd = amount * factor * USD_PER_UNIT[currency]
        unit = m.group("unit")
        if unit:
            usd /= _KG_PER_UNIT[unit]
        out.append(Price(usd, bool(unit), currency))
    return out


def stated_weight_kg(text: str) -> float | None:
    """The first weight in the text, in kilograms ('2 kg', '500 gram', '3 lạng'), else None."""
    for m in _WEIGHT.finditer((text or "").lower()):
        start = m.start()
        if start and (text[start - 1] == "/" or text[start - 2:start] == "/ "):
            continue  # "/kg" belongs to a price
        value = parse_amount(m.group("n")) * _KG_PER_UNIT[m.group("unit")]
        if value > 0:
            return value
    return None


def too_good(text: str, products: list[tuple[str, str]],
             floors: dict[tuple[str, str], tuple[float, float]] = PRICE_FLOORS) -> bool:
    """Whether the lowest price in the text is below the floor of every product it names.

    ``products``: (group, product) pairs the lexicon found. No price or no known product: False.
    """
    known = [floors[p] for p in products if p in floors]
    prices = find_prices(text)
    if not known or not prices:
        return False
    weight = stated_weight_kg(text)
    per_kg_floor = min(f[0] for f in known)
    item_floor = min(f[1] for f in known)
    for price in prices:
        if price.per_kg:
            if price.usd >= per_kg_floor:
                return False
        elif weight:
            if price.usd / weight >= per_kg_floor:
                return False
        elif price.usd >= item_floor:
            return False
    return True
