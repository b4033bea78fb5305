"""Reddit's Listing JSON to posts: pure functions, tested against saved API pages."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost

PLATFORM = "reddit"


def map_submission(child: Any, query: str, source: str, *, location: str = "") -> RawPost:
    """One Listing child (``{"kind": "t3", "data": {...}}``) -> RawPost (before privacy)."""
    if not isinstance(child, dict) or child.get("kind") != "t3" or not isinstance(
            child.get("data"), dict):
        raise RecordError("not a submission (kind t3 with data)", location=location,
                          field="kind")
    data = child["data"]
    post_id = str(data.get("id") or "")
    if not post_id.isalnum():
        raise RecordError("submission without an id", location=location, field="id")
    where = f"{location} (t3_{post_id})" if location else f"t3_{post_id}"
    created = float_or_none(data.get("created_utc"))
    if created is None:
        raise RecordError("no created_utc (seconds since 1970)", location=where,
                          field="created_utc")
    title = str(data.get("title") or "").strip()
    flair = str(data.get("link_flair_text") or "").strip()
    if flair:  # sale flairs ("WTS", "For sale") are what Reddit users read before the title
        title = f"[{flair}] {title}"
    body = str(data.get("selftext") or "").strip()
    author = None if data.get("author") == "[deleted]" else (
        data.get("author_fullname") or data.get("author"))
    subreddit = data.get("subreddit") or ""
    return RawPost(
        platform=PLATFORM,
        source_id=f"t3_{post_id}",
        text=f"{title}\n\n{body}" if body else title,
        created_at=datetime.fromtimestamp(created, UTC),
        author=None if author in (None, "", "[deleted]") else str(author),
        media=submission_media(data),
        query=query,
        source=f"{source}/r/{subreddit}" if subreddit else source,
        location=where,
    )


def submission_media(data: dict) -> list[RawMedia]:
    """Gallery images, a direct image link, a Reddit video (with its still), else the preview."""
    out: list[RawMedia] = []
    metadata = data.get("media_metadata") or {}
    for item in (data.get("gallery_data") or {}).get("items") or []:
        meta = metadata.get(str(item.get("media_id"))) or {}
        url = (meta.get("s") or {}).get("u") or (meta.get("s") or {}).get("gif")
        if meta.get("status", "valid") == "valid" and url:
            out.append(RawMedia(url=_unescape(url), kind="image"))
    previews = [_unescape(i["source"]["url"])
                for i in (data.get("preview") or {}).get("images") or []
                if isinstance(i, dict) and (i.get("source") or {}).get("url")]
    video = ((data.get("media") or {}).get("reddit_video") or {}).get("fallback_url")
    if video:
        out.append(RawMedia(url=_unescape(video), kind="video",
                            thumbnail=previews[0] if previews else None))
    elif not out and data.get("post_hint") == "image" and data.get("url"):
        out.append(RawMedia(url=_unescape(data["url"]), kind="image"))
    elif not out and previews:
        out.append(RawMedia(url=previews[0], kind="image"))
    return out


def _unescape(url: str) -> str:
    return html.unescape(url) if "&amp;" in url else url


def float_or_none(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
