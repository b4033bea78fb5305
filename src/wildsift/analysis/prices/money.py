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
# a bare number ('9.750.000', '45k') that a price word before it ('harga 9.750.000 nego', '现价180',
# 'ราคา 45k', 'ตัวละ 45k') or a sale marker after it ('1850出', '2,000 tu') makes a price
_BARE_CANDIDATE = re.compile(rf"(?P<num>{_NUM})(?P<k>\s?[kK](?![^\W\d_]))?(?![\d.,]?\d)")
_LATIN_AFTER = re.compile(rf"\s?{vocab.LATIN_LETTER}")  # lower case: a noun, not a place
_BARE_WORD_BEFORE = re.compile(
    rf"(?:(?<!{vocab.LATIN_LETTER})(?:{_alt(vocab.BARE_PRICE_WORDS)})|(?<!แ)ละ)"
    rf"\s?(?:ni\s|là\s|:|：|=)?\s?$", re.IGNORECASE)
_SALE_AFTER = re.compile(
    rf"\s?(?:(?:{_alt(m for m in vocab.SALE_MARKERS_AFTER if m[0].isascii())})(?![^\W\d_])"
    rf"|(?:{_alt(m for m in vocab.SALE_MARKERS_AFTER if not m[0].isascii())}))", re.IGNORECASE)
_CLASSIFIER_AFTER = re.compile(r"\s?(?:一|/|每)(?P<unit>只|隻|个|個|对|對|条|條|瓶|斤|克|两|串|套|台|件|"
                               r"盒|把|双|雙|颗|顆|支|根|头|頭|罐|包|盏|片|块)")
_GROUPED_BODY = (r"\d{1,3}(?:(?P<sep>[.,\u00a0\u202f ])\d{3})(?:(?P=sep)\d{3})*"
                 r"(?![\d]|[.,/-]\d|\s\d)")
_GROUPED_ALONE = re.compile(rf"(?<![\d.,/-])(?<!\d\s){_GROUPED_BODY}")
# ... and, in Chinese and Thai, a number of 3 to 6 digits
_NUMBER_ALONE = re.compile(rf"(?<![\d.,/-])(?<!\d\s)(?:{_GROUPED_BODY}"
                           r"|\d{3,6}(?![\d]|[.,/-]\d|\s\d))")
_PHONE_BEFORE = re.compile(r"(?:tel|call|phone|piga|simu|namba|sđt|sdt|zalo|whatsapp|wa|hubungi|"
                           r"โทร|ไลน์|line|电话|電話|微信|手机|vx|contact|appel|llam|wpp)\W{0,3}"
                           r"(?:\+?\d[\d\s.-]*)?$", re.IGNORECASE)
_WORD_BEFORE = re.compile(rf"{vocab.LATIN_LETTER}\s$", re.IGNORECASE)
_MEASURE_BEFORE = re.compile(r"(?:odo|mileage|km|size|taille|talla|ukuran|ไซส์|no\.?|model|"
                             r"เลขที่|ปี|ไมล์|หมู่|ซอย|รุ่น|เบอร์|第|编号|型号|"
                             r"type|ram|tel|call|phone|sđt|sdt|wa|zalo|โทร|电话|☎)\s?:?\s?$",
                             re.IGNORECASE)
# counts that follow a number ('เหลือ 10 ใบ', 'còn 3 bộ', 'cuma 2 hari', 'left', 'vipande 3')
_COUNT_WORDS = ("ใบ|เส้น|วง|ชุด|กล่อง|ขวด|ถุง|คัน|หลัง|เครื่อง|ครั้ง|คน|วัน|ชม|นาที|bộ|hộp|chai|lọ|"
                "túi|gói|ngày|lần|người|bé|lembar|botol|bungkus|hari|kali|orang|unit|set|chupa|"
                "siku|watu|left|pack|packs|bottles?|boxes|days?|weeks?|months?|years?|yrs?|times|"
                "people|jours?|semaines|mois|fois|personnes|días|semanas|meses|veces|personas|"
                "unidades|unités|cajas|boîtes|botellas|bouteilles")
