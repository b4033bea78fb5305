"""Map one X API v2 tweet (``data[i]`` of a search answer) and its ``includes`` to a RawPost.

Pure functions, tested on saved JSON of the real v2 shape. The v2 API returns the tweet's
author, media and place once per page in ``includes`` (``users``, ``media``, ``places``) and
only their ids in the tweet (``author_id``, ``attachments.media_keys``, ``geo.place_id``):
:class:`Includes` indexes them so each tweet gets its own. Accounts are named by their numeric
id (``author_id``, ``in_reply_to_user_id``, ``entities.mentions[].id``, and the ``author_id`` of
a retweeted or quoted tweet: ``referenced_tweets`` with its tweet in ``includes.tweets``, or
inlined by ``twarc2 flatten``), which privacy turns into pseudonyms; usernames and display
names are never copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost

PLATFORM = "x"
MAX_PLACE_SPAN = 0.5  # degrees: a smaller place bbox (a town) gives its centre as lat/lon


@dataclass(slots=True)
class Includes:
    """``includes`` of one answer, indexed by id (users by id, media by key, places by id,
    referenced tweets by id)."""

    users: dict[str, dict] = field(default_factory=dict)
    media: dict[str, dict] = field(default_factory=dict)
    places: dict[str, dict] = field(default_factory=dict)
    tweets: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def of(cls, answer: dict) -> Includes:
        raw = answer.get("includes") or {}

        def index(items: Any, key: str) -> dict[str, dict]:
            return {str(i[key]): i for i in items or [] if isinstance(i, dict) and key in i}

        return cls(index(raw.get("users"), "id"), index(raw.get("media"), "media_key"),
                   index(raw.get("places"), "id"), index(raw.get("tweets"), "id"))


def _created_at(value: Any, location: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value))  # 3.11 reads the trailing Z
    except ValueError:
        raise RecordError("unparseable date (not ISO 8601)", location=location,
                          field="created_at") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _media(keys: list, includes: Includes) -> list[RawMedia]:
    """Photos by ``url``; videos and GIFs by their best MP4 variant, with the still image."""
    out = []
    for key in keys or []:
        item = includes.media.get(str(key))
        if not item:
            continue
        if item.get("type") == "photo" and item.get("url"):
            out.append(RawMedia(url=item["url"], kind="image"))
            continue
        still = item.get("preview_image_url")
        mp4 = [v for v in item.get("variants") or []
               if isinstance(v, dict) and v.get("content_type") == "video/mp4" and v.get("url")]
        best = max(mp4, key=lambda v: v.get("bit_rate") or 0, default=None)
        if best or still:
            out.append(RawMedia(url=best["url"] if best else still, kind="video",
                                thumbnail=still))
    return out


def _geo(tweet: dict, includes: Includes) -> tuple[float | None, float | None, str | None,
                                                    str | None]:
    """(lat, lon, place, country): exact point when tagged, else the place (centre if small)."""
    geo = tweet.get("geo") or {}
    lat = lon = None
    point = (geo.get("coordinates") or {}).get("coordinates")
    if isinstance(point, list) and len(point) == 2:
        lon, lat = float(point[0]), float(point[1])  # GeoJSON order: longitude first
    place = includes.places.get(str(geo.get("place_id"))) if geo.get("place_id") else None
    if not place:
        return lat, lon, None, None
    bbox = (place.get("geo") or {}).get("bbox")
    if lat is None and isinstance(bbox, list) and len(bbox) == 4:
        west, south, east, north = map(float, bbox)
        if east - west <= MAX_PLACE_SPAN and north - south <= MAX_PLACE_SPAN:
            lat, lon = (south + north) / 2, (west + east) / 2
    return lat, lon, place.get("full_name") or place.get("name"), place.get("country_code")


REPOSTS = ("retweeted", "quoted")  # referenced_tweets types that repost (not "replied_to")


def repost_author(tweet: dict, includes: Includes) -> str | None:
    """The ``author_id`` of the tweet this one retweets (first) or quotes: the referenced tweet
    itself when inlined (``twarc2 flatten``), else its copy in ``includes.tweets``."""
    refs = [r for r in tweet.get("referenced_tweets") or [] if isinstance(r, dict)]
    for kind in REPOSTS:
        for ref in refs:
            if ref.get("type") != kind:
                continue
            found = includes.tweets.get(str(ref.get("id")), {})
            author = ref.get("author_id") or found.get("author_id")
            if author not in (None, ""):
                return str(author)
    return None


def map_tweet(tweet: dict, includes: Includes, query: str, source: str, *,
              location: str = "") -> RawPost:
    """One tweet -> RawPost (personal data still inside: pass it through privacy).

    Raises RecordError (with the field) when the tweet lacks what every post needs.
    """
    if not isinstance(tweet, dict):
        raise RecordError(f"expected a tweet object, got {type(tweet).__name__}",
                          location=location)
    tweet_id = str(tweet.get("id") or "")
    if not tweet_id.isdigit():
        raise RecordError("tweet without a numeric id", location=location, field="id")
    where = f"{location} (tweet {tweet_id})" if location else f"tweet {tweet_id}"
    if not isinstance(tweet.get("text"), str):
        raise RecordError("tweet without text", location=where, field="text")
    author_id = tweet.get("author_id")
    user = includes.users.get(str(author_id), {})
    entities = tweet.get("entities") or {}
    lat, lon, place, country = _geo(tweet, includes)
    return RawPost(
        platform=PLATFORM,
        source_id=tweet_id,
        text=tweet["text"],
        created_at=_created_at(tweet.get("created_at"), where),
        author=str(author_id) if author_id else None,
        author_description=(user.get("description") or "").strip() or None,
        author_location=(user.get("location") or "").strip() or None,
        lang=tweet.get("lang") if tweet.get("lang") not in (None, "und", "zxx") else None,
        lat=lat, lon=lon, place=place, country=country,
        reply_to=str(tweet["in_reply_to_user_id"]) if tweet.get("in_reply_to_user_id") else None,
        repost_of=repost_author(tweet, includes),
        mentions=[str(m.get("id") or m.get("username")) for m in entities.get("mentions") or []
                  if isinstance(m, dict) and (m.get("id") or m.get("username"))],
        hashtags=[h["tag"] for h in entities.get("hashtags") or []
                  if isinstance(h, dict) and h.get("tag")],
        media=_media((tweet.get("attachments") or {}).get("media_keys"), includes),
        query=query,
        source=source,
        location=where,
    )


def api_error(error: dict) -> str:
    """One ``errors[]`` item of a 200 answer (a withheld or deleted tweet) in a sentence."""
    title = error.get("title") or error.get("type") or "error"
    detail = error.get("detail") or error.get("message") or ""
    return f"{title}: {detail}".strip(": ")
