"""Map one Telethon ``Message`` (``telethon.tl.types.Message``) of a public channel to a RawPost.

Pure functions, tested on real Telethon objects built from ``telethon.tl.types``. Accounts are
named by their numeric ids (``channel:<id>``, ``user:<id>``), which privacy pseudonymises; the
post author's signature (``post_author``) is a person's name and is not copied. Telegram media
have no public URL (they are downloaded over MTProto): a photo or video is recorded by its
post link ``https://t.me/<channel>/<id>`` with its kind, which privacy turns into a URL token
(it names the channel) — the media downloader cannot fetch it; Telethon's ``download_media``
would be needed (not done here).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from telethon import helpers
from telethon.tl import types

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost

PLATFORM = "telegram"


def peer_name(peer: Any) -> str | None:
    """``channel:<id>``, ``chat:<id>`` or ``user:<id>`` for a Telethon peer."""
    if isinstance(peer, types.PeerChannel):
        return f"channel:{peer.channel_id}"
    if isinstance(peer, types.PeerChat):
        return f"chat:{peer.chat_id}"
    if isinstance(peer, types.PeerUser):
        return f"user:{peer.user_id}"
    return None


def _entities(message: types.Message) -> tuple[list[str], list[str]]:
    """(hashtags, mentions); entity offsets count UTF-16 code units, hence the surrogates."""
    text = helpers.add_surrogate(message.message or "")
    tags, mentions = [], []
    for entity in message.entities or []:
        piece = helpers.del_surrogate(text[entity.offset:entity.offset + entity.length])
        if isinstance(entity, types.MessageEntityHashtag) and len(piece) > 1:
            tags.append(piece.lstrip("#"))
        elif isinstance(entity, types.MessageEntityMention) and len(piece) > 1:
            mentions.append(piece.lstrip("@"))
        elif isinstance(entity, types.MessageEntityMentionName):
            mentions.append(f"user:{entity.user_id}")
    return tags, mentions


def _media(media: Any, link: str) -> tuple[list[RawMedia], tuple[float, float] | None,
                                           str | None]:
    """(media, (lat, lon), place) of a message's media."""
    if isinstance(media, types.MessageMediaPhoto) and media.photo is not None:
        return [RawMedia(url=link, kind="image")], None, None
    if isinstance(media, types.MessageMediaDocument) and media.document is not None:
        mime = getattr(media.document, "mime_type", "") or ""
        kind = "video" if mime.startswith("video/") else "image" if mime.startswith(
            "image/") else None
        return ([RawMedia(url=link, kind=kind)] if kind else []), None, None
    if isinstance(media, (types.MessageMediaGeo, types.MessageMediaGeoLive,
                          types.MessageMediaVenue)) and isinstance(media.geo, types.GeoPoint):
        place = media.title if isinstance(media, types.MessageMediaVenue) else None
        return [], (media.geo.lat, media.geo.long), place
    return [], None, None


def map_message(message: Any, channel: str, query: str, source: str, *,
                location: str = "") -> RawPost:
    """One channel message -> RawPost (before privacy); RecordError for what is not a post."""
    if not isinstance(message, types.Message):
        raise RecordError(f"{type(message).__name__} is not a post (service or deleted "
                          "message)", location=location, field="type")
    if not isinstance(message.id, int) or message.date is None:
        raise RecordError("message without id or date", location=location,
                          field="id" if not isinstance(message.id, int) else "date")
    where = f"{location} (message {message.id})" if location else f"message {message.id}"
    chat = peer_name(message.peer_id)
    if chat is None:
        raise RecordError("message without a channel (peer_id)", location=where,
                          field="peer_id")
    tags, mentions = _entities(message)
    media, point, place = _media(message.media, f"https://t.me/{channel.lstrip('@')}/"
                                                f"{message.id}")
    date = message.date if message.date.tzinfo else message.date.replace(tzinfo=UTC)
    return RawPost(
        platform=PLATFORM,
        source_id=f"{chat.split(':', 1)[1]}_{message.id}",
        text=message.message or "",
        created_at=date.astimezone(UTC),
        author=peer_name(message.from_id) or chat,  # channels post as themselves
        # a forward: the channel or user it was forwarded from
        repost_of=peer_name(getattr(getattr(message, "fwd_from", None), "from_id", None)),
        lat=point[0] if point else None, lon=point[1] if point else None, place=place,
        mentions=mentions,
        hashtags=tags,
        media=media,
        query=query,
        source=source,
        location=where,
    )
