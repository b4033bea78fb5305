"""Bluesky: full-text search (``app.bsky.feed.searchPosts``) through the ``atproto`` SDK.

Access: an account handle and an *app password* (``credentials``: ``handle``, ``app_password``),
logged in at ``base_url`` (default ``https://bsky.social``, which proxies search to the AppView);
or, with ``options.public = true`` (or ``base_url = "https://public.api.bsky.app"``), without an
account, where the AppView serves unauthenticated search (it has been switched off at times).

The SDK handles login, session refresh and errors; the call itself goes through its typed
``invoke_query`` and the answer is read post by post, so one malformed post is quarantined
instead of failing the page (its ``search_posts`` validates the whole answer as one model).

Search syntax: terms are ANDed, quoted phrases work, ``OR`` does not (bluesky-social/atproto
#3751): one call per lexicon term; ``options.lang`` adds ``lang:xx`` (one call per language).

The cursor (one per source name and term) is JSON::

    {"since": <newest indexedAt of the last finished window> | null,
     "cursor": <searchPosts cursor while paging> | null,
     "newest": <newest indexedAt of the window being paged> | null,
     "left": <pages the first backfill may still read> | null}

Results come newest first (``sort=latest``). A first run pages back in time for at most
``max_pages`` (or, with ``options.since``, down to that date); a later run asks for
``since=<since>`` and pages until the window is exhausted, and only then moves ``since`` on, so a
run killed mid-window resumes from its cursor and loses nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wildsift.errors import ConfigError, RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.bluesky.errors import (
    BlueskyCredentialsError,
    BlueskyError,
    BlueskyRateLimited,
)
from wildsift.sources.bluesky.mapping import map_post_view, parse_time
from wildsift.sources.cursor import dump_cursor, load_cursor
from wildsift.sources.query import lexicon_terms, quoted
from wildsift.sources.retry import RetryPolicy, Wait, cut_page, retry_after

SEARCH = "app.bsky.feed.searchPosts"
LOGIN_URL = "https://bsky.social"
PUBLIC_URL = "https://public.api.bsky.app"
APP_PASSWORD_HINT = ("Create an app password in Bluesky: Settings > Privacy and security > "
                     "App passwords (never the account password)")


class BlueskyOptions(BaseModel):
    """``[[sources]] options`` of a Bluesky source."""

    model_config = ConfigDict(extra="forbid")

    public: bool = False  # no login: the public AppView's unauthenticated search
    since: str | None = None  # lower bound of the first backfill (ISO date or datetime)
    until: str | None = None  # upper bound of every call (a fixed historical window)
    lang: list[str] | Literal["study"] | None = None  # one call per language (lang:xx)
    sort: Literal["latest", "top"] = "latest"
    limit: int = Field(default=100, ge=1, le=100)
    max_terms: int | None = Field(default=None, ge=1)  # lexicon terms per query
    handle_env: str | None = None
    app_password_env: str | None = None

    @field_validator("since", "until")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None:
            parse_time(value, location="options", field="since/until")
        return value


def options_of(settings) -> BlueskyOptions:
    try:
        return BlueskyOptions(**(settings.options or {}))
    except (ValidationError, RecordError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": ("since",),
                                                                          "msg": str(exc)}
        key = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"[[sources]] {settings.name}: options.{key}: {first['msg']}") from None


def build(settings, credentials, *, dry_run: bool = False, **options) -> BlueskySource:
    """The registry's entry point (see sources/registry.py)."""
    opts = options_of(settings)
    public = opts.public or (settings.base_url or "").rstrip("/") == PUBLIC_URL
    if dry_run or public:
        return BlueskySource(settings, public=public, dry_run=dry_run, **options)
    handle = credentials.get("handle", hint=APP_PASSWORD_HINT)
    password = credentials.get("app_password", hint=APP_PASSWORD_HINT)
    return BlueskySource(settings, handle=handle, app_password=password, **options)


