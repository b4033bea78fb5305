"""Recognise links to accounts on social and messaging platforms, and the account they name.

``profile_key(url)`` reduces a link to the identity it points at, so that
``https://www.facebook.com/Ivory.Shop/`` and ``fb.com/ivory.shop`` (and the handle
``@ivory.shop``) give one key. Keys are ``id:<name>`` for a user name or numeric id,
``tel:<E.164>`` for click-to-chat links (wa.me), ``invite:<code>`` for group invitations and
``url:<host/path>`` for any other link into a platform (a post, a video): such a link still
leads to its author, so it is redacted too, keyed by the normalised link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

_PLATFORMS = (
    r"facebook\.com|fb\.com|fb\.me|instagram\.com|instagr\.am|twitter\.com|x\.com|tiktok\.com|"
    r"t\.me|telegram\.me|telegram\.dog|wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|"
    r"zalo\.me|line\.me|weibo\.com|weibo\.cn|vk\.com|youtube\.com|youtu\.be|linkedin\.com|"
    r"threads\.net|snapchat\.com|open\.kakao\.com|invite\.viber\.com|u\.wechat\.com|"
    r"weixin\.qq\.com|douyin\.com|xiaohongshu\.com|pinterest\.com|reddit\.com"
)
_TAIL = r"[^\s<>\"'\[\]{}|\\^`()（）【】「」，。、]*"
# A platform link, with or without scheme; or any https link whose path starts with '/@user'
# (Mastodon, Misskey, Pixelfed, Threads, Medium...).
URL_RE = re.compile(
    rf"(?<![\w.@-])(?:https?://)?(?:[a-z0-9-]+\.)*(?:{_PLATFORMS})(?![\w.-]*\w)(?:[/?#]{_TAIL})?"
    rf"|https?://[a-z0-9.-]+\.[a-z]{{2,}}/@[a-z0-9_.]+(?:@[a-z0-9.-]+\.[a-z]{{2,}})?{_TAIL}",
    re.IGNORECASE,
)
_PLATFORM_HOST = re.compile(_PLATFORMS, re.IGNORECASE)  # necessary for profile_key
# Cheap gate before URL_RE (lower-case literals, so the engine skips ahead by first character).
URL_HINT = re.compile(r"://|\.com|\.me\b|\.net|\.cn|\.am|\.be|\.dog|\.COM|\.Com|\.ME")
_TRAILING = ".,;:!?'\")]}>…"

_RESERVED = {
    "facebook": {"groups", "pages", "events", "watch", "marketplace", "photo.php", "photo",
                 "photos", "story.php", "permalink.php", "sharer", "sharer.php", "share",
                 "hashtag", "login", "help", "reel", "reels", "video.php", "videos", "l.php",
                 "dialog", "plugins", "media", "gaming", "ads", "business", "policies",
                 "privacy", "search", "home.php", "stories", "notes", "live"},
    "instagram": {"p", "reel", "reels", "tv", "explore", "accounts", "direct", "about",
                  "developer", "legal", "web"},
    "twitter": {"i", "home", "search", "hashtag", "intent", "share", "explore", "settings",
                "messages", "notifications", "compose", "login", "signup", "tos", "privacy"},
    "vk": {"wall", "photo", "video", "feed", "im", "search", "away.php", "clips"},
    "weibo": {"u", "n", "p", "status", "tv", "search", "ttarticle", "detail"},
}


def split_url(url: str) -> tuple[str, list[str], dict[str, list[str]]]:
    """(host without www./m./mobile./web., path segments, query) of a URL written with or
    without its scheme."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = (parts.hostname or "").lower()
    host = re.sub(r"^(?:www|m|mobile|web|mbasic|touch|vm|vt)\.", "", host)
    segments = [s for s in parts.path.split("/") if s]
    return host, segments, parse_qs(parts.query)


