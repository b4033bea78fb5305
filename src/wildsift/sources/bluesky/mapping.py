"""Map Bluesky posts to RawPosts: a post *view* (``app.bsky.feed.searchPosts``) or a raw post
*record* (a Jetstream commit). Pure functions, tested on saved JSON of the real shapes.

A post is known by its ``at://<did>/app.bsky.feed.post/<rkey>`` URI (the source id), so the same
post found by search and by the live stream is stored once. Accounts are named by their DID,
which never changes (a handle can): the author, the mentions (facets carry DIDs), the author
of the parent post and the author of a quoted post (an ``app.bsky.embed.record`` or
``recordWithMedia`` embed: ``repost_of``; both URIs hold the DID) share one namespace and link
up after pseudonymisation. Media: a view carries CDN URLs; a record only blob CIDs, from which the CDN
URLs are built as the Bluesky app builds them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
CDN = "https://cdn.bsky.app/img"
VIDEO_CDN = "https://video.bsky.app/watch"
_TAG = "app.bsky.richtext.facet#tag"
_MENTION = "app.bsky.richtext.facet#mention"
# A default Bluesky handle written without its '@' ("ask hornseller.bsky.social"): marked as the
# handle it is, so privacy's handle rule replaces it (records carry DIDs, not handles, so
# privacy cannot know the account names a post's text may hold).
_BARE_HANDLE = re.compile(r"(?<![@\w./:-])([a-z0-9][a-z0-9-]{0,62}\.bsky\.social)\b",
                          re.IGNORECASE)


def post_uri(did: str, rkey: str) -> str:
    return f"at://{did}/{POST_COLLECTION}/{rkey}"


def did_of(uri: Any) -> str | None:
    """The repository (account) DID of an at:// URI, or None."""
    if not isinstance(uri, str) or not uri.startswith("at://"):
        return None
    did = uri[5:].split("/", 1)[0]
    return did if did.startswith("did:") else None


def is_post_uri(uri: Any) -> bool:
    if not isinstance(uri, str) or not uri.startswith("at://"):
        return False
    parts = uri[5:].split("/")
    return len(parts) == 3 and parts[0].startswith("did:") and parts[1] == POST_COLLECTION \
        and bool(parts[2])


def quoted_did(embed: Any) -> str | None:
    """The author DID of the post a record embeds (a quote post), or None (images, links, an
    embedded list or feed generator)."""
    if not isinstance(embed, dict):
        return None
    kind = str(embed.get("$type", ""))
    ref = embed.get("record") if isinstance(embed.get("record"), dict) else {}
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        ref = ref.get("record") if isinstance(ref.get("record"), dict) else {}
    elif not kind.startswith("app.bsky.embed.record"):
        return None
    uri = ref.get("uri")
    return did_of(uri) if is_post_uri(uri) else None