_NOT_BARE_AFTER = re.compile(rf"\s?(?:{_UNITS}|%|cm|mm|m|inch|in|gb|tb|mah|[x×]|ml|l|lít|lit|"
                             rf"km|miles|cc|hp|mb|go|tuổi|tháng|năm|ปี|เดือน|นิ้ว|ซม|ตร|"
                             rf"厘米|公分|毫米|米|年|月|岁|歲|号|號|g|mm|กม|ก\.ม|{_COUNT_WORDS})(?![^\W\d_])",
                             re.IGNORECASE)
# '快门2万次' is twenty thousand shutter releases, not 20,000 yuan
_CJK_COUNTER_AFTER = re.compile(r"\s?(?:次|人|公里|里|米|字|张|張|粉|步|小时|小時|年|天|台|辆|輛|部|楼|樓|km|"
                                r"颗|顆|粒|只|隻|个|個|件|条|條|双|雙|对|對|套|盒|瓶|斤|克|串|根|片|"
                                r"包(?!邮|郵)|平(?!邮|郵)|层|層|岁|歲|号|號|cm|mm)")
_KARAT_BEFORE = re.compile(r"(?:vàng|gold|emas|kim|karat|bạc)\s?$", re.IGNORECASE)
# the rest of a compound amount: '2 juta 300 ribu', 'elfu 1 na mia 5', '12 triệu 5'
_JOIN = re.compile(r"\s*(?:na|và|lẻ|y|e|and)?\s*$", re.IGNORECASE)
_HALF_AFTER = re.compile(r"\s+na\s+nusu\b|\s+rưỡi\b", re.IGNORECASE)
_VI_TAIL = re.compile(r"\s(\d)(?!\d|[.,]\d)(?!\s?(?:[^\W\d_]{1,6}\s)?(?:tuổi|tháng|năm|cái|chiếc|con|kg|ký|lạng|cm|%))")
_PER_BEFORE = re.compile(rf"(?:每|mỗi|một|1|per|par|por)\s?(?P<unit>{_UNITS})\s?"
                         rf"(?:giá|là|:|=)?\s*$|(?P<thai>{_UNITS})ละ\s*$", re.IGNORECASE)
_LETTER_BEFORE = re.compile(r"[^\W\d_]$")
_LATIN_BEFORE = re.compile(rf"{vocab.LATIN_LETTER}$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.!?;|\n]\s|[\n。；！？]")  # fee words count within the price's clause
_PAID_GAP = re.compile(r"[^\d]{0,12}")
_RANGE = re.compile(r"\s*(?:to|-|–|~|đến|à|a|hasta|até|hadi|ถึง|至|到)\s*", re.IGNORECASE)
_AMOUNT_BETWEEN = re.compile(r"\d{3}|\d[.,]\d{3}|\d\s?[kK](?![^\W\d_])")
_NEAR_FEE = re.compile(rf"(?<!{vocab.LATIN_LETTER})(?:{_alt(vocab.NEAR_FEE_WORDS)})\s?:?\s?\S{{0,4}}\s?$")
_FEE_AFTER = re.compile(rf"\s?\)?\s?(?:{_alt(vocab.FEE_AFTER)})(?![^\W\d_])")


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
    # a bare amount that only its place says is money (a sale marker after it, a grouped number
    # in an ad with no other price, '1.2k' in English): an explicit price wins over it
    weak: bool = False


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


def _last_end(text: str, words) -> int:
    """Where the last of ``words`` in ``text`` ends (-1 if none)."""
    return max((i + len(word) for word in words if (i := text.rfind(word)) >= 0), default=-1)


def _last_start(text: str, words) -> int:
    """Where the last-ending of ``words`` in ``text`` starts (-1 if none)."""
    ends = [(i + len(word), i) for word in words if (i := text.rfind(word)) >= 0]
    return max(ends)[1] if ends else -1


