"""Meta Content Library (MCL): keyword search of public Facebook posts, Marketplace listings
or Instagram posts, run by wildsift inside Meta's clean room.

The client, ``metacontentlibraryapi``, exists only inside the clean room (Meta's Secure Research
Environment or an approved third-party enclave) and is not on PyPI, so this adapter is written
to its documented interface (API v6.0) and tested against a fake of it:

- ``from metacontentlibraryapi import MetaContentLibraryAPIClient as client``;
  ``client.set_default_version(version)``; methods are called on the class;
- ``client.get(path="facebook/posts/preview", params={...})`` returns a response whose
  ``.text`` is JSON: ``{"data": [records], "paging": {"cursors": {"after": "..."}}}``; the
  next page is asked with ``after``; a search returns at most 1,000 records in all;
- ``q`` takes words joined by ``|`` (OR), a space (AND), ``-`` (NOT) and parentheses; double
  quotes are refused (error subcode 3790184); ``since``/``until`` take a date or a Unix time;
  ``sort`` = ``newest_to_oldest`` (the default is most viewed first).

Each lexicon term list becomes as few ``|`` queries as fit ``max_query_length``. The cursor
(per source and query) is JSON::

    {"since": <Unix time of the newest record of the last finished run>,
     "top": <newest this run>, "after": "<the page to ask next>"}

A later run asks ``since`` onwards and keeps only records newer than it (the API's ``since``
boundary is not exact to the second), so it stores only what is new. 60 searches a minute are
allowed: a refusal for rate is waited out (``RetryPolicy``); a used-up weekly budget ends the
run with a message.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import dump_cursor, load_cursor
from wildsift.sources.meta.errors import MetaCredentialsError, MetaError, MetaRateLimited
from wildsift.sources.meta.mapping import map_record
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms, or_queries
from wildsift.sources.retry import RetryPolicy, Wait

API_VERSION = "6.0"
RATE_WAIT = 60.0  # 60 synchronous searches a minute
HINT = ("the Meta Content Library client (metacontentlibraryapi) is installed only inside "
        "Meta's Secure Research Environment or an approved clean room; run wildsift there "
        "(see docs/sources.md, Meta Content Library)")


class MclOptions(BaseModel):
    """``options`` of a ``type = "meta"`` source."""

    model_config = ConfigDict(extra="forbid")
    surface: Literal["facebook/posts", "facebook/marketplace-listings",
                     "instagram/posts"] = "facebook/posts"
    version: str = API_VERSION  # pin the API version you cite (its DOI is per version)
    limit: int = Field(default=100, ge=1, le=100)
    max_query_length: int = Field(default=500, ge=20)
    search_scope: Literal["post_text_only", "post_text_and_image_text"] | None = None
    countries: list[str] = Field(default_factory=list)  # surface_/listing_countries, ISO 2
    since: str | None = None  # where the first run starts: YYYY-MM-DD


def build(settings, credentials, *, dry_run: bool = False, **options) -> MclSource:
    """The registry's entry point (see sources/registry.py)."""
    if dry_run:
        return MclSource(settings, client=None, **options)
    try:
        from metacontentlibraryapi import MetaContentLibraryAPIClient
    except ImportError:
        raise MetaCredentialsError(HINT) from None
    opts = parse_options(MclOptions, settings)
    MetaContentLibraryAPIClient.set_default_version(opts.version)
    return MclSource(settings, client=MetaContentLibraryAPIClient, **options)


def _wrap(term: str) -> str:
    """A term as MCL's ``q`` takes it: no double quotes; several words grouped."""
    term = " ".join(term.replace('"', " ").replace("|", " ").split())
    return f"({term})" if " " in term else term


