"""YouTube: videos from ``search.list`` and their comments, within the daily quota.

Built on google-api-python-client (the official client) with its bundled discovery document
(``static_discovery=True``: no network call to build it) and ``client_options.api_endpoint`` =
``base_url`` when a study (or a test) points it elsewhere; httplib2 carries the calls.

Quota: a project gets 10,000 units a day, reset at midnight Pacific time. ``search.list`` costs
100, ``videos.list`` and ``commentThreads.list`` 1 each, so one page costs up to
``100 + 1 + per_page`` units (with comments). The units spent are kept per quota day in the
cursor table (query ``"__quota__"`` of this source) when the runner binds the store
(:meth:`YouTubeSource.bind_store`); a page that would go over ``options.daily_quota`` is not
started: :class:`YouTubeRateLimited` says when to run again. ``403 quotaExceeded`` ends the
run the same way; ``400 keyInvalid`` (and other refusals of the key) is a credentials error.

The cursor of a term is JSON ``{"page_token": ..., "after": ..., "top": ...}``: a sweep pages
through ``order=date`` results; when it ends, ``after`` (``publishedAfter`` of the next run)
becomes the newest publication time seen, so a later run reads only what is new.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import cursor_datetime, dump_cursor, load_cursor
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms, or_queries
from wildsift.sources.retry import CutPage, RetryPolicy, Wait, cut_page, header_wait
from wildsift.sources.youtube.errors import (
    YouTubeCredentialsError,
    YouTubeError,
    YouTubeRateLimited,
)
from wildsift.sources.youtube.mapping import map_comment, map_video, video_id

SEARCH_COST, LIST_COST = 100, 1
QUOTA_KEY = "__quota__"
PACIFIC = ZoneInfo("America/Los_Angeles")
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded", "dailyLimitExceededUnreg"}
KEY_REASONS = {"keyInvalid", "keyExpired", "accessNotConfigured", "forbidden",
               "ipRefererBlocked", "API_KEY_INVALID"}
SKIP_COMMENTS = {"commentsDisabled", "videoNotFound", "forbidden"}
HINT = ("create an API key for the YouTube Data API v3 at https://console.cloud.google.com/"
        "apis/credentials and export WILDSIFT_YOUTUBE_API_KEY=... (or set api_key in the "
        "study's credentials file)")


class YouTubeOptions(BaseModel):
    """``[[sources]] options`` of a YouTube entry."""

    model_config = ConfigDict(extra="forbid")
    daily_quota: int = Field(default=10_000, ge=SEARCH_COST + 1)
    per_page: int = Field(default=50, ge=1, le=50)
    comments: bool = True  # one commentThreads.list (1 unit) per video found
    relevance_language: str | None = None  # e.g. "vi"
    region_code: str | None = None  # e.g. "VN"
    published_after: datetime | None = None  # where the first run starts


def seconds_to_reset(now: datetime) -> float:
    """Seconds until the quota resets: midnight Pacific time."""
    local = now.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), PACIFIC)
    return max(1.0, (midnight - local).total_seconds())


class QuotaLedger:
    """Units spent per quota day; in the cursor table once a store is bound, else in memory."""

    def __init__(self, source: str, limit: int, clock: Callable[[], float]):
        self.source, self.limit, self.clock = source, limit, clock
        self.store = None
        self._memory: dict = {}

    def _day(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).astimezone(PACIFIC).date().isoformat()

    def _read(self) -> dict:
        raw = self.store.cursors.get(self.source, QUOTA_KEY) if self.store else None
        state = json.loads(raw) if raw else self._memory
        return state if state.get("day") == self._day() else {"day": self._day(), "spent": 0}

    def spent(self) -> int:
        return int(self._read().get("spent", 0))

    def charge(self, units: int) -> None:
        state = {"day": self._day(), "spent": self.spent() + units}
        self._memory = state
        if self.store is not None:
            self.store.cursors.set(self.source, QUOTA_KEY, json.dumps(state))

    def check(self, units: int, what: str) -> None:
        spent = self.spent()
        if spent + units > self.limit:
            wait = seconds_to_reset(datetime.fromtimestamp(self.clock(), UTC))
            raise YouTubeRateLimited(
                f"{what} needs up to {units} units but {spent} of today's {self.limit} are "
                f"spent; run 'wildsift mine' again after midnight Pacific time (in {wait / 3600:.1f} "
                "h), or raise options.daily_quota if Google granted more", retry_after=wait)


def build(settings, credentials, *, dry_run: bool = False, **options) -> YouTubeSource:
    """The registry's entry point (see sources/registry.py)."""
    if dry_run:
        return YouTubeSource(settings, **options)
    return YouTubeSource(settings, api_key=credentials.get("api_key", hint=HINT), **options)


