"""A page's or profile's own names written in its posts: turned into a handle of its id.

Privacy replaces the account names a post carries (author, reply, mentions) wherever they are
written, but only names it is given; Facebook posts name their page ("Contact Ivory Shop HN"),
and a Weibo screen name (``象牙小店``) is no ``@handle`` the redactor recognises. A mapper knows
both the names and the account id: :func:`names_as_handles` writes each name as a handle made
of the platform and the id, its digits written as letters (``fb_bacd`` for 1023: the redactor
looks for phone numbers before handles, and a numeric id would read as one). The redactor then
replaces it by a ``<HANDLE:..>`` token keyed on the account, the same token wherever that
account is named. Names shorter than 3 characters are left (they would match
inside ordinary words), as privacy does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_MIN = 3
_LETTERS = str.maketrans("0123456789", "abcdefghij")
_HANDLE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")


def names_as_handles(text: str, accounts: Iterable[tuple[str | None, Iterable[str | None]]],
                     *, prefix: str) -> str:
    """``text`` with each ``(account id, names)``'s names written as ``@<prefix>_<id>``, the
    id's digits as letters."""
    if not text:
        return text
    for account, names in accounts:
        if not account or not _HANDLE.fullmatch(account):
            continue
        handle = f"{prefix}_{account.translate(_LETTERS)}"
        wanted = sorted({n.strip().lstrip("@") for n in names if n and len(n.strip()) >= _MIN},
                        key=len, reverse=True)
        wanted = [n for n in wanted if n.lower() in text.lower()]
        if not wanted:
            continue
        alternatives = "|".join(re.escape(n) for n in wanted)
        pattern = re.compile(rf"@?(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])",
                             re.IGNORECASE)
        text = pattern.sub(lambda m, h=handle: _spaced(m, h), text)
    return text


def _spaced(match: re.Match, account: str) -> str:
    """``@<account>``, after a space when the name followed a character that would hide the
    handle from the redactor (``.``, ``/``, ``<``)."""
    before = match.string[match.start() - 1] if match.start() else ""
    return (" " if before in "./\\<@" and before else "") + "@" + account
