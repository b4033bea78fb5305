"""Weibo's two ids of one post: the numeric ``mid`` (``idstr``, weibo-crawler's ``id``) and
the base-62 ``bid`` of its URL (``mblogid``, weiboSpider's ``微博id``, ``weibo.com/<uid>/<bid>``).

The bid writes the mid's decimal digits in groups of seven, from the right, each group in
base 62 (``0-9a-zA-Z``) padded to four characters except the first. Posts are stored under
the mid whichever tool saved them, so one post imported from two tools is stored once.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
BID = re.compile(r"[0-9a-zA-Z]{5,12}")


def bid_to_mid(bid: str) -> str:
    """``z0JH2lOMb`` -> ``3501756485200075``; ValueError for what is no bid."""
    if not BID.fullmatch(bid):
        raise ValueError("not a Weibo bid")
    groups = []
    end = len(bid)
    while end > 0:
        chunk = bid[max(0, end - 4):end]
        number = 0
        for char in chunk:
            number = number * 62 + _INDEX[char]
        groups.append(number)
        end -= 4
    groups.reverse()
    return str(groups[0]) + "".join(f"{g:07d}" for g in groups[1:])


def mid_to_bid(mid: str | int) -> str:
    """``3501756485200075`` -> ``z0JH2lOMb``."""
    digits = str(mid)
    if not digits.isdigit():
        raise ValueError("not a Weibo mid")
    parts = []
    end = len(digits)
    while end > 0:
        number = int(digits[max(0, end - 7):end])
        code = ""
        while number:
            number, rest = divmod(number, 62)
            code = ALPHABET[rest] + code
        parts.append(code)
        end -= 7
    parts.reverse()
    return (parts[0] or "0") + "".join(p.rjust(4, "0") for p in parts[1:])


def post_mid(value: object) -> str | None:
    """A mid from either id (None when it is neither)."""
    text = str(value or "").strip()
    if text.isdigit():
        return text
    try:
        return bid_to_mid(text)
    except ValueError:
        return None
