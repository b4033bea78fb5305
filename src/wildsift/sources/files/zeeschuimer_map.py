"""Map one item as Zeeschuimer captured it (the platform's own JSON) to a RawPost.

Zeeschuimer (a browser extension of the Digital Methods Initiative) records the JSON a platform's
web app loads while the researcher browses; each NDJSON line wraps one item as ``data`` with
``source_platform`` (``tiktok.com``, ``instagram.com``, ``x.com``, ``threads.net``,
``douyin.com``, ``xiaohongshu.com``). 4CAT stores the same item with that envelope moved into
``__import_meta``. The key names follow what 4CAT's ``map_item`` of each data source reads
(``datasources/<platform>/search_<platform>.py``). Authors are the handle 4CAT also exports
(``uniqueId``, ``username``, ``nickname``) or, for X, the numeric account id the API connector
uses, so the same account gets the same pseudonym across imports; privacy hashes them.
Pure functions: a RecordError names the field when an item lacks an id or is not a post.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost
from wildsift.sources.fields import parse_datetime

_HASHTAG = re.compile(r"#(\w+)")
_COUNTRY = re.compile(r"[A-Z]{2}")


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _first_url(value: Any) -> str | None:
    """The first URL of ``url_list``/``urlList``/``candidates`` shapes, or a plain string."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        for key in ("url_list", "urlList", "url_default", "urlDefault", "url"):
            found = _first_url(value.get(key))
            if found:
                return found
        return None
    if isinstance(value, list):
        for item in value:
            found = _first_url(item)
            if found:
                return found
    return None


def _epoch(value: Any, where: str) -> datetime | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        try:
            return parse_datetime(value)
        except ValueError:
            raise RecordError("unparseable date", location=where, field="created_at") from None
    return datetime.fromtimestamp(number / 1000 if number > 1e11 else number, UTC)


def _id(value: Any, where: str) -> str:
    if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    raise RecordError("item without an id", location=where, field="id")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _tags(text: str) -> list[str]:
    return _HASHTAG.findall(text)


def _post(platform: str, item_id: str, where: str, **fields) -> RawPost:
    return RawPost(platform=platform, source_id=item_id,
                   location=f"{where} ({platform} {item_id})", **fields)


# -- TikTok ---------------------------------------------------------------------------------
def tiktok(item: dict, where: str) -> RawPost:
    author = item.get("author")
    handle = author.get("uniqueId") if isinstance(author, dict) else author
    extra = [e for e in item.get("textExtra") or [] if isinstance(e, dict)]
    video = item.get("video") if isinstance(item.get("video"), dict) else {}
    media = [RawMedia(url=u, kind="image") for u in
             (_first_url(_get(i, "imageURL")) for i in _get(item, "imagePost", "images") or [])
             if u]
    play = video.get("playAddr") or video.get("downloadAddr")
    if isinstance(play, str) and play:
        media.append(RawMedia(url=play, kind="video", thumbnail=_first_url(video.get("cover"))))
    region = item.get("locationCreated")
    lang = item.get("textLanguage")
    return _post(
        "tiktok", _id(item.get("id"), where), where,
        text=_text(item.get("desc")),
        created_at=_epoch(item.get("createTime"), where),
        author=str(handle) if handle else None,
        author_description=_text(_get(author, "signature")) or None,
        lang=lang if isinstance(lang, str) and lang not in ("", "un") else None,
        place=_text(_get(item, "poi", "name")) or None,
        country=region if isinstance(region, str) and _COUNTRY.fullmatch(region) else None,
        hashtags=[e["hashtagName"] for e in extra if e.get("hashtagName")],
        mentions=[str(e["userUniqueId"]) for e in extra if e.get("userUniqueId")],
        media=media)


# -- Instagram and Threads (the same Meta API shapes) ---------------------------------------
def _meta_media(item: dict) -> list[RawMedia]:
    parts = item.get("carousel_media") or [item]
    out = []
    for part in parts:
        if not isinstance(part, dict):
            continue
        still = _first_url(_get(part, "image_versions2", "candidates")) or part.get("display_url")
        video = _first_url(part.get("video_versions")) or part.get("video_url")
        if video:
            out.append(RawMedia(url=video, kind="video", thumbnail=still))
        elif still:
            out.append(RawMedia(url=still, kind="image"))
    return out


