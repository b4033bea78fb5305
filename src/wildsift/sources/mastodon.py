"""Mastodon: public hashtag timelines (``GET /api/v1/timelines/tag/:hashtag``), incrementally.

Why httpx and not Mastodon.py: Mastodon.py reads rate limits only from ``X-RateLimit-Reset``
(never ``Retry-After``), sleeps with ``time.sleep`` itself, hides the ``Link`` header behind its
own ``_pagination_next`` attributes and checks the server version with an extra request when it
is built. We need the Link header, ``Retry-After`` (seconds or an HTTP date), backoff with an
injectable sleep so tests do not wait, and a client we can point at a plain-http local server:
httpx gives all of that in a few lines (``response.links``, transports, timeouts).

The cursor (one per source name and hashtag, stored with each committed page) is JSON::

    {"since": "<newest id seen>", "older": "<max_id to continue back>"|null, "left": <pages>}

A first run reads the newest page, then follows ``rel="next"`` back in time for at most
``max_pages``; a later run reads forward with ``min_id=<since>`` and ``rel="prev"`` (gapless:
``min_id`` returns the statuses right after it), so it fetches only what is new. A run killed
mid-way resumes from the last committed page.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from wildsift import __version__
from wildsift.errors import ConfigError, RateLimited, RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, MastodonCredentialsError, MastodonError, Page
from wildsift.sources.hashtags import expand_query
from wildsift.sources.mastodon_map import map_status, status_id

PAGE_SIZE = 40  # the API's maximum for timelines


class MastodonRateLimited(MastodonError, RateLimited):
    """The server asked us to wait longer than we are willing to sleep."""


def token_from_env(settings) -> str | None:
    """The access token from the environment variable the study names (never from a file)."""
    if not settings.token_env:
        return None
    token = os.environ.get(settings.token_env, "").strip()
    if not token:
        raise MastodonCredentialsError(
            f"source '{settings.name}' reads its token from ${settings.token_env}, which is not "
            f"set; export {settings.token_env}=<access token> or remove token_env for public "
            "timelines")
    return token


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(value)  # X-RateLimit-Reset
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def build(settings, credentials, *, dry_run: bool = False, **options) -> MastodonSource:
    """The registry's entry point (see sources/registry.py)."""
    if not settings.base_url:
        raise ConfigError(f"source '{settings.name}': a Mastodon source needs base_url, the "
                          "server to read (e.g. \"https://mastodon.social\")")
    if dry_run:
        return MastodonSource(settings, **options)
    token = credentials.get("token", required=False) if settings.token_env else None
    if settings.token_env and not token:
        token_from_env(settings)  # raises the Mastodon-specific how-to-fix error
    return MastodonSource(settings, token=token, **options)


