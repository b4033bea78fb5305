"""Mastodon: hashtag timelines or full-text status search, on one or several servers.

Why httpx and not Mastodon.py: Mastodon.py reads rate limits only from ``X-RateLimit-Reset``
(never ``Retry-After``), sleeps with ``time.sleep`` itself, hides the ``Link`` header behind its
own ``_pagination_next`` attributes and checks the server version with an extra request when it
is built. We need the Link header, ``Retry-After``, backoff with an injectable sleep and a client
we can point at a plain-http local server: the shared :class:`HttpClient` gives all of that.

Modes (``options.mode``):

* ``"hashtags"`` (default): ``GET /api/v1/timelines/tag/:hashtag``, public on most servers;
* ``"search"``: ``GET /api/v2/search?type=statuses&q=...``; most servers want a token with the
  ``read:search`` scope, and full-text search covers only what the server indexed.

Several servers: ``base_url`` and/or ``options.servers``; each server+term has its own cursor
(the term is then ``"<term> @<host>"``). A token is sent only to the server it belongs to: the
one of ``base_url`` comes from ``token_env``, the others from ``token_<host>`` (see
:func:`server_token_key`).

The server's rules (``GET /api/v1/instance/rules``, else the ``rules`` of ``/api/v2/instance``)
are read once per run and server, written to ``sources/<name>/<host>-rules.json`` in the study
folder (no personal data: never the contact account) and named in each post's provenance
(``mastodon:<host>;rules=<sha256 prefix>``).

The cursor (one per source name and term) is JSON::

    {"since": "<newest id seen>", "older": "<max_id to continue back>"|null, "left": <pages>,
     "upto": "<max_id of a forward sweep>"|null, "pending": "<newest id of that sweep>"}

A first run reads the newest page, then goes back in time (``max_id``) for at most
``max_pages``; a later run reads forward from ``min_id=<since>`` (timelines follow
``rel="prev"``; search, which has no Link header, walks down from the top of the new window
with ``max_id`` until a short page, so nothing in between is skipped).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field

from wildsift.errors import ConfigError, RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.http import HttpClient, PlatformErrors
from wildsift.sources.mastodon.errors import (
    MastodonCredentialsError,
    MastodonError,
    MastodonRateLimited,
)
from wildsift.sources.mastodon.hashtags import expand_query
from wildsift.sources.mastodon.mapping import map_status, status_id
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms, quoted
from wildsift.sources.retry import RetryPolicy, retry_after  # noqa: F401 - retry_after re-exported

PAGE_SIZE = 40  # the API's maximum for timelines and search
RULES_PATHS = ("/api/v1/instance/rules", "/api/v2/instance")


class MastodonOptions(BaseModel):
    """``[[sources]] options`` of a Mastodon entry."""

    model_config = ConfigDict(extra="forbid")
    mode: Literal["hashtags", "search"] = "hashtags"
    servers: list[str] = Field(default_factory=list)
    limit: int = Field(default=PAGE_SIZE, ge=1, le=PAGE_SIZE)
    resolve: bool = False  # search: let the server look up remote posts (slower)
    record_rules: bool = True


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


def server_token_key(host: str) -> str:
    """The credentials key of an extra server's token: ``token_mastodon_social`` for
    mastodon.social (env ``WILDSIFT_MASTODON_TOKEN_MASTODON_SOCIAL``)."""
    return "token_" + re.sub(r"\W+", "_", host).strip("_").lower()


def _base(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if "://" in url else f"https://{url}"


def build(settings, credentials, *, dry_run: bool = False, **options) -> MastodonSource:
    """The registry's entry point (see sources/registry.py)."""
    parsed = parse_options(MastodonOptions, settings)
    if not settings.base_url and not parsed.servers:
        raise ConfigError(f"source '{settings.name}': a Mastodon source needs base_url or "
                          "options.servers, the server(s) to read (e.g. \"https://mastodon.social\")")
    root = getattr(credentials, "study_root", None)
    options.setdefault("rules_dir", root / "sources" / settings.name if root else None)
    if dry_run:
        return MastodonSource(settings, **options)
    token = credentials.get("token", required=False) if settings.token_env else None
    if settings.token_env and not token:
        token_from_env(settings)  # raises the Mastodon-specific how-to-fix error
    tokens = {}
    for url in parsed.servers:
        host = urlsplit(_base(url)).netloc
        tokens[host] = credentials.get(server_token_key(host), required=False)
    return MastodonSource(settings, token=token, server_tokens=tokens, **options)


