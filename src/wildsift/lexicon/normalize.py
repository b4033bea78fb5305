"""Text normalisation and script-aware boundaries for lexicon matching.

Terms and posts go through the same :func:`normalize`: NFKC, case folding, Latin diacritics
removed (so Vietnamese "ngà voi" also matches "nga voi", Spanish "pangolín" matches "pangolin"),
apostrophes unified, hyphens and underscores turned into spaces, whitespace collapsed.

Whether a match needs a boundary depends on the script at each edge of the term:
Latin/Cyrillic/Greek terms need a word boundary; Arabic needs one on the right and allows a
one-letter proclitic (و ب ل ف ك) on the left; katakana terms must not touch other katakana
(so サイ "rhino" is not found in サイズ "size"); Han, kana, Hangul, Thai, Lao, Khmer and Myanmar
terms match as substrings, except that no match may end just before a combining mark (it would
cut a syllable) and a Thai/Lao match may not start just after a leading vowel.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NONE, WORD, ARABIC, KATAKANA = 0, 1, 2, 3

_ARABIC_PROCLITICS = frozenset("وبلفك")
_LEADING_VOWELS = frozenset(chr(c) for c in [*range(0x0E40, 0x0E45), *range(0x0EC0, 0x0EC5)])


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base.casefold()
    for code in range(0x0300, 0x0370):  # stray combining diacritics (e.g. from casefolding İ)
        table[code] = None
    table.update({ord("đ"): "d", ord("ł"): "l", ord("ø"): "o", ord("ё"): "е"})
    for ch in "’‘ʼ`´":
        table[ord(ch)] = "'"
    for ch in "-‐‑‒–—_":
        table[ord(ch)] = " "
    return table


_TABLE = _build_table()
_ASCII_TABLE = {k: v for k, v in _TABLE.items() if k < 128}
_NEEDS_TABLE = re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_TABLE)) + "]")


def normalize(text: str) -> str:
    """The form in which terms and texts are compared (see module docstring)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        folded = folded.translate(_ASCII_TABLE)
    elif _NEEDS_TABLE.search(folded):
        folded = folded.translate(_TABLE)
    return " ".join(folded.split())


def _is_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff"


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"


@lru_cache(maxsize=4096)
def is_word_char(ch: str) -> bool:
    """A letter or digit of an alphabet that separates words with spaces."""
    return ch.isalnum() and ord(ch) < 0x0E00 or unicodedata.category(ch).startswith("M")


@lru_cache(maxsize=4096)
def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def edge_mode(ch: str) -> int:
    """Boundary rule for a term whose first or last character is ``ch``."""
    if _is_katakana(ch):
        return KATAKANA
    if _is_arabic(ch):
        return ARABIC
    if ch.isalnum() and ord(ch) < 0x0E00:
        return WORD
    return NONE


def left_ok(text: str, start: int, mode: int) -> bool:
    """May a term whose first character uses ``mode`` start at ``start`` in ``text``?"""
    if start == 0:
        return True
    prev = text[start - 1]
    if mode == WORD:
        return not is_word_char(prev)
    if mode == ARABIC:
        if not is_word_char(prev):
            return True
        return prev in _ARABIC_PROCLITICS and (start == 1 or not is_word_char(text[start - 2]))
    if mode == KATAKANA:
        return not _is_katakana(prev)
    return prev not in _LEADING_VOWELS


def right_ok(text: str, end: int, mode: int) -> bool:
    """May a term whose last character uses ``mode`` end at index ``end`` (inclusive)?"""
    if end + 1 >= len(text):
        return True
    nxt = text[end + 1]
    if mode in (WORD, ARABIC):
        return not is_word_char(nxt)
    if mode == KATAKANA:
        return not _is_katakana(nxt)
    return not _is_mark(nxt)
