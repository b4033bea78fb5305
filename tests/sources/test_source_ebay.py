"""eBay Browse connector against a local HTTP server answering in the real API shape."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug import Request, Response

from wildsift.errors import CredentialsError
from wildsift.sources.base import Source
from wildsift.sources.credentials import Credentials
from wildsift.sources.ebay.client import SCOPE, EbaySource, build
from wildsift.sources.ebay.errors import EbayCredentialsError, EbayRateLimited
from wildsift.sources.ebay.mapping import PRICE_PATTERN, map_item
from wildsift.sources.run import mine_source, run_term
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ebay"
SEARCH = "/buy/browse/v1/item_summary/search"
TOKEN = "/identity/v1/oauth2/token"


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeEbay:
    """Token endpoint + Browse search: offset/limit paging, newest first, per marketplace."""

    def __init__(self):
        self.items = {"EBAY_GB": load("search_page.json")["itemSummaries"],
                      "EBAY_DE": load("search_page.json")["itemSummaries"][:1]}
        self.tokens_issued = 0
        self.valid = {"tok-1"}
        self.searches: list[dict] = []
        self.fail_first: list[Response] = []
        self.extra_first: list[dict] = []

    def token(self, request: Request) -> Response:
        user, _, secret = base64.b64decode(
            request.headers["Authorization"].split()[1]).decode().partition(":")
        assert request.form["grant_type"] == "client_credentials"
        assert request.form["scope"] == SCOPE
        if (user, secret) != ("app-id", "cert-id"):
            return Response(json.dumps(load("error_invalid_client.json")), status=401,
                            content_type="application/json")
        self.tokens_issued += 1
        body = load("token.json") | {"access_token": f"tok-{self.tokens_issued}"}
        return Response(json.dumps(body), content_type="application/json")

    def search(self, request: Request) -> Response:
        market = request.headers.get("X-EBAY-C-MARKETPLACE-ID")
        self.searches.append(dict(request.args) | {"market": market})
        if self.fail_first:
            return self.fail_first.pop(0)
        if request.headers.get("Authorization", "").split()[-1] not in self.valid:
            return Response(json.dumps(load("error_invalid_token.json")), status=401,
                            content_type="application/json")
        ordered = sorted(self.items[market], key=lambda i: i["itemCreationDate"], reverse=True)
        offset, limit = int(request.args["offset"]), int(request.args["limit"])
        chosen = ordered[offset: offset + limit]
        if offset == 0 and self.extra_first:
            chosen = chosen + self.extra_first
        body = {"href": request.url, "total": len(ordered), "limit": limit, "offset": offset}
        if chosen:
            body["itemSummaries"] = chosen
        if offset + limit < len(ordered):
            body["next"] = request.url.replace(f"offset={offset}", f"offset={offset + limit}")
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def fake(httpserver):
    ebay = FakeEbay()
    httpserver.expect_request(TOKEN, method="POST").respond_with_handler(ebay.token)
    httpserver.expect_request(SEARCH).respond_with_handler(ebay.search)
    ebay.url = httpserver.url_for("/").rstrip("/")
    return ebay


def settings_for(url: str, **options) -> SourceSettings:
    options = {"marketplaces": ["EBAY_GB"], "limit": 2} | options
    return SourceSettings(type="ebay", name="ebay-test", base_url=url, queries=["ivory"],
                          options=options)


def source_for(fake, sleeps=None, clock=None, **options) -> EbaySource:
    sleeps = [] if sleeps is None else sleeps
    return EbaySource(settings_for(fake.url, **options), client_id="app-id",
                      client_secret="cert-id", sleep=sleeps.append, jitter=lambda: 0.5,
                      **({"clock": clock} if clock else {}))


class NoLexicon:
    def expand(self, query, languages):
        return []


class SmallLexicon:
    def expand(self, query, languages):
        return ["elephant tusk", "netsuke, carved", "象牙"]


def test_map_item_reads_the_real_shape():
    item = load("search_page.json")["itemSummaries"][0]
    post = map_item(item, "EBAY_GB", "ivory")
    assert post.platform == "ebay" and post.source_id == "v1|256123456789|0"
    assert post.text.startswith("Antique carved ivory figurine")
    assert "Hand carved, 12 cm." in post.text
    assert PRICE_PATTERN.search(post.text).groupdict() == {"value": "120.00", "currency": "GBP"}
    assert post.country == "GB" and post.author == "old_curios_uk"
    assert post.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert [m.url.rsplit("/", 2)[-2] for m in post.media] == ["abcAAOSw1", "defAAOSw2",
                                                              "ghiAAOSw3"]
    assert post.source == "ebay:EBAY_GB" and post.query == "ivory"
    auction = map_item(load("search_page.json")["itemSummaries"][1], "EBAY_GB", "ivory")
    assert "[price: 15.50 GBP]" in auction.text  # the current bid of an auction


def test_terms_are_or_queries_per_marketplace(fake):
    source = source_for(fake, marketplaces=["EBAY_GB", "EBAY_DE"])
    assert isinstance(source, Source)
    terms = source.terms("ivory", ["en"], SmallLexicon())
    assert terms == ["EBAY_GB (ivory, elephant tusk, netsuke  carved, 象牙)",
                     "EBAY_DE (ivory, elephant tusk, netsuke  carved, 象牙)"]


def test_pages_by_offset_with_one_cached_token(study, fake):
    source = source_for(fake)
    pages, counts = run_term(study, source, "EBAY_GB ivory", max_pages=10)
    assert pages == 2 and counts.stored == 4
    assert [s["offset"] for s in fake.searches] == ["0", "2"]
    assert all(s["market"] == "EBAY_GB" and s["sort"] == "newlyListed" for s in fake.searches)
    assert fake.tokens_issued == 1  # cached across pages
    run_term(study, source, "EBAY_DE ivory", max_pages=10)
    assert fake.tokens_issued == 1 and fake.searches[-1]["market"] == "EBAY_DE"
    cursor = json.loads(study.store.cursors.get("ebay-test", "EBAY_GB ivory"))
    assert cursor == {"offset": None, "since": "2024-05-01T10:00:00+00:00", "top": None}
    assert study.store.cursors.get("ebay-test", "EBAY_DE ivory") is not None
    frame = study.store.posts.frame(["author", "country", "text"])
    assert set(frame["country"]) == {"GB", "CN"}
    assert frame["author"].str.startswith("u_").all()
    assert not frame["text"].str.contains("7911 123456").any()  # phone redacted at ingest


def test_token_expiry_and_a_revoked_token_fetch_a_new_one_once(fake):
    now = [1000.0]
    source = source_for(fake, clock=lambda: now[0])
    source.fetch("EBAY_GB ivory", None)
    assert fake.tokens_issued == 1
    now[0] += 7200 - 30  # within a minute of expiry: refresh before the call
    fake.valid.add("tok-2")
    source.fetch("EBAY_GB ivory", None)
    assert fake.tokens_issued == 2
    fake.valid = {"tok-3"}  # eBay revoked tok-2: one 401, a new token, the call again
    page = source.fetch("EBAY_GB ivory", None)
    assert fake.tokens_issued == 3 and len(page.records) == 2
    fake.valid = set()  # refused again after the refresh: a credentials error
    with pytest.raises(EbayCredentialsError):
        source.fetch("EBAY_GB ivory", None)
    assert fake.tokens_issued == 4


def test_refused_and_missing_credentials_say_how_to_fix(fake, monkeypatch):
    bad = EbaySource(settings_for(fake.url), client_id="app-id", client_secret="wrong",
                     sleep=lambda s: None)
    with pytest.raises(EbayCredentialsError, match="developer.ebay.com") as info:
        bad.fetch("EBAY_GB ivory", None)
    assert "wrong" not in str(info.value)
    settings = settings_for(fake.url)
    with pytest.raises(CredentialsError, match="WILDSIFT_EBAY_CLIENT_ID"):
        build(settings, Credentials(settings, environ={}))
    assert fake.searches == []


def test_429_waits_then_goes_on_and_a_long_wait_stops(fake):
    sleeps: list[float] = []
    source = source_for(fake, sleeps)
    fake.fail_first = [Response("{}", status=429, headers={"Retry-After": "4"}),
                       Response("busy", status=503)]
    assert len(source.fetch("EBAY_GB ivory", None).records) == 2
    assert sleeps == [4.0, pytest.approx(2.0)]
    fake.fail_first = [Response("{}", status=429, headers={"Retry-After": "86400"})]
    with pytest.raises(EbayRateLimited):
        source.fetch("EBAY_GB ivory", None)


def test_malformed_item_is_quarantined_and_the_page_goes_on(study, fake):
    fake.extra_first = [load("item_malformed.json")]
    _, counts = run_term(study, source_for(fake), "EBAY_GB ivory", max_pages=10)
    assert counts.quarantined == 1 and counts.stored == 4
    (item,) = study.store.quarantine.all()
    assert item.field == "itemId" and item.source == "ebay:ebay-test"
    assert "offset=0" in item.location


def test_second_run_stops_at_what_it_has(study, fake):
    source = source_for(fake)
    run_term(study, source, "EBAY_GB ivory", max_pages=10)
    fake.searches.clear()
    fake.items["EBAY_GB"].append(load("item_new.json"))
    _, counts = run_term(study, source, "EBAY_GB ivory", max_pages=10)
    assert [s["offset"] for s in fake.searches] == ["0"]  # the first page reached 'since'
    assert counts.stored == 1 and counts.duplicates == 1
    cursor = json.loads(study.store.cursors.get("ebay-test", "EBAY_GB ivory"))
    assert cursor["since"] == "2024-05-02T09:00:00+00:00"


def test_interrupted_sweep_resumes_at_its_offset(study, fake):
    source = source_for(fake)
    run_term(study, source, "EBAY_GB ivory", max_pages=1)
    assert json.loads(study.store.cursors.get("ebay-test", "EBAY_GB ivory"))["offset"] == 2
    fake.searches.clear()
    run_term(study, source, "EBAY_GB ivory", max_pages=10)
    assert fake.searches[0]["offset"] == "2" and study.store.posts.count() == 4


def test_offset_stops_at_ebays_limit(fake):
    fake.items["EBAY_GB"] = fake.items["EBAY_GB"] * 1  # 4 items; pretend the cursor is deep
    source = source_for(fake, limit=200)
    page = source.fetch("EBAY_GB ivory", json.dumps({"offset": 9800}))
    assert page.more is False and json.loads(page.next_cursor)["offset"] is None


def test_dry_run_lists_calls_per_marketplace_without_credentials(study, fake, monkeypatch):
    monkeypatch.delenv("WILDSIFT_EBAY_CLIENT_ID", raising=False)
    settings = settings_for(fake.url, marketplaces=["EBAY_GB", "EBAY_DE"])
    (result,) = mine_source(study, settings, dry_run=True, lexicon=NoLexicon())
    assert result.terms == ["EBAY_GB ivory", "EBAY_DE ivory"]
    assert result.calls[0] == (f"GET {fake.url}{SEARCH}?q=ivory&limit=2&sort=newlyListed"
                               "&offset=0 [X-EBAY-C-MARKETPLACE-ID: EBAY_GB]")
    assert result.quota == 2 and fake.searches == [] and fake.tokens_issued == 0


def test_bad_options_name_the_key(fake):
    from wildsift.errors import ConfigError
    with pytest.raises(ConfigError, match=r"ebay-test.*options\.limt"):
        EbaySource(SourceSettings(type="ebay", name="ebay-test", options={"limt": 5}))
