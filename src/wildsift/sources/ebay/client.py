"""eBay: listings from the Browse API (``GET /buy/browse/v1/item_summary/search``), per marketplace.

Why httpx and not an SDK: eBay's own Python SDKs (ebaysdk, ebay-oauth-python-client) cover the
retired Finding/Trading APIs or only the token call; the Browse API is two plain REST calls, which
the shared :class:`HttpClient` makes with our retry rules.

Access: an application token from the OAuth client-credentials grant
(``POST /identity/v1/oauth2/token``, basic auth ``client_id:client_secret``, scope
``https://api.ebay.com/oauth/api_scope``), cached until shortly before it expires and fetched
again once when a search is refused (401). Credentials: ``client_id`` and ``client_secret``
(``WILDSIFT_EBAY_CLIENT_ID`` / ``WILDSIFT_EBAY_CLIENT_SECRET`` or the study's credentials file).

Each query runs once per marketplace (``options.marketplaces``, header
``X-EBAY-C-MARKETPLACE-ID``); the term is ``"<MARKETPLACE> <q>"``, so every marketplace+query has
its own cursor. Results are sorted ``newlyListed`` and paged by ``offset`` (eBay stops at
offset 10,000 per query: narrow the query, or add ``options.category_ids``/``filter``, to see
more). The cursor is JSON::

    {"offset": <next offset of the sweep>|null, "since": "<newest itemCreationDate stored>",
     "top": "<newest itemCreationDate of the sweep in progress>"}

A later run starts again at offset 0 and stops at the first page reaching ``since``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime

import httpx
from pydantic import BaseModel, ConfigDict, Field

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import cursor_datetime, dump_cursor, load_cursor
from wildsift.sources.ebay.errors import EbayCredentialsError, EbayError, EbayRateLimited
from wildsift.sources.ebay.mapping import map_item
from wildsift.sources.http import HttpClient, PlatformErrors, json_object
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms, or_queries
from wildsift.sources.retry import RetryPolicy

PRODUCTION = "https://api.ebay.com"
SANDBOX = "https://api.sandbox.ebay.com"
TOKEN_PATH = "/identity/v1/oauth2/token"
SEARCH_PATH = "/buy/browse/v1/item_summary/search"
SCOPE = "https://api.ebay.com/oauth/api_scope"
MAX_OFFSET = 10_000  # eBay answers no result beyond offset 10,000 for one query
MAX_Q = 100  # characters of ``q``
HINT = ("use the App ID (client_id) and Cert ID (client_secret) of a production keyset from "
        "https://developer.ebay.com/my/keys (a sandbox keyset needs base_url = "
        f"\"{SANDBOX}\")")


class EbayOptions(BaseModel):
    """``[[sources]] options`` of an eBay entry."""

    model_config = ConfigDict(extra="forbid")
    marketplaces: list[str] = Field(default_factory=lambda: ["EBAY_US"], min_length=1)
    limit: int = Field(default=200, ge=1, le=200)
    filter: str | None = None  # Browse filter syntax, e.g. "itemLocationCountry:TH"
    category_ids: str | None = None  # e.g. "550" (Art); comma-separated


def build(settings, credentials, *, dry_run: bool = False, **options) -> EbaySource:
    """The registry's entry point (see sources/registry.py)."""
    if dry_run:
        return EbaySource(settings, **options)
    client_id = credentials.get("client_id", hint=HINT)
    client_secret = credentials.get("client_secret", hint=HINT)
    return EbaySource(settings, client_id=client_id, client_secret=client_secret, **options)


