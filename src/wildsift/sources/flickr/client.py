"""Flickr: public photos from ``flickr.photos.search``, sliced by upload date past 4,000 results.

Why httpx and not the ``flickrapi`` package: flickrapi has had no release since 2018 and offers
nothing this one REST call needs (no OAuth is needed to search public photos); the shared
:class:`HttpClient` gives retries, ``Retry-After`` and a client we can point at a local server.

Flickr answers errors with HTTP 200 and ``{"stat": "fail", "code": 100, "message": ...}``:
code 100 (invalid API key) is a credentials error, 105 (service unavailable) and 10 (search
unavailable) are retried with backoff, anything else names the code and message.

Flickr returns at most 4,000 distinct results per query, so when ``photos.total`` is above that,
the upload-date window is halved (recursively, one probe call per half) until each slice holds
fewer, and the slices are walked page by page in upload order. The cursor is JSON::

    {"slices": [[min_upload, max_upload], ...], "page": <next page of the first slice>,
     "hi": <end of the window being walked>, "since": <end of the last complete window>}

A later run walks only ``since + 1 .. now``. Credential: ``api_key`` (``WILDSIFT_FLICKR_API_KEY``
or the study's credentials file). ``base_url`` is the services root (default
``https://api.flickr.com/services``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

import httpx
from pydantic import BaseModel, ConfigDict, Field

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import dump_cursor, load_cursor
from wildsift.sources.flickr.errors import FlickrCredentialsError, FlickrError, FlickrRateLimited
from wildsift.sources.flickr.mapping import map_photo
from wildsift.sources.http import HttpClient, PlatformErrors, json_object
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms
from wildsift.sources.retry import RetryPolicy, Wait

DEFAULT_BASE = "https://api.flickr.com/services"
REST_PATH = "/rest/"
EXTRAS = "geo,date_upload,date_taken,tags,description,owner_name,url_m,media"
MAX_RESULTS = 4000  # Flickr returns no more than this for one query
FIRST_UPLOAD = 1072915200  # 2004-01-01: nothing on Flickr is older
TRANSIENT_CODES = {10, 105}
HINT = ("get a key at https://www.flickr.com/services/apps/create/ and export "
        "WILDSIFT_FLICKR_API_KEY=... (or set api_key in the study's credentials file)")


class _Unavailable(Exception):
    """A ``stat: fail`` answer worth retrying."""


class FlickrOptions(BaseModel):
    """``[[sources]] options`` of a Flickr entry."""

    model_config = ConfigDict(extra="forbid")
    per_page: int = Field(default=250, ge=1, le=500)
    min_upload_date: date | None = None  # where the first run starts (default: 2004)
    has_geo: bool = False  # only geotagged photos


def build(settings, credentials, *, dry_run: bool = False, **options) -> FlickrSource:
    """The registry's entry point (see sources/registry.py)."""
    if dry_run:
        return FlickrSource(settings, **options)
    return FlickrSource(settings, api_key=credentials.get("api_key", hint=HINT), **options)