class MclSource:
    """One ``[[sources]] type = "meta"`` entry."""

    def __init__(self, settings, *, client: Any = None, policy: RetryPolicy | None = None,
                 sleep=None, jitter=None, max_retries: int = 5, max_wait: float = 900.0):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(MclOptions, settings)
        self.platform = self.options.surface.split("/")[0]
        self.path = f"{self.options.surface}/preview"
        self.client = client
        policy = policy or RetryPolicy(max_retries=max_retries, max_wait=max_wait)
        policy.sleep = sleep or policy.sleep
        policy.jitter = jitter or policy.jitter
        self.policy = policy

    def close(self) -> None:
        """The client holds no connection of ours."""

    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """The lexicon's terms joined by ``|`` into as few queries as fit."""
        terms = lexicon_terms(query, languages, lexicon)
        return or_queries(terms, max_length=self.options.max_query_length, joiner=" | ",
                          wrap=_wrap)

    def params(self, term: str, cursor: str | None) -> dict[str, Any]:
        state = load_cursor(cursor)
        params: dict[str, Any] = {"q": term, "sort": "newest_to_oldest",
                                  "limit": self.options.limit}
        if state.get("since"):
            params["since"] = int(state["since"])
        elif self.options.since:
            params["since"] = self.options.since
        if state.get("after"):
            params["after"] = state["after"]
        if self.options.search_scope and self.options.surface != "facebook/marketplace-listings":
            params["search_scope"] = self.options.search_scope
        if self.options.countries:
            key = ("listing_countries" if "marketplace" in self.options.surface
                   else "surface_countries")
            params[key] = [c.upper() for c in self.options.countries]
        return params

    def describe(self, term: str, cursor: str | None) -> Call:
        return Call(f"client.get {self.path}?{urlencode(self.params(term, cursor), doseq=True)}",
                    unit="search")  # 60 a minute

    def fetch(self, term: str, cursor: str | None) -> Page:
        if self.client is None:
            raise MetaCredentialsError(f"source '{self.name}' was built for --dry-run only")
        params = self.params(term, cursor)
        request = f"client.get {self.path}?{urlencode(params, doseq=True)}"
        answer = self.policy.run(lambda: _body(self.client.get(path=self.path, params=params)),
                                 _classify, what=request, error=MetaError,
                                 rate_limited=MetaRateLimited)
        data = answer.get("data")
        if not isinstance(data, list):
            raise MetaError(f"{request}: expected 'data' with records, got "
                            f"{', '.join(map(str, answer)) or 'nothing'}")
        state = load_cursor(cursor)
        since = int(state.get("since") or 0)
        top = max(int(state.get("top") or 0), since)
        source = f"{self.platform}:{self.name}"
        records: list[RawPost | Quarantined] = []
        caught_up = False  # newest first: one record as old as `since` and the rest are older
        for index, record in enumerate(data):
            location = f"{request} #{index}"
            try:
                post = map_record(record, source=source, location=location, query=term,
                                  platform=self.platform)
            except RecordError as exc:
                records.append(Quarantined(source, exc.location or location, exc.reason,
                                           exc.field))
                continue
            stamp = int(post.created_at.timestamp()) if post.created_at else 0
            if stamp and stamp <= since:
                caught_up = True  # the API's `since` reaches back a little: stored already
                continue
            top = max(top, stamp)
            records.append(post)
        after = ((answer.get("paging") or {}).get("cursors") or {}).get("after")
        if after and data and not caught_up:
            state |= {"top": top or None, "after": after}
            return Page(records, dump_cursor(state, drop_none=True), more=True, request=request)
        return Page(records, dump_cursor({"since": top}) if top else None, more=False,
                    request=request)


def _body(response: Any) -> dict:
    """The JSON object of a client response (``.text``; a dict or text is taken as it is)."""
    text = getattr(response, "text", response)
    if isinstance(text, dict):
        body = text
    else:
        try:
            body = json.loads(text)
        except (TypeError, ValueError):
            raise _Unreadable() from None
    if not isinstance(body, dict):
        raise MetaError(f"expected a JSON object, got {type(body).__name__}")
    error = body.get("error")
    if isinstance(error, dict):
        raise _ApiError(error)
    return body


class _Unreadable(Exception):
    """A response body that is not JSON (cut off): asked again."""


class _ApiError(Exception):
    def __init__(self, error: dict):
        self.error = error
        super().__init__(str(error.get("detail") or error.get("message") or error))


def _status(exc: BaseException) -> int | None:
    for holder in (exc, getattr(exc, "response", None)):
        status = getattr(holder, "status_code", None) or getattr(holder, "status", None)
        if isinstance(status, int):
            return status
    if isinstance(exc, _ApiError):
        status = exc.error.get("status") or exc.error.get("code")
        return int(status) if str(status).isdigit() else None
    return None


def _classify(exc: BaseException) -> Wait | None:
    """Wait on rate (429, "rate limit"), back off on 5xx and cut bodies; a used-up budget and
    refused queries end the run with the platform's words."""
    if isinstance(exc, _Unreadable):
        return Wait(why="a response that is not JSON")
    status = _status(exc)
    message = str(exc)
    lowered = message.lower()
    if "budget" in lowered:
        raise MetaRateLimited(f"MCL: the query budget is used up ({message}); it is a rolling "
                              "7-day window: run again later", retry_after=86400.0) from None
    if status == 429 or "rate limit" in lowered or "too many" in lowered:
        return Wait(RATE_WAIT, rate_limited=True, why="rate limited")
    if status is not None and status >= 500:
        return Wait(why=f"server error {status}")
    if status in (401, 403):
        raise MetaCredentialsError(f"MCL refused the session ({status}: {message}); {HINT}"
                                   ) from None
    if isinstance(exc, _ApiError) or status is not None:
        code = f"{status}: " if status else ""
        raise MetaError(f"MCL refused the search ({code}{message}); check the query (no "
                        "double quotes) and the options") from None
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return Wait(why=type(exc).__name__)
    return None
