"""Redaction of personal identifiers in free text.

Identifiers become typed tokens such as ``<PHONE:3f9a1c>``; the 6-hex keyed hash lets an analyst
see that two ads share a contact without learning the contact. The hash is taken over the
*normalised identity*, not over what was written, so one contact gives one hash however it is
written and wherever it appears:

==============  ==================================================  =========================
token           written as                                          identity hashed
==============  ==================================================  =========================
``PHONE``       +84 912 345 678, 0912.345.678, 0084912345678        ``tel:+84912345678``
``EMAIL``       Ivory.Shop@Gmail.com, ivory.shop [at] gmail [dot]   ``mail:ivory.shop@gmail.com``
``HANDLE``      @Ivory_Shop, @user@mastodon.social                  ``id:ivory_shop``
``URL``         facebook.com/ivory_shop, wa.me/84912345678          ``id:ivory_shop`` / ``tel:..``
``MESSENGER``   WA: 0912 345 678, 微信: ivory_shop, line id: abc    ``tel:..`` / ``id:..``
``NAME``        ask Nguyễn Văn Minh, Mr. John Smith, 王先生, คุณสมชาย  ``name:nguyen van minh``
==============  ==================================================  =========================

So ``WA: 0912 345 678`` and ``wa.me/84912345678`` share a hash, as do ``@ivory_shop`` and
``instagram.com/ivory_shop``. Passes run in a fixed order (links, e-mails, messenger ids,
phones, handles, person names), each only when a cheap test says it may find something. Nothing is logged
but counts.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable

from wildsift.privacy import contacts, names, phone_loose, profiles, spelled
from wildsift.privacy.phones import PhoneFinder, script_regions
from wildsift.privacy.pseudonym import Pseudonymizer

log = logging.getLogger(__name__)

KINDS = ("phone", "email", "handle", "url", "messenger", "name")
_CACHE_SIZE = 16384  # redacted texts kept per process (a few MB)
TOKEN_RE = re.compile(r"<(PHONE|EMAIL|HANDLE|URL|MESSENGER|NAME):([0-9a-f]{6})>")


def tokens(text: str | None) -> list[tuple[str, str]]:
    """The ``(KIND, hash)`` pairs of the tokens in a redacted text (to link posts by contact)."""
    return TOKEN_RE.findall(text or "")


class Redactor:
    """Replaces phone numbers, e-mails, handles, profile links, messenger ids and person names
    by tokens.

    ``regions``: ISO 3166-1 alpha-2 codes whose national phone formats are recognised, in order
    of preference (international formats are recognised for every country).
    ``kinds``: which of :data:`KINDS` to redact (default all).
    """

    def __init__(self, pseudonymizer: Pseudonymizer, regions: list[str] | None = None,
                 kinds: list[str] | None = None):
        self.pseudonymizer = pseudonymizer
        self.regions = list(regions or ["VN", "CN", "TH", "ID", "US"])
        unknown = set(kinds or ()) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown redaction kind(s) {sorted(unknown)}; use {list(KINDS)}")
        self.kinds = set(kinds if kinds is not None else KINDS)
        self.phones = PhoneFinder(self.regions)
        # After a secret rotation with --keep-link: records (old token, new token) pairs.
        self.links = None
        # Texts recur (an account's description on each of its posts, reposts, sellers' ads):
        # the redacted form of the last texts seen is kept, bounded, in memory only.
        self._done: dict[tuple[str, tuple[str, ...]], str] = {}

    # -- tokens ------------------------------------------------------------------------------
    def token(self, kind: str, value: str) -> str:
        """The token of one raw identifier of ``kind`` (normalised first, see the module doc)."""
        return self._token(kind, self.identity(kind, value))

    def identity(self, kind: str, value: str) -> str:
        """The normalised identity a raw identifier names (the text the hash is taken over)."""
        value = value.strip()
        if kind == "phone":
            number = self.phones.normalise(value)
            return f"tel:{number}" if number else "tel:" + "".join(c for c in value if c.isdigit())
        if kind == "email":
            return "mail:" + value.lower()
        if kind == "url":
            key = profiles.profile_key(value)
            return self._resolve(key, ()) if key else profiles.url_key(value)
        if kind == "name":
            return "name:" + names.fold(value)
        if kind == "messenger":
            number = self.phones.normalise(value) if any(c.isdigit() for c in value) else None
            return f"tel:{number}" if number else "id:" + value.lstrip("@").lower()
        return "id:" + value.lstrip("@").lower()  # handle

    def _token(self, kind: str, identity: str) -> str:
        token = f"<{kind.upper()}:{self.pseudonymizer.digest('contact', identity, 6)}>"
        if self.links is not None:
            self.links.token(kind, identity, token)
        return token

    def _resolve(self, key: str, hints: Iterable[str]) -> str:
        """``tel?:<digits>`` from a click-to-chat link becomes ``tel:<E.164>`` when it parses."""
        if not key.startswith("tel?:"):
            return key
        digits = key[5:]
        number = self.phones.normalise("+" + digits) or self.phones.normalise(digits, hints)
        return f"tel:{number}" if number else f"id:{digits}"

    # -- text --------------------------------------------------------------------------------
    def redact(self, text: str | None, *, regions: Iterable[str] = ()) -> str:
        """``text`` with every identifier replaced by its token.

        ``regions``: hints for national phone numbers (the post's country), tried first.
        """
        if not text:
            return text or ""
        key = (text, tuple(regions))
        done = self._done.get(key)
        if done is not None:
            return done
        if len(self._done) >= _CACHE_SIZE:
            self._done.clear()
        redacted = self._done[key] = self._redact(text, key[1])
        return redacted

    def _redact(self, text: str, regions: tuple[str, ...]) -> str:
        counts: Counter[str] | None = Counter() if log.isEnabledFor(logging.DEBUG) else None
        kinds = self.kinds
        lowered = text.lower()
        # Each pass runs only when a cheap test on the text says it may find something; most
        # posts have no contact at all and cost a few searches.
        if "url" in kinds and profiles.URL_HINT.search(text):
            text = profiles.URL_RE.sub(lambda m: self._url(m, regions, counts), text)
            lowered = text.lower()
        if "@" in text or "[at]" in lowered or "(at)" in lowered:
            if "handle" in kinds:
                text = contacts.FEDI_RE.sub(
                    lambda m: self._sub("handle", "id:" + m.group(1).lower(), counts), text)
            if "email" in kinds:
                text = contacts.EMAIL_RE.sub(self._email_replacer(counts), text)
            lowered = text.lower()
        if "messenger" in kinds and (len(lowered) != len(text)
                                     or contacts.may_have_messenger(lowered)):
            text = self._messengers(text, regions, counts)
        if "phone" in kinds:
            if PhoneFinder.maybe(text):
                text = self._phones(text, regions, counts)
            # What no numbering plan confirms: near a contact cue, after a '+', spelled out.
            digits_near_cue = phone_loose.worth_a_look(text)
            words = spelled.may_have_spelled(text.lower())
            if digits_near_cue or words:
                text = self._loose(text, regions, counts, digits=digits_near_cue, words=words)
        if "handle" in kinds and "@" in text:
            text = contacts.HANDLE_RE.sub(
                lambda m: self._sub("handle", "id:" + m.group(1).lower(), counts), text)
        # Person names last: a name next to a contact token is one of the cues.
        if "name" in kinds:  # find_names first makes its own cheap test
            spans = [(s, e, "name:" + names.fold(text[s:e])) for s, e in names.find_names(text)]
            text = self._replace(text, spans, counts, kind="name")
        if counts:
            log.debug("redacted %s", ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        return text

    def redact_url(self, url: str | None) -> str | None:
        """A media or link URL: replaced by a ``URL`` token only when it names an account
        (a profile picture link, ``facebook.com/<user>/photos/..``); other URLs are kept so the
        media can still be fetched."""
        if not url:
            return url
        key = profiles.profile_key(url)
        return self._token("url", self._resolve(key, ())) if key else url

    # -- passes ------------------------------------------------------------------------------
    def _sub(self, kind: str, identity: str, counts: Counter[str] | None) -> str:
        if counts is not None:
            counts[kind] += 1
        return self._token(kind, identity)

    def _url(self, match: re.Match[str], regions: Iterable[str],
             counts: Counter[str] | None) -> str:
        written = match.group(0)
        url = profiles.trim(written)
        rest = written[len(url):]
        key = profiles.profile_key(url)
        if key:
            hints = ["VN"] if "zalo.me" in url.lower() else list(regions)
            return self._sub("url", self._resolve(key, hints), counts) + rest
        if profiles.split_url(url)[1] or "?" in url:  # a post or a video: leads to its author
            return self._sub("url", profiles.url_key(url), counts) + rest
        return written

    def _email_replacer(self, counts: Counter[str] | None):
        def replace(m: re.Match[str]) -> str:
            domain = re.sub(r"\s?[\[({]\s?dot\s?[\])}]\s?", ".", m.group(2), flags=re.IGNORECASE)
            return self._sub("email", f"mail:{m.group(1).lower()}@{domain.lower()}", counts)
        return replace

    def _messenger(self, match: re.Match[str], regions: Iterable[str],
                   counts: Counter[str] | None) -> str:
        value = contacts.messenger_value(match)
        if value is None:
            return match.group(0)
        end = match.start("value") - match.start() + len(value)
        head, tail = match.group(0)[:match.start("value") - match.start()], match.group(0)[end:]
        if contacts.NUMBERISH.fullmatch(value):
            digits = "".join(c for c in value if c.isdigit())
            # Valid numbers only: a merely possible one may hold more than the number
            # ("0902 944 480 100% real"); the phone pass, with its guards, takes those.
            number = None if contacts.is_qq(match) else self.phones.normalise(
                value, list(regions) + script_regions(match.string), possible=False)
            if number:
                identity = f"tel:{number}"
            elif len(digits) >= 7 and not contacts.is_qq(match):
                return match.group(0)  # several numbers, or a number and more: the phone pass
            elif len(digits) >= 5:
                identity = f"id:{digits}"  # a QQ number, a short id
            else:
                return match.group(0)
        else:
            identity = "id:" + value.lstrip("@").lower()
        return head + self._sub("messenger", identity, counts) + tail

    def _messengers(self, text: str, regions: Iterable[str], counts: Counter[str] | None) -> str:
        found = contacts.messenger_matches(text)
        if not found:
            return text
        parts, last = [], 0
        for m in found:
            parts.append(text[last:m.start()])
            parts.append(self._messenger(m, regions, counts))
            last = m.end()
        parts.append(text[last:])
        return "".join(parts)

    def _phones(self, text: str, regions: Iterable[str], counts: Counter[str] | None) -> str:
        found = self.phones.find(text, regions)
        joined = phone_loose.join_lines(text)
        if joined is not None:
            found = self._across_lines(text, found, *joined, tuple(regions))
        return self._replace(text, [(s, e, f"tel:{n}") for s, e, n in found], counts)

    def _across_lines(self, text: str, found: list[tuple[int, int, str]], joined: str,
                      index: list[int], regions: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """Numbers split over lines ("0912 345\n678"), read in the text with those line breaks
        joined; each replaces what the line-by-line reading found inside it."""
        across = []
        for s, e, number in self.phones.find(joined, regions):
            start, end = index[s], index[e - 1] + 1
            if "\n" in text[start:end]:  # it spans a line break
                across.append((start, end, number))
        if not across:
            return found
        kept = [f for f in found if not any(f[0] < e and s < f[1] for s, e, _ in across)]
        return sorted(kept + across)

    def _loose(self, text: str, regions: Iterable[str], counts: Counter[str] | None, *,
               digits: bool = True, words: bool = True) -> str:
        """The recall pass (:mod:`phone_loose`, :mod:`spelled`) over the text between tokens."""
        hints = list(regions)
        spans: list[tuple[int, int, str]] = []
        for start, end, number in (spelled.spelled_numbers(text) if words else ()):
            if not TOKEN_RE.search(text, start, end):
                e164 = self.phones.normalise(number, hints)
                spans.append((start, end, f"tel:{e164}" if e164 else f"tel:{number}"))
        last = 0
        for token in [*TOKEN_RE.finditer(text), None] if digits else ():
            stop = token.start() if token else len(text)
            for start, end, run in phone_loose.loose_numbers(text, last, stop):
                if not any(s < end and start < e for s, e, _ in spans):
                    spans.append((start, end, self._loose_identity(run, hints)))
            last = token.end() if token else stop
        return self._replace(text, sorted(spans), counts)

    def _loose_identity(self, run: str, hints: list[str]) -> str:
        written = " ".join(run.split())
        number = self.phones.normalise(written, hints)
        if number:
            return f"tel:{number}"
        digits = "".join(str(int(c)) for c in written if c.isdigit())
        return "tel:+" + digits if written[0] in "+\uff0b" else "tel:" + digits

    def _replace(self, text: str, spans: list[tuple[int, int, str]],
                 counts: Counter[str] | None, kind: str = "phone") -> str:
        if not spans:
            return text
        parts, last = [], 0
        for start, end, identity in spans:
            parts.append(text[last:start])
            parts.append(self._sub(kind, identity, counts))
            last = end
        parts.append(text[last:])
        return "".join(parts)