class FlickrSource:
    """One ``[[sources]] type = "flickr"`` entry."""

    platform = "flickr"

    def __init__(self, settings, *, api_key: str | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 clock: Callable[[], float] = time.time,
                 max_retries: int = 5, max_wait: float = 900.0, timeout: float = 30.0,
                 max_results: int = MAX_RESULTS):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(FlickrOptions, settings)
        self.api_key = api_key
        self.clock = clock
        self.max_results = max_results  # Flickr's cap; lower only to test slicing
        self.base_url = (settings.base_url or DEFAULT_BASE).rstrip("/")
        self.policy = RetryPolicy(max_retries=max_retries, max_wait=max_wait, sleep=sleep,
                                  jitter=jitter)
        self.http = HttpClient(self.base_url, transport=transport, timeout=timeout,
                               policy=self.policy,
                               errors=PlatformErrors(FlickrError, FlickrCredentialsError,
                                                     FlickrRateLimited, HINT))

    def close(self) -> None:
        self.http.close()

    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """One search per term: Flickr's ``text`` has no OR."""
        return lexicon_terms(query, languages, lexicon, limit=20)

    def _state(self, cursor: str | None) -> dict:
        state = load_cursor(cursor)
        if not state.get("slices"):
            start = self.options.min_upload_date
            lo = (int(state["since"]) + 1 if state.get("since") else
                  int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
                  if start else FIRST_UPLOAD)
            hi = int(self.clock())
            state |= {"slices": [[lo, max(lo, hi)]], "page": 1, "hi": max(lo, hi)}
        return state

    def _params(self, term: str, state: dict) -> dict[str, str]:
        lo, hi = state["slices"][0]
        params = {"method": "flickr.photos.search", "text": term, "extras": EXTRAS,
                  "min_upload_date": str(lo), "max_upload_date": str(hi),
                  "sort": "date-posted-asc", "per_page": str(self.options.per_page),
                  "page": str(state.get("page", 1)), "format": "json", "nojsoncallback": "1"}
        if self.options.has_geo:
            params["has_geo"] = "1"
        return params

    def describe(self, term: str, cursor: str | None) -> Call:
        params = self._params(term, self._state(cursor))
        return Call(f"GET {self.base_url}{REST_PATH}?{httpx.QueryParams(params)}")

    def fetch(self, term: str, cursor: str | None) -> Page:
        state = self._state(cursor)
        params = self._params(term, state)
        request = f"GET {self.base_url}{REST_PATH}?{httpx.QueryParams(params)}"
        photos = self._call(params | {"api_key": self.api_key or ""}, request).get("photos")
        if not isinstance(photos, dict):
            raise FlickrError(f"{request}: the answer has no 'photos' object")
        total, pages = _number(photos.get("total")), _number(photos.get("pages"))
        page = state.get("page", 1)
        (lo, hi), rest = state["slices"][0], state["slices"][1:]
        if page == 1 and total > self.max_results and hi > lo:
            mid = (lo + hi) // 2  # both bounds are inclusive
            state["slices"] = [[lo, mid], [mid + 1, hi], *rest]
            return Page([], dump_cursor(state), more=True, request=request)
        records: list[RawPost | Quarantined] = []
        for index, photo in enumerate(photos.get("photo") or []):
            location = f"{request} #{index}"
            try:
                records.append(map_photo(photo, term, location=location))
            except RecordError as exc:
                records.append(Quarantined(source=f"flickr:{self.name}", location=location,
                                           reason=exc.reason, field=exc.field))
        if page < pages and page * self.options.per_page < self.max_results:
            state["page"] = page + 1
            return Page(records, dump_cursor(state), more=True, request=request)
        if rest:
            state |= {"slices": rest, "page": 1}
            return Page(records, dump_cursor(state), more=True, request=request)
        return Page(records, dump_cursor({"since": state["hi"]}), more=False, request=request)

    def _call(self, params: dict[str, str], request: str) -> dict:
        def once() -> dict:
            response = self.http.get(REST_PATH, params)
            body = json_object(response, request, FlickrError,
                               f"check base_url ({self.base_url})")
            if body.get("stat") == "fail":
                code, message = _number(body.get("code")), body.get("message", "")
                if code == 100:
                    raise FlickrCredentialsError(f"Flickr refused the API key ({message}); "
                                                 f"{HINT}")
                if code in TRANSIENT_CODES:
                    raise _Unavailable(f"Flickr error {code}: {message}")
                raise FlickrError(f"{request}: Flickr error {code}: {message}")
            return body

        def classify(exc: BaseException) -> Wait | None:
            return Wait(why=str(exc)) if isinstance(exc, _Unavailable) else None

        return self.policy.run(once, classify, what=request, error=FlickrError,
                               rate_limited=FlickrRateLimited)


def _number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