class BlueskySource:
    """One configured Bluesky search (``[[sources]] type = "bluesky"``)."""

    platform = "bluesky"

    def __init__(self, settings, *, handle: str | None = None, app_password: str | None = None,
                 public: bool = False, dry_run: bool = False,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 clock: Callable[[], float] = time.time,
                 max_retries: int = 5, max_wait: float = 900.0, timeout: float = 30.0,
                 transport=None):
        self.settings = settings
        self.name = settings.name
        self.options = options_of(settings)
        self.public = public or handle is None
        default = PUBLIC_URL if self.public else LOGIN_URL
        self.base_url = (settings.base_url or default).rstrip("/")
        self.max_pages = settings.max_pages
        self.policy = RetryPolicy(max_retries=max_retries, max_wait=max_wait, sleep=sleep,
                                  jitter=jitter)
        self.clock = clock
        self._login = (handle, app_password)
        self._logged_in = False
        self.client = None
        if not dry_run:
            from atproto import Client
            from atproto_client.request import Request

            request = Request(timeout=timeout, **({"transport": transport} if transport else {}))
            self.client = Client(base_url=self.base_url, request=request)

    def close(self) -> None:
        if self.client is not None:
            self.client.request.close()

    # -- the Source protocol ---------------------------------------------------------------
    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """One search per lexicon term (Bluesky has no OR), phrases quoted, per language."""
        terms = [quoted(t) for t in lexicon_terms(query, languages, lexicon,
                                                  limit=self.options.max_terms)]
        langs = languages if self.options.lang == "study" else (self.options.lang or [])
        if not langs:
            return terms
        return [f"{term} lang:{lang}" for term in terms for lang in langs]

    def params(self, term: str, cursor: str | None) -> dict[str, Any]:
        """The searchPosts parameters of the next call for ``term`` from ``cursor``."""
        state = load_cursor(cursor)
        params: dict[str, Any] = {"q": term, "sort": self.options.sort,
                                  "limit": self.options.limit}
        since = state.get("since") or self.options.since
        if since:
            params["since"] = since
        if self.options.until:
            params["until"] = self.options.until
        if state.get("cursor"):
            params["cursor"] = state["cursor"]
        return params

    def describe(self, term: str, cursor: str | None) -> Call:
        return Call(self._request(self.params(term, cursor)))

    def fetch(self, term: str, cursor: str | None) -> Page:
        params = self.params(term, cursor)
        request = self._request(params)
        content = self._call(lambda: self._search(params), request)
        if not isinstance(content, dict) or not isinstance(content.get("posts"), list):
            raise BlueskyError(f"{request}: expected an object with 'posts'; is {self.base_url}"
                               " a Bluesky (AppView or PDS) server?")
        posts = content["posts"]
        records = self._records(posts, term, request)
        return Page(records, *self._next(cursor, posts, content.get("cursor")), request=request)

    # -- paging state ----------------------------------------------------------------------
    def _next(self, cursor: str | None, posts: list, next_cursor: Any) -> tuple[str | None, bool]:
        """(cursor to store, more) after a page."""
        state = load_cursor(cursor)
        seen = [p.get("indexedAt") for p in posts
                if isinstance(p, dict) and isinstance(p.get("indexedAt"), str)]
        newest = max([s for s in (state.get("newest"), *seen) if s], key=_instant, default=None)
        bounded = not state.get("since") and not self.options.since  # the first backfill
        left = (state.get("left") or self.max_pages) - 1 if bounded else None
        if posts and isinstance(next_cursor, str) and next_cursor and (left is None or left > 0):
            return dump_cursor({"since": state.get("since"), "cursor": next_cursor,
                          "newest": newest, "left": left}), True
        since = newest or state.get("since")
        if not since:  # nothing found yet: keep asking from the top next time
            return None, False
        return dump_cursor({"since": since, "cursor": None, "newest": None, "left": None}), False

    # -- calls -----------------------------------------------------------------------------
    def _request(self, params: dict[str, Any]) -> str:
        return f"GET {self.base_url}/xrpc/{SEARCH}?{urlencode(params)}"

    def _search(self, params: dict[str, Any]) -> Any:
        from atproto import models

        if not self.public and not self._logged_in:
            self._do_login()
        response = self.client.invoke_query(SEARCH, params=models.AppBskyFeedSearchPosts.Params(
            **params))
        return response.content

    def _do_login(self) -> None:
        handle, password = self._login
        self.client.login(handle, password, fetch_bsky_profile=False)
        self._logged_in = True

    def _call(self, call: Callable[[], Any], what: str) -> Any:
        from atproto_client import exceptions as atx

        try:
            return self.policy.run(call, self._classify, what=what, error=BlueskyError,
                                   rate_limited=BlueskyRateLimited)
        except atx.UnauthorizedError as exc:
            who = "the public AppView" if self.public else f"{self.base_url}"
            raise BlueskyCredentialsError(
                f"{who} refused the request ({exc}); check the handle and app password "
                f"of source '{self.name}' ({APP_PASSWORD_HINT.lower()}), or set "
                "options.public = true to search without an account") from None
        except atx.BadRequestError as exc:
            raise BlueskyError(f"{what}: Bluesky refused the query ({exc}); check the term "
                               "and options.since/until/lang") from None
        except atx.AtProtocolError as exc:
            raise BlueskyError(f"{what}: {type(exc).__name__}: {exc}") from None

    def _classify(self, exc: BaseException) -> Wait | None:
        """429 with ``ratelimit-reset`` (epoch seconds) or ``retry-after``; 5xx and timeouts
        with backoff; anything else is not worth a retry."""
        from atproto_client import exceptions as atx

        if isinstance(exc, atx.RateLimitExceededError):
            headers = exc.response.headers if exc.response is not None else {}
            wait = retry_after(headers.get("retry-after"), date=headers.get("date"))
            reset = headers.get("ratelimit-reset")
            if wait is None and reset and str(reset).isdigit():
                wait = max(0.0, float(reset) - self.clock())
            return Wait(wait, rate_limited=True, why="rate limited (429)")
        if isinstance(exc, atx.InvokeTimeoutError):  # its message is empty: say what it was
            return Wait(None, why="timeout (no answer within the client's timeout)")
        if isinstance(exc, atx.NetworkError):  # transport errors, 502
            return Wait(None, why=f"network error ({exc})")
        if isinstance(exc, atx.RequestException) and exc.response is not None \
                and exc.response.status_code >= 500:
            return Wait(None, why=f"server error {exc.response.status_code}")
        return cut_page(exc)

    def _records(self, posts: list, term: str, request: str) -> list[RawPost | Quarantined]:
        records: list[RawPost | Quarantined] = []
        for index, view in enumerate(posts):
            location = f"{request} #{index}"
            try:
                records.append(map_post_view(view, term, f"bluesky:{self.name}",
                                             location=location))
            except RecordError as exc:
                records.append(Quarantined(source=f"bluesky:{self.name}", location=location,
                                           reason=exc.reason, field=exc.field))
        return records


def _instant(value: str) -> datetime:
    try:
        return parse_time(value, location="", field="indexedAt") or datetime.min.replace(tzinfo=UTC)
    except RecordError:
        return datetime.min.replace(tzinfo=UTC)
