"""Annotators as pseudonyms: the names, ids and e-mails that outside tools export become keyed
hashes before anything is stored, the same rule ``wildsift label import`` and the label queue
use (``a_`` + HMAC of the lower-cased name with the study secret)."""

from __future__ import annotations

import re

from wildsift.privacy.pseudonym import Pseudonymizer

PSEUDONYM = re.compile(r"^a_[0-9a-f]{16}$")


def is_pseudonym(name: str) -> bool:
    """Whether ``name`` already is an annotator pseudonym (what wildsift's exports carry)."""
    return bool(PSEUDONYM.match(name or ""))


def annotator_pseudonym(pseudonyms: Pseudonymizer, name: str | None) -> str:
    """The stored name of an annotator: a keyed hash of the lower-cased name."""
    name = (name or "").strip() or "anonymous"
    return name if is_pseudonym(name) else "a_" + pseudonyms.digest("annotator", name.lower())