class YouTubeSource:
    """One ``[[sources]] type = "youtube"`` entry."""

    platform = "youtube"

    def __init__(self, settings, *, api_key: str | None = None, http=None,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 clock: Callable[[], float] = time.time,
                 max_retries: int = 5, max_wait: float = 900.0, timeout: float = 30.0):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(YouTubeOptions, settings)
        self.clock = clock
        self.ledger = QuotaLedger(self.name, self.options.daily_quota, clock)
        self.policy = RetryPolicy(max_retries=max_retries, max_wait=max_wait, sleep=sleep,
                                  jitter=jitter)
        self.service = None
        if api_key:
            import httplib2
            from googleapiclient.discovery import build as build_client

            endpoint = {"api_endpoint": settings.base_url} if settings.base_url else None
            self.service = build_client("youtube", "v3", developerKey=api_key,
                                        static_discovery=True, client_options=endpoint,
                                        http=http or httplib2.Http(timeout=timeout),
                                        cache_discovery=False)

    def bind_store(self, store) -> None:
        """Keep the quota ledger in the study's cursor table (the runner calls this)."""
        self.ledger.store = store

    def close(self) -> None:
        if self.service is not None:
            self.service.close()

    # -- terms and plans --------------------------------------------------------------------
    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """Terms packed into ``a|b|"c d"`` OR-queries: every search costs 100 units."""
        return or_queries(lexicon_terms(query, languages, lexicon, limit=20), max_length=200,
                          joiner="|")

    @property
    def page_cost(self) -> int:
        return SEARCH_COST + LIST_COST + (self.options.per_page if self.options.comments else 0)

    def plan(self, term: str, cursor: str | None) -> dict:
        state = load_cursor(cursor)
        after = state.get("after") or (self.options.published_after.astimezone(UTC).isoformat()
                                       .replace("+00:00", "Z")
                                       if self.options.published_after else None)
        params = {"part": "snippet", "q": term, "type": "video", "order": "date",
                  "maxResults": self.options.per_page}
        optional = {"publishedAfter": after, "pageToken": state.get("page_token"),
                    "relevanceLanguage": self.options.relevance_language,
                    "regionCode": self.options.region_code}
        return params | {k: v for k, v in optional.items() if v}

    def describe(self, term: str, cursor: str | None) -> Call:
        params = self.plan(term, cursor)
        shown = "&".join(f"{k}={v}" for k, v in params.items())
        extra = f" + commentThreads.list x<={self.options.per_page}" if self.options.comments \
            else ""
        return Call(f"youtube.search.list?{shown} (100 units) + videos.list (1){extra} "
                    f"[spent today: {self.ledger.spent()} of {self.options.daily_quota}]",
                    quota=self.page_cost, unit="unit")

    # -- fetching ---------------------------------------------------------------------------
    def fetch(self, term: str, cursor: str | None) -> Page:
        if self.service is None:
            raise YouTubeCredentialsError(f"source '{self.name}' has no API key; {HINT}")
        params = self.plan(term, cursor)
        request = "youtube.search.list?" + "&".join(f"{k}={v}" for k, v in params.items())
        self.ledger.check(self.page_cost, f"source '{self.name}': the next page of {term!r}")
        found = self._execute(self.service.search().list(**params), SEARCH_COST, request)
        items = found.get("items") or []
        ids = [v for v in map(video_id, items) if v]
        details = {}
        if ids:
            listed = self._execute(self.service.videos().list(
                part="snippet,recordingDetails", id=",".join(ids), maxResults=50),
                LIST_COST, "youtube.videos.list")
            details = {v.get("id"): v for v in listed.get("items") or [] if isinstance(v, dict)}
        records: list[RawPost | Quarantined] = []
        for index, item in enumerate(items):
            location = f"{request} #{index}"
            try:
                video = map_video(item, details.get(video_id(item)), term, location=location)
            except RecordError as exc:
                records.append(self._quarantine(exc, location))
                continue
            records.append(video)
            if self.options.comments:
                records += self._comments(video, term)
        state = load_cursor(cursor)
        dates = [r.created_at for r in records
                 if isinstance(r, RawPost) and r.source.endswith("video") and r.created_at]
        top = max([d for d in (cursor_datetime(state.get("top")), *dates) if d], default=None)
        token = found.get("nextPageToken")
        if token and items:
            state = {"page_token": token, "after": state.get("after"), "top": _iso(top)}
            return Page(records, dump_cursor(state), more=True, request=request)
        newest = max([d for d in (cursor_datetime(state.get("after")), top) if d], default=None)
        return Page(records, dump_cursor({"after": _iso(newest)}), more=False, request=request)

    def _comments(self, video: RawPost, term: str) -> list[RawPost | Quarantined]:
        what = f"youtube.commentThreads.list?videoId={video.source_id}"
        try:
            answer = self._execute(self.service.commentThreads().list(
                part="snippet", videoId=video.source_id, textFormat="plainText",
                maxResults=100, order="time"), LIST_COST, what)
        except _Skip:
            return []
        out: list[RawPost | Quarantined] = []
        for index, thread in enumerate(answer.get("items") or []):
            location = f"{what} #{index}"
            try:
                out.append(map_comment(thread, video.author, term, location=location))
            except RecordError as exc:
                out.append(self._quarantine(exc, location))
        return out

    def _quarantine(self, exc: RecordError, location: str) -> Quarantined:
        return Quarantined(source=f"youtube:{self.name}", location=location, reason=exc.reason,
                           field=exc.field)

    def _execute(self, request, units: int, what: str) -> dict:
        """One API call with retries; every attempt is charged (Google charges failed calls)."""
        from googleapiclient.errors import HttpError

        def once() -> dict:
            self.ledger.charge(units)
            answer = request.execute()
            if not isinstance(answer, dict):  # the client returns a body it cannot parse as is
                raise CutPage(f"{what}: the answer is not a JSON object")
            return answer

        try:
            answer = self.policy.run(once, _classify, what=what, error=YouTubeError,
                                     rate_limited=YouTubeRateLimited)
        except HttpError as exc:
            raise self._translate(exc, what) from None
        if not isinstance(answer, dict):
            raise YouTubeError(f"{what}: expected a JSON object")
        return answer

    def _translate(self, exc, what: str) -> Exception:
        status, reason, message = _details(exc)
        if reason in QUOTA_REASONS:
            self.ledger.charge(max(0, self.options.daily_quota - self.ledger.spent()))
            wait = seconds_to_reset(datetime.fromtimestamp(self.clock(), UTC))
            return YouTubeRateLimited(f"{what}: YouTube says the day's quota is spent "
                                      f"({reason}); run 'wildsift mine' again after midnight "
                                      f"Pacific time (in {wait / 3600:.1f} h)", retry_after=wait)
        if "commentThreads" in what and (reason in SKIP_COMMENTS or status == 404):
            return _Skip(reason)
        if reason in KEY_REASONS or (status == 400 and "API key" in message) or status == 401:
            return YouTubeCredentialsError(f"YouTube refused the API key ({status} {reason}: "
                                           f"{message}); {HINT}")
        return YouTubeError(f"{what}: HTTP {status} {reason}: {message}")