def url_key(url: str) -> str:
    """A link reduced to ``url:host/path?query`` (scheme, www., case of the host, '/' dropped)."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = re.sub(r"^(?:www|m|mobile|web)\.", "", (parts.hostname or "").lower())
    path = parts.path.rstrip("/")
    return f"url:{host}{path}" + (f"?{parts.query}" if parts.query else "")


def _user(name: str) -> str | None:
    name = name.strip().lstrip("@~").lower()
    return f"id:{name}" if name else None


def _first_not_reserved(platform: str) -> Callable[[list[str], dict], str | None]:
    def key(segments: list[str], query: dict) -> str | None:
        if segments[0].lower() in _RESERVED[platform]:
            return None
        return _user(segments[0])
    return key


def _facebook(segments: list[str], query: dict) -> str | None:
    if segments[0] == "profile.php" and query.get("id"):
        return _user(query["id"][0])
    if segments[0] == "people" and len(segments) >= 3:
        return _user(segments[2])
    return _first_not_reserved("facebook")(segments, query)


def _instagram(segments: list[str], query: dict) -> str | None:
    if segments[0] == "stories" and len(segments) >= 2:
        return _user(segments[1])
    return _first_not_reserved("instagram")(segments, query)


def _at_first(segments: list[str], query: dict) -> str | None:
    return _user(segments[0]) if segments[0].startswith("@") else None


def _telegram(segments: list[str], query: dict) -> str | None:
    if segments[0] == "joinchat" and len(segments) >= 2:
        return f"invite:{segments[1]}"
    if segments[0].startswith("+"):
        return f"invite:{segments[0][1:]}"
    if segments[0] == "s" and len(segments) >= 2:
        return _user(segments[1])
    return _user(segments[0])


def _digits_or_user(segments: list[str], query: dict) -> str | None:
    first = segments[0].lstrip("+")
    if first.isdigit():
        return f"tel?:{first}"  # resolved to E.164 by the redactor, which knows the regions
    return _user(first) if first not in {"g", "s"} else f"invite:{'/'.join(segments)}"


def _whatsapp_api(segments: list[str], query: dict) -> str | None:
    phone = (query.get("phone") or [""])[0].lstrip("+ ")
    return f"tel?:{phone}" if phone.isdigit() else None


def _line(segments: list[str], query: dict) -> str | None:
    lowered = [s.lower() for s in segments]
    for i, seg in enumerate(lowered[:-1]):
        if seg == "ti" and lowered[i + 1] == "p" and i + 2 < len(segments):
            return _user(segments[i + 2])
        if seg == "ti" and lowered[i + 1] == "g" and i + 2 < len(segments):
            return f"invite:{segments[i + 2]}"
    return None


def _weibo(segments: list[str], query: dict) -> str | None:
    if segments[0] in {"u", "n"} and len(segments) >= 2:
        return _user(segments[1])
    return _first_not_reserved("weibo")(segments, query)


def _youtube(segments: list[str], query: dict) -> str | None:
    if segments[0].startswith("@"):
        return _user(segments[0])
    if segments[0] in {"c", "user", "channel"} and len(segments) >= 2:
        return _user(segments[1])
    return None


def _second_after(word: str) -> Callable[[list[str], dict], str | None]:
    def key(segments: list[str], query: dict) -> str | None:
        if segments[0] == word and len(segments) >= 2:
            return _user(segments[1])
        return None
    return key


def _invite(segments: list[str], query: dict) -> str | None:
    return "invite:" + "/".join(segments)


_HOSTS: dict[str, Callable[[list[str], dict], str | None]] = {
    "facebook.com": _facebook, "fb.com": _facebook, "fb.me": _first_not_reserved("facebook"),
    "instagram.com": _instagram, "instagr.am": _instagram,
    "twitter.com": _first_not_reserved("twitter"), "x.com": _first_not_reserved("twitter"),
    "tiktok.com": _at_first, "threads.net": _at_first, "douyin.com": _second_after("user"),
    "t.me": _telegram, "telegram.me": _telegram, "telegram.dog": _telegram,
    "wa.me": _digits_or_user, "zalo.me": _digits_or_user, "api.whatsapp.com": _whatsapp_api,
    "chat.whatsapp.com": _invite, "open.kakao.com": _invite, "invite.viber.com": _invite,
    "line.me": _line, "weibo.com": _weibo, "weibo.cn": _weibo,
    "vk.com": _first_not_reserved("vk"), "youtube.com": _youtube,
    "linkedin.com": _second_after("in"), "snapchat.com": _second_after("add"),
    "xiaohongshu.com": _second_after("user"),
}


def profile_key(url: str) -> str | None:
    """The identity a link names (``id:``, ``tel?:``, ``invite:``), or ``None`` when the link
    names no account (a post or a video: see :func:`url_key`)."""
    if "@" not in url and not _PLATFORM_HOST.search(url):
        return None  # a media file or any other site: no platform host, no '/@user' path
    host, segments, query = split_url(url)
    if not segments and not query:
        return None
    if segments and segments[0].startswith("@") and host not in _HOSTS:
        name = segments[0][1:].lower()  # Mastodon-style https://server/@user
        return f"id:{name}" if "@" in name else f"id:{name}@{host}"
    for suffix, keyer in _HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return keyer(segments, query) if segments or keyer is _whatsapp_api else None
    return None


def trim(url: str) -> str:
    """A URL without the punctuation that ends the sentence it was written in."""
    while url and url[-1] in _TRAILING:
        url = url[:-1]
    return url