def parse_time(value: Any, *, location: str, field: str) -> datetime | None:
    """An ATProto datetime (ISO 8601, 'Z' or an offset) in UTC; None when absent."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value))  # Python >= 3.11 reads "Z"
    except ValueError:
        raise RecordError("unparseable date (not ISO 8601)", location=location,
                          field=field) from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def map_post_view(view: Any, query: str, source: str, *, location: str = "") -> RawPost:
    """One ``PostView`` of searchPosts -> RawPost (personal data inside: pass it to privacy)."""
    where = location or "searchPosts"
    if not isinstance(view, dict):
        raise RecordError("a post must be a JSON object", location=where)
    uri = view.get("uri")
    if not is_post_uri(uri):
        raise RecordError("post has no valid at:// 'uri'", location=where, field="uri")
    author = view.get("author") if isinstance(view.get("author"), dict) else {}
    account = author.get("did") or author.get("handle") or did_of(uri)
    record = view.get("record")
    if not isinstance(record, dict):
        raise RecordError("post has no 'record' object", location=where, field="record")
    post = _from_record(record, uri=uri, did=did_of(uri) or "", author=account, query=query,
                        source=source, location=where)
    if post.created_at is None:
        post.created_at = parse_time(view.get("indexedAt"), location=where, field="indexedAt")
    embedded = _view_media(view.get("embed"))
    if embedded:  # the view's CDN URLs are what the app shows; the record's blobs are the same
        post.media = embedded
    return post


def map_record(did: str, rkey: str, record: Any, query: str, source: str, *,
               location: str = "") -> RawPost:
    """A raw ``app.bsky.feed.post`` record (Jetstream ``commit.record``) -> RawPost."""
    where = location or "record"
    if not isinstance(did, str) or not did.startswith("did:"):
        raise RecordError("event has no valid 'did'", location=where, field="did")
    if not isinstance(rkey, str) or not rkey:
        raise RecordError("commit has no 'rkey'", location=where, field="commit.rkey")
    if not isinstance(record, dict):
        raise RecordError("create commit has no 'record' object", location=where,
                          field="commit.record")
    return _from_record(record, uri=post_uri(did, rkey), did=did, author=did, query=query,
                        source=source, location=where)


def _from_record(record: dict, *, uri: str, did: str, author: str | None, query: str,
                 source: str, location: str) -> RawPost:
    text = record.get("text", "")
    if not isinstance(text, str):
        raise RecordError("post text must be a string", location=location, field="record.text")
    langs = record.get("langs") if isinstance(record.get("langs"), list) else []
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else {}
    parent = reply.get("parent") if isinstance(reply.get("parent"), dict) else {}
    hashtags, mentions = _facets(record.get("facets"))
    for tag in record.get("tags") or []:
        if isinstance(tag, str) and tag and tag not in hashtags:
            hashtags.append(tag)
    if not text and not record.get("embed"):
        raise RecordError("post has neither text nor embed", location=location,
                          field="record.text")
    return RawPost(
        platform=PLATFORM,
        source_id=uri,
        text=_BARE_HANDLE.sub(r"@\1", text),
        created_at=parse_time(record.get("createdAt"), location=location,
                              field="record.createdAt"),
        author=author,
        lang=next((lang for lang in langs if isinstance(lang, str) and lang), None),
        reply_to=did_of(parent.get("uri")),
        repost_of=quoted_did(record.get("embed")),
        mentions=mentions,
        hashtags=hashtags,
        media=_record_media(record.get("embed"), did),
        query=query,
        source=source,
        location=location,
    )


def _facets(facets: Any) -> tuple[list[str], list[str]]:
    """Hashtags and mentioned DIDs from the rich-text facets."""
    tags: list[str] = []
    mentions: list[str] = []
    for facet in facets if isinstance(facets, list) else []:
        features = facet.get("features") if isinstance(facet, dict) else None
        for feature in features if isinstance(features, list) else []:
            if not isinstance(feature, dict):
                continue
            kind = feature.get("$type")
            if kind == _TAG and isinstance(feature.get("tag"), str) \
                    and feature["tag"] not in tags:
                tags.append(feature["tag"])
            elif kind == _MENTION and isinstance(feature.get("did"), str) \
                    and feature["did"] not in mentions:
                mentions.append(feature["did"])
    return tags, mentions


def _view_media(embed: Any) -> list[RawMedia]:
    """Images (full size), video (playlist and thumbnail) and link-card thumbnails of a view.

    URLs are percent-decoded: video URLs carry the author's DID encoded (``did%3Aplc%3A..``),
    and privacy must see the DID to treat the URL as one that names an account."""
    return [RawMedia(url=unquote(m.url), kind=m.kind) for m in _view_media_raw(embed)]


def _view_media_raw(embed: Any) -> list[RawMedia]:
    if not isinstance(embed, dict):
        return []
    kind = str(embed.get("$type", ""))
    if kind.startswith("app.bsky.embed.images"):
        return [RawMedia(url=i["fullsize"], kind="image") for i in embed.get("images") or []
                if isinstance(i, dict) and isinstance(i.get("fullsize"), str)]
    if kind.startswith("app.bsky.embed.video"):
        media = []
        if isinstance(embed.get("playlist"), str):
            media.append(RawMedia(url=embed["playlist"], kind="video"))
        if isinstance(embed.get("thumbnail"), str):
            media.append(RawMedia(url=embed["thumbnail"], kind="image"))
        return media
    if kind.startswith("app.bsky.embed.external"):
        external = embed.get("external") if isinstance(embed.get("external"), dict) else {}
        thumb = external.get("thumb")
        return [RawMedia(url=thumb, kind="image")] if isinstance(thumb, str) else []
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        return _view_media_raw(embed.get("media"))
    return []


def _blob_cid(blob: Any) -> str | None:
    if isinstance(blob, dict):
        ref = blob.get("ref")
        if isinstance(ref, dict) and isinstance(ref.get("$link"), str):
            return ref["$link"]
        if isinstance(blob.get("cid"), str):  # legacy blob shape
            return blob["cid"]
    return None


def _record_media(embed: Any, did: str) -> list[RawMedia]:
    """The same media from a record's blob references, as CDN URLs."""
    if not isinstance(embed, dict) or not did:
        return []
    kind = str(embed.get("$type", ""))
    if kind == "app.bsky.embed.images":
        cids = [_blob_cid(i.get("image")) for i in embed.get("images") or []
                if isinstance(i, dict)]
        return [RawMedia(url=f"{CDN}/feed_fullsize/plain/{did}/{cid}@jpeg", kind="image")
                for cid in cids if cid]
    if kind == "app.bsky.embed.video":
        cid = _blob_cid(embed.get("video"))
        if not cid:
            return []
        return [RawMedia(url=f"{VIDEO_CDN}/{did}/{cid}/playlist.m3u8", kind="video"),
                RawMedia(url=f"{VIDEO_CDN}/{did}/{cid}/thumbnail.jpg", kind="image")]
    if kind == "app.bsky.embed.external":
        external = embed.get("external") if isinstance(embed.get("external"), dict) else {}
        cid = _blob_cid(external.get("thumb"))
        return [RawMedia(url=f"{CDN}/feed_thumbnail/plain/{did}/{cid}@jpeg", kind="image")] \
            if cid else []
    if kind == "app.bsky.embed.recordWithMedia":
        return _record_media(embed.get("media"), did)
    return []
