"""Map YouTube Data API v3 answers (``search.list`` + ``videos.list``, ``commentThreads.list``)
to RawPosts. Pure functions, tested on saved JSON of the real shape.

A video: title and full description (from ``videos.list``; ``search.list`` cuts it), the channel
as author, its tags as hashtags, the recording location when the uploader gave one, and its
thumbnail as a media item of kind "video". The video page is
``https://www.youtube.com/watch?v=<source id>``: it is kept in the record's location (messages
only); the stored post keeps the id (hashed unless the study keeps source ids).

A comment: the top-level comment of a thread, its author's channel, and ``reply_to`` = the
channel of the video it answers (reply_to is an account in the record model, so commenters and
uploaders link up in the users' network after pseudonymisation).
"""

from __future__ import annotations

from typing import Any

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost
from wildsift.sources.fields import record_datetime

PLATFORM = "youtube"
WATCH = "https://www.youtube.com/watch?v="
_THUMBS = ("maxres", "standard", "high", "medium", "default")




def _number(value: Any, where: str, field: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RecordError("not a number", location=where, field=field) from None


def video_id(item: Any) -> str | None:
    """The video id of a ``search.list`` item, or None."""
    ident = item.get("id") if isinstance(item, dict) else None
    value = ident.get("videoId") if isinstance(ident, dict) else None
    return value if isinstance(value, str) and value else None


def map_video(item: dict, detail: dict | None, query: str, *, location: str = "") -> RawPost:
    """A ``search.list`` item (+ its ``videos.list`` resource when we have it) -> RawPost."""
    where = location or "youtube"
    if not isinstance(item, dict):
        raise RecordError("a search result must be a JSON object", location=where)
    vid = video_id(item)
    if vid is None:
        raise RecordError("search result has no id.videoId", location=where, field="id.videoId")
    where = f"{where} ({WATCH}{vid})"
    detail = detail if isinstance(detail, dict) else {}
    snippet = detail.get("snippet") or item.get("snippet")
    if not isinstance(snippet, dict):
        raise RecordError("video has no snippet", location=where, field="snippet")
    title = str(snippet.get("title") or "").strip()
    description = str(snippet.get("description") or "").strip()
    if not title and not description:
        raise RecordError("video has neither title nor description", location=where,
                          field="snippet.title")
    thumbs = snippet.get("thumbnails") if isinstance(snippet.get("thumbnails"), dict) else {}
    thumb = next((thumbs[k]["url"] for k in _THUMBS
                  if isinstance(thumbs.get(k), dict) and thumbs[k].get("url")), None)
    place = (detail.get("recordingDetails") or {}).get("location") or {}
    return RawPost(
        platform=PLATFORM,
        source_id=vid,
        text="\n\n".join(p for p in (title, description) if p),
        created_at=record_datetime(snippet.get("publishedAt"), where, "snippet.publishedAt"),
        author=snippet.get("channelId") or None,
        lang=snippet.get("defaultLanguage") or snippet.get("defaultAudioLanguage") or None,
        lat=_number(place.get("latitude"), where, "recordingDetails.location.latitude"),
        lon=_number(place.get("longitude"), where, "recordingDetails.location.longitude"),
        hashtags=[t for t in snippet.get("tags") or [] if isinstance(t, str) and t],
        media=[RawMedia(url=thumb, kind="video")] if thumb else [],
        query=query,
        source=f"{PLATFORM}:video",
        location=where,
    )


def map_comment(thread: dict, video_owner: str | None, query: str, *,
                location: str = "") -> RawPost:
    """A ``commentThreads.list`` item (its top-level comment) -> RawPost."""
    where = location or "youtube comments"
    if not isinstance(thread, dict):
        raise RecordError("a comment thread must be a JSON object", location=where)
    top = ((thread.get("snippet") or {}).get("topLevelComment") or {})
    snippet = top.get("snippet") if isinstance(top, dict) else None
    comment_id = (top.get("id") if isinstance(top, dict) else None) or thread.get("id")
    if not comment_id:
        raise RecordError("comment thread has no id", location=where, field="id")
    if not isinstance(snippet, dict):
        raise RecordError("comment has no snippet", location=where,
                          field="snippet.topLevelComment.snippet")
    text = snippet.get("textOriginal") or snippet.get("textDisplay")
    if text is None:
        raise RecordError("comment has no text", location=where, field="textOriginal")
    author = snippet.get("authorChannelId")
    author = author.get("value") if isinstance(author, dict) else None
    return RawPost(
        platform=PLATFORM,
        source_id=str(comment_id),
        text=str(text),
        created_at=record_datetime(snippet.get("publishedAt"), where, "publishedAt"),
        author=author or None,
        reply_to=video_owner,
        query=query,
        source=f"{PLATFORM}:comment",
        location=where,
    )