class _Skip(Exception):
    """Comments of this video cannot be read (disabled, or the video is gone): go on."""


def _details(exc) -> tuple[int, str, str]:
    """(status, reason, message) of an HttpError, read from its body (never ``str(exc)``: it
    holds the request URL, and with it the API key)."""
    status = int(getattr(exc.resp, "status", 0) or 0)
    try:
        error = json.loads(exc.content.decode("utf-8")).get("error", {})
    except (ValueError, AttributeError, UnicodeDecodeError):
        error = {}
    if not isinstance(error, dict):  # a proxy's or gateway's body, not Google's error shape
        error = {}
    errors = error.get("errors")
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    reason = str(first.get("reason") or "")
    if not reason:
        reason = next((str(d.get("reason")) for d in error.get("details") or []
                       if isinstance(d, dict) and d.get("reason")), "")
    return status, reason, str(error.get("message") or "")[:200]


def _classify(exc: BaseException) -> Wait | None:
    from googleapiclient.errors import HttpError

    if isinstance(exc, HttpError):
        status, reason, _ = _details(exc)
        if status == 429 or reason in ("rateLimitExceeded", "userRateLimitExceeded"):
            return Wait(header_wait(exc.resp), rate_limited=True,
                        why=f"rate limited ({reason or status})")
        if status >= 500:
            return Wait(why=f"server error {status}")
        return None
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return Wait(why=type(exc).__name__)
    return cut_page(exc)




def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None
