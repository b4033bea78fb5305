"""Flickr photos (flickr.photos.search with extras) to posts: pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost
from wildsift.sources.mastodon.mapping import html_to_text


def map_photo(photo: dict, query: str, *, location: str = "") -> RawPost:
    """One photo of ``photos.photo`` (with the extras we ask for) -> RawPost."""
    where = location or "flickr"
    if not isinstance(photo, dict):
        raise RecordError("a photo must be a JSON object", location=where)
    photo_id = str(photo.get("id") or "")
    if not photo_id.isdigit():
        raise RecordError("photo has no valid 'id'", location=where, field="id")
    try:
        uploaded = datetime.fromtimestamp(int(photo["dateupload"]), UTC) \
            if photo.get("dateupload") not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        raise RecordError("'dateupload' is not a unix time", location=where,
                          field="dateupload") from None
    lat, lon = _coordinate(photo, "latitude", where), _coordinate(photo, "longitude", where)
    if lat == 0 and lon == 0:  # Flickr's "no geotag"
        lat = lon = None
    description = photo.get("description")
    description = description.get("_content") if isinstance(description, dict) else description
    text = "\n\n".join(p for p in (str(photo.get("title") or "").strip(),
                                   html_to_text(description or "")) if p)
    url = photo.get("url_m")
    kind = "video" if photo.get("media") == "video" else "image"  # a video's url_m: its still
    return RawPost(
        platform="flickr",
        source_id=photo_id,
        text=text,
        created_at=uploaded,
        author=str(photo.get("owner") or "") or None,
        lat=lat,
        lon=lon,
        hashtags=[t for t in str(photo.get("tags") or "").split() if t],
        media=[RawMedia(url=url, kind=kind)] if isinstance(url, str) and url else [],
        query=query,
        source="flickr:photos.search",
        location=where,
    )


def _coordinate(photo: dict, key: str, where: str) -> float | None:
    value = photo.get(key)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RecordError(f"'{key}' is not a number", location=where, field=key) from None