def _meta(platform: str, item: dict, where: str) -> RawPost:
    if "shortcode" in item and "code" not in item:  # Instagram's older GraphQL shape
        caption = _get(item, "edge_media_to_caption", "edges")
        text = _text(_get(caption[0], "node", "text")) if caption else ""
        created, user = item.get("taken_at_timestamp"), item.get("owner")
        item_id = item.get("shortcode")
    else:
        text = _text(_get(item, "caption", "text"))
        created, user = item.get("taken_at"), item.get("user") or item.get("owner")
        item_id = item.get("code") or item.get("pk")
    location = item.get("location") if isinstance(item.get("location"), dict) else {}
    lat, lon = location.get("lat"), location.get("lng")
    point = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
    tagged = [_get(t, "user", "username") for t in _get(item, "usertags", "in") or []]
    return _post(
        platform, _id(item_id, where), where,
        text=text, created_at=_epoch(created, where),
        author=_get(user, "username") or None,
        lat=float(lat) if point else None, lon=float(lon) if point else None,
        place=_text(location.get("name")) or None,
        hashtags=_tags(text), mentions=[t for t in tagged if isinstance(t, str) and t],
        media=_meta_media(item))


def instagram(item: dict, where: str) -> RawPost:
    return _meta("instagram", item, where)


def threads(item: dict, where: str) -> RawPost:
    return _meta("threads", item, where)


# -- Douyin ---------------------------------------------------------------------------------
def douyin(item: dict, where: str) -> RawPost:
    author = item.get("author") or item.get("authorInfo") or {}
    handle = (_get(author, "unique_id") or _get(author, "uniqueId") or _get(author, "short_id")
              or _get(author, "uid"))
    video = item.get("video") if isinstance(item.get("video"), dict) else {}
    media = [RawMedia(url=u, kind="image") for u in map(_first_url, item.get("images") or []) if u]
    play = _first_url(video.get("play_addr") or video.get("playAddr"))
    if play:
        media.append(RawMedia(url=play, kind="video", thumbnail=_first_url(video.get("cover"))))
    extra = [e for e in item.get("text_extra") or item.get("textExtra") or [] if isinstance(e, dict)]
    text = _text(item.get("desc"))
    return _post(
        "douyin", _id(item.get("aweme_id") or item.get("awemeId"), where), where,
        text=text, created_at=_epoch(item.get("create_time") or item.get("createTime"), where),
        author=str(handle) if handle else None,
        author_description=_text(_get(author, "signature")) or None,
        hashtags=[e.get("hashtag_name") or e.get("hashtagName") for e in extra
                  if e.get("hashtag_name") or e.get("hashtagName")] or _tags(text),
        media=media)


# -- RedNote (Xiaohongshu) ------------------------------------------------------------------
def _rednote_image(image: Any) -> str | None:
    """``url_default``, else the default scene (WB_DFT) of ``info_list``, else its first."""
    if not isinstance(image, dict):
        return None
    infos = [i for i in image.get("info_list") or [] if isinstance(i, dict) and i.get("url")]
    default = next((i["url"] for i in infos if i.get("image_scene") == "WB_DFT"), None)
    return (image.get("url_default") or image.get("urlDefault") or default
            or (infos[0]["url"] if infos else None))


def rednote(item: dict, where: str) -> RawPost:
    if item.get("_zs-origin") == "html":  # mapped from the page by Zeeschuimer: little data
        return _post("rednote", _id(item.get("id"), where), where,
                     text=_text(item.get("title")), author=item.get("author_name") or None,
                     media=[RawMedia(url=item["thumbnail_url"])] if item.get(
                         "thumbnail_url") else [])
    if "note" in item:  # JSON embedded in a note's page (camelCase)
        note, item_id = item["note"], item.get("id") or _get(item, "note", "noteId")
        images = note.get("imageList") or []
    else:  # the web API (search, explore feed)
        note = item.get("note_card") if item.get("type") != "video" and isinstance(
            item.get("note_card"), dict) else item
        item_id = item.get("id") or item.get("note_id")
        images = note.get("image_list") or ([note["cover"]] if note.get("cover") else [])
    if not isinstance(note, dict) or not isinstance(note.get("user"), dict):
        raise RecordError("a tile without post content (no note or user)", location=where,
                          field="note_card")
    title = _text(note.get("title") or note.get("display_title"))
    desc = _text(note.get("desc"))
    media = [RawMedia(url=u) for u in map(_rednote_image, images) if u]
    stream = _get(note, "video", "media", "stream", "h264")
    if isinstance(stream, list) and stream and _get(stream[0], "master_url"):
        media.append(RawMedia(url=stream[0]["master_url"], kind="video",
                              thumbnail=media[0].url if media else None))
    return _post("rednote", _id(item_id, where), where,
                 text="\n".join(t for t in (title, desc) if t),
                 created_at=_epoch(note.get("time"), where),
                 author=_get(note, "user", "nickname") or None,
                 hashtags=_tags(desc), media=media)