class MastodonSource:
    """One ``[[sources]] type = "mastodon"`` entry: one or several servers."""

    platform = "mastodon"

    def __init__(self, settings, *, token: str | None = None,
                 server_tokens: dict[str, str | None] | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 max_retries: int = 5, max_wait: float = 900.0, timeout: float = 20.0,
                 rules_dir: Path | None = None):
        self.settings = settings
        self.options = parse_options(MastodonOptions, settings)
        self.name = settings.name
        self.max_pages = settings.max_pages
        urls = ([settings.base_url] if settings.base_url else []) + self.options.servers
        self.bases: dict[str, str] = {}  # host -> base URL, in the configured order
        for url in urls:
            self.bases.setdefault(urlsplit(_base(url)).netloc or _base(url), _base(url))
        self.tokens = dict(server_tokens or {})
        first = next(iter(self.bases))
        if token and settings.base_url:
            self.tokens[first] = token
        self.server, self.base_url = first, self.bases[first]
        self.policy = RetryPolicy(max_retries=max_retries, max_wait=max_wait, sleep=sleep,
                                  jitter=jitter)
        self.transport, self.timeout = transport, timeout
        self.rules_dir = Path(rules_dir) if rules_dir else None
        self.clients: dict[str, HttpClient] = {}
        self.rules: dict[str, str] = {}  # host -> digest of the rules read in this run

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    def _client(self, host: str) -> HttpClient:
        if host not in self.clients:
            token = self.tokens.get(host)
            env = (self.settings.token_env if host == self.server and self.settings.token_env
                   else f"WILDSIFT_MASTODON_{server_token_key(host).upper()}")
            hint = (f"check the token in ${env} and its read scope"
                    + ("; search needs a token with read:search on most servers"
                       if self.options.mode == "search" else ""))
            self.clients[host] = HttpClient(
                self.bases[host], policy=self.policy, transport=self.transport,
                timeout=self.timeout, headers={"Authorization": f"Bearer {token}"} if token else {},
                errors=PlatformErrors(error=MastodonError, credentials=MastodonCredentialsError,
                                      rate_limited=MastodonRateLimited,
                                      credentials_hint=f"{host} refused it: {hint}"))
        return self.clients[host]

    # -- terms ------------------------------------------------------------------------------
    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """Hashtags (timelines have no OR: one call per hashtag) or search phrases; with
        several servers, each term once per server (``"<term> @<host>"``)."""
        if self.options.mode == "search":
            base = [quoted(t) for t in lexicon_terms(query, languages, lexicon, limit=20)]
        else:
            base = expand_query(query, languages, lexicon=lexicon)
        if len(self.bases) == 1:
            return base
        return [f"{term} @{host}" for host in self.bases for term in base]

    def _split(self, term: str) -> tuple[str, str]:
        """(host, the term itself) of a cursor term."""
        head, sep, host = term.rpartition(" @")
        if sep and host in self.bases:
            return host, head
        return self.server, term

    def plan(self, term: str, cursor: str | None) -> tuple[str, str, dict[str, str], str]:
        """(host, path, params, mode) of the next call for ``term`` from ``cursor``."""
        host, text = self._split(term)
        state = _load(cursor)
        params = {"limit": str(self.options.limit)}
        if self.options.mode == "search":
            path = "/api/v2/search"
            params = {"q": text, "type": "statuses", **params}
            if self.options.resolve:
                params["resolve"] = "true"
        else:
            path = f"/api/v1/timelines/tag/{text.lstrip('#')}"
        if not state.get("since"):
            return host, path, params, "top"
        if state.get("older") and state.get("left", 0) > 0:
            return host, path, params | {"max_id": state["older"]}, "older"
        params |= {"min_id": state["since"]}
        if self.options.mode == "search" and state.get("upto"):
            params["max_id"] = state["upto"]
        return host, path, params, "newer"

    def describe(self, term: str, cursor: str | None) -> Call:
        host, path, params, _ = self.plan(term, cursor)
        return Call(f"GET {self.bases[host]}{path}?{urlencode(params)}")

    # -- fetching ---------------------------------------------------------------------------
    def fetch(self, term: str, cursor: str | None) -> Page:
        host, path, params, mode = self.plan(term, cursor)
        request = f"GET {self.bases[host]}{path}?{urlencode(params)}"
        self._record_rules(host)
        response = self._client(host).get(path, params)
        try:
            body = response.json()
        except ValueError:
            raise MastodonError(f"{request}: the answer is not JSON; is {self.bases[host]} a "
                                "Mastodon server?") from None
        searching = self.options.mode == "search"
        statuses = body.get("statuses") if searching and isinstance(body, dict) else body
        if not isinstance(statuses, list):
            raise MastodonError(f"{request}: expected a list of statuses, got "
                                f"{type(statuses).__name__}")
        _, text = self._split(term)
        records = self._records(statuses, host, text if searching else f"#{text.lstrip('#')}",
                                request)
        state = _load(cursor)
        if searching:
            return self._search_page(records, statuses, state, mode, request)
        links = {rel: _link_params(link.get("url", "")) for rel, link in response.links.items()}
        return self._timeline_page(records, statuses, links, state, mode, request)

    def _timeline_page(self, records, statuses, links, state, mode, request) -> Page:
        ids = [i for i in map(status_id, statuses) if i is not None]
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
            state |= {"older": older if "next" in links and left > 0 else None, "left": left}
            return Page(records, _dump(state), more=True, request=request)
        if newest is not None and newest > _int(state.get("since")):
            state["since"] = str(newest)
        return Page(records, _dump(state), more="prev" in links, request=request)

    def _search_page(self, records, statuses, state, mode, request) -> Page:
        """Search has no Link header: a full page means there may be more below it."""
        ids = [i for i in map(status_id, statuses) if i is not None]
        full = len(statuses) >= self.options.limit and bool(ids)
        if mode == "top":
            if not ids:
                return Page(records, None, more=False, request=request)
            left = self.max_pages - 1
            older = str(min(ids)) if full and left > 0 else None
            state = {"since": str(max(ids)), "older": older, "left": left}
            return Page(records, _dump(state), more=older is not None, request=request)
        if mode == "older":
            left = state.get("left", 1) - 1
            state |= {"older": str(min(ids)) if full and left > 0 else None, "left": left}
            return Page(records, _dump(state), more=True, request=request)
        top = max(ids + [_int(state.get("pending"))], default=0)
        if full:  # more new posts than one page: walk down the new window before moving on
            state |= {"upto": str(min(ids)), "pending": str(top)}
            return Page(records, _dump(state), more=True, request=request)
        since = max(top, _int(state.get("since")))
        state = {k: v for k, v in state.items() if k not in ("upto", "pending")}
        state["since"] = str(since)
        return Page(records, _dump(state), more=False, request=request)

    def _records(self, statuses: list, host: str, query: str, request: str
                 ) -> list[RawPost | Quarantined]:
        records: list[RawPost | Quarantined] = []
        for index, status in enumerate(statuses):
            location = f"{request} #{index}"
            try:
                records.append(map_status(status, host, query, location=location,
                                          rules=self.rules.get(host)))
            except RecordError as exc:
                records.append(Quarantined(source=f"mastodon:{self.name}", location=location,
                                           reason=exc.reason, field=exc.field))
        return records

    # -- the server's rules -----------------------------------------------------------------
    def _record_rules(self, host: str) -> None:
        """Read the server's rules once per run; never a reason for mining to fail."""
        if host in self.rules or not self.options.record_rules:
            return
        rules, endpoint = None, None
        client = self._client(host).client  # one plain try each: rules are provenance
        for path in RULES_PATHS:
            try:
                response = client.get(path)
                body = response.json() if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError):
                continue
            items = body.get("rules") if isinstance(body, dict) else body
            if isinstance(items, list):
                rules = [{"id": str(r.get("id", "")), "text": str(r.get("text") or ""),
                          "hint": str(r.get("hint") or "")} for r in items if isinstance(r, dict)]
                endpoint = path
                break
        blob = json.dumps(rules, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(blob.encode()).hexdigest()[:12] if rules is not None else "none"
        self.rules[host] = digest
        if self.rules_dir is None:
            return
        record = {"server": host, "base_url": self.bases[host], "endpoint": endpoint,
                  "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
                  "sha256_12": digest, "rules": rules}
        self.rules_dir.mkdir(parents=True, exist_ok=True)
        target = self.rules_dir / f"{re.sub(r'[^A-Za-z0-9.-]+', '_', host)}-rules.json"
        target.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")


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