def _is_fee(text: str, start: int) -> bool:
    """Fee or earlier-price words in the price's clause, unless a price word ends after them
    ('Retail Price: $ Asking Price: $2,000' is the asking price, 'giá gốc 4tr nay còn 2tr9' the
    current one); threshold words ('over', 'from', 'đơn từ', '满') only right before it."""
    before = _CLAUSE_BREAK.split(text[max(0, start - 32):start].lower())[-1]
    fee = _last_end(before, vocab.FEE_WORDS + vocab.NOT_ASKING_WORDS)
    price = _last_end(before, vocab.PRICE_WORDS)
    price_start = _last_start(before, vocab.PRICE_WORDS)
    if fee >= 0 and _AMOUNT_BETWEEN.search(before[fee:]):
        fee = -1  # the fee word had its own amount: '市场价5000 我这3500'
    if fee >= 0 and (fee >= price or 0 <= price_start - fee <= 1):
        return True  # or the price word belongs to the fee word ('mua giá 5tr')
    near = _NEAR_FEE.search(before)
    if near and near.start() >= price:
        return True
    paid = _last_end(before, vocab.PURCHASE_WORDS)
    return (paid >= 0 and (paid >= price or 0 <= price_start - paid <= 1)
            and bool(_PAID_GAP.fullmatch(before[paid:])))


def _fee_after(text: str, end: int) -> bool:
    """'$12 postage', '£200 deposit': a fee word right after the price (not 'shipping free')."""
    after = text[end:end + 40].lower()
    hit = _FEE_AFTER.match(after)
    if not hit or re.match(r"[^\d\n.;]{0,6}\d", after[hit.end():]):
        return False  # '680元 运费15元': the fee word leads its own amount
    return not any(word in after[hit.end():hit.end() + 14] for word in vocab.FEE_AFTER_NOT)


def _add_on(text: str, start: int) -> bool:
    """'A$95 + $12 postage', 'kirim luar kota +50rb': an amount after '+' is added to the price."""
    return text[max(0, start - 3):start].rstrip().endswith("+")


def _per_before(text: str, start: int) -> str | None:
    hit = _PER_BEFORE.search(text[max(0, start - 14):start])
    return (hit.group("unit") or hit.group("thai")).lower() if hit else None


