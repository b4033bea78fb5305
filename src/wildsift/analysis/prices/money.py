"""Prices in a post's text: amount and currency, as written in many languages.

'$300', 'US$ 1,200.50', 'Rp 1.250.000', 'KSh 5,000', '5,000/=', '₦150,000', '฿1,500',
'1.500 บาท', '2tr5', '1,2 triệu', '500k' (Vietnamese), '5万', '两万元', '20元/克', '3 သိန်း',
'elfu 5', '25 000 FCFA', '300 €'. A price needs a currency: a sign, a code, a word, or a
multiplier that implies one; a bare number is not a price. Each price says what decided its
currency (``basis``), whether words before it make it a fee rather than the item's price
(shipping, insurance, 'orders over'), and the unit it is quoted per ('/kg', '每克', 'กิโลละ').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wildsift.analysis.prices import vocab
from wildsift.analysis.prices.numbers import (
    CJK_NUMBER,
    ascii_digits,
    parse_cjk,
    parse_number,
    with_fraction,
)


def _alt(keys) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_NUM = (r"\d{1,3}(?:(?P<sep>[.,'\u00a0\u202f ])\d{3})(?:(?P=sep)\d{3})*(?:[.,]\d{1,2})?"
        r"|\d+(?:[.,]\d+)?")
_LATIN_END = rf"(?!{vocab.LATIN_LETTER})"
_UNITS = _alt({**vocab.MASS, **vocab.COUNT})
_SUFFIX_SIGNS = {k for k in vocab.SUFFIX if not k[0].isalpha()}  # '$' before a number is its prefix
_SUFFIX_WORDS = set(vocab.SUFFIX) - _SUFFIX_SIGNS
_WORD_END = r"(?![^\W\d_])"
_PER = (rf"(?:\s?(?:/|per|par|por|mỗi|một|a|kwa|ต่อ)\s?(?:1\s?|one\s)?"
        rf"(?P<per>{_UNITS}){_WORD_END})?")
_PRICE = re.compile(
    rf"(?:(?<!{vocab.LATIN_LETTER})(?:(?P<pre>{_alt(vocab.PREFIX)})\s?"
    rf"|(?P<premult>{_alt(vocab.PRE_MULTIPLIER)})\s))?"
    rf"(?P<num>{_NUM})"
    rf"(?:\s?(?P<mult>{_alt(vocab.MULTIPLIER)}){_LATIN_END}(?P<frac>\d{{1,3}}(?!\d))?)?"
    rf"(?:\s?(?:(?P<suf>{_alt(_SUFFIX_WORDS)}){_LATIN_END}"
    rf"|(?P<sufsign>{_alt(_SUFFIX_SIGNS)})(?!\s?\d)))?" + _PER,
    re.IGNORECASE)
_CJK_PRICE = re.compile(rf"(?P<cjk>{CJK_NUMBER})\s?(?P<suf>元|块|塊|円|人民币|美元|港币|台币)")
_PER_BEFORE = re.compile(rf"(?:每|mỗi|một|1|per|par|por)\s?(?P<unit>{_UNITS})\s?"
                         rf"(?:giá|là|:|=)?\s*$|(?P<thai>{_UNITS})ละ\s*$", re.IGNORECASE)
_LETTER_BEFORE = re.compile(r"[^\W\d_]$")
_CLAUSE_BREAK = re.compile(r"[.!?;|\n]\s|\n")  # fee words count within the price's clause


@dataclass(frozen=True, slots=True)
class Money:
    """One price found in a text."""

    amount: float
    currency: str
    start: int
    end: int
    basis: str  # sign | code | word | multiplier | k-language | country
    fee: bool  # preceded by shipping/fee words: not the item's price
    per_unit: str | None = None  # the unit the price is quoted per ('kg', 'g', 'piece', ...)


def _letters_joined(text: str, start: int, pre: str | None) -> bool:
    """A Latin code glued to a word before it ('xRp 5', 'gsh500') is no price; CJK and Thai
    are written without spaces, so there a word before a prefix ('价格人民币') is normal."""
    return bool(start and pre and pre[0].isascii() and pre[0].isalpha()
                and _LETTER_BEFORE.search(text[:start]) and text[start - 1].isascii())


def _resolve(currency: str, lang: str | None, country: str | None) -> tuple[str, bool]:
    by_lang = vocab.BY_LANGUAGE.get(currency, {}).get(lang or "")
    if by_lang:
        return by_lang, False
    by_country = vocab.BY_COUNTRY.get(currency, {}).get((country or "").upper())
    return (by_country, True) if by_country else (currency, False)


def _is_fee(text: str, start: int) -> bool:
    """Fee words in the price's clause, unless a price word comes after them ('Retail
    Price: $ Asking Price: $2,000' is the asking price)."""
    before = _CLAUSE_BREAK.split(text[max(0, start - 32):start].lower())[-1]
    fee = max((before.rfind(word) for word in vocab.FEE_WORDS), default=-1)
    price = max((before.rfind(word) for word in vocab.PRICE_WORDS), default=-1)
    return fee >= 0 and fee > price


