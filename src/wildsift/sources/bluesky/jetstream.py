"""Bluesky Jetstream: the live stream of every new and deleted post, filtered by the lexicon here.

Jetstream (``wss://jetstream2.us-east.bsky.network/subscribe``) turns the ATProto firehose into
JSON events; it needs no account. We ask only for ``app.bsky.feed.post`` commits and keep a
created post only when the study lexicon matches its text (only those are mapped, privacy-
processed and stored; the rest of the network's posts are dropped unread). Delete commits become
``Page.deletions`` (the post's at:// URI): the runner erases those posts if the study holds them,
whichever Bluesky source found them, since search and stream share the at:// source ids.

A run is bounded (``options.max_events``, ``options.max_seconds``) and is one term: the study's
query set as a whole (the stream is read once, not once per query). The cursor is the last
event's ``time_us``; a run resumes a few seconds earlier (``options.rewind_seconds``), and what
it sees twice is a duplicate for the store's unique key. ``deletions_only`` (``wildsift comply
--jetstream``) reads only deletes, up to the time it started, under its own cursor.

Events (Jetstream's JSON)::

    {"did": ..., "time_us": ..., "kind": "commit",
     "commit": {"operation": "create"|"update"|"delete", "collection": ..., "rkey": ...,
                "record": {...}, "cid": ...}}
    {"kind": "identity", ...} / {"kind": "account", ...}   (ignored)

An event that is not JSON or lacks what a commit needs is quarantined (its location names only
its time, never the account).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wildsift.errors import ConfigError, RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.bluesky.errors import JetstreamError, JetstreamRateLimited
from wildsift.sources.bluesky.mapping import POST_COLLECTION, map_record, post_uri
from wildsift.sources.retry import RetryPolicy, Wait, retry_after

DEFAULT_URL = "wss://jetstream2.us-east.bsky.network"
DELETIONS_TERM = "deletions"


class JetstreamOptions(BaseModel):
    """``[[sources]] options`` of a Jetstream source."""

    model_config = ConfigDict(extra="forbid")

    max_events: int = Field(default=1_000_000, ge=1)  # events read per run
    max_seconds: float = Field(default=300.0, gt=0)  # reading time per run
    page_events: int = Field(default=2000, ge=1)  # events per committed page
    rewind_seconds: float = Field(default=5.0, ge=0)  # resume this much before the cursor
    idle_seconds: float = Field(default=10.0, gt=0)  # no event this long: caught up
    lookback_hours: float = Field(default=24.0, gt=0)  # first deletions-only run starts here


def options_of(settings) -> JetstreamOptions:
    try:
        return JetstreamOptions(**(settings.options or {}))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"[[sources]] {settings.name}: options.{key}: {first['msg']}") from None


def build(settings, credentials, *, dry_run: bool = False, **options) -> JetstreamSource:
    """The registry's entry point; Jetstream needs no credentials."""
    return JetstreamSource(settings, **options)


class LexiconFilter:
    """Which posts of the stream a study keeps: a lexicon match of a taxon group the study asks
    for (or, for a query that is no taxon, the query's words in the text)."""

    def __init__(self, lexicon, queries: list[str]):
        self.lexicon = lexicon
        self.groups: set[str] = set()
        self.words: list[str] = []
        for query in queries:
            taxa = lexicon.find_taxa(query) if hasattr(lexicon, "find_taxa") else []
            if taxa:
                self.groups |= {lexicon.group_of(t.key) for t in taxa}
            elif query.strip():
                self.words.append(query.strip().casefold())

    def keep(self, text: str, lang: str | None) -> bool:
        if not text:
            return False
        if self.words and any(word in text.casefold() for word in self.words):
            return True
        matches = self.lexicon.match(text, lang)
        if not self.groups:
            return bool(matches) and not self.words
        return any(self._group(m.taxon) in self.groups for m in matches)

    def _group(self, taxon: str) -> str | None:
        try:
            return self.lexicon.group_of(taxon)
        except KeyError:
            return taxon