def _local(lang: str | None, country: str | None) -> str | None:
    """The currency of the post's country, else of its language."""
    return (vocab.COUNTRY_CURRENCY.get((country or "").upper())
            or vocab.LANGUAGE_CURRENCY.get(lang or ""))


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
        if key in vocab.FRANC_WORDS:  # '75 000 F' in Dakar, '25 000 francs' in Kinshasa
            franc = vocab.FRANC_COUNTRIES.get((country or "").upper())
            if franc:
                return franc, "country", False
            return (None, "", False) if key == "f" else ("XAF", "word", False)
        if key == "fc" and (country or "").upper() != "CD" and lang != "fr":
            return None, "", False
        return vocab.SUFFIX[key], "word", key in vocab.AMBIGUOUS
    if pre:
        key = pre.lower()
        if key in vocab.PREFIX_COUNTRY and not (
                (country or "").upper() in vocab.PREFIX_COUNTRY[key]
                and (m.group("sep") or m.group("pre").endswith(" ") or key not in ("n", "p")
                     or mult)):
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
        key = mult.lower()
        implied = _mult_factor(key, lang)[1]
        if implied:
            return implied, "k-language" if key == "k" else "multiplier", True
        # '45k' in Thai, 'Ksh'-less '18k' in Kenya, '1.2k' in an American post, '25 mil' in
        # Mexico, '1.8w' in China: thousands (ten thousands) of the country's currency
        if (key == "k" or (key == "w" and mult == "w" and (lang or "").startswith("zh"))
                or lang in vocab.LOCAL_MULTIPLIER.get(key, ())):
            local = _local(lang, country)
            if local:
                return local, "country", False
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
    mils: set[int] = set()  # starts of Spanish/Portuguese 'N mil' amounts
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
        weak = False
        if m.group("mult"):
            mult = m.group("mult").lower()
            if mult == "k" and _KARAT_BEFORE.search(norm[:start]):
                continue  # 'vàng 18k' is gold of 18 karats
            if mult in _SW_BIG and _SW_AMOUNT.match(norm, m.start("mult")):
                continue  # 'kilo 1 elfu nane': the words after 'elfu' are the amount
            if (m.group("mult") in "万萬千" and not (m.group("pre") or m.group("suf"))
                    and _CJK_COUNTER_AFTER.match(norm, m.end())):
                continue
            if basis == "country" and not (m.group("pre") or m.group("suf")):
                if _not_money_after(norm, m.end()) or _LETTER_BEFORE.search(norm[:start]):
                    continue  # '112k miles', '4K TV', 'A52k'
                weak = mult == "k" and not _BARE_WORD_BEFORE.search(norm[max(0, start - 12):start])
                if weak and m.group("mult") == "K" and amount < 10:
                    continue  # '4K 55 inch', '8K video': a resolution
            factor = _mult_factor(mult, lang)[0]
            amount = with_fraction(amount, m.group("frac")) * factor
            factors[start] = factor
            if mult in ("mil", "mille") and lang in ("es", "pt", "fr"):
                mils.add(start)
        if m.group("premult"):
            amount *= vocab.PRE_MULTIPLIER[m.group("premult").lower()]
            factors[start] = vocab.PRE_MULTIPLIER[m.group("premult").lower()]
        by_country = False
        if ambiguous:
            currency, by_country = _resolve(currency, lang, country)
        per = (m.group("per") or "").lower() or _per_before(norm, start)
        out.append(Money(amount, currency, start, m.end(), "country" if by_country else basis,
                         _is_fee(norm, start), per, weak))
    out = _spanish_hundreds(norm, out, mils)
    out += _word_amounts(norm, lang, country, out)
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
    local = _local(lang, country)
    if local:
        out += _bare_amounts(norm, lang, local, out)
    out = [replace(money, fee=True) if not money.fee and (
        (i and _add_on(norm, money.start)) or _fee_after(norm, money.end)) else money
        for i, money in enumerate(sorted(out, key=lambda money: money.start))]
    for i in range(1, len(out)):  # 'from $1200 to $4000': the range's end is what its start is
        if out[i - 1].fee and not out[i].fee and _RANGE.fullmatch(
                norm, out[i - 1].end, out[i].start):
            out[i] = replace(out[i], fee=True)
    if local and item_price(out) is None:
        out += _grouped_fallback(norm, local, out, (lang or "").startswith(("zh", "th")))
    return sorted(out, key=lambda money: money.start)


def _not_money_after(text: str, end: int) -> bool:
    after = text[end:end + 14].lstrip().lower()
    return after.startswith(vocab.K_NOT_MONEY_AFTER) or bool(_NOT_BARE_AFTER.match(text, end))


_HARD = {"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SGD"}


def _bare_amounts(text: str, lang: str | None, local: str, found: list[Money]) -> list[Money]:
    """Bare numbers that words around them make prices: a price word before ('harga 9.750.000',
    '现价180', 'ราคา 45k', 'ตัวละ 45k'), a sale marker after ('1850出', '2,000 tu', '250 obo'),
    a classifier after in Chinese ('1200一只', quoted per that unit)."""
    taken = [(money.start, money.end) for money in found]
    out: list[Money] = []
    zh = (lang or "").startswith("zh")
    for m in _BARE_CANDIDATE.finditer(text):
        start, end = m.start("num"), m.end()
        if any(a < end and start < b for a, b in taken + [(x.start, x.end) for x in out]):
            continue
        digits = re.sub(r"\D", "", m.group("num"))
        if (len(digits) > 9 and not m.group("sep")) or digits.startswith("0"):
            continue  # a phone number
        if start and (text[start - 1].isdigit() or text[start - 1] in ".,/-:"):
            continue
        if not m.group("k") and _NOT_BARE_AFTER.match(text, end):
            continue  # 'giá 2 cái', 'harga 30 cm'
        if zh and _CJK_COUNTER_AFTER.match(text, end):
            continue  # '价 5年'
        if m.group("k") and _not_money_after(text, end):
            continue
        before = text[max(0, start - 12):start]
        word = _BARE_WORD_BEFORE.search(before)
        per = None
        weak = False
        if not word:
            if _LATIN_BEFORE.search(text[:start]):
                continue  # 'A52 each', 'size42 obo'
            after = _SALE_AFTER.match(text, end) if not m.group("k") else None
            classifier = _CLASSIFIER_AFTER.match(text, end) if zh else None
            if classifier and len(digits) < 3 and _WORD_BEFORE.search(text[:start]):
                continue  # 'iPhone 12一台'
            if classifier:
                unit = classifier.group("unit")
                per = unit if unit in vocab.MASS or unit in vocab.COUNT else None
            elif not after:
                continue
            if len(digits) < 2 or (len(digits) == 4 and digits[:2] in ("19", "20")
                                   and not m.group("sep")):
                continue  # '1 tu', 'iPhone 11 each', a year
            weak = False  # a sale marker or a classifier names its amount the price
        if len(digits) < 2 and not m.group("k") and local not in _HARD:
            continue  # 'ขาย 1 แถม 1': no price is one baht
        try:
            amount = parse_number(m.group("num")) * (1e3 if m.group("k") else 1)
        except ValueError:
            continue
        out.append(Money(amount, local, start, end, "country", _is_fee(text, start),
                         per or _per_before(text, start), weak))
    return out


