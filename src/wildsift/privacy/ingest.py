"""Ingest privacy: turn a RawPost (personal data) into a Post (pseudonyms, redacted text).

Every source's records pass through :meth:`Protector.protect` before anything is written.
"""

from __future__ import annotations

from datetime import UTC, datetime

from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.redact import Redactor
from wildsift.records import Media, Post, RawPost


class Protector:
    def __init__(self, secret: bytes, *, keep_source_ids: bool = False,
                 phone_regions: list[str] | None = None, redact: list[str] | None = None):
        self.pseudonyms = Pseudonymizer(secret)
        self.redactor = Redactor(self.pseudonyms, phone_regions, redact)
        self.keep_source_ids = keep_source_ids

    @classmethod
    def for_study(cls, study) -> "Protector":
        privacy = study.settings.privacy
        return cls(study.secret, keep_source_ids=privacy.keep_source_ids,
                   phone_regions=privacy.phone_regions, redact=privacy.redact)

    def protect(self, raw: RawPost) -> Post:
        platform = raw.platform
        account = self.pseudonyms.account
        post_id = raw.source_id if self.keep_source_ids else self.pseudonyms.post_id(
            platform, raw.source_id)
        return Post(
            platform=platform,
            post_id=post_id,
            text=self.redactor.redact(raw.text),
            created_at=raw.created_at,
            collected_at=datetime.now(UTC),
            author=account(platform, raw.author),
            author_description=self.redactor.redact(raw.author_description) or None,
            lang=raw.lang,
            lat=raw.lat,
            lon=raw.lon,
            place=raw.place,
            country=raw.country,
            geo_source="geotag" if raw.lat is not None else ("place" if raw.place else None),
            reply_to=account(platform, raw.reply_to),
            mentions=[m for m in (account(platform, x) for x in raw.mentions) if m],
            hashtags=[h.lstrip("#").lower() for h in raw.hashtags if h],
            media=[Media(url=self.redactor.redact(m.url), kind=m.kind) for m in raw.media],
            query=raw.query,
            source=raw.source,
            label=raw.label,
        )
