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
from dataclasses import dataclass, replace

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
# a code written on either side ('Tsh', 'KES', 'USD') followed by a number is that number's
# prefix: 'lita 1 Tsh 15,000' is TZS 15,000, not TZS 1 (unless that number has its own code
# after it: '26.99 USD 29.99 USD')
_BOTH_SIDES = {k for k in _SUFFIX_WORDS if k in vocab.PREFIX}
_WORD_END = r"(?![^\W\d_])"
_PER = (rf"(?:\s?(?:/|per|par|por|mỗi|một|a|kwa|ต่อ)\s?(?:1\s?|one\s)?"
        rf"(?P<per>{_UNITS}){_WORD_END})?")
_PRICE_PATTERN = (
    rf"(?:(?<!{vocab.LATIN_LETTER})(?:(?P<pre>{{prefixes}})\s?"
    rf"|(?P<premult>{_alt(vocab.PRE_MULTIPLIER)})\s))?"
    rf"(?P<num>{_NUM})"
    rf"(?:\s?(?P<mult>{_alt(vocab.MULTIPLIER)}){_LATIN_END}(?P<frac>\d{{1,3}}(?!\d))?)?"
    rf"(?:\s?(?:(?P<suf>(?:{_alt(_BOTH_SIDES)}){_LATIN_END}"
    rf"(?!\s?\d[\d.,]*+(?!\s?(?:{_alt(_BOTH_SIDES)}){_LATIN_END}))"
    rf"|(?:{_alt(_SUFFIX_WORDS - _BOTH_SIDES)}){_LATIN_END})"
    rf"|(?P<sufsign>{_alt(_SUFFIX_SIGNS)})(?!\s?\d)))?" + _PER)
_PRICE = re.compile(_PRICE_PATTERN.replace("{prefixes}", _alt(vocab.PREFIX)), re.IGNORECASE)
# without the prefixes that are a currency in one country only ('R 850' in South Africa), so
# that elsewhere they take no number away from its own code ('GSX1300R 38.99 USD')
_PRICE_ELSEWHERE = re.compile(_PRICE_PATTERN.replace("{prefixes}", _alt(
    k for k in vocab.PREFIX if k == "n" or k not in vocab.PREFIX_COUNTRY)), re.IGNORECASE)
_GATED = set().union(*vocab.PREFIX_COUNTRY.values())
_CJK_PRICE = re.compile(rf"(?P<cjk>{CJK_NUMBER})\s?(?P<suf>元|块|塊|円|人民币|美元|港币|台币)"
                        rf"|(?<=[售价價卖賣])(?P<cjkbare>{CJK_NUMBER}[万萬千]{CJK_NUMBER}?)")
# a price word and a bare number: 'harga 9.750.000 nego', '现价180', 'ราคา 45k'
_BARE_PRICE = re.compile(
    rf"(?:{_alt(vocab.BARE_PRICE_WORDS)})\s?(?:ni\s|là\s|:|：|=)?\s?(?P<num>{_NUM})"
    rf"(?P<k>\s?[kK](?![^\W\d_]))?(?![\d.,]?\d)", re.IGNORECASE)
_NOT_BARE_AFTER = re.compile(rf"\s?(?:{_UNITS}|%|cm|mm|m|inch|in|gb|tb|mah|[x×])(?![^\W\d_])",
                             re.IGNORECASE)