# -- X (the web app's GraphQL tweets) -------------------------------------------------------
def _x_media(legacy: dict) -> list[RawMedia]:
    out = []
    for item in _get(legacy, "extended_entities", "media") or _get(
            legacy, "entities", "media") or []:
        still = item.get("media_url_https") if isinstance(item, dict) else None
        variants = [v for v in _get(item, "video_info", "variants") or []
                    if isinstance(v, dict) and v.get("content_type") == "video/mp4"]
        if variants:
            best = max(variants, key=lambda v: v.get("bitrate") or 0)
            out.append(RawMedia(url=best["url"], kind="video", thumbnail=still))
        elif still:
            out.append(RawMedia(url=still, kind="image"))
    return out


def _x_tweet(item: Any) -> Any:
    return item.get("tweet") if isinstance(item, dict) and item.get(
        "__typename") == "TweetWithVisibilityResults" else item


def _x_reposted(tweet: dict, legacy: dict) -> str | None:
    """The account id of the tweet this one retweets (``legacy.retweeted_status_result``) or
    quotes (``quoted_status_result``, beside ``legacy`` or in it)."""
    for holder, key in ((legacy, "retweeted_status_result"), (tweet, "quoted_status_result"),
                        (legacy, "quoted_status_result")):
        other = _x_tweet(_get(holder, key, "result"))
        if not isinstance(other, dict):
            continue
        author = _get(other, "core", "user_results", "result", "rest_id") or _get(
            other, "legacy", "user_id_str")
        if author not in (None, ""):
            return str(author)
    return None


def x(item: dict, where: str) -> RawPost:
    tweet = _x_tweet(item)
    legacy = tweet.get("legacy") if isinstance(tweet, dict) else None
    if not isinstance(legacy, dict):
        raise RecordError("not a tweet (no legacy object)", location=where, field="legacy")
    user = _get(tweet, "core", "user_results", "result") or {}
    text = _get(tweet, "note_tweet", "note_tweet_results", "result", "text") or legacy.get(
        "full_text")
    place = legacy.get("place") if isinstance(legacy.get("place"), dict) else {}
    entities = legacy.get("entities") or {}
    lang = legacy.get("lang")
    created = legacy.get("created_at")
    try:
        created_at = parse_datetime(created) if created else None
    except ValueError:
        raise RecordError("unparseable date", location=where, field="created_at") from None
    return _post(
        "x", _id(tweet.get("rest_id") or legacy.get("id_str"), where), where,
        text=_text(text), created_at=created_at,
        author=str(user.get("rest_id") or legacy.get("user_id_str") or "") or None,
        author_description=_text(_get(user, "legacy", "description")) or None,
        lang=lang if isinstance(lang, str) and lang not in ("und", "zxx", "") else None,
        place=place.get("full_name") or None, country=place.get("country_code") or None,
        reply_to=legacy.get("in_reply_to_user_id_str") or None,
        repost_of=_x_reposted(tweet, legacy),
        mentions=[str(m["id_str"]) for m in entities.get("user_mentions") or []
                  if isinstance(m, dict) and m.get("id_str")],
        hashtags=[h["text"] for h in entities.get("hashtags") or []
                  if isinstance(h, dict) and h.get("text")],
        media=_x_media(legacy))


MAPPERS: dict[str, Callable[[dict, str], RawPost]] = {
    "tiktok.com": tiktok, "instagram.com": instagram, "threads.net": threads,
    "threads.com": threads, "douyin.com": douyin, "xiaohongshu.com": rednote,
    "rednote.com": rednote, "x.com": x, "twitter.com": x,
}
_DOMAIN = re.compile(r"[a-z0-9.-]{1,40}")


def mapper(source_platform: Any, where: str) -> Callable[[dict, str], RawPost]:
    """The map function for Zeeschuimer's ``source_platform`` (e.g. ``tiktok.com``)."""
    key = str(source_platform or "").strip().lower().removeprefix("www.")
    found = MAPPERS.get(key)
    if found is None:
        what = f"'{key}'" if _DOMAIN.fullmatch(key) else "this platform"
        raise RecordError(f"items from {what} are not supported; supported: "
                          f"{', '.join(sorted(MAPPERS))}", location=where,
                          field="source_platform")
    return found


def map_item(source_platform: Any, item: Any, *, source: str, location: str = "") -> RawPost:
    """One captured item -> RawPost (personal data inside: pass it through privacy)."""
    if not isinstance(item, dict):
        raise RecordError("the captured item is not a JSON object", location=location,
                          field="data")
    post = mapper(source_platform, location)(item, location)
    post.source = source
    return post
