"""Waiting well: ``Retry-After``, platform wait signals, and exponential backoff with jitter.

Every connector retries through :class:`RetryPolicy.run`, whatever its client (httpx, tweepy,
praw, Telethon): the connector only says, for each failure, whether to wait and how long
(:class:`Wait`) or to give up. Sleeping and jitter are injectable so tests never wait.

The signals are read the same way for every client: :func:`header_wait` takes any mapping of
response headers (requests, httpx, httplib2) and :func:`cut_page` recognises a page whose JSON
was cut, whichever SDK parsed it, so no connector relies on its SDK's own waiting.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from wildsift.errors import RateLimited, SourceError

T = TypeVar("T")


@dataclass(slots=True)
class Wait:
    """Retry after ``seconds`` (None: exponential backoff); ``rate_limited``: the platform said so."""

    seconds: float | None = None
    rate_limited: bool = False
    why: str = ""


@dataclass
class RetryPolicy:
    """How often and how long to retry. ``max_wait``: a longer wait ends the run with
    :class:`RateLimited` (the next run resumes from the stored cursor) instead of sleeping."""

    max_retries: int = 5
    max_wait: float = 900.0
    cap: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep)
    jitter: Callable[[], float] = field(default=random.random)

    def backoff(self, attempt: int) -> float:
        """1, 2, 4 ... s (capped), times 0.5-1.5 (jitter spreads clients that failed together)."""
        return min(self.cap, 2.0 ** attempt) * (0.5 + self.jitter())

    def run(self, call: Callable[[], T], classify: Callable[[BaseException], Wait | None], *,
            what: str, error: type[SourceError] = SourceError,
            rate_limited: type[RateLimited] = RateLimited) -> T:
        """``call()`` until it succeeds; ``classify(exc)`` says whether a failure is worth a retry.

        An exception ``classify`` returns None for is raised as it is (e.g. refused credentials).
        """
        for attempt in range(self.max_retries + 1):
            try:
                return call()
            except Exception as exc:
                wait = classify(exc)
                if wait is None:
                    raise
                seconds = self.backoff(attempt) if wait.seconds is None else wait.seconds
                last = attempt == self.max_retries
                if wait.rate_limited and (seconds > self.max_wait or last):
                    raise rate_limited(f"{what}: the platform asks us to wait {seconds:.0f} s; "
                                       "run 'wildsift mine' again later (it resumes where it "
                                       "stopped)", retry_after=seconds) from None
                if last:
                    raise error(f"{what}: {wait.why or type(exc).__name__} after "
                                f"{attempt + 1} tries; try again later") from None
                self.sleep(min(seconds, self.max_wait))
        raise AssertionError("unreachable")


def retry_after(value: str | None, now: datetime | None = None,
                date: str | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date) or a reset
    time (ISO date, or epoch seconds as in ``x-rate-limit-reset``).

    ``date``: the answer's own ``Date`` header. An HTTP date is measured from it when it is
    readable (RFC 9110 10.2.3): the delay is then what the server meant even when its clock and
    ours disagree; measured from our clock, a server 30 s behind us would be retried 30 s early.
    """
    if not value:
        return None
    value = value.strip()
    now = now or http_date(date) or datetime.now(UTC)
    if value.replace(".", "", 1).isdigit():
        number = float(value)
        if number > 1e9:  # an epoch timestamp, not a delay
            return max(0.0, number - now.timestamp())
        return number
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


_IMF_DATE = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")


def http_date(value: str | None) -> datetime | None:
    """An HTTP ``Date`` header as an aware datetime, or None. Several ``Date`` headers (a proxy
    and the server both wrote one) arrive joined by commas: the earliest counts, so the wait
    measured from it is the longer one, never early."""
    if not value:
        return None
    found = _IMF_DATE.findall(value) or [value]
    dates = []
    for text in found:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            continue
        dates.append(when if when.tzinfo else when.replace(tzinfo=UTC))
    return min(dates, default=None)


RESET_HEADERS = ("x-ratelimit-reset", "x-rate-limit-reset")


def header(headers: Mapping | None, name: str) -> str | None:
    """A header by name in any case, from any client's header mapping (httplib2 gives a dict
    with lower-case keys, requests and httpx case-insensitive ones)."""
    if not headers:
        return None
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if str(k).lower() == name), None)
    return None if value is None else str(value)


def header_wait(headers: Mapping | None, reset: tuple[str, ...] = RESET_HEADERS) -> float | None:
    """Seconds a rate-limited answer asks us to wait: ``Retry-After`` (seconds, or an HTTP date
    measured from the answer's ``Date``), else a reset header (epoch seconds measured from the
    same ``Date``, or seconds left as Reddit sends them); None when it says nothing."""
    date = header(headers, "date")
    for name in ("retry-after", *reset):
        seconds = retry_after(header(headers, name), date=date)
        if seconds is not None:
            return seconds
    return None


class CutPage(Exception):
    """Raised by a connector whose SDK hands over a body it could not parse (googleapiclient
    returns the raw text instead of raising)."""


# pydantic_core (atproto) and serde-style parsers raise a bare ValueError "... at line L column C"
_PARSER_MESSAGE = re.compile(r"\bat line \d+ column \d+")


def cut_page(exc: BaseException) -> Wait | None:
    """A page whose JSON does not parse (cut by a proxy or a dropped connection), found in the
    exception or its causes, whichever SDK parsed it: retried with backoff like a 5xx. The same
    call is made again from the same cursor, so no page is lost or stored twice."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, (json.JSONDecodeError, CutPage)) or (
                type(seen) is ValueError and _PARSER_MESSAGE.search(str(seen))):
            return Wait(why="the answer was cut or is not JSON")
        seen = seen.__cause__ or seen.__context__
    return None
