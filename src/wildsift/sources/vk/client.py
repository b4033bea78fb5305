"""VK: ``newsfeed.search`` through vk_api, with geo coordinates and photo attachments.

``vk_api.VkApi(token=...)`` posts to ``https://api.vk.ru/method/<method>`` (hard-coded) through
the ``requests.Session`` it accepts as ``session=``; we give it a
:class:`~wildsift.sources.rebase.RebasedSession`, which sends those calls to ``base_url`` (the
tests' local server). VK reports errors in a 200 body (``{"error": {"error_code": ...}}``):
codes 6 (too many requests per second), 9 (flood control) and 29 (rate limit reached) are rate
limits, retried by our :class:`RetryPolicy` (vk_api's own handler for 6 sleeps 0.5 s and
recurses, so it is replaced); 5 (authorization failed) is a credentials error.

One call per term (VK's search has no documented OR). The cursor (per source and term) is JSON::

    {"since": <unix time of the newest post of the last finished run>,
     "top": <newest this run>, "next": "<next_from to page back>"}

A later run passes ``start_time = since + 1`` so it reads only what is new.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import requests
from pydantic import BaseModel, ConfigDict, Field

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import dump_cursor, load_cursor
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms
from wildsift.sources.rebase import RebasedSession
from wildsift.sources.retry import RetryPolicy, Wait, cut_page, header_wait
from wildsift.sources.vk.errors import VkCredentialsError, VkError, VkRateLimited
from wildsift.sources.vk.mapping import PLATFORM, descriptions_of, map_post

API_HOST = "https://api.vk.ru"
API_VERSION = "5.199"
RATE_CODES = {6: 1.0, 9: 60.0, 29: 3600.0}  # code -> seconds to wait (VK sends no header)
AUTH_CODES = {5, 27, 28}  # user authorization failed; group / application token not allowed
TOKEN_HINT = ("create a VK app at https://dev.vk.com, then an access token with the wall "
              "scope (a service token cannot call newsfeed.search)")


class VkOptions(BaseModel):
    """``options`` of a ``type = "vk"`` source."""

    model_config = ConfigDict(extra="forbid")
    count: int = Field(default=200, ge=1, le=200)
    geo: tuple[float, float] | None = None  # [latitude, longitude]: posts near this point
    min_interval: float = Field(default=0.34, ge=0)  # vk_api's pause between calls (3 a second)
    token_env: str | None = None


def build(settings, credentials, *, dry_run: bool = False, timeout: float = 30.0,
          **options) -> VkSource:
    """The registry's entry point (see sources/registry.py). ``timeout``: seconds a call may
    take before it is retried (vk_api sets none: a stalled socket would wait for ever)."""
    if dry_run:
        return VkSource(settings, vk=None, **options)
    import vk_api  # only when VK is used: it is an optional dependency
    from jconfig.memory import MemoryConfig  # vk_api's own dependency

    opts = parse_options(VkOptions, settings)
    token = credentials.get("token", hint=TOKEN_HINT)
    vk = vk_api.VkApi(token=token, api_version=API_VERSION, config=MemoryConfig,
                      session=RebasedSession(API_HOST, settings.base_url, timeout=timeout))
    vk.RPS_DELAY = opts.min_interval
    vk.error_handlers.pop(6, None)  # our RetryPolicy waits, with an injectable sleep
    return VkSource(settings, vk=vk, **options)


class VkSource:
    """One ``[[sources]] type = "vk"`` entry."""

    platform = PLATFORM

    def __init__(self, settings, *, vk=None, policy: RetryPolicy | None = None, sleep=None,
                 jitter=None, max_retries: int = 5, max_wait: float = 900.0):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(VkOptions, settings)
        self.vk = vk
        self.base_url = (settings.base_url or API_HOST).rstrip("/")
        policy = policy or RetryPolicy(max_retries=max_retries, max_wait=max_wait)
        policy.sleep = sleep or policy.sleep
        policy.jitter = jitter or policy.jitter
        self.policy = policy

    def close(self) -> None:
        if self.vk is not None:
            self.vk.http.close()

    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """One call per lexicon term (newsfeed.search takes a plain phrase)."""
        return lexicon_terms(query, languages, lexicon)

    def params(self, term: str, cursor: str | None) -> dict[str, Any]:
        state = load_cursor(cursor)
        params: dict[str, Any] = {"q": term, "count": self.options.count, "extended": 1,
                                  "fields": "description,status"}
        if self.options.geo:
            params |= {"latitude": self.options.geo[0], "longitude": self.options.geo[1]}
        if state.get("since"):
            params["start_time"] = int(state["since"]) + 1
        if state.get("next"):
            params["start_from"] = state["next"]
        return params

    def describe(self, term: str, cursor: str | None) -> Call:
        return Call(f"POST {self.base_url}/method/newsfeed.search?"
                    f"{urlencode(self.params(term, cursor))}")

    def fetch(self, term: str, cursor: str | None) -> Page:
        if self.vk is None:
            raise VkCredentialsError(f"source '{self.name}' was built for --dry-run only")
        params = self.params(term, cursor)
        request = f"POST {self.base_url}/method/newsfeed.search?{urlencode(params)}"
        answer = self.policy.run(lambda: self.vk.method("newsfeed.search", params), _classify,
                                 what=request, error=VkError, rate_limited=VkRateLimited)
        if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
            raise VkError(f"{request}: expected a response with items, got {str(answer)[:120]}")
        descriptions = descriptions_of(answer)
        source = f"{PLATFORM}:{self.name}"
        records: list[RawPost | Quarantined] = []
        state = load_cursor(cursor)
        top = state.get("top", state.get("since"))
        for index, item in enumerate(answer["items"]):
            location = f"{request} #{index}"
            try:
                post = map_post(item, term, source, descriptions, location=location)
            except RecordError as exc:
                records.append(Quarantined(source, location, exc.reason, exc.field))
                continue
            records.append(post)
            top = max(top or 0, int(item["date"]))
        if answer.get("next_from") and answer["items"]:
            state |= {"top": top, "next": answer["next_from"]}
            return Page(records, dump_cursor(state, drop_none=True), more=True, request=request)
        cursor = dump_cursor({"since": top}) if top else None
        return Page(records, cursor, more=False, request=request)


def _classify(exc: BaseException) -> Wait | None:
    from vk_api.exceptions import ApiError, ApiHttpError

    if isinstance(exc, ApiError):
        if exc.code in RATE_CODES:
            return Wait(RATE_CODES[exc.code], rate_limited=True, why=f"VK error {exc}")
        if exc.code in AUTH_CODES:
            raise VkCredentialsError(f"VK refused the token ({exc}); {TOKEN_HINT}") from None
        if exc.code == 10:  # internal server error
            return Wait(why=f"VK error {exc}")
        raise VkError(f"newsfeed.search: VK error {exc}") from None
    if isinstance(exc, ApiHttpError):
        status = exc.response.status_code
        if status == 429:  # vk_api hands the answer over; its headers say how long to wait
            return Wait(header_wait(exc.response.headers), rate_limited=True,
                        why="rate limited (429)")
        if status >= 500:
            return Wait(why=f"server error {status}")
        raise VkError(f"newsfeed.search: HTTP {status}; check base_url") from None
    if isinstance(exc, (requests.Timeout, requests.ConnectionError)):
        return Wait(why=f"{type(exc).__name__} (check base_url and the network)")
    return cut_page(exc)