def _grouped_fallback(text: str, local: str, found: list[Money],
                      ungrouped: bool = False) -> list[Money]:
    """In an ad with no other price, a number grouped in thousands ('1,500', '28.000',
    '75 000') that is no phone number, no measure and no earlier price is its price; in Chinese
    and Thai, where sellers seldom group digits, any such number of 3 to 6 digits ('iPhone13
    128G 3200 不议价')."""
    taken = [(money.start, money.end) for money in found]
    for m in (_NUMBER_ALONE if ungrouped else _GROUPED_ALONE).finditer(text):
        if not m.group("sep") and (len(m.group(0)) < 3
                                   or re.fullmatch(r"(?:19|20|25)\d\d", m.group(0))
                                   or _WORD_BEFORE.search(text[:m.start()])):
            continue  # a count, a year (2517 in the Thai calendar), 'Pro 256' 
        start, end = m.start(), m.end()
        if any(a < end and start < b for a, b in taken) or m.group(0).startswith("0"):
            continue
        if _LATIN_BEFORE.search(text[:start]) or text[max(0, start - 1):start] == "+":
            continue  # 'N2,500,000' outside Nigeria, a model code, '+254 722 ...'
        if _PHONE_BEFORE.search(text[max(0, start - 24):start]) or m.group(0).count(" ") > 1:
            continue  # 'piga 722 123 456', 'tel 612 345 678'
        if (_NOT_BARE_AFTER.match(text, end) or _not_money_after(text, end)
                or _CJK_COUNTER_AFTER.match(text, end)):
            continue  # '85,000 km', '108颗' 
        if _MEASURE_BEFORE.search(text[max(0, start - 12):start]):
            continue
        if _LATIN_AFTER.match(text, end) and not _SALE_AFTER.match(text, end):
            continue  # '5 000 poussins', '1,000 sold': a count (but '25,000 Nairobi')
        if _is_fee(text, start):
            continue
        try:
            amount = parse_number(m.group(0))
        except ValueError:
            continue
        return [Money(amount, local, start, end, "country", False, _per_before(text, start),
                      True)]
    return []


_SW_UNITS = {"moja": 1, "mbili": 2, "tatu": 3, "nne": 4, "tano": 5, "sita": 6, "saba": 7,
             "nane": 8, "tisa": 9}
_SW_TENS = {"kumi": 10, "ishirini": 20, "thelathini": 30, "arobaini": 40, "hamsini": 50,
            "sitini": 60, "sabini": 70, "themanini": 80, "tisini": 90}
_SW_BIG = {"milioni": 1e6, "laki": 1e5, "elfu": 1e3, "mia": 1e2}
_SW_NUM = rf"(?:{_alt(_SW_TENS)})(?:\s+na\s+(?:{_alt(_SW_UNITS)}))?|(?:{_alt(_SW_UNITS)})"
_SW_AMOUNT = re.compile(
    rf"(?<![^\W\d_])(?:{_alt(_SW_BIG)})\s+(?:{_SW_NUM})(?![^\W\d_])"
    rf"(?:\s+na\s+(?:(?:{_alt(_SW_BIG)})\s+(?:{_SW_NUM})|nusu)(?![^\W\d_]))*", re.IGNORECASE)
