"""Phone numbers spelled out in words: "zero nine one two three four five six seven eight".

Sellers spell numbers out to slip past filters (and past regex redaction). A run of digit
words (and digit groups) in one language is read as digits: English (with "oh" and
"double"/"triple"), Vietnamese (with and without diacritics), Indonesian/Malay, Spanish,
French, Portuguese, Thai and Chinese (with 幺 and 两 as phones say them). A run is a phone
number when it holds at least :data:`MIN_WORDS` digit words and at least 7 digits, or 6 near a
contact cue (:func:`phone_cues.cue_near`). Ordinary counting ("one or two", "ba con") never
reaches four digit words in a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wildsift.privacy.phone_cues import cue_near

MIN_WORDS = 4
_LATIN = {
    # English
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    # Vietnamese, with and without diacritics
    "không": "0", "khong": "0", "một": "1", "mốt": "1", "mot": "1", "hai": "2", "ba": "3",
    "bốn": "4", "bon": "4", "tư": "4", "năm": "5", "lăm": "5", "nam": "5", "sáu": "6",
    "sau": "6", "bảy": "7", "bẩy": "7", "bay": "7", "tám": "8", "tam": "8", "chín": "9",
    "chin": "9",
    # Indonesian / Malay
    "nol": "0", "kosong": "0", "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "lima": "5",
    "enam": "6", "tujuh": "7", "delapan": "8", "lapan": "8", "sembilan": "9",
    # Spanish, Portuguese, French
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "três": "3", "cuatro": "4", "cinco": "5",
    "seis": "6", "siete": "7", "ocho": "8", "nueve": "9", "um": "1", "dois": "2",
    "quatro": "4", "sete": "7", "oito": "8", "nove": "9", "zéro": "0", "un": "1", "deux": "2",
    "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7", "huit": "8", "neuf": "9",
}
_REPEAT = {"double": 2, "triple": 3}
_SCRIPT = {  # written without spaces between words
    "ศูนย์": "0", "หนึ่ง": "1", "สอง": "2", "สาม": "3", "สี่": "4", "ห้า": "5", "หก": "6",
    "เจ็ด": "7", "แปด": "8", "เก้า": "9",
    "零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "么": "1", "二": "2", "两": "2",
    "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
}
_WORDS = {**_LATIN, **_SCRIPT}
_LATIN_ALT = "|".join(sorted((re.escape(w) for w in (*_LATIN, *_REPEAT)), key=len, reverse=True))
_SCRIPT_ALT = "|".join(sorted(map(re.escape, _SCRIPT), key=len, reverse=True))
_TOKEN = rf"(?:(?<![^\W\d_])(?:{_LATIN_ALT})(?![^\W\d_])|{_SCRIPT_ALT}|\d+)"
_SEP = r"(?:[\s,.\-/·]{1,3})?"
# At least two tokens, the first a word (so a plain digit run is left to the phone passes).
RUN_RE = re.compile(rf"(?:(?<![^\W\d_])(?:{_LATIN_ALT})(?![^\W\d_])|{_SCRIPT_ALT})"
                    rf"(?:{_SEP}{_TOKEN})+", re.IGNORECASE)
_TOKEN_RE = re.compile(_TOKEN, re.IGNORECASE)


_LATIN_SET = frozenset((*_LATIN, *_REPEAT))
_CJK = "零〇洞一幺么二两三四五六七八九"
_THAI_WORDS = [w for w in _SCRIPT if "\u0e00" <= w[0] <= "\u0e7f"]
_CJK_GATE = re.compile(rf"[{_CJK}]{{4}}")
_THAI_GATE = re.compile(rf"(?:{'|'.join(map(re.escape, _THAI_WORDS))}){{4}}")
_SCRIPT_CHARS = re.compile(rf"[{_CJK}\u0e00-\u0e7f]")


def may_have_spelled(lowered: str) -> bool:
    """Cheap test on the lower-cased text: could :func:`spelled_numbers` find anything? (At
    least :data:`MIN_WORDS` Latin digit words, or four Chinese or Thai ones in a row.) It
    costs a few microseconds: ``str`` methods and counts, a regex only when they pass."""
    words = lowered.replace(",", " ").replace("-", " ").split()
    if not _LATIN_SET.isdisjoint(words) and sum(w in _LATIN_SET for w in words) >= MIN_WORDS:
        return True
    if lowered.isascii() or _SCRIPT_CHARS.search(lowered) is None:
        return False
    if sum(map(lowered.count, _CJK)) >= 4 and _CJK_GATE.search(lowered):
        return True
    return sum(map(lowered.count, _THAI_WORDS)) >= 4 and _THAI_GATE.search(lowered) is not None


def spelled_numbers(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, digits)`` of each spelled-out phone number in ``text``."""
    if not may_have_spelled(text.lower()):
        return
    for m in RUN_RE.finditer(text):
        digits, words, repeat = [], 0, 1
        for token in _TOKEN_RE.findall(m.group(0)):
            low = token.lower()
            if low in _REPEAT:
                repeat = _REPEAT[low]
                continue
            if low.isdigit():
                digits.append(low if low.isascii() else "".join(str(int(c)) for c in low))
            else:
                digits.append(_WORDS[low] * repeat)
                words += repeat
            repeat = 1
        number = "".join(digits)
        if words < MIN_WORDS or len(number) > 15:
            continue
        if len(number) >= 7 or (len(number) >= 6 and cue_near(text, m.start(), m.end())):
            yield m.start(), m.end(), number
