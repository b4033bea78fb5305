"""X connector: tweepy against a local server answering in the real API v2 JSON shape."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug import Request, Response

pytest.importorskip("tweepy")

from wildsift.errors import CredentialsError
from wildsift.sources.base import Source
from wildsift.sources.registry import build_source
from wildsift.sources.run import mine_source, run_term
from wildsift.sources.x.client import XSource
from wildsift.sources.x.errors import XCredentialsError, XRateLimited
from wildsift.sources.x.mapping import Includes, map_tweet
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "x"
RECENT = "/2/tweets/search/recent"
TERM = 'ivory OR "rhino horn" -is:retweet'


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeX:
    """Recent search: page 1 -> next_token -> page 2; since_id -> what is newer."""

    def __init__(self):
        self.newer: list[dict] = []
        self.fail_first: list[Response] = []
        self.params: list[dict] = []
        self.auth: list[str] = []

    def __call__(self, request: Request) -> Response:
        self.params.append(dict(request.args))
        self.auth.append(request.headers.get("Authorization", ""))
        if self.fail_first:
            return self.fail_first.pop(0)
        args = request.args
        if args.get("next_token") == load("recent_page1.json")["meta"]["next_token"]:
            body = load("recent_page2.json")
        elif "since_id" in args:
            body = {"meta": {"result_count": 0}}
            fresh = [a for a in self.newer
                     if int(a["data"][0]["id"]) > int(args["since_id"])]
            if fresh:
                body = fresh[0]
        else:
            body = load("recent_page1.json")
        return Response(json.dumps(body), status=200, content_type="application/json")


@pytest.fixture
def server(httpserver):
    fake = FakeX()
    httpserver.expect_request(RECENT).respond_with_handler(fake)
    fake.url = httpserver.url_for("/").rstrip("/")
    return fake


def settings_for(url: str | None = None, **extra) -> SourceSettings:
    return SourceSettings(type="x", name="x-test", base_url=url, queries=["ivory"], **extra)


def source_for(server, sleeps=None, **extra) -> XSource:
    sleeps = [] if sleeps is None else sleeps
    return XSource(settings_for(server.url, **extra), token="AAAA-bearer", sleep=sleeps.append,
                   jitter=lambda: 0.5)


class Lex:
    def __init__(self, terms):
        self.terms = terms

    def expand(self, query, languages):
        return self.terms


# -- mapping ------------------------------------------------------------------------------
def test_map_tweet_joins_includes():
    answer = load("recent_page1.json")
    includes = Includes.of(answer)
    post = map_tweet(answer["data"][0], includes, TERM, "x:t")
    assert post.platform == "x" and post.source_id == "1785000000000000005"
    assert post.author == "2244994945"
    assert post.author_description == "Best prices, DM or call 0912345678"
    assert post.created_at == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)
    assert post.hashtags == ["ivory"] and post.mentions == ["783214"]
    assert [(m.kind, m.url.rsplit("/", 1)[-1], m.thumbnail and m.thumbnail.rsplit("/", 1)[-1])
            for m in post.media] == [("image", "GMa1bangle.jpg", None),
                                     ("video", "high.mp4", "still.jpg")]  # best MP4 + still
    assert post.place == "Hoàn Kiếm, Hà Nội" and post.country == "VN"
    assert post.lat == pytest.approx(21.025) and post.lon == pytest.approx(105.855)  # small bbox
    assert post.query == TERM and post.lang == "en"


def test_map_tweet_point_beats_place_and_big_places_give_no_point():
    answer = load("recent_page1.json")
    post = map_tweet(answer["data"][1], Includes.of(answer), TERM, "x:t")
    assert (post.lat, post.lon) == (21.0278, 105.8342)  # GeoJSON is lon, lat
    assert post.country == "VN" and post.reply_to == "2244994945"
    page2 = load("recent_page2.json")
    assert map_tweet(page2["data"][0], Includes.of(page2), TERM, "x:t").lat is None


def test_map_tweet_without_id_is_a_record_error():
    from wildsift.errors import RecordError
    answer = load("recent_page1.json")
    with pytest.raises(RecordError) as info:
        map_tweet(answer["data"][2], Includes.of(answer), TERM, "x:t")
    assert info.value.field == "id"


# -- queries and dry-run ------------------------------------------------------------------
def test_terms_are_or_queries_within_the_limit():
    source = XSource(settings_for(), client=None)
    terms = ["ivory", "rhino horn"] + [f"term{i:03d}" for i in range(80)]
    queries = source.terms("ivory", ["en"], Lex(terms))
    assert queries[0].startswith('ivory OR "rhino horn" OR term000')
    assert all(q.endswith(" -is:retweet") and len(q) <= 512 for q in queries)
    assert len(queries) == 2
    archive = XSource(settings_for(options={"archive": True}), client=None)
    assert len(archive.terms("ivory", ["en"], Lex(terms))) == 1  # 1024 characters fit all


def test_dry_run_lists_the_queries_and_their_quota(study):
    settings = settings_for("http://127.0.0.1:9")
    results = mine_source(study, settings, dry_run=True, lexicon=Lex(["rhino horn"]))
    (result,) = results
    assert result.terms == [TERM]
    assert result.quota == 1 and result.unit == "request"
    assert result.calls[0].startswith("GET http://127.0.0.1:9/2/tweets/search/recent?query=")
    assert "max_results=100" in result.calls[0]


def test_bad_options_name_the_key():
    from wildsift.errors import ConfigError
    with pytest.raises(ConfigError, match=r"options.max_results"):
        XSource(settings_for(options={"max_results": 300}), client=None)
    with pytest.raises(ConfigError, match=r"options.archve"):
        XSource(settings_for(options={"archve": True}), client=None)


# -- fetching -----------------------------------------------------------------------------
def test_source_follows_the_protocol(server):
    assert isinstance(source_for(server), Source)


def test_pagination_expansions_and_quarantine(study, server):
    source = source_for(server)
    pages, counts = run_term(study, source, TERM, max_pages=10)
    assert pages == 2
    assert counts.stored == 3 and counts.quarantined == 2  # no id + a not-found error item
    first = server.params[0]
    assert first["query"] == TERM and first["max_results"] == "100"
    assert first["expansions"] == "author_id,attachments.media_keys,geo.place_id"
    assert "description" in first["user.fields"] and "variants" in first["media.fields"]
    assert "bbox" not in first["place.fields"] and "geo" in first["place.fields"]
    assert server.params[1]["next_token"].startswith("b26v89")
    assert server.auth[0] == "Bearer AAAA-bearer"
    cursor = json.loads(study.store.cursors.get("x-test", TERM))
    assert cursor == {"since": "1785000000000000005"}
    reasons = sorted((q.field or "", q.reason) for q in study.store.quarantine.all())
    assert reasons[0][0] == "id"
    assert reasons[1][0] == "referenced_tweets.id" and "Not Found Error" in reasons[1][1]


def test_second_run_fetches_only_new(study, server):
    source = source_for(server)
    run_term(study, source, TERM, max_pages=10)
    server.params.clear()
    server.newer.append(load("recent_new.json"))
    _, counts = run_term(study, source, TERM, max_pages=10)
    assert len(server.params) == 1
    assert server.params[0]["since_id"] == "1785000000000000005"
    assert "next_token" not in server.params[0]
    assert counts.stored == 1 and counts.duplicates == 0
    assert json.loads(study.store.cursors.get("x-test", TERM)) == {
        "since": "1786000000000000001"}


def test_page_cap_keeps_the_next_token_and_resumes(study, server):
    source = source_for(server)
    run_term(study, source, TERM, max_pages=1)
    cursor = json.loads(study.store.cursors.get("x-test", TERM))
    assert cursor["next"].startswith("b26v89") and cursor["top"] == "1785000000000000005"
    server.params.clear()
    run_term(study, source, TERM, max_pages=1)
    assert server.params[0]["next_token"].startswith("b26v89")
    assert study.store.posts.count() == 3


def test_429_waits_until_the_reset_then_goes_on(study, server):
    reset = str(int(time.time()) + 30)
    server.fail_first = [Response(json.dumps(load("too_many_requests.json")), status=429,
                                  headers={"x-rate-limit-reset": reset},
                                  content_type="application/json"),
                         Response("oops", status=503)]
    sleeps: list[float] = []
    run_term(study, source_for(server, sleeps), TERM, max_pages=1)
    assert 20 < sleeps[0] <= 30  # until x-rate-limit-reset (epoch seconds)
    assert sleeps[1] == pytest.approx(2.0)  # backoff for the 503
    assert study.store.posts.count() == 2


def test_long_rate_limit_ends_the_run_with_a_resumable_error(server):
    reset = str(int(time.time()) + 3600)
    server.fail_first = [Response("{}", status=429, headers={"x-rate-limit-reset": reset})]
    with pytest.raises(XRateLimited) as info:
        source_for(server).fetch(TERM, None)
    assert info.value.retry_after > 3000


def test_refused_token_is_a_credentials_error(server):
    server.fail_first = [Response(json.dumps(load("unauthorized.json")), status=401,
                                  content_type="application/json")]
    with pytest.raises(XCredentialsError, match="bearer token"):
        source_for(server).fetch(TERM, None)
    assert len(server.params) == 1  # never retried


def test_missing_token_names_the_variable(study, monkeypatch):
    monkeypatch.delenv("WILDSIFT_X_TOKEN", raising=False)
    with pytest.raises(CredentialsError, match="WILDSIFT_X_TOKEN"):
        build_source(settings_for("http://127.0.0.1:9"), study_root=study.root)
    monkeypatch.setenv("MY_X_BEARER", "abc")
    source = build_source(settings_for("http://127.0.0.1:9", token_env="MY_X_BEARER"),
                          study_root=study.root)
    assert source.client.bearer_token == "abc"


def test_handles_and_names_never_reach_the_database(study, server):
    run_term(study, source_for(server), TERM, max_pages=10)
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    for secret in (b"hornseller88", b"Horn Seller", b"2244994945", b"ivorybuyer",
                   b"912 345 678", b"0912345678"):
        assert secret not in blob
