"""Patterns for contacts written in free text: e-mails, handles and messenger ids.

Messenger ids are found by their label ("WA: 0912 345 678", "微信: abc123", "line id: xyz",
"zalo 0912345678", "tele: @abc", "ไลน์ ivory99"). The label is kept, the id is redacted, so an
analyst still sees which messenger sellers move to.
"""

from __future__ import annotations

import re

# Obfuscated forms as well: "name [at] mail [dot] com", "name(at)mail.com".
_AT = r"(?:@|\s?[\[({]\s?at\s?[\])}]\s?)"
_DOT = r"(?:\.|\s?[\[({]\s?dot\s?[\])}]\s?)"
EMAIL_RE = re.compile(
    rf"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*){_AT}"
    rf"((?:[A-Za-z0-9-]+{_DOT})+[A-Za-z]{{2,}})(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
# Fediverse handles "@user@server.tld" (before e-mails, which would take "user@server.tld").
FEDI_RE = re.compile(r"(?<![A-Za-z0-9_.@/])@([A-Za-z0-9_.]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
HANDLE_RE = re.compile(r"(?<![A-Za-z0-9_.@/\\<])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,62}[A-Za-z0-9_])?)")

# Labels that name a messenger. "Strong" labels are unambiguous words; short or common words
# ("wa", "line", "tele") need a ':' / '=' after them, or an id that holds a digit or starts with '@'.
_LATIN_LABELS = (
    r"whats\s?app|wechat|we\s?chat|weixin|telegram|zalo|viber|kakao\s?talk|kakao|line\s?id|"
    r"id\s?line|wa|wsp|wts|tele|tg|vx|wx|zl|line|qq|signal|imo|skype|snapchat|snap|kik|ig|insta|"
    r"instagram|v(?=\s?[:：])"
)
_CJK_LABELS = r"微信号|微信|威信|薇信|徽信|V信|v信|加微|加V|vx号|wx号|ไลน์ไอดี|ไอดีไลน์|ไลน์|ไอดี"
_ID = r"@?[A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]"
_PHONE = r"[+\uff0b]?\d[\d .\-()\u00a0]{5,}\d"
_VALUE = rf"(?P<value>{_PHONE}|{_ID})"
MESSENGER_RE = re.compile(
    rf"(?P<label>(?<![A-Za-z0-9_])(?:{_LATIN_LABELS})(?![A-Za-z0-9_])"
    rf"(?:\s?[/&,+]\s?(?:{_LATIN_LABELS})(?![A-Za-z0-9_]))*|{_CJK_LABELS})"
    rf"(?P<sep>\s?(?:id|ID|Id)?\s?(?:[:：=]|[-–]\s|\s?\bis\b)?\s?|\s?号?[:：]?\s?)"
    rf"{_VALUE}",
    re.IGNORECASE,
)
# Where a label may start, found in the lower-cased text by one alternation of literals (no
# look-behind and no IGNORECASE, so the regex engine can skip ahead by first character);
# MESSENGER_RE then runs anchored at those places only.
_LABEL_STARTS = (
    "whats", "wechat", "we chat", "weixin", "telegram", "zalo", "viber", "kakao", "line", "id line",
    "idline", "wa", "wsp", "wts", "tele", "tg", "vx", "wx", "zl", "qq", "signal", "imo", "skype",
    "snap", "kik", "ig", "insta", "微信", "威信", "薇信", "徽信", "v信", "加微", "加v", "ไลน์",
    "ไอดี", "v:", "v :", "v：", "v ：",
)
_LABEL_SCAN = re.compile("|".join(re.escape(x) for x in sorted(_LABEL_STARTS, key=len,
                                                                 reverse=True)))
_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
# A necessary condition for MESSENGER_RE, on the lower-cased text: a Latin label as a whole word,
# or a CJK/Thai label. Most texts have none, and then the messenger pass costs one search.
_LATIN_GATE = _LATIN_LABELS.replace("(?=\\s?[:：])", "\\s?[:：]")
LABEL_GATE = re.compile(
    rf"(?<![a-z0-9_])(?:{_LATIN_GATE})(?![a-z0-9_])|"
    + "|".join(re.escape(x) for x in _LABEL_STARTS if not x.isascii()))


def may_have_messenger(lowered: str) -> bool:
    """Cheap test on the lower-cased text: could :func:`messenger_matches` find anything?"""
    return LABEL_GATE.search(lowered) is not None


def messenger_matches(text: str) -> list[re.Match[str]]:
    """The messenger-id matches in ``text``, left to right, not overlapping."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare case-fold that changes length: slow, plain scan
        return list(MESSENGER_RE.finditer(text))
    starts = [m.start() for m in _LABEL_SCAN.finditer(lowered)
              if m.start() == 0 or lowered[m.start() - 1] not in _WORD]
    found: list[re.Match[str]] = []
    end = 0
    for pos in starts:
        if pos < end:
            continue
        m = MESSENGER_RE.match(text, pos)
        if m is None and not text[pos].isascii():  # "加微信abc": the scan took "加微"
            m = MESSENGER_RE.match(text, pos + 1)
        if m:
            found.append(m)
            end = m.end()
    return found
# Words after a label that are not an id ("WhatsApp only", "line: same as above").
_NOT_ID = {
    "only", "me", "us", "please", "pls", "plz", "or", "and", "for", "to", "pm", "dm", "inbox",
    "ok", "available", "same", "number", "num", "no", "id", "is", "the", "my", "our", "via",
    "call", "chat", "contact", "group", "here", "below", "above", "now", "with", "message",
    "msg", "text", "add", "link", "info", "ready", "also", "too", "free", "yes", "of",
    "in", "on", "at", "by", "it", "as", "an", "a", "hub", "kontak", "liên", "lien", "hệ", "he",
    "ya", "aja", "saja", "atau", "dan", "di", "ke", "nomor", "nya", "order", "sold",
}
NUMBERISH = re.compile(r"[+\uff0b]?[\d .\-()\u00a0]+")


def messenger_value(match: re.Match[str]) -> str | None:
    """The id a messenger match names, or ``None`` when the words after the label are not one."""
    value = match.group("value").rstrip(".-")
    label = match.group("label")
    sep = match.group("sep")
    if len(value.lstrip("@")) < 3 or value.lower() in _NOT_ID:
        return None
    if NUMBERISH.fullmatch(value):
        return value
    if label.lower() == "v":  # "V: wx_abc123" (WeChat); a lone V is too common for plain words
        return value if (value.startswith("@") or "_" in value
                         or any(c.isdigit() for c in value)) else None
    cjk = not label.isascii()
    explicit = any(c in sep for c in ":：=") or "id" in sep.lower() or "-" in sep
    if cjk or explicit:
        return value
    # "WhatsApp me", "line of products": only an id-looking word follows a bare label.
    if value.startswith("@") or any(c.isdigit() for c in value) or "_" in value:
        return value
    return None


def is_qq(match: re.Match[str]) -> bool:
    return match.group("label").lower().startswith("qq")
