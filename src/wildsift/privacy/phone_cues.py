"""Words around a digit run that say what it is: a contact, an id, a price.

A run of digits is ambiguous on its own: ``123456789`` may be a listing id or a phone number in
a range the metadata does not know. The words just before it (and, for contacts, just after
it) usually settle the question: "WA 123456789" is a contact, "item #123456789" is an id and
"price 150000" an amount. An id or price word counts only right before the run, a contact cue
anywhere near it: so "order via WhatsApp 0912 345 67" is a contact, and "listing 1234567890,
WhatsApp for pictures" an id.

All tests here are on small slices of the text around a run, never on the whole text.
"""

from __future__ import annotations

import re

# Contact cues. Words of letters are looked up in a set (a word must stand alone: "wa" but
# not "water", "hp" but not "php"); cues in CJK, Thai and other scripts written without spaces,
# and symbols, are searched as they are. A set lookup over the few words near a run costs about
# a microsecond, where one regex alternation of all cues costs tens.
CUE_WORDS = frozenset("""
whatsapp whats watsap wasap wa wsp wts call calls called calling text texts sms tel tele telp
telf tlp tlf phone phones mob mobile cell cellphone hp handphone hotline contact contacts
dial viber zalo zl line telegram tg signal wechat weixin wx vx imo kakao number sdt sđt đt dt
đth lh liên lien gọi goi nhắn nhan hubungi kontak nomor inbox llama llamar llámame teléfono
telefono appel appelez appeler téléphone telephone portable anrufen handy ligue ligar celular
whatsap wassap звоните звонить позвоните тел телефон номер ватсап вайбер
""".split())
_OTHER_CUES = (
    "โทร", "ติดต่อ", "เบอร์", "ไลน์", "電話", "电话", "手机", "手機", "微信", "联系", "聯繫", "联络",
    "致电", "热线", "号码", "號碼", "威信", "加微", "☎", "📞", "📱", "☏", "✆", "連絡", "연락",
    "전화", "फ़ोन", "फोन", "संपर्क", "هاتف", "اتصل", "واتساب", "تماس", "شماره",
)
_WORD = re.compile(r"[^\W\d_]+")
_OTHER_RE = re.compile("|".join(map(re.escape, _OTHER_CUES)))


def has_cue(text: str) -> bool:
    """Does ``text`` (a short slice) hold a contact cue?"""
    low = text.lower()
    if not CUE_WORDS.isdisjoint(_WORD.findall(low)):
        return True
    return not low.isascii() and _OTHER_RE.search(low) is not None


# Id cues: the words that name a number as an order, a listing, a permit, a book. They count
# only right before the run ("item #123456789", "CITES permit no. 21US123456").
_ID_WORDS = (
    r"item|items|order|orders|listing|lot|sku|ref|reference|invoice|receipt|tracking|isbn|"
    r"issn|permit|cites|certificate|cert|serial|model|batch|ticket|booking|reservation|"
    r"parcel|awb|waybill|case|docket|policy|mã\s?đơn|ma\s?don|mã|pesanan|resi|no\.?\s?resi|"
    r"artikel|référence|pedido|订单号|订单|编号|单号|货号|運單|번호|เลขที่"
)
ID_BEFORE = re.compile(
    rf"(?<![^\W\d_])(?:{_ID_WORDS})(?![^\W\d_])\s?(?:no\.?|nr\.?|number|num|id|code|#|№|:)?"
    rf"\s?[:#.]?\s?$",
    re.IGNORECASE,
)
# Price cues right before the run ("price 150000", "giá 2500000"): amounts, not contacts.
PRICE_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:price|prices|harga|giá|gia|precio|prix|preis|preço|цена|cost)"
    r"(?![^\W\d_])|ราคา|价格|售价|價格)\s?[:=]?\s?$",
    re.IGNORECASE,
)

CUE_BEFORE = 40  # characters before a run in which a contact cue counts
CUE_AFTER = 16  # and after it ("0912 345 67 (zalo)")


def cue_near(text: str, start: int, end: int) -> bool:
    """Is a contact cue within :data:`CUE_BEFORE` characters before ``text[start:end]`` or
    :data:`CUE_AFTER` after it (in the same line after it)?"""
    if has_cue(text[max(0, start - CUE_BEFORE):start]):
        return True
    return has_cue(text[end:end + CUE_AFTER].split("\n", 1)[0])


def id_before(text: str, start: int, window: str) -> bool:
    """Does an id word stand right before ``start`` ("item #", "order no. "), or a bare '#'
    or '№' before a run that does not start with a trunk '0' ("#123456789", but not the
    hashtag "#0912345678")?"""
    if ID_BEFORE.search(text[max(0, start - 24):start]) is not None:
        return True
    return start > 0 and text[start - 1] in "#№" and not window.startswith("0")


def price_before(text: str, start: int) -> bool:
    """Does a price word stand right before ``start`` ("price ", "giá: ")?"""
    return PRICE_BEFORE.search(text[max(0, start - 12):start]) is not None
