"""Numbers as sellers write them: '1.250.000', '1,2', '20 000', '2tr5', '5万', '两万', '๕๐๐'.

Digits of any script (Thai, Lao, Khmer, Burmese, Arabic-Indic, full-width) are read as ASCII
digits first, one character for one, so positions in the text stay the same. A single separator
followed by exactly three digits groups thousands ('5.000', '5,000'); followed by one or two it
is a decimal mark ('1,2 triệu', '1.5万'); with two kinds of separator the last is the decimal.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {cp: str(unicodedata.digit(chr(cp))) for cp in range(0x80, 0x10000)
           if unicodedata.category(chr(cp)) == "Nd"}
_GROUPED = re.compile(r"(\d{1,3})((?:([.,'\u00a0\u202f ])\d{3})(?:\3\d{3})*)(?:([.,])(\d{1,2}))?")

CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
CJK_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CJK_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CJK_NUMBER = "[" + "".join(CJK_DIGITS) + "".join(CJK_UNITS) + "".join(CJK_BIG) + "]+"


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script replaced by its ASCII digit."""
    return text.translate(_DIGITS)


def parse_number(text: str) -> float:
    """'1.250.000' -> 1250000, '1,250.50' -> 1250.5, '1.250,5' -> 1250.5, '2,5' -> 2.5."""
    text = text.strip()
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        whole = grouped.group(1) + re.sub(r"\D", "", grouped.group(2))
        if grouped.group(4) and grouped.group(4) == grouped.group(3):
            raise ValueError(f"not a number: {text!r}")
        return float(whole + ("." + grouped.group(5) if grouped.group(5) else ""))
    mixed = re.fullmatch(r"(\d+)[.,](\d+)", text)
    if mixed:
        return float(f"{mixed.group(1)}.{mixed.group(2)}")
    return float(text)


def with_fraction(value: float, fraction: str | None) -> float:
    """'2tr5' -> 2.5 (the digits after a multiplier are its decimals: 1tr25 = 1.25 million)."""
    if not fraction:
        return value
    return value + float("0." + fraction)


def parse_cjk(text: str) -> float:
    """Chinese numerals: '五千' -> 5000, '两万' -> 20000, '三十五' -> 35, '一万五千' -> 15000,
    '两万二' -> 22000 (a digit after a unit counts the next unit down)."""
    total, section, digit, last_unit = 0, 0, None, 0
    for char in text:
        if char in CJK_DIGITS:
            digit = CJK_DIGITS[char]
        elif char in CJK_UNITS:
            section += (1 if digit is None else digit) * CJK_UNITS[char]
            digit, last_unit = None, CJK_UNITS[char]
        elif char in CJK_BIG:
            total = (total + section + (digit or 0)) * CJK_BIG[char]
            section, digit, last_unit = 0, None, CJK_BIG[char]
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    if digit is not None and last_unit >= 100 and text[-2] not in CJK_DIGITS:
        digit *= last_unit // 10  # '两万二' is 22,000 and '三千五' 3,500: the next unit is implied
    return float(total + section + (digit or 0))