_TH_DIGITS = {"หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6,
              "เจ็ด": 7, "แปด": 8, "เก้า": 9}
_TH_UNITS = {"สิบ": 10, "ร้อย": 100, "พัน": 1e3, "หมื่น": 1e4, "แสน": 1e5, "ล้าน": 1e6}
_TH_AMOUNT = re.compile(rf"(?:(?:{_alt(_TH_DIGITS)})?(?:{_alt(_TH_UNITS)}))+"
                        rf"(?:{_alt(_TH_DIGITS)})?(?=\s?(?:บาท|บ\.))")
# a Chinese numeral with 千 or 万 standing alone in a Chinese post ('两千八', '一万二 可小刀')
_CJK_ALONE = re.compile(rf"(?<![{CJK_NUMBER[1:-2]}\d])(?P<cjk>{CJK_NUMBER})"
                        rf"(?=\s|[，,。.!！、；;)）]|$|出|包邮|可|不|一口|到手)")


_TH_TAIL = re.compile(rf"({_alt(_TH_DIGITS)})(?!{_alt(_TH_UNITS)}|\s?[\u0E00-\u0E7F]*ละ"
                      rf"|\s?(?:ตัว|ชิ้น|อัน|คู่|ใบ|เส้น|วง|ขวด|กิโล|กรัม|ขีด|คน|ปี|เดือน))")


def _sw_value(words: list[str]) -> float:
    value = 0
    for word in words:
        value += _SW_UNITS.get(word, 0) + _SW_TENS.get(word, 0)
    return value


def _parse_swahili(phrase: str) -> float:
    """'elfu nane' -> 8,000, 'elfu kumi na tano' -> 15,000, 'laki mbili na nusu' -> 250,000,
    'elfu moja na mia tano' -> 1,500."""
    total, big, numbers = 0.0, 0.0, []
    for word in re.findall(r"[^\W\d_]+", phrase.lower()):
        if word in _SW_BIG:
            total += big * _sw_value(numbers)
            big, numbers = _SW_BIG[word], []
        elif word == "nusu":
            total += big * _sw_value(numbers) + big / 2
            big, numbers = 0.0, []
        elif word != "na":
            numbers.append(word)
    return total + big * _sw_value(numbers)


def _parse_thai(phrase: str) -> float:
    """'หนึ่งแสนสองหมื่น' -> 120,000, 'สามพันห้าร้อย' -> 3,500, 'ยี่สิบ' -> 20."""
    total, section, digit = 0.0, 0.0, None
    for word in re.findall(f"{_alt(_TH_DIGITS)}|{_alt(_TH_UNITS)}", phrase):
        if word in _TH_DIGITS:
            digit = _TH_DIGITS[word]
        elif word == "ล้าน":
            total = (total + section + (digit or 0)) * 1e6
            section, digit = 0.0, None
        else:
            section += (1 if digit is None else digit) * _TH_UNITS[word]
            digit = None
    return total + section + (digit or 0)


def _word_amounts(text: str, lang: str | None, country: str | None,
                  found: list[Money]) -> list[Money]:
    """Amounts written in words: Swahili 'elfu nane' (shillings), Thai 'หนึ่งแสนสองหมื่นบาท',
    Chinese '两千八' standing alone in a Chinese post."""
    taken = [(money.start, money.end) for money in found]
    out: list[Money] = []

    def add(start: int, end: int, amount: float, currency: str, basis: str) -> None:
        if amount > 0 and not any(a < end and start < b for a, b in taken):
            out.append(Money(amount, currency, start, end, basis, _is_fee(text, start),
                             _per_before(text, start)))
    for m in _SW_AMOUNT.finditer(text):
        currency, by_country = _resolve("KES", lang, country)
        add(m.start(), m.end(), _parse_swahili(m.group(0)), currency,
            "country" if by_country else "multiplier")
    for m in _TH_AMOUNT.finditer(text):
        if any(unit in m.group(0) for unit in ("พัน", "หมื่น", "แสน", "ล้าน", "ร้อย")):
            add(m.start(), m.end(), _parse_thai(m.group(0)), "THB", "word")
    if (lang or "").startswith("zh"):
        for m in _CJK_ALONE.finditer(text):
            if not re.search("[百佰千仟万萬]", m.group("cjk")) or len(m.group("cjk")) < 2:
                continue
            try:
                amount = parse_cjk(m.group("cjk"))
            except ValueError:
                continue
            currency, by_country = _resolve("CNY", lang, country)
            add(m.start(), m.end(), amount, currency, "country" if by_country else "word")
    return out


