"""VK's newsfeed.search items to posts: pure functions, tested against saved API answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost

PLATFORM = "vk"


def map_post(item: Any, query: str, source: str, descriptions: dict[int, str] | None = None,
             *, location: str = "") -> RawPost:
    """One ``newsfeed.search`` item -> RawPost (before privacy).

    Author: ``from_id`` (who wrote it; negative ids are communities), else ``owner_id``; a
    repost names the reposted post's author the same way (``copy_history[0]``: ``repost_of``).
    """
    if not isinstance(item, dict):
        raise RecordError(f"expected a post object, got {type(item).__name__}",
                          location=location)
    if not isinstance(item.get("id"), int) or not isinstance(item.get("owner_id"), int):
        raise RecordError("post without integer id and owner_id", location=location, field="id")
    source_id = f"{item['owner_id']}_{item['id']}"
    where = f"{location} (wall{source_id})" if location else f"wall{source_id}"
    if not isinstance(item.get("date"), int):
        raise RecordError("no date (unix time)", location=where, field="date")
    author = item.get("from_id") or item.get("signer_id") or item["owner_id"]
    history = item.get("copy_history")
    copied = history[0] if isinstance(history, list) and history and isinstance(
        history[0], dict) else {}
    reposted = copied.get("from_id") or copied.get("owner_id")
    lat = lon = None
    place = country = None
    geo = item.get("geo") or {}
    if geo.get("coordinates"):
        try:
            lat, lon = (float(x) for x in str(geo["coordinates"]).split())
        except ValueError:
            raise RecordError(f"geo coordinates {geo['coordinates']!r} are not 'lat lon'",
                              location=where, field="geo.coordinates") from None
        place_info = geo.get("place") or {}
        place = place_info.get("title") or place_info.get("city") or None
        # VK gives the country's name ("Россия"), not its ISO code: keep only a code; the
        # coordinates give the country otherwise (a name would not fit posts.country).
        named = place_info.get("country")
        country = named.upper() if isinstance(named, str) and len(named) == 2 \
            and named.isascii() and named.isalpha() else None
    return RawPost(
        platform=PLATFORM,
        source_id=source_id,
        text=str(item.get("text") or ""),
        created_at=datetime.fromtimestamp(item["date"], UTC),
        author=str(author),
        author_description=(descriptions or {}).get(author),
        lat=lat, lon=lon, place=place, country=country,
        repost_of=str(reposted) if isinstance(reposted, int) and reposted else None,
        hashtags=[w.lstrip("#").split("@")[0] for w in str(item.get("text") or "").split()
                  if w.startswith("#") and len(w) > 1],
        media=attachments(item.get("attachments") or []),
        query=query,
        source=source,
        location=where,
    )


def attachments(items: list) -> list[RawMedia]:
    """Photos at their largest size; videos by their largest still image."""
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "photo":
            sizes = (item.get("photo") or {}).get("sizes") or []
            best = max((s for s in sizes if isinstance(s, dict) and s.get("url")),
                       key=lambda s: (s.get("width") or 0) * (s.get("height") or 0), default=None)
            if best:
                out.append(RawMedia(url=best["url"], kind="image"))
        elif item.get("type") == "video":
            video = item.get("video") or {}
            stills = [s for s in video.get("image") or [] if isinstance(s, dict) and s.get("url")]
            best = max(stills, key=lambda s: s.get("width") or 0, default=None)
            if best and video.get("owner_id") is not None and video.get("id") is not None:
                out.append(RawMedia(url=f"https://vk.com/video{video['owner_id']}_{video['id']}",
                                    kind="video", thumbnail=best["url"]))
    return out


def descriptions_of(answer: dict) -> dict[int, str]:
    """Bios from ``extended=1``: profile status (key: user id), community description (-id)."""
    out: dict[int, str] = {}
    for profile in answer.get("profiles") or []:
        if isinstance(profile, dict) and profile.get("status"):
            out[profile["id"]] = str(profile["status"])
    for group in answer.get("groups") or []:
        if isinstance(group, dict) and group.get("description"):
            out[-group["id"]] = str(group["description"])
    return out
