"""The data model: what flows from sources through privacy into the store and the stages.

A source produces a :class:`RawPost` (it may hold personal data and is never stored). The
privacy layer turns it into a :class:`Post` (pseudonyms, redacted text), the only shape the store
accepts. Records that cannot be read become :class:`Quarantined` with their reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class RawMedia:
    """A media item as the source gave it: a local path or a URL."""

    url: str
    kind: str = "image"  # image | video
    thumbnail: str | None = None  # a video's still image, when the platform gives one


@dataclass(slots=True)
class RawPost:
    """A post as a source read it, before privacy. Never written anywhere."""

    platform: str
    source_id: str
    text: str = ""
    created_at: datetime | None = None
    author: str | None = None
    author_description: str | None = None
    author_location: str | None = None  # the profile's free-text location: resolved, not kept
    lang: str | None = None
    lat: float | None = None
    lon: float | None = None
    place: str | None = None
    country: str | None = None
    reply_to: str | None = None
    repost_of: str | None = None  # the account whose post this reposts, quotes or forwards
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    media: list[RawMedia] = field(default_factory=list)
    query: str | None = None
    source: str = ""  # provenance: "import:posts.csv", "mastodon:mastodon.social"
    label: str | None = None  # a label that came with an imported file
    location: str = ""  # "file:line" or API page, for error messages only


@dataclass(slots=True)
class Media:
    """A media item after privacy: content-addressed when downloaded, else its URL."""

    url: str | None
    kind: str = "image"
    thumbnail: str | None = None  # videos: the platform's still image (URL)
    sha256: str | None = None  # of the stored file, EXIF and other metadata removed
    phash: str | None = None
    ocr_text: str | None = None


@dataclass(slots=True)
class Post:
    """A post as stored: nothing here can identify a person."""

    platform: str
    post_id: str  # keyed hash of the source id, unless the study keeps source ids
    text: str  # redacted
    created_at: datetime | None = None
    collected_at: datetime | None = None
    author: str | None = None  # pseudonym
    author_description: str | None = None  # redacted
    lang: str | None = None
    lat: float | None = None
    lon: float | None = None
    place: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    geo_source: str | None = None  # geotag | place | country | reverse_geocoded
    # resolved at ingest from what is not stored: the profile's location (place and country of
    # the gazetteer, never the free text) and the country of a phone number written with its
    # international prefix (before redaction replaced it); the column names say the source
    profile_place: str | None = None
    profile_country: str | None = None  # ISO 3166-1 alpha-2
    phone_country: str | None = None  # ISO 3166-1 alpha-2
    reply_to: str | None = None  # pseudonym
    repost_of: str | None = None  # pseudonym of the account reposted, quoted or forwarded
    mentions: list[str] = field(default_factory=list)  # pseudonyms
    hashtags: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    query: str | None = None
    source: str = ""
    label: str | None = None


@dataclass(slots=True)
class Quarantined:
    """A record set aside: where it was, which field, and why."""

    source: str
    location: str
    reason: str
    field: str | None = None


@dataclass(slots=True)
class Label:
    """A person's judgement of one post field (e.g. field='relevant', value='1')."""

    post_id: str
    field: str
    value: str
    annotator: str  # pseudonym
    created_at: datetime | None = None
    platform: str | None = None  # when known, the post is (platform, post_id): an index lookup


@dataclass(slots=True)
class IngestCounts:
    """What an import or a mining run did, reported to the user at the end."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    erased: int = 0  # posts deleted at the source, erased from the store (live sources)

    def add(self, other: IngestCounts) -> None:
        self.read += other.read
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.quarantined += other.quarantined
        self.erased += other.erased
