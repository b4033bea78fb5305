"""Ingest privacy: turn a RawPost (personal data) into a Post (pseudonyms, redacted text).

Every source's records pass through :meth:`Protector.protect` before anything is written.
What each field becomes:

- author, reply_to, repost_of, mentions: keyed pseudonyms (``u_<16 hex>``, per platform);
- post id: a keyed hash, unless the study keeps source ids;
- text, author description: identifiers replaced by tokens (:mod:`wildsift.privacy.redact`),
  and the post's own account names (author, reply_to, repost_of, mentions), wherever they are written
  without an '@', become ``<HANDLE:..>`` too;
- media URLs: kept (so media can be fetched) unless they name an account or hold one of the
  post's account names;
- hashtags: kept, except a tag that is a phone number, an e-mail or one of the account names.
Place names, the query and the provenance are kept as they are.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wildsift.privacy.location_hints import location_hints
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.redact import Redactor
from wildsift.privacy.rotation import LinkRecorder, link_recorder
from wildsift.records import Media, Post, RawPost

# Languages whose speakers mostly live in one region: a hint for national phone numbers.
LANG_REGIONS = {
    "vi": "VN", "th": "TH", "id": "ID", "ms": "MY", "lo": "LA", "km": "KH", "my": "MM",
    "tl": "PH", "ru": "RU", "zh-Hans": "CN", "zh": "CN", "zh-Hant": "HK", "ja": "JP", "ko": "KR",
}
TOKEN_SPLIT = re.compile(r"(<(?:PHONE|EMAIL|HANDLE|URL|MESSENGER|NAME):[0-9a-f]{6}>)")
_MIN_NAME = 3  # shorter account names are not searched for in text ("ab" is in every word)


class Protector:
    """The privacy step of ingest, for one study (its secret and privacy settings)."""

    def __init__(self, secret: bytes, *, keep_source_ids: bool = False,
                 phone_regions: list[str] | None = None, redact: list[str] | None = None,
                 links: LinkRecorder | None = None):
        self.pseudonyms = Pseudonymizer(secret)
        self.redactor = Redactor(self.pseudonyms, phone_regions, redact)
        # After 'wildsift secret rotate --keep-link': (old, new) pairs of what ingest sees.
        self.links = self.redactor.links = links
        self.keep_source_ids = keep_source_ids
        self._names: dict[tuple, _Names] = {}  # accounts post many times: their names, once

    @classmethod
    def for_study(cls, study) -> Protector:
        privacy = study.settings.privacy
        secret = study.secret
        links = link_recorder(study.root, secret)
        return cls(secret, keep_source_ids=privacy.keep_source_ids,
                   phone_regions=privacy.phone_regions, redact=privacy.redact, links=links)

    def post_id(self, platform: str, source_id: str) -> str:
        """The id a post is stored under (as :meth:`protect` makes it), to find it again from
        its source id, e.g. to erase it when it was deleted at the source."""
        if self.keep_source_ids:
            return str(source_id)
        return self.pseudonyms.post_id(platform, source_id)

    def protect(self, raw: RawPost) -> Post:
        platform = raw.platform
        account = self.pseudonyms.account
        post_id = raw.source_id if self.keep_source_ids else self.pseudonyms.post_id(
            platform, raw.source_id)
        hints = _hints(raw)
        key = (raw.author, raw.reply_to, raw.repost_of, *raw.mentions)
        if self.links is not None:
            for account_id in key:
                self.links.account(platform, account_id, account(platform, account_id))
        names = self._names.get(key)
        if names is None:
            if len(self._names) >= 65536:
                self._names.clear()
            names = self._names[key] = _Names(raw)
        return Post(
            platform=platform,
            post_id=post_id,
            text=self._text(raw.text, hints, names),
            created_at=raw.created_at,
            collected_at=datetime.now(UTC),
            author=account(platform, raw.author),
            author_description=self._text(raw.author_description, hints, names) or None,
            lang=raw.lang,
            lat=raw.lat,
            lon=raw.lon,
            place=raw.place,
            country=raw.country,
            geo_source="geotag" if raw.lat is not None else ("place" if raw.place else None),
            **location_hints(raw),
            reply_to=account(platform, raw.reply_to),
            repost_of=account(platform, raw.repost_of),
            mentions=[m for m in (account(platform, x) for x in raw.mentions) if m],
            hashtags=[self._hashtag(h, hints, names) for h in raw.hashtags if h and h.strip("#")],
            media=[Media(url=self._media_url(m.url, names), kind=m.kind,
                         thumbnail=self._media_url(m.thumbnail, names) if m.thumbnail else None)
                   for m in raw.media],
            query=raw.query,
            source=raw.source,
            label=raw.label,
        )

    # -- fields ------------------------------------------------------------------------------
    def _text(self, text: str | None, hints: list[str], names: _Names) -> str:
        text = self.redactor.redact(text, regions=hints)
        if text and names.in_(text):
            # Only between tokens: an account named "handle" must not rewrite "<HANDLE:..>".
            parts = TOKEN_SPLIT.split(text)
            text = "".join(part if i % 2 else names.sub(part, self.redactor)
                           for i, part in enumerate(parts))
        return text

    def _hashtag(self, tag: str, hints: list[str], names: _Names) -> str:
        tag = tag.lstrip("#").lower()
        if names.in_(tag) and names.pattern().fullmatch(tag):
            return self.redactor.token("handle", tag)
        if "@" in tag or any(c.isdigit() for c in tag):
            return self.redactor.redact(tag, regions=hints)
        return tag

    def _media_url(self, url: str | None, names: _Names) -> str | None:
        redacted = self.redactor.redact_url(url)
        if redacted and redacted == url and names.in_(url) and names.pattern().search(url):
            return self.redactor.token("url", url)
        return redacted


class _Names:
    """The post's own account names (author, reply_to, repost_of, mentions), to find them written in text
    without an '@'. The pattern is built only when a name occurs at all (most posts: never)."""

    def __init__(self, raw: RawPost):
        names = {str(n).strip().lstrip("@") for n in (raw.author, raw.reply_to, raw.repost_of, *raw.mentions)
                 if n}
        self.names = sorted((n.lower() for n in names if len(n) >= _MIN_NAME), key=len,
                            reverse=True)
        self._pattern: re.Pattern[str] | None = None

    def in_(self, text: str) -> bool:
        if not self.names:
            return False
        lowered = text.lower()
        return any(n in lowered for n in self.names)

    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            alternatives = "|".join(re.escape(n) for n in self.names)
            self._pattern = re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])",
                                       re.IGNORECASE)
        return self._pattern

    def sub(self, text: str, redactor: Redactor) -> str:
        return self.pattern().sub(lambda m: redactor.token("handle", m.group(0)), text)


def _hints(raw: RawPost) -> list[str]:
    hints = []
    if raw.country:
        hints.append(raw.country.upper())
    if raw.lang and raw.lang in LANG_REGIONS:
        hints.append(LANG_REGIONS[raw.lang])
    elif raw.lang and raw.lang.split("-")[0] in LANG_REGIONS:
        hints.append(LANG_REGIONS[raw.lang.split("-")[0]])
    return hints
