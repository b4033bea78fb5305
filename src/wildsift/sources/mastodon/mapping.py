"""Map a Mastodon status (the JSON of ``GET /api/v1/timelines/tag/:hashtag``) to a RawPost.

Pure functions, tested on saved JSON of the real shape. Accounts are named by their id on the
server the status was read from (``<server>:<account id>``): author, mentions,
``in_reply_to_account_id`` and the account of a reblogged (``reblog.account``) or quoted
(``quote.quoted_status.account``) status then share one namespace, so reply, mention and repost
networks link up after pseudonymisation. The status URL and URI are not kept: they contain the author's handle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost

PLATFORM = "mastodon"
_BLOCKS = {"p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_MEDIA_KINDS = {"image": "image", "gifv": "video", "video": "video"}


class _TextParser(HTMLParser):
    """Mastodon's status HTML -> plain text: <br> is a line break, paragraphs a blank line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS and self.parts and not self.parts[-1].endswith("\n\n"):
            self.parts.append("\n\n" if not self.parts[-1].endswith("\n") else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str | None) -> str:
    """Plain text of a status or profile note, keeping its line breaks."""
    if not html:
        return ""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:  # at most one blank line between paragraphs
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    return "\n".join(out).strip()


def _account(server: str, account_id: Any) -> str | None:
    return f"{server}:{account_id}" if account_id not in (None, "") else None


def _reposted(server: str, status: dict) -> str | None:
    """The account whose status this one reblogs (a boost) or quotes (Mastodon 4.4+)."""
    for other in (status.get("reblog"), (status.get("quote") or {}).get("quoted_status")
                  if isinstance(status.get("quote"), dict) else None):
        account = other.get("account") if isinstance(other, dict) else None
        if isinstance(account, dict) and account.get("id") not in (None, ""):
            return _account(server, account["id"])
    return None


def _created_at(value: Any, location: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise RecordError("unparseable date (not ISO 8601)", location=location,
                          field="created_at") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def map_status(status: dict, server: str, query: str, *, location: str = "",
               rules: str | None = None) -> RawPost:
    """One status -> RawPost (personal data still inside: pass it through privacy).

    ``rules``: the digest of the server's rules read in this run, kept in the provenance
    (``mastodon:<server>;rules=<digest>``; the rules themselves are in the study folder).

    Raises RecordError (with the field) when the status lacks what every post needs.
    """
    where = location or f"{server}"
    if not isinstance(status, dict):
        raise RecordError("a status must be a JSON object", location=where)
    status_id = status.get("id")
    if status_id in (None, "") or not str(status_id).isdigit():
        raise RecordError("status has no valid 'id'", location=where, field="id")
    where = location or f"{server}/statuses/{status_id}"
    shown: dict[str, Any] = status
    reblog = status.get("reblog")
    if isinstance(reblog, dict) and not html_to_text(status.get("content")) and not status.get(
            "media_attachments"):
        shown = reblog  # a boost has no content of its own: it shows the reblogged status
    if shown.get("content") is None and not shown.get("media_attachments"):
        raise RecordError("status has neither content nor media", location=where,
                          field="content")
    account = status.get("account") if isinstance(status.get("account"), dict) else {}
    text = html_to_text(shown.get("content"))
    warning = (shown.get("spoiler_text") or "").strip()
    if warning:
        text = f"{warning}\n\n{text}" if text else warning
    media = []
    for item in shown.get("media_attachments") or []:
        kind = _MEDIA_KINDS.get((item or {}).get("type", ""))
        url = (item or {}).get("url") or (item or {}).get("remote_url")
        if kind and url:
            media.append(RawMedia(url=url, kind=kind))
    return RawPost(
        platform=PLATFORM,
        source_id=f"{server}:{status_id}",
        text=text,
        created_at=_created_at(status.get("created_at"), where),
        author=_account(server, account.get("id")) or account.get("acct"),
        author_description=html_to_text(account.get("note")) or None,
        lang=shown.get("language") or None,
        reply_to=_account(server, status.get("in_reply_to_account_id")),
        repost_of=_reposted(server, status),
        mentions=[m for m in (_account(server, x.get("id")) or x.get("acct")
                              for x in status.get("mentions") or [] if isinstance(x, dict)) if m],
        hashtags=[t["name"] for t in shown.get("tags") or []
                  if isinstance(t, dict) and t.get("name")],
        media=media,
        query=query,
        source=f"{PLATFORM}:{server}" + (f";rules={rules}" if rules else ""),
        location=where,
    )


def status_id(status: Any) -> int | None:
    """The numeric id of a status, or None when it has none (for cursors)."""
    if isinstance(status, dict) and str(status.get("id", "")).isdigit():
        return int(status["id"])
    return None