_ES_HUNDREDS = {"cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
                "trescientos": 300, "trescientas": 300, "cuatrocientos": 400,
                "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600,
                "seiscientas": 600, "setecientos": 700, "setecientas": 700, "ochocientos": 800,
                "ochocientas": 800, "novecientos": 900, "novecientas": 900, "cem": 100,
                "cento": 100, "duzentos": 200, "trezentos": 300, "quatrocentos": 400,
                "quinhentos": 500, "seiscentos": 600, "setecentos": 700, "oitocentos": 800,
                "novecentos": 900}
_ES_HUNDREDS_AFTER = re.compile(rf"\s+(?:y\s+|e\s+)?(?P<w>{_alt(_ES_HUNDREDS)})(?![^\W\d_])",
                                re.IGNORECASE)


def _spanish_hundreds(text: str, prices: list[Money], mils: set[int]) -> list[Money]:
    """'3 mil quinientos' is 3,500; 'dos mil quinhentos reais' likewise."""
    out = []
    for money in prices:
        hit = _ES_HUNDREDS_AFTER.match(text, money.end) if money.start in mils else None
        if hit:
            money = replace(money, amount=money.amount + _ES_HUNDREDS[hit.group("w").lower()],
                            end=hit.end())
        out.append(money)
    return out


def _compound(text: str, prices: list[Money], factors: dict[int, float]) -> list[Money]:
    """Join the parts of one amount: '2 juta 300 ribu' (2,300,000), 'elfu 1 na mia 5' (1,500),
    'laki 2 na nusu' (250,000), '12 triệu 5' (12,500,000)."""
    out: list[Money] = []
    for money in sorted(prices, key=lambda p: p.start):
        factor = factors.get(money.start)
        if out and factors.get(out[-1].start):
            last = out[-1]
            big = factors[last.start]
            # '2 juta 300 ribu', and '2 mil 800 soles' (the last part named by a word alone)
            smaller = (factor and factor < big) or (
                not factor and money.basis == "word" and text[money.start].isdigit())
            if (money.currency == last.currency and smaller
                    and money.amount < big and _JOIN.match(text[last.end:money.start])):
                out[-1] = replace(last, amount=last.amount + money.amount, end=money.end)
                continue
        out.append(money)
    for i, money in enumerate(out):
        factor = factors.get(money.start)
        if not factor or (factor < 1e5 and not (money.currency == "THB" and factor >= 1e3)):
            continue
        thai = _TH_TAIL.match(text, money.end) if money.currency == "THB" else None
        if _HALF_AFTER.match(text, money.end):
            out[i] = replace(money, amount=money.amount + factor / 2)
        elif thai and money.amount % factor == 0:  # '3 พันห้า' is 3,500, '2 หมื่นห้า' 25,000
            out[i] = replace(money, amount=money.amount + _TH_DIGITS[thai.group(1)] * factor / 10,
                             end=thai.end())
        elif money.currency == "VND" and money.amount % factor == 0:
            tail = _VI_TAIL.match(text, money.end)
            if tail:
                out[i] = replace(money, amount=money.amount + int(tail.group(1)) * factor / 10)
    return out


def item_price(prices: list[Money]) -> Money | None:
    """The post's price: the first one that is not a fee (shipping, insurance, 'over $100'),
    an explicit one before one that only its place makes a price (``weak``)."""
    for weak in (False, True):
        for money in prices:
            if not money.fee and money.amount > 0 and money.weak == weak:
                return money
    return None