class MastodonSource:
    """One configured Mastodon server (``[[sources]] type = "mastodon"``)."""

    platform = "mastodon"

    def __init__(self, settings, *, token: str | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 max_retries: int = 5, max_wait: float = 900.0, timeout: float = 20.0):
        self.settings = settings
        self.name = settings.name
        self.base_url = settings.base_url.rstrip("/")
        self.server = urlsplit(self.base_url).netloc or self.base_url
        self.max_pages = settings.max_pages
        self.sleep, self.jitter = sleep, jitter
        self.max_retries, self.max_wait = max_retries, max_wait
        headers = {"User-Agent": f"wildsift/{__version__} (wildlife-trade research)"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(base_url=self.base_url, headers=headers, transport=transport,
                                   timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        self.client.close()

    # -- the Source protocol ---------------------------------------------------------------
    def plan(self, query: str, cursor: str | None) -> tuple[str, dict[str, str], str]:
        """(path, params, mode) of the next call for ``query`` from ``cursor``."""
        path = f"/api/v1/timelines/tag/{query.lstrip('#')}"
        state = _load(cursor)
        params = {"limit": str(PAGE_SIZE)}
        if not state.get("since"):
            return path, params, "top"
        if state.get("older") and state.get("left", 0) > 0:
            return path, params | {"max_id": state["older"]}, "older"
        return path, params | {"min_id": state["since"]}, "newer"

    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """Hashtags (Mastodon has no OR search on timelines: one call per hashtag)."""
        return expand_query(query, languages, lexicon=lexicon)

    def describe(self, query: str, cursor: str | None) -> Call:
        path, params, _ = self.plan(query, cursor)
        return Call(f"GET {self.base_url}{path}?{urlencode(params)}")

    def fetch(self, query: str, cursor: str | None) -> Page:
        path, params, mode = self.plan(query, cursor)
        request = f"GET {self.base_url}{path}?{urlencode(params)}"
        response = self._get(path, params)
        try:
            statuses = response.json()
        except ValueError:
            raise MastodonError(f"{request}: the answer is not JSON; is {self.base_url} a "
                                "Mastodon server?") from None
        if not isinstance(statuses, list):
            raise MastodonError(f"{request}: expected a list of statuses, got "
                                f"{type(statuses).__name__}")
        records = self._records(statuses, query, request)
        ids = [i for i in map(status_id, statuses) if i is not None]
        links = {rel: _link_params(link.get("url", "")) for rel, link in response.links.items()}
        state = _load(cursor)
        if not statuses:  # nothing (more) here; after a backfill, look for newer posts
            if mode == "older":
                return Page(records, _dump(state | {"older": None}), more=True, request=request)
            return Page(records, None, more=False, request=request)
        newest = max(ids + [_int(links.get("prev", {}).get("min_id"))], default=None)
        older = links.get("next", {}).get("max_id") or (str(min(ids)) if ids else None)
        if mode == "top":
            if newest is None:  # only malformed statuses: nothing to continue from
                return Page(records, None, more=False, request=request)
            left = self.max_pages - 1
            state = {"since": str(newest), "older": older if left > 0 else None, "left": left}
            return Page(records, _dump(state), more=state["older"] is not None, request=request)
        if mode == "older":
            left = state.get("left", 1) - 1
            has_next = "next" in links and len(statuses) > 0
            state |= {"older": older if has_next and left > 0 else None, "left": left}
            return Page(records, _dump(state), more=True, request=request)
        if newest is not None and newest > _int(state.get("since")):
            state["since"] = str(newest)
        return Page(records, _dump(state), more="prev" in links, request=request)

    # -- HTTP with retries -----------------------------------------------------------------
    def _get(self, path: str, params: dict[str, str]) -> httpx.Response:
        where = f"{self.base_url}{path}"
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                response = self.client.get(path, params=params)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if last:
                    raise MastodonError(f"{where}: {type(exc).__name__} after "
                                        f"{attempt + 1} tries; check base_url and the network"
                                        ) from None
                self.sleep(self._backoff(attempt))
                continue
            status = response.status_code
            if status == 429:
                wait = retry_after(response.headers.get("Retry-After")) or retry_after(
                    response.headers.get("X-RateLimit-Reset"))
                wait = self._backoff(attempt) if wait is None else wait
                if wait > self.max_wait or last:
                    raise MastodonRateLimited(f"{self.server} rate-limits us; run 'wildsift "
                                              f"mine' again in {wait:.0f} s", retry_after=wait)
                self.sleep(wait)
                continue
            if status >= 500:
                if last:
                    raise MastodonError(f"{where}: server error {status} after {attempt + 1} "
                                        "tries; try again later")
                self.sleep(self._backoff(attempt))
                continue
            if status in (401, 403):
                raise MastodonCredentialsError(
                    f"{self.server} refused the request ({status}); check the token in "
                    f"${self.settings.token_env or '<token_env>'} and its read scope")
            if status >= 400:
                raise MastodonError(f"{where}: HTTP {status}; check base_url "
                                    f"({self.base_url}) and the hashtag")
            return response
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter: 1, 2, 4 ... s (capped at 60), times 0.5-1.5."""
        return min(60.0, 2.0 ** attempt) * (0.5 + self.jitter())

    def _records(self, statuses: list, query: str, request: str
                 ) -> list[RawPost | Quarantined]:
        records: list[RawPost | Quarantined] = []
        for index, status in enumerate(statuses):
            location = f"{request} #{index}"
            try:
                records.append(map_status(status, self.server, f"#{query.lstrip('#')}",
                                          location=location))
            except RecordError as exc:
                records.append(Quarantined(source=f"mastodon:{self.name}", location=location,
                                           reason=exc.reason, field=exc.field))
        return records


def _load(cursor: str | None) -> dict:
    if not cursor:
        return {}
    try:
        state = json.loads(cursor)
    except ValueError:
        return {"since": cursor} if cursor.isdigit() else {}
    return state if isinstance(state, dict) else {}


def _dump(state: dict) -> str:
    return json.dumps(state, sort_keys=True)


def _int(value) -> int:
    return int(value) if value is not None and str(value).isdigit() else 0


def _link_params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