def _per_before(text: str, start: int) -> str | None:
    hit = _PER_BEFORE.search(text[max(0, start - 14):start])
    return (hit.group("unit") or hit.group("thai")).lower() if hit else None


def _mult_factor(mult: str, lang: str | None) -> tuple[float, str | None]:
    factor, implied = vocab.MULTIPLIER[mult]
    if mult == "mil" and lang not in ("es", "pt"):
        factor = 1e6  # English slang; Spanish and Portuguese 'mil' is a thousand
    if mult == "k" and implied is None:
        implied = vocab.K_CURRENCY.get(lang or "")
    return factor, implied


def _currency_of(m: re.Match, lang: str | None, country: str | None
                 ) -> tuple[str | None, str, bool]:
    """(currency, basis, whether the post's country may change it) of one match."""
    pre, mult = m.group("pre"), m.group("mult")
    suf = m.group("suf") or m.group("sufsign")
    if suf and suf[0].isalpha() and not (pre and pre[0].isalpha()):
        key = suf.lower()  # '$450 dólares': the word says which dollar
        if key == "d" and lang != "vi" and not m.group("sep"):
            return None, "", False  # '30d' is thirty days unless the post is Vietnamese
        return vocab.SUFFIX[key], "word", key in vocab.AMBIGUOUS
    if pre:
        key = pre.lower()
        if key == "n" and not ((country or "").upper() == "NG" and m.group("sep")):
            return None, "", False  # 'N2,500,000' is naira only in a Nigerian post
        return vocab.PREFIX[key], "sign" if not pre[0].isalpha() else "code", \
            key in vocab.AMBIGUOUS
    if suf:
        key = suf.lower()
        if key in vocab.SIGN_BY_LANGUAGE:
            found = vocab.SIGN_BY_LANGUAGE[key].get(lang or "")
            return found, "sign", False
        return vocab.SUFFIX[key], "sign", key in vocab.AMBIGUOUS
    if mult:
        implied = _mult_factor(mult.lower(), lang)[1]
        if implied:
            return implied, "k-language" if mult.lower() == "k" else "multiplier", True
    if m.group("premult"):
        return "KES", "multiplier", True
    return None, "", False


def find_money(text: str | None, lang: str | None = None,
               country: str | None = None) -> list[Money]:
    """Every price with a currency in ``text``, in order of appearance.

    ``lang`` (the post's language) reads '500k' as dong or rupiah and '¥' in Japanese as yen;
    ``country`` (ISO alpha-2) reads 'Sh'/'/=' in Tanzania as shillings of Tanzania, '元' in
    Taiwan as New Taiwan dollars.
    """
    if not text:
        return []
    norm = ascii_digits(text)
    out: list[Money] = []
    for m in _PRICE.finditer(norm):
        start = m.start("pre") if m.group("pre") else m.start()
        if _letters_joined(norm, start, m.group("pre") or m.group("premult")):
            continue
        if not m.group("pre") and start and (norm[start - 1].isdigit() or norm[start - 1] in ".,"):
            continue
        currency, basis, ambiguous = _currency_of(m, lang, country)
        if currency is None:
            continue
        try:
            amount = parse_number(m.group("num"))
        except ValueError:
            continue
        if m.group("mult"):
            factor = _mult_factor(m.group("mult").lower(), lang)[0]
            amount = with_fraction(amount, m.group("frac")) * factor
        if m.group("premult"):
            amount *= vocab.PRE_MULTIPLIER[m.group("premult").lower()]
        by_country = False
        if ambiguous:
            currency, by_country = _resolve(currency, lang, country)
        per = (m.group("per") or "").lower() or _per_before(norm, start)
        out.append(Money(amount, currency, start, m.end(), "country" if by_country else basis,
                         _is_fee(norm, start), per))
    taken = [(money.start, money.end) for money in out]
    for m in _CJK_PRICE.finditer(norm):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # '5万元': the digits already made the price
        try:
            amount = parse_cjk(m.group("cjk"))
        except ValueError:
            continue
        currency, by_country = _resolve(vocab.SUFFIX[m.group("suf")], lang, country)
        out.append(Money(amount, currency, m.start(), m.end(), "country" if by_country
                         else "word", _is_fee(norm, m.start()), _per_before(norm, m.start())))
    return sorted(out, key=lambda money: money.start)


def item_price(prices: list[Money]) -> Money | None:
    """The post's price: the first one that is not a fee (shipping, insurance, 'over $100')."""
    for money in prices:
        if not money.fee and money.amount > 0:
            return money
    return None