class JetstreamSource:
    """One configured Jetstream (``[[sources]] type = "jetstream"``); platform "bluesky"."""

    platform = "bluesky"

    def __init__(self, settings, *, deletions_only: bool = False, lexicon=None,
                 connect: Callable[..., Any] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 clock: Callable[[], float] = time.time,
                 max_retries: int = 5, max_wait: float = 900.0, **overrides):
        self.settings = settings
        self.name = settings.name
        self.options = options_of(settings).model_copy(update=overrides)
        self.base_url = (settings.base_url or DEFAULT_URL).rstrip("/")
        self.deletions_only = deletions_only
        self.lexicon = lexicon
        self.filter: LexiconFilter | None = None
        self.policy = RetryPolicy(max_retries=max_retries, max_wait=max_wait, sleep=sleep,
                                  jitter=jitter)
        self.clock = clock
        self._connect = connect
        self._ws = None
        self._position: str | None = None  # the cursor the open connection has reached
        self._started = clock()
        self._events = 0
        self._closes = 0  # connections closed in a row before any event
        self.seen = {"events": 0, "posts": 0, "kept": 0, "deletions": 0}

    def close(self) -> None:
        if self._ws is not None:
            self._ws.__exit__(None, None, None)
            self._ws = None

    # -- the Source protocol ---------------------------------------------------------------
    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """One term for the whole query set (returned for the first query only)."""
        if self.deletions_only:
            return [DELETIONS_TERM]
        queries = list(self.settings.queries) or [query]
        if query != queries[0]:
            return []
        if self.lexicon is None:
            from wildsift.lexicon import Lexicon  # loading reads the packaged data

            self.lexicon = lexicon or Lexicon.default()
        return [" | ".join(queries)]

    def url(self, cursor: str | None) -> str:
        params = {"wantedCollections": POST_COLLECTION}
        start = self._start_us(cursor)
        if start is not None:
            params["cursor"] = str(start)
        return f"{self.base_url}/subscribe?{urlencode(params)}"

    def describe(self, term: str, cursor: str | None) -> Call:
        return Call(f"WS {self.url(cursor)} (up to {self.options.max_events} events or "
                    f"{self.options.max_seconds:g} s)", quota=1, unit="connection")

    def fetch(self, term: str, cursor: str | None) -> Page:
        if self.filter is None and not self.deletions_only:
            self.terms((list(self.settings.queries) or [term])[0], [], None)
            self.filter = LexiconFilter(self.lexicon, list(self.settings.queries))
        if self._ws is None or cursor != self._position:
            self.close()
            self._ws = self._open(cursor)
        return self._read_page(term, cursor)

    # -- reading ---------------------------------------------------------------------------
    def _start_us(self, cursor: str | None) -> int | None:
        if cursor and cursor.isdigit():
            return max(0, int(cursor) - int(self.options.rewind_seconds * 1_000_000))
        if self.deletions_only:  # no cursor yet: what the server still holds of the past
            return int((self.clock() - self.options.lookback_hours * 3600) * 1_000_000)
        return None  # live tail from now

    def _open(self, cursor: str | None):
        from websockets.exceptions import InvalidStatus
        from websockets.sync.client import connect

        url = self.url(cursor)
        opener = self._connect or connect

        def classify(exc: BaseException) -> Wait | None:
            if isinstance(exc, InvalidStatus):
                status = exc.response.status_code
                if status == 429:
                    return Wait(retry_after(exc.response.headers.get("Retry-After")),
                                rate_limited=True, why="rate limited (429)")
                return Wait(None, why=f"HTTP {status}") if status >= 500 else None
            if isinstance(exc, (OSError, TimeoutError, EOFError)):
                return Wait(None, why=f"cannot connect ({type(exc).__name__})")
            return None

        try:
            # Entered as a context manager (what websockets >= 17.1 asks for); the connection
            # outlives this call, so close() exits it.
            return self.policy.run(lambda: opener(url, max_size=4 * 1024 * 1024,
                                                  open_timeout=20).__enter__(),
                                   classify, what=f"Jetstream {self.base_url}",
                                   error=JetstreamError, rate_limited=JetstreamRateLimited)
        except InvalidStatus as exc:
            raise JetstreamError(f"{url}: the server refused the connection (HTTP "
                                 f"{exc.response.status_code}); check base_url") from None

    def _read_page(self, term: str, cursor: str | None) -> Page:
        from websockets.exceptions import ConnectionClosed

        records: list[RawPost | Quarantined] = []
        deletions: list[str] = []
        created: dict[str, int] = {}  # uri -> index in records, to drop a create deleted later
        position = cursor
        opts = self.options
        stop_us = int(self._started * 1_000_000)
        more = True
        count = 0
        request = f"WS {self.url(cursor)}"
        while count < opts.page_events:
            if self._events >= opts.max_events or self.clock() - self._started >= opts.max_seconds:
                more = False
                break
            try:
                message = self._ws.recv(timeout=opts.idle_seconds)
            except TimeoutError:  # nothing new for a while: caught up
                more = False
                break
            except ConnectionClosed:
                self._ws = None  # the next fetch reconnects from the last position
                if count == 0:
                    self._closes += 1
                    if self._closes > self.policy.max_retries:
                        raise JetstreamError(f"{self.base_url} closed the stream "
                                             f"{self._closes} times without an event; try "
                                             "again later or another instance") from None
                    self.policy.sleep(self.policy.backoff(self._closes - 1))
                break
            self._closes = 0
            count += 1
            self._events += 1
            self.seen["events"] += 1
            event, time_us = self._parse(message, records)
            if time_us is not None:
                position = str(time_us)
            if event is None:
                continue
            self._handle(event, time_us, term, records, deletions, created)
            if self.deletions_only and time_us is not None and time_us >= stop_us:
                more = False  # caught up with the time comply started
                break
        kept = [r for r in records if not isinstance(r, _Dropped)]
        self._position = position
        return Page(kept, position if position != cursor else None, more=more,
                    request=request, deletions=deletions)

    def _parse(self, message: Any, records: list) -> tuple[dict | None, int | None]:
        """The event and its time, or (None, time) for one to skip; quarantines bad ones."""
        source = f"jetstream:{self.name}"
        try:
            event = json.loads(message)
        except (ValueError, TypeError):
            records.append(Quarantined(source=source, location=f"{self.base_url} event #"
                                       f"{self._events}", reason="event is not JSON"))
            return None, None
        time_us = event.get("time_us") if isinstance(event, dict) else None
        if not isinstance(time_us, int):
            records.append(Quarantined(source=source, location=f"{self.base_url} event #"
                                       f"{self._events}", reason="event has no integer time_us",
                                       field="time_us"))
            return None, None
        if event.get("kind") != "commit":
            return None, time_us  # identity and account events: not ours
        return event, time_us

    def _handle(self, event: dict, time_us: int, term: str, records: list,
                deletions: list[str], created: dict[str, int]) -> None:
        location = f"{self.base_url} time_us={time_us}"
        source = f"jetstream:{self.name}"
        commit = event.get("commit")
        did = event.get("did")
        if not isinstance(commit, dict) or not isinstance(did, str):
            records.append(Quarantined(source=source, location=location,
                                       reason="commit event without 'commit' or 'did'",
                                       field="commit"))
            return
        if commit.get("collection") != POST_COLLECTION:
            return
        operation, rkey = commit.get("operation"), commit.get("rkey")
        if not isinstance(rkey, str) or not rkey:
            records.append(Quarantined(source=source, location=location,
                                       reason="commit has no 'rkey'", field="commit.rkey"))
            return
        if operation == "delete":
            uri = post_uri(did, rkey)
            deletions.append(uri)
            self.seen["deletions"] += 1
            if uri in created:  # created and deleted within this page: never store it
                records[created.pop(uri)] = _Dropped()
            return
        if operation not in ("create", "update") or self.deletions_only:
            return
        self.seen["posts"] += 1
        record = commit.get("record")
        text = record.get("text") if isinstance(record, dict) else None
        langs = record.get("langs") if isinstance(record, dict) else None
        lang = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) \
            else None
        if isinstance(record, dict) and isinstance(text, str) \
                and not self.filter.keep(text, lang):
            return  # not about the study's taxa: dropped unread
        try:
            post = map_record(did, rkey, record, term, f"bluesky:{self.name}", location=location)
        except RecordError as exc:
            records.append(Quarantined(source=source, location=location, reason=exc.reason,
                                       field=exc.field))
            return
        self.seen["kept"] += 1
        created[post.source_id] = len(records)
        records.append(post)


class _Dropped:
    """A placeholder for a post created and deleted within one page."""
