"""Weibo posts to RawPosts: pure functions for the three shapes researchers hold.

- :func:`map_status`: a status of the web API (``weibo.com/ajax/statuses/...``: ``idstr``,
  ``mblogid``, ``text_raw``, ``created_at`` = ``Wed Dec 06 10:00:00 +0800 2026``,
  ``region_name`` = ``发布于 广东``, ``pic_ids`` + ``pic_infos``, ``user``,
  ``retweeted_status``), of m.weibo.cn (``text`` in HTML, ``pics``) and of the open API's
  ``statuses/user_timeline`` (``text``, ``original_pic``);
- :func:`map_crawler`: a weibo of dataabc's weibo-crawler (its JSON keys; its CSV columns are
  renamed to them in ``files``);
- :func:`map_spider`: a weibo of dataabc's weiboSpider (its attribute names).

Every post is stored under its numeric mid (:mod:`wildsift.sources.weibo.ids`) and its author
under the numeric user id; a repost (转发) names the reposted weibo's author by that id too
(``repost_of``: ``retweeted_status.user``, weibo-crawler's ``retweet.user_id`` or ``源用户id``). Screen names are identifiers: the author's and a reposted author's
names in the text become a handle token of their id; ``@名字`` mentions go to ``mentions`` so
privacy replaces them too (the redactor's ``@handle`` rule reads only Latin handles). The
crawlers write Beijing time without a zone: it is read as UTC+8.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost
from wildsift.sources.fields import parse_datetime
from wildsift.sources.meta.own_names import names_as_handles
from wildsift.sources.weibo.ids import post_mid
from wildsift.sources.weibo.places import place_and_country

PLATFORM = "weibo"
BEIJING = timezone(timedelta(hours=8))
MENTION = re.compile(r"@([\w\-]{2,30})")
TOPIC = re.compile(r"#([^#\n]{1,64})#")
_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_NONE = {"", "无", "None"}
PIC_HOST = "https://wx1.sinaimg.cn/large/"


def _text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return "" if text in _NONE else text


def plain(text: str) -> str:
    """m.weibo.cn's HTML text as the reader sees it (tags dropped, entities decoded)."""
    if "<" not in text and "&" not in text:
        return text
    return html.unescape(_TAG.sub("", _BR.sub("\n", text))).strip()


def beijing(value: Any, where: str, field: str) -> datetime | None:
    """A crawler's local time (``2024-03-05 10:00:00``, ``2024-03-05T10:00``) as UTC; a value
    with a zone keeps it."""
    text = _text(value)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            return parse_datetime(text)
        except (ValueError, OverflowError):
            raise RecordError("unparseable date", location=where, field=field) from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=BEIJING)).astimezone(UTC)


def _mid(value: Any, where: str, field: str) -> str:
    mid = post_mid(value)
    if mid is None:
        raise RecordError("no Weibo post id (neither a numeric mid nor a bid)",
                          location=where, field=field)
    return mid


def _split(value: Any, sep: str) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in _text(value).split(sep) if part.strip() not in _NONE]


def _post(*, mid: str, text: str, created: datetime | None, author: str | None,
          names: list[tuple[str | None, list]], region_value: Any, mentions: list[str],
          topics: list[str], media: list[RawMedia], source: str, where: str,
          query: str | None = None, description: str | None = None,
          profile_location: str | None = None, repost_of: str | None = None) -> RawPost:
    place, country = place_and_country(_text(region_value) or None)
    mentions = list(dict.fromkeys([*mentions, *MENTION.findall(text)]))
    return RawPost(
        platform=PLATFORM, source_id=mid,
        text=names_as_handles(text, names, prefix="wb"),
        created_at=created, author=author, author_description=description or None,
        author_location=profile_location or None, place=place, country=country,
        repost_of=repost_of, mentions=mentions, hashtags=list(dict.fromkeys([*topics, *TOPIC.findall(text)])),
        media=media, query=query, source=source, location=where)


# -- the web API --------------------------------------------------------------------------
def map_status(status: Mapping[str, Any], *, source: str, location: str,
               query: str | None = None) -> RawPost:
    """One web or open API status -> RawPost."""
    if not isinstance(status, Mapping):
        raise RecordError(f"expected a status object, got {type(status).__name__}",
                          location=location)
    if isinstance(status.get("mblog"), Mapping):  # an m.weibo.cn card
        status = status["mblog"]
    raw_id = status.get("idstr") or status.get("mid") or status.get("id") or status.get(
        "mblogid")
    mid = _mid(raw_id, location, "idstr")
    where = f"{location} (mid {mid})"
    user = status.get("user") if isinstance(status.get("user"), Mapping) else {}
    author = _text(user.get("idstr") or user.get("id")) or None
    names = [(author, [_text(user.get("screen_name"))])]
    text = _status_text(status)
    retweet = status.get("retweeted_status")
    repost_of = None
    if isinstance(retweet, Mapping):
        other = retweet.get("user") if isinstance(retweet.get("user"), Mapping) else {}
        repost_of = _text(other.get("idstr") or other.get("id")) or None
        names.append((repost_of, [_text(other.get("screen_name"))]))
        quoted = _status_text(retweet)
        if quoted and quoted not in text:
            text = f"{text}\n//转发: {quoted}" if text else quoted
    try:
        created = parse_datetime(status["created_at"]) if status.get("created_at") else None
    except (ValueError, OverflowError):
        raise RecordError("unparseable created_at", location=where, field="created_at"
                          ) from None
    topics = [_text(t.get("topic_title")) for t in status.get("topic_struct") or []
              if isinstance(t, Mapping) and _text(t.get("topic_title"))]
    return _post(mid=mid, text=text, created=created, author=author, names=names,
                 region_value=status.get("region_name"), mentions=[], topics=topics,
                 media=_status_media(status), source=source, where=where, query=query,
                 description=_text(user.get("description")),
                 profile_location=_text(user.get("location")), repost_of=repost_of)