class EbaySource:
    """One ``[[sources]] type = "ebay"`` entry."""

    platform = "ebay"

    def __init__(self, settings, *, client_id: str | None = None,
                 client_secret: str | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 clock: Callable[[], float] = time.time,
                 max_retries: int = 5, max_wait: float = 900.0, timeout: float = 30.0):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(EbayOptions, settings)
        for market in self.options.marketplaces:
            if not market.startswith("EBAY_") or " " in market:
                raise EbayError(f"[[sources]] {self.name}: options.marketplaces: {market!r} is "
                                "not a marketplace id (e.g. EBAY_US, EBAY_GB, EBAY_DE)")
        self.base_url = (settings.base_url or PRODUCTION).rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        self.clock = clock
        self.http = HttpClient(
            self.base_url, transport=transport, timeout=timeout,
            policy=RetryPolicy(max_retries=max_retries, max_wait=max_wait, sleep=sleep,
                               jitter=jitter),
            errors=PlatformErrors(error=EbayError, credentials=EbayCredentialsError,
                                  rate_limited=EbayRateLimited,
                                  credentials_hint=f"source '{self.name}': {HINT}"))
        self._token: str | None = None
        self._expires = 0.0

    def close(self) -> None:
        self.http.close()

    # -- terms and plans --------------------------------------------------------------------
    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """OR-queries in eBay's syntax, ``(a, b, c)``, once per marketplace."""
        words = [t.replace(",", " ").replace("(", " ").replace(")", " ").strip()
                 for t in lexicon_terms(query, languages, lexicon, limit=20)]
        packed = or_queries([w for w in words if w], max_length=MAX_Q - 2, joiner=", ",
                            wrap=lambda t: t)
        queries = [f"({q})" if ", " in q else q for q in packed]
        return [f"{market} {q}" for market in self.options.marketplaces for q in queries]

    def plan(self, term: str, cursor: str | None) -> tuple[str, dict[str, str]]:
        """(marketplace, params) of the next call for ``term`` from ``cursor``."""
        market, _, q = term.partition(" ")
        if not market.startswith("EBAY_") or not q:
            raise EbayError(f"source '{self.name}': term {term!r} is not '<MARKETPLACE> <query>'")
        state = load_cursor(cursor)
        params = {"q": q, "limit": str(self.options.limit), "sort": "newlyListed",
                  "offset": str(state.get("offset") or 0)}
        if self.options.filter:
            params["filter"] = self.options.filter
        if self.options.category_ids:
            params["category_ids"] = self.options.category_ids
        return market, params

    def describe(self, term: str, cursor: str | None) -> Call:
        market, params = self.plan(term, cursor)
        return Call(f"GET {self.base_url}{SEARCH_PATH}?{httpx.QueryParams(params)} "
                    f"[X-EBAY-C-MARKETPLACE-ID: {market}]")

    # -- fetching ---------------------------------------------------------------------------
    def fetch(self, term: str, cursor: str | None) -> Page:
        market, params = self.plan(term, cursor)
        request = (f"GET {self.base_url}{SEARCH_PATH}?{httpx.QueryParams(params)} "
                   f"[{market}]")
        body = self._search(market, params)
        items = body.get("itemSummaries") or []
        if not isinstance(items, list):
            raise EbayError(f"{request}: 'itemSummaries' is not a list")
        records: list[RawPost | Quarantined] = []
        for index, item in enumerate(items):
            location = f"{request} #{index}"
            try:
                records.append(map_item(item, market, params["q"], location=location))
            except RecordError as exc:
                records.append(Quarantined(source=f"ebay:{self.name}", location=location,
                                           reason=exc.reason, field=exc.field))
        state = load_cursor(cursor)
        dates = [r.created_at for r in records if isinstance(r, RawPost) and r.created_at]
        since = cursor_datetime(state.get("since"))
        top = max([d for d in (cursor_datetime(state.get("top")), *dates) if d], default=None)
        reached_old = since is not None and any(d <= since for d in dates)
        offset = int(params["offset"]) + self.options.limit
        total = body.get("total") if isinstance(body.get("total"), int) else 0
        if body.get("next") and items and offset < min(total or MAX_OFFSET, MAX_OFFSET) \
                and not reached_old:
            state = {"offset": offset, "since": state.get("since"), "top": _iso(top)}
            return Page(records, dump_cursor(state), more=True, request=request)
        newest = max([d for d in (since, top) if d], default=None)
        return Page(records, dump_cursor({"offset": None, "since": _iso(newest), "top": None}),
                    more=False, request=request)

    def _search(self, market: str, params: dict[str, str]) -> dict:
        """One search call; a refused token is replaced once (it may have been revoked)."""
        for attempt in (0, 1):
            headers = {"Authorization": f"Bearer {self._access_token()}",
                       "X-EBAY-C-MARKETPLACE-ID": market, "Accept": "application/json"}
            try:
                response = self.http.get(SEARCH_PATH, params, headers=headers)
                break
            except EbayCredentialsError:
                if attempt:
                    raise
                self._token = None
        return json_object(response, SEARCH_PATH, EbayError, f"check base_url ({self.base_url})")

    def _access_token(self) -> str:
        """The cached application token, or a new one (refreshed a minute before expiry)."""
        if self._token and self.clock() < self._expires - 60:
            return self._token
        if not (self.client_id and self.client_secret):
            raise EbayCredentialsError(f"source '{self.name}' has no client_id/client_secret "
                                       "(built for --dry-run?)")
        response = self.http.post(TOKEN_PATH, auth=(self.client_id, self.client_secret),
                                  data={"grant_type": "client_credentials", "scope": SCOPE})
        try:
            body = response.json()
            token, lifetime = body["access_token"], float(body.get("expires_in", 7200))
        except (ValueError, KeyError, TypeError):
            raise EbayCredentialsError(f"{self.base_url}{TOKEN_PATH} gave no access_token; "
                                       f"{HINT}") from None
        self._token, self._expires = str(token), self.clock() + lifetime
        return self._token




def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
