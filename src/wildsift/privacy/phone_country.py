"""The country of a phone number written with its international prefix, read before redaction.

Ingest replaces phone numbers with tokens (``<PHONE:ab12cd>``), so where a seller's number
points is known only then. Only the ISO 3166-1 code is kept (``Post.phone_country``), never the
number. A number counts when written with '+' ("+84 90 123 4567") or in a click-to-chat link
(``wa.me/84901234567``), which is always international; ``phonenumbers`` checks it is a valid
number and names its region ("+1 416..." is Canada, "+1 212..." the United States).
"""

from __future__ import annotations

import re
from collections import Counter

import phonenumbers

# cheap gate: most texts have no '+digit' and no wa.me link, and skip the matcher
_HINT = re.compile(r"\+\s?\(?\d|wa\.me/\+?\d|whatsapp\.com/send\?phone=\+?\d", re.IGNORECASE)
_CHAT = re.compile(r"(?:wa\.me/|whatsapp\.com/send\?phone=)\+?(\d{7,15})", re.IGNORECASE)
_UNKNOWN = {"ZZ", "001"}


def phone_country(*texts: str | None) -> str | None:
    """The ISO code of the country most international numbers in ``texts`` belong to (the
    first one on a tie), or None."""
    found: list[str] = []
    for text in texts:
        if not text or not _HINT.search(text):
            continue
        candidates = [m.number for m in phonenumbers.PhoneNumberMatcher(
            _CHAT.sub(r" +\1 ", text), None, leniency=phonenumbers.Leniency.VALID)]
        for number in candidates:
            region = phonenumbers.region_code_for_number(number)
            if region and region not in _UNKNOWN:
                found.append(region)
    if not found:
        return None
    counts = Counter(found)
    return max(found, key=lambda region: (counts[region], -found.index(region)))