def _status_text(status: Mapping[str, Any]) -> str:
    long_text = status.get("longText")
    if isinstance(long_text, Mapping) and _text(long_text.get("longTextContent")):
        return plain(_text(long_text["longTextContent"]))
    return _text(status.get("text_raw")) or plain(_text(status.get("text")))


def _status_media(status: Mapping[str, Any]) -> list[RawMedia]:
    out: list[RawMedia] = []
    infos = status.get("pic_infos") if isinstance(status.get("pic_infos"), Mapping) else {}
    for pid in status.get("pic_ids") or []:
        info = infos.get(pid) if isinstance(infos.get(pid), Mapping) else {}
        best = next((info[k]["url"] for k in ("largest", "original", "large", "mw2000")
                     if isinstance(info.get(k), Mapping) and info[k].get("url")), None)
        out.append(RawMedia(url=best or f"{PIC_HOST}{pid}.jpg", kind="image"))
    for pic in status.get("pics") or []:  # m.weibo.cn
        if isinstance(pic, Mapping) and isinstance(pic.get("large"), Mapping) and \
                pic["large"].get("url"):
            out.append(RawMedia(url=pic["large"]["url"], kind="image"))
    if not out and _text(status.get("original_pic")):  # the open API
        out.append(RawMedia(url=_text(status["original_pic"]), kind="image"))
    page = status.get("page_info") if isinstance(status.get("page_info"), Mapping) else {}
    if page.get("object_type") == "video" or page.get("type") == "video":
        info = page.get("media_info") if isinstance(page.get("media_info"), Mapping) else {}
        url = next((info[k] for k in ("mp4_720p_mp4", "mp4_hd_url", "mp4_sd_url",
                                      "stream_url_hd", "stream_url") if _text(info.get(k))),
                   None)
        still = page.get("page_pic")
        still = still.get("url") if isinstance(still, Mapping) else _text(still) or None
        if url or still:
            out.append(RawMedia(url=url or still, kind="video", thumbnail=still))
    return out


# -- weibo-crawler ------------------------------------------------------------------------
def map_crawler(weibo: Mapping[str, Any], *, user_id: str | None, screen_name: str | None,
                source: str, location: str) -> RawPost:
    """One weibo of weibo-crawler (JSON keys; a CSV row renamed to them) -> RawPost."""
    mid = _mid(weibo.get("id") or weibo.get("bid"), location, "id")
    where = f"{location} (mid {mid})"
    author = _text(weibo.get("user_id")) or user_id
    names = [(author, [_text(weibo.get("screen_name")) or _text(screen_name)])]
    text = _text(weibo.get("text"))
    retweet = weibo.get("retweet")
    if not isinstance(retweet, Mapping):
        retweet = {k[len("retweet_"):]: v for k, v in weibo.items()
                   if isinstance(k, str) and k.startswith("retweet_")}
    repost_of = _text(retweet.get("user_id")) or None  # 源用户id in the CSV
    if _text(retweet.get("text")):
        names.append((repost_of, [_text(retweet.get("screen_name"))]))
        if retweet["text"] not in text:
            text = f"{text}\n//转发: {_text(retweet['text'])}" if text else _text(
                retweet["text"])
    created = beijing(weibo.get("full_created_at") or weibo.get("created_at"), where,
                      "完整日期")
    media = [RawMedia(url=u, kind="image") for u in _split(weibo.get("pics"), ",")]
    media += [RawMedia(url=u, kind="video") for u in _split(weibo.get("video_url"), ";")]
    media += [RawMedia(url=u, kind="video") for u in _split(weibo.get("live_photo_url"), ";")]
    return _post(mid=mid, text=text, created=created, author=author, names=names,
                 region_value=weibo.get("location"),
                 mentions=_split(weibo.get("at_users"), ","),
                 topics=_split(weibo.get("topics"), ","), media=media, source=source,
                 where=where, repost_of=repost_of)


# -- weiboSpider --------------------------------------------------------------------------
def map_spider(weibo: Mapping[str, Any], *, user_id: str | None, screen_name: str | None,
               source: str, location: str) -> RawPost:
    """One weibo of weiboSpider (its attribute names; CSV columns renamed to them)."""
    mid = _mid(weibo.get("id"), location, "微博id")
    where = f"{location} (mid {mid})"
    author = _text(weibo.get("user_id")) or user_id
    text = _text(weibo.get("content"))
    media = [RawMedia(url=u, kind="image") for u in _split(weibo.get("original_pictures"), ",")]
    media += [RawMedia(url=u, kind="image") for u in _split(weibo.get("retweet_pictures"), ",")]
    media += [RawMedia(url=u, kind="video") for u in _split(weibo.get("video_url"), ";")]
    return _post(mid=mid, text=text, created=beijing(weibo.get("publish_time"), where,
                                                     "发布时间"),
                 author=author, names=[(author, [_text(screen_name)])],
                 region_value=weibo.get("publish_place"), mentions=[], topics=[],
                 media=media, source=source, where=where)