# '快门2万次' is twenty thousand shutter releases, not 20,000 yuan
_CJK_COUNTER_AFTER = re.compile(r"\s?(?:次|人|公里|里|米|字|张|張|粉|步|小时|小時|年|天|台|辆|輛|部|楼|樓|km)")
_KARAT_BEFORE = re.compile(r"(?:vàng|gold|emas|kim|karat|bạc)\s?$", re.IGNORECASE)
# the rest of a compound amount: '2 juta 300 ribu', 'elfu 1 na mia 5', '12 triệu 5'
_JOIN = re.compile(r"\s*(?:na|và|lẻ|y|e|and)?\s*$", re.IGNORECASE)
_HALF_AFTER = re.compile(r"\s+na\s+nusu\b|\s+rưỡi\b", re.IGNORECASE)
_VI_TAIL = re.compile(r"\s(\d)(?![\d.,])(?!\s?(?:[^\W\d_]{1,6}\s)?(?:tuổi|tháng|năm|cái|chiếc|con|kg|ký|lạng|cm|%))")
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
    fee = max((before.rfind(word) for word in vocab.FEE_WORDS + vocab.NOT_ASKING_WORDS),
              default=-1)
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
        if key in vocab.PREFIX_COUNTRY and not (
                (country or "").upper() in vocab.PREFIX_COUNTRY[key]
                and (m.group("sep") or m.group("pre").endswith(" ") or key != "n")):
            return None, "", False  # 'N2,500,000' is naira only in Nigeria, 'R 850' rand in ZA
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
    factors: dict[int, float] = {}  # start -> the multiplier of a price written with one
    pattern = _PRICE if (country or "").upper() in _GATED else _PRICE_ELSEWHERE
    for m in pattern.finditer(norm):
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
            if m.group("mult").lower() == "k" and _KARAT_BEFORE.search(norm[:start]):
                continue  # 'vàng 18k' is gold of 18 karats
            if (m.group("mult") in "万萬千" and not (m.group("pre") or m.group("suf"))
                    and _CJK_COUNTER_AFTER.match(norm, m.end())):
                continue
            factor = _mult_factor(m.group("mult").lower(), lang)[0]
            amount = with_fraction(amount, m.group("frac")) * factor
            factors[start] = factor
        if m.group("premult"):
            amount *= vocab.PRE_MULTIPLIER[m.group("premult").lower()]
            factors[start] = vocab.PRE_MULTIPLIER[m.group("premult").lower()]
        by_country = False
        if ambiguous:
            currency, by_country = _resolve(currency, lang, country)
        per = (m.group("per") or "").lower() or _per_before(norm, start)
        out.append(Money(amount, currency, start, m.end(), "country" if by_country else basis,
                         _is_fee(norm, start), per))
    out = _compound(norm, out, factors)
    taken = [(money.start, money.end) for money in out]
    for m in _CJK_PRICE.finditer(norm):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # '5万元': the digits already made the price
        try:
            amount = parse_cjk(m.group("cjk") or m.group("cjkbare"))
        except ValueError:
            continue
        currency, by_country = _resolve(vocab.SUFFIX[m.group("suf") or "元"], lang, country)
        out.append(Money(amount, currency, m.start(), m.end(), "country" if by_country
                         else "word", _is_fee(norm, m.start()), _per_before(norm, m.start())))
    taken = [(money.start, money.end) for money in out]
    local = (vocab.COUNTRY_CURRENCY.get((country or "").upper())
             or vocab.LANGUAGE_CURRENCY.get(lang or ""))
    for m in _BARE_PRICE.finditer(norm) if local else ():
        if any(a < m.end() and m.start("num") < b for a, b in taken):
            continue
        digits = re.sub(r"\D", "", m.group("num"))
        if (len(digits) > 9 and not m.group("sep")) or digits.startswith("0"):
            continue  # a phone number
        if not m.group("k") and _NOT_BARE_AFTER.match(norm, m.end()):
            continue  # 'giá 2 cái', 'harga 30 cm'
        try:
            amount = parse_number(m.group("num")) * (1e3 if m.group("k") else 1)
        except ValueError:
            continue
        out.append(Money(amount, local, m.start("num"), m.end(), "country",
                         _is_fee(norm, m.start("num")), _per_before(norm, m.start("num"))))
    return sorted(out, key=lambda money: money.start)


def _compound(text: str, prices: list[Money], factors: dict[int, float]) -> list[Money]:
    """Join the parts of one amount: '2 juta 300 ribu' (2,300,000), 'elfu 1 na mia 5' (1,500),
    'laki 2 na nusu' (250,000), '12 triệu 5' (12,500,000)."""
    out: list[Money] = []
    for money in sorted(prices, key=lambda p: p.start):
        factor = factors.get(money.start)
        if out and factors.get(out[-1].start):
            last = out[-1]
            big = factors[last.start]
            if (money.currency == last.currency and factor and factor < big
                    and money.amount < big and _JOIN.match(text[last.end:money.start])):
                out[-1] = replace(last, amount=last.amount + money.amount, end=money.end)
                continue
        out.append(money)
    for i, money in enumerate(out):
        factor = factors.get(money.start)
        if not factor or factor < 1e5:
            continue
        if _HALF_AFTER.match(text, money.end):
            out[i] = replace(money, amount=money.amount + factor / 2)
        elif money.currency == "VND" and money.amount % factor == 0:
            tail = _VI_TAIL.match(text, money.end)
            if tail:
                out[i] = replace(money, amount=money.amount + int(tail.group(1)) * factor / 10)
    return out


def item_price(prices: list[Money]) -> Money | None:
    """The post's price: the first one that is not a fee (shipping, insurance, 'over $100')."""
    for money in prices:
        if not money.fee and money.amount > 0:
            return money
    return None
