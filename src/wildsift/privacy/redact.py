"""Redaction of personal identifiers in free text (INITIAL SKELETON: to be completed).

Identifiers become typed tokens such as ``<PHONE:3f9a1c>``; the 6-hex keyed hash lets an analyst
see that two ads share a contact without learning the contact.
"""

from __future__ import annotations

import re

from wildsift.privacy.pseudonym import Pseudonymizer

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Redactor:
    def __init__(self, pseudonymizer: Pseudonymizer, regions: list[str] | None = None,
                 kinds: list[str] | None = None):
        self.pseudonymizer = pseudonymizer
        self.regions = regions or []
        self.kinds = set(kinds or ["phone", "email", "handle", "url", "messenger"])

    def token(self, kind: str, value: str) -> str:
        return f"<{kind.upper()}:{self.pseudonymizer.digest('contact:' + kind, value, 6)}>"

    def redact(self, text: str | None) -> str:
        if not text:
            return text or ""
        return _EMAIL.sub(lambda m: self.token("email", m.group(0).lower()), text)
