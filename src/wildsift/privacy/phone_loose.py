"""The recall pass after phonenumbers: the numbers a matcher cannot take, and a privacy tool must.

:class:`~wildsift.privacy.phones.PhoneFinder` takes valid and possible numbers. Sellers also
write numbers with a digit too many or too few, in ranges no metadata knows, shortened, split
over two lines or spelled out. This module finds, in the text the phone pass left:

- **split lines**: :func:`join_lines` puts the lines of a number back together ("0912 345\\n678")
  so the phone pass can read it (see ``Redactor._phones``);
- **near a contact cue** (:mod:`phone_cues`: WhatsApp, call, 電話, liên hệ, โทร, ...): any run
  of >= :data:`MIN_NEAR_CUE` digits that no guard takes for an amount, a date, a time, a
  quantity, an id or a price;
- **'+' and digits**: a run of 8-15 digits after a '+' (never a price or a date);
- **spelled out** (:mod:`spelled`).

What it finds gets the identity of the number when the phone rules can read it, else
``tel:<digits>`` (so two ads with the same mistyped number still share a token).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wildsift.privacy.phone_cues import cue_near, has_cue, price_before
from wildsift.privacy.phones import MAX_DIGITS, rejected

MIN_NEAR_CUE = 6
_MIN_PLUS = 8
# Digits joined by at most three separators of a written number (line breaks included), with
# at least six digits; possessive, so the engine never backtracks into a run.
_SEP = r"[ \t\u00a0\u3000.\-\u2013\u2014_()\n\r\uff0d\uff0e]"
LOOSE_RE = re.compile(rf"[+\uff0b(]?\d(?:{_SEP}{{0,3}}+\d){{{MIN_NEAR_CUE - 1}}}(?:{_SEP}{{0,3}}+\d)*+")
# Cheap test: six digits with separators between them.
GATE = re.compile(r"\d(?:[^\S\r\n]{0,3}[.\-\u2013()\n]?\s?\d){5}")
_LINE_BREAK = re.compile(r"(?<=\d)[ \t]*\r?\n[ \t]*(?=[+\uff0b(]?\d)")
_YYYYMMDD = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_ISBN = re.compile(r"97[89]\d{10}")
_CODE_BEFORE = re.compile(r"\d[^\W\d_]+$")


def join_lines(text: str) -> tuple[str, list[int]] | None:
    """``text`` with each line break between two digits replaced by one space, and the
    original offset of each character (and of the end); ``None`` when there is no such break."""
    if _LINE_BREAK.search(text) is None:
        return None
    joined, index, last = [], [], 0
    for m in _LINE_BREAK.finditer(text):
        joined.append(text[last:m.start()])
        index.extend(range(last, m.start()))
        joined.append(" ")
        index.append(m.start())
        last = m.end()
    joined.append(text[last:])
    index.extend(range(last, len(text) + 1))
    return "".join(joined), index


def _ascii_digits(run: str) -> str:
    if run.isascii():
        return "".join(filter(str.isdigit, run))
    return "".join(str(int(c)) for c in run if c.isdigit())


def worth_a_look(text: str) -> bool:
    """Cheap test: a run of six digits, and a '+' or a contact cue somewhere."""
    return GATE.search(text) is not None and (
        "+" in text or "\uff0b" in text or has_cue(text))


def loose_numbers(text: str, start: int = 0,
                  end: int | None = None) -> Iterator[tuple[int, int, str]]:
    """``(start, end, written)`` of each run in ``text[start:end]`` that is a phone number by
    the cue or '+' rules, though no numbering plan confirms it."""
    end = len(text) if end is None else end
    for m in LOOSE_RE.finditer(text, start, end):
        s, e = m.start(), m.end()
        while True:
            run = text[s:e]
            digits = _ascii_digits(run)
            if len(digits) < MIN_NEAR_CUE:
                break
            verdict = _verdict(text, s, e, run, digits)
            if verdict:
                yield s, e, run
                break
            if verdict is None:
                break
            # A quantity or an amount after the number ("0912 345 67 2 pcs"): drop the last
            # group and look again.
            cut = max(run.rfind(" "), run.rfind("\n"))
            if cut <= 0:
                break
            e = s + len(run[:cut].rstrip(" .-\t\r\n"))


def _verdict(text: str, s: int, e: int, run: str, digits: str) -> bool | None:
    """True: a phone; False: not as written, but maybe without its last group; None: no."""
    plus = run[0] in "+\uff0b"
    if plus and _MIN_PLUS <= len(digits) <= MAX_DIGITS:
        return True
    if not cue_near(text, s, e):
        return None
    if s and _CODE_BEFORE.search(text, max(0, s - 12), s):
        return None  # the tail of a code that holds letters and digits ("21US123456")
    window = run.lstrip("(")
    if len(digits) > 2 * MAX_DIGITS or price_before(text, s):
        return None
    if len(digits) == 8 and _YYYYMMDD.fullmatch(digits) or _ISBN.fullmatch(digits):
        return None
    # Near a cue, nine digits or more in thousand groups are a number, not an amount
    # ("WA 912.345.678"), unless a currency, unit or price word says otherwise.
    if rejected(text, s, e, window, amounts=len(digits) < 9):
        return False if " " in run.strip() else None
    return True
