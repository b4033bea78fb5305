"""Weibo open API: the timelines of given accounts (``statuses/user_timeline``), for a user who
holds an app key and an access token.

Weibo's open API gives ordinary app keys no keyword search (``search/topics`` and the firehose
need commercial access), so this source does not search: each ``queries`` entry is an account,
a numeric uid (or a screen name), and its timeline is read newest first, 100 a page. Ordinary
keys read only the timeline of the user who authorised the token; other accounts' timelines
need the advanced permission Weibo grants on request (an error 10014 or 20112 says so).

Errors come in the body, often with HTTP 400/403: ``{"error": "...", "error_code": 10023}``.
10022, 10023, 10024 (IP, user, per-method hourly limits) wait an hour or end the run with the
cursor kept; 21301, 21327, 21332 (no, expired, invalid token) are credentials errors. The cursor
(per source and account) is JSON::

    {"since_id": "<newest mid of the last finished run>", "top": "<newest this run>",
     "max_id": "<page back from here>"}

A later run passes ``since_id`` and reads only newer posts. Credential: ``access_token``
(``WILDSIFT_WEIBO_ACCESS_TOKEN``, ``token_env`` or the credentials file).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ConfigDict, Field

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import dump_cursor, load_cursor
from wildsift.sources.http import USER_AGENT, wait_from_headers
from wildsift.sources.options import parse_options
from wildsift.sources.retry import RetryPolicy, Wait
from wildsift.sources.weibo.errors import WeiboCredentialsError, WeiboError, WeiboRateLimited
from wildsift.sources.weibo.mapping import PLATFORM, map_status

API = "https://api.weibo.com/2"
PATH = "/statuses/user_timeline.json"
RATE_CODES = {10022, 10023, 10024}
TOKEN_CODES = {21301, 21314, 21315, 21316, 21317, 21327, 21332}
HINT = ("create an app at https://open.weibo.com, authorise it with the account whose "
        "timeline you read, and export WILDSIFT_WEIBO_ACCESS_TOKEN=... (or token_env)")


class WeiboOptions(BaseModel):
    """``options`` of a ``type = "weibo"`` source."""

    model_config = ConfigDict(extra="forbid")
    count: int = Field(default=100, ge=1, le=100)
    feature: int = Field(default=0, ge=0, le=4)  # 0 all, 1 original, 2 pictures, 3 video
    token_env: str | None = None


def build(settings, credentials, *, dry_run: bool = False, **options) -> WeiboSource:
    """The registry's entry point (see sources/registry.py)."""
    if dry_run:
        return WeiboSource(settings, **options)
    token = credentials.get("access_token", hint=HINT)
    return WeiboSource(settings, token=token, **options)


class _Failed(Exception):
    def __init__(self, wait: Wait):
        self.wait = wait


class WeiboSource:
    """One ``[[sources]] type = "weibo"`` entry."""

    platform = PLATFORM

    def __init__(self, settings, *, token: str | None = None,
                 transport: httpx.BaseTransport | None = None, policy: RetryPolicy | None = None,
                 sleep=None, jitter=None, max_retries: int = 5, max_wait: float = 900.0):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(WeiboOptions, settings)
        self.base_url = (settings.base_url or API).rstrip("/")
        self.token = token
        self.http = httpx.Client(base_url=self.base_url, transport=transport, timeout=20.0,
                                 headers={"User-Agent": USER_AGENT})
        policy = policy or RetryPolicy(max_retries=max_retries, max_wait=max_wait)
        policy.sleep = sleep or policy.sleep
        policy.jitter = jitter or policy.jitter
        self.policy = policy

    def close(self) -> None:
        self.http.close()

    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """An account, not a search: the query itself (a uid or a screen name)."""
        return [query.strip().lstrip("@")] if query.strip() else []

    def params(self, account: str, cursor: str | None) -> dict[str, Any]:
        state = load_cursor(cursor)
        key = "uid" if account.isdigit() else "screen_name"
        params: dict[str, Any] = {key: account, "count": self.options.count}
        if self.options.feature:
            params["feature"] = self.options.feature
        if state.get("since_id"):
            params["since_id"] = state["since_id"]
        if state.get("max_id"):
            params["max_id"] = state["max_id"]
        return params

    def describe(self, term: str, cursor: str | None) -> Call:
        return Call(f"GET {self.base_url}{PATH}?{urlencode(self.params(term, cursor))}")

    def fetch(self, term: str, cursor: str | None) -> Page:
        if self.token is None:
            raise WeiboCredentialsError(f"source '{self.name}' was built for --dry-run only")
        params = self.params(term, cursor)
        request = f"GET {self.base_url}{PATH}?{urlencode(params)}"
        body = self.policy.run(lambda: self._once(params, request), _classify, what=request,
                               error=WeiboError, rate_limited=WeiboRateLimited)
        statuses = body.get("statuses")
        if not isinstance(statuses, list):
            raise WeiboError(f"{request}: expected 'statuses', got {', '.join(body) or 'nothing'}")
        state = load_cursor(cursor)
        since = int(state.get("since_id") or 0)
        top = max(int(state.get("top") or 0), since)
        source = f"{PLATFORM}:{self.name}"
        records: list[RawPost | Quarantined] = []
        lowest = None
        for index, status in enumerate(statuses):
            location = f"{request} #{index}"
            try:
                post = map_status(status, source=source, location=location, query=term)
            except RecordError as exc:
                records.append(Quarantined(source, exc.location or location, exc.reason,
                                           exc.field))
                continue
            mid = int(post.source_id)
            lowest = mid if lowest is None else min(lowest, mid)
            if mid > since:
                top = max(top, mid)
                records.append(post)
        if lowest is not None and len(statuses) >= self.options.count and lowest - 1 > since:
            state |= {"top": str(top), "max_id": str(lowest - 1)}
            return Page(records, dump_cursor(state), more=True, request=request)
        return Page(records, dump_cursor({"since_id": str(top)}) if top else None, more=False,
                    request=request)

    def _once(self, params: dict[str, Any], request: str) -> dict:
        try:
            response = self.http.get(PATH, params={**params, "access_token": self.token})
        except httpx.TimeoutException:
            raise _Failed(Wait(why="timeout")) from None
        except httpx.TransportError as exc:
            raise _Failed(Wait(why=f"{type(exc).__name__} (check base_url)")) from None
        try:
            body = response.json()
        except ValueError:
            if response.status_code >= 500 or response.status_code == 200:
                raise _Failed(Wait(why=f"HTTP {response.status_code}, not JSON")) from None
            raise WeiboError(f"{request}: HTTP {response.status_code}, not JSON") from None
        code = body.get("error_code") if isinstance(body, dict) else None
        if code in RATE_CODES or response.status_code == 429:
            raise _Failed(Wait(wait_from_headers(response.headers) or 3600.0, rate_limited=True,
                               why=f"Weibo error {code}: {body.get('error', '')}"))
        if code in TOKEN_CODES:
            raise WeiboCredentialsError(f"Weibo refused the token (error {code}: "
                                        f"{body.get('error', '')}); {HINT}")
        if code or response.status_code >= 500:
            if response.status_code >= 500:
                raise _Failed(Wait(why=f"server error {response.status_code}"))
            raise WeiboError(f"{request}: Weibo error {code}: {body.get('error', '')} (10014 "
                             "or 20112: the token may read only its own user's timeline)")
        if not isinstance(body, dict):
            raise WeiboError(f"{request}: expected a JSON object")
        return body


def _classify(exc: BaseException) -> Wait | None:
    return exc.wait if isinstance(exc, _Failed) else None
