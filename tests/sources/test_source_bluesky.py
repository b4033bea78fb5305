"""Bluesky search through the atproto SDK, against a local XRPC server answering in the real
shape (createSession, searchPosts with cursor and since), with a 429 and a malformed post."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug import Request, Response

from wildsift.errors import ConfigError, CredentialsError, RecordError
from wildsift.sources.base import Source
from wildsift.sources.bluesky.client import BlueskySource, build
from wildsift.sources.bluesky.errors import BlueskyCredentialsError, BlueskyRateLimited
from wildsift.sources.bluesky.mapping import map_post_view
from wildsift.sources.credentials import Credentials
from wildsift.sources.run import mine_source, run_term
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bluesky"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
LOGIN = "/xrpc/com.atproto.server.createSession"
TERM = '"rhino horn"'


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _jwt(exp: int) -> str:
    def part(obj) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part({'sub': 'did:plc:me', 'exp': exp})}.c2ln"


class FakeBluesky:
    """createSession and searchPosts like the AppView: newest first, numeric cursor, since."""

    def __init__(self, posts: list[dict], page: int = 2):
        self.posts = posts
        self.page = page
        self.extra_first: list = []  # malformed posts added to the first page
        self.fail_first: list[Response] = []
        self.calls: list[dict] = []
        self.auth: list[str | None] = []
        self.logins: list[dict] = []

    def __call__(self, request: Request) -> Response:
        if request.path == LOGIN:
            body = request.get_json()
            self.logins.append(body)
            if body.get("password") != "app-pass-1234":
                return Response(json.dumps({"error": "AuthenticationRequired",
                                            "message": "Invalid identifier or password"}),
                                status=401, content_type="application/json")
            exp = int(time.time()) + 7200
            return Response(json.dumps({"accessJwt": _jwt(exp), "refreshJwt": _jwt(exp + 9999),
                                        "handle": body["identifier"], "did": "did:plc:me",
                                        "active": True}), content_type="application/json")
        self.calls.append(dict(request.args))
        self.auth.append(request.headers.get("Authorization"))
        if self.fail_first:
            return self.fail_first.pop(0)
        ordered = sorted(self.posts, key=lambda p: p["indexedAt"], reverse=True)
        if "since" in request.args:
            ordered = [p for p in ordered if p["indexedAt"] >= request.args["since"]]
        start = int(request.args.get("cursor", 0))
        body: dict = {"posts": ordered[start:start + self.page]}
        if start == 0 and self.extra_first:
            body["posts"] = body["posts"] + self.extra_first
        if start + self.page < len(ordered):
            body["cursor"] = str(start + self.page)
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def server(httpserver):
    fake = FakeBluesky(load("searchPosts_response.json")["posts"])
    httpserver.expect_request(SEARCH).respond_with_handler(fake)
    httpserver.expect_request(LOGIN, method="POST").respond_with_handler(fake)
    fake.url = httpserver.url_for("/").rstrip("/")
    return fake


def settings_for(url: str, **extra) -> SourceSettings:
    return SourceSettings(type="bluesky", name="bsky", base_url=url, queries=["rhino horn"],
                          **extra)


def source_for(server, sleeps=None, password="app-pass-1234", **extra) -> BlueskySource:
    sleeps = [] if sleeps is None else sleeps
    return BlueskySource(settings_for(server.url, **extra), handle="me.bsky.social",
                         app_password=password, sleep=sleeps.append, jitter=lambda: 0.5,
                         clock=lambda: 1_700_000_000.0)


class NoLexicon:
    def expand(self, query, languages):
        return []


# -- mapping ------------------------------------------------------------------------------
def test_map_post_view_reads_the_real_shape():
    views = load("searchPosts_response.json")["posts"]
    post = map_post_view(views[0], TERM, "bluesky:bsky")
    assert post.platform == "bluesky"
    assert post.source_id == "at://did:plc:hornseller4n7q2vx3c5kd/app.bsky.feed.post/3kxyz5aaaa2a"
    assert post.author == "did:plc:hornseller4n7q2vx3c5kd"  # the DID, not the handle
    assert post.text.startswith("Real rhino #rhinohorn for sale")
    assert post.created_at == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)
    assert post.lang == "en" and post.hashtags == ["rhinohorn"]
    assert post.mentions == ["did:plc:ivorybuyer2k4m6n8p0q"]
    assert [(m.kind, m.url) for m in post.media] == [(
        "image", ("https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:hornseller4n7q2vx3c5kd/"
                  "bafkreihornimage1@jpeg"))]
    assert post.query == TERM and post.source == "bluesky:bsky"


def test_map_post_view_reply_video_link_card_tags_and_offsets():
    views = load("searchPosts_response.json")["posts"]
    ranger = map_post_view(views[1], TERM, "s")
    assert ranger.created_at == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)  # +02:00 to UTC
    assert ranger.lang == "vi" and ranger.hashtags == ["wildlifecrime"] and not ranger.media
    reply = map_post_view(views[2], TERM, "s")
    assert reply.reply_to == "did:plc:hornseller4n7q2vx3c5kd"  # the parent post's author
    assert [m.kind for m in reply.media] == ["video", "image"]  # playlist and thumbnail
    assert reply.media[0].url.endswith("playlist.m3u8")
    card = map_post_view(views[3], TERM, "s")
    assert [m.url.rsplit("/", 1)[-1] for m in card.media] == ["bafkreithumb1@jpeg"]


def test_malformed_views_are_record_errors_with_the_field():
    with pytest.raises(RecordError) as info:
        map_post_view(load("post_missing_uri.json"), TERM, "s")
    assert info.value.field == "uri"
    broken = load("post_new.json") | {"record": {"text": "x", "createdAt": "yesterday"}}
    with pytest.raises(RecordError) as info:
        map_post_view(broken, TERM, "s")
    assert info.value.field == "record.createdAt"


# -- query syntax -------------------------------------------------------------------------
def test_terms_are_one_call_per_term_phrases_quoted_and_per_language(server):
    class Lex:
        def expand(self, query, languages):
            return ["rhino horn", "sừng tê giác", "犀牛角"]
    terms = source_for(server).terms("rhinoceros", ["en", "vi"], Lex())
    assert terms == ["rhinoceros", '"rhino horn"', '"sừng tê giác"', "犀牛角"]
    assert not any(" OR " in t for t in terms)  # Bluesky search has no OR
    per_lang = source_for(server, options={"lang": "study"}).terms("rhinoceros", ["en", "vi"],
                                                                   NoLexicon())
    assert per_lang == ["rhinoceros lang:en", "rhinoceros lang:vi"]


def test_bad_options_name_the_key(server):
    with pytest.raises(ConfigError, match=r"\[\[sources\]\] bsky: options.sort"):
        source_for(server, options={"sort": "oldest"})
    with pytest.raises(ConfigError, match="options.since"):
        source_for(server, options={"since": "last tuesday"})


# -- fetching -----------------------------------------------------------------------------
def test_source_follows_the_protocol(server):
    assert isinstance(source_for(server), Source)


def test_logs_in_with_the_app_password_and_pages_with_the_cursor(study, server):
    source = source_for(server)
    pages, counts = run_term(study, source, TERM, max_pages=10)
    assert server.logins == [{"identifier": "me.bsky.social", "password": "app-pass-1234"}]
    assert all(a and a.startswith("Bearer ") for a in server.auth)
    assert [c.get("cursor") for c in server.calls] == [None, "2", "4"]
    assert server.calls[0] == {"q": TERM, "sort": "latest", "limit": "100"}
    assert pages == 3 and counts.stored == 5 and counts.quarantined == 0
    cursor = json.loads(study.store.cursors.get("bsky", TERM))
    assert cursor == {"since": "2024-05-01T10:05:01.112Z", "cursor": None, "newest": None,
                      "left": None}


def test_second_run_fetches_only_what_is_new(study, server):
    source = source_for(server)
    run_term(study, source, TERM, max_pages=10)
    server.calls.clear()
    server.posts.append(load("post_new.json"))
    _, counts = run_term(study, source, TERM, max_pages=10)
    assert server.calls[0]["since"] == "2024-05-01T10:05:01.112Z"
    assert "cursor" not in server.calls[0]
    assert counts.stored == 1 and study.store.posts.count() == 6
    assert json.loads(study.store.cursors.get("bsky", TERM))["since"] == "2024-05-02T09:00:00.400Z"
    _, counts = run_term(study, source, TERM, max_pages=10)  # nothing new: nothing stored
    assert counts.stored == 0 and study.store.posts.count() == 6


def test_first_backfill_is_bounded_by_max_pages_then_goes_forward(study, server):
    source = source_for(server, max_pages=2)
    run_term(study, source, TERM, max_pages=2)
    assert study.store.posts.count() == 4  # two pages of two; the oldest is left
    server.calls.clear()
    server.posts.append(load("post_new.json"))
    run_term(study, source, TERM, max_pages=2)
    assert server.calls[0]["since"] == "2024-05-01T10:05:01.112Z"
    assert study.store.posts.count() == 5


def test_killed_run_resumes_without_loss_or_duplicates(study, server):
    class Killed(BlueskySource):
        calls = 0

        def fetch(self, term, cursor):
            Killed.calls += 1
            if Killed.calls == 2:
                raise KeyboardInterrupt
            return super().fetch(term, cursor)

    killed = Killed(settings_for(server.url), handle="me.bsky.social",
                    app_password="app-pass-1234", sleep=lambda s: None)
    with pytest.raises(KeyboardInterrupt):
        run_term(study, killed, TERM, max_pages=10)
    assert study.store.posts.count() == 2  # the first page was committed with its cursor
    server.calls.clear()
    _, counts = run_term(study, source_for(server), TERM, max_pages=10)
    assert server.calls[0]["cursor"] == "2"  # resumed where it stopped
    assert counts.stored == 3 and counts.duplicates == 0 and study.store.posts.count() == 5


def test_a_killed_forward_window_keeps_its_lower_bound(study, server):
    run_term(study, source_for(server), TERM, max_pages=10)
    new = [load("post_new.json") | {"uri": f"at://did:plc:x/app.bsky.feed.post/new{i}",
                                    "indexedAt": f"2024-05-0{2 + i}T09:00:00.400Z"}
           for i in range(3)]
    server.posts += new
    run_term(study, source_for(server), TERM, max_pages=1)  # stopped after one page
    state = json.loads(study.store.cursors.get("bsky", TERM))
    assert state["since"] == "2024-05-01T10:05:01.112Z" and state["cursor"] == "2"
    server.calls.clear()
    run_term(study, source_for(server), TERM, max_pages=10)
    assert server.calls[0]["since"] == "2024-05-01T10:05:01.112Z"
    assert study.store.posts.count() == 8  # 5 + 3 new: none skipped


def test_429_with_ratelimit_reset_then_a_503_then_success(study, server):
    server.fail_first = [
        Response(json.dumps({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}),
                 status=429, content_type="application/json",
                 headers={"ratelimit-limit": "3000", "ratelimit-remaining": "0",
                          "ratelimit-reset": "1700000007", "ratelimit-policy": "3000;w=300"}),
        Response("upstream failed", status=503)]
    sleeps: list[float] = []
    run_term(study, source_for(server, sleeps), TERM, max_pages=1)
    assert sleeps[0] == 7.0  # until ratelimit-reset
    assert sleeps[1] == pytest.approx(2.0)  # backoff for the 503
    assert study.store.posts.count() == 2


def test_long_rate_limit_ends_the_run_with_a_resumable_error(server):
    server.fail_first = [Response("{}", status=429, content_type="application/json",
                                  headers={"ratelimit-reset": "1700003600"})]
    with pytest.raises(BlueskyRateLimited) as info:
        source_for(server).fetch(TERM, None)
    assert info.value.retry_after == 3600


def test_refused_app_password_is_a_credentials_error(server):
    with pytest.raises(BlueskyCredentialsError, match="app password"):
        source_for(server, password="wrong").fetch(TERM, None)
    assert server.calls == []


def test_malformed_post_is_quarantined_and_the_page_goes_on(study, server):
    server.extra_first = [load("post_missing_uri.json")]
    _, counts = run_term(study, source_for(server), TERM, max_pages=10)
    assert counts.quarantined == 1 and counts.stored == 5
    (item,) = study.store.quarantine.all()
    assert item.field == "uri" and item.source == "bluesky:bsky"
    assert "searchPosts" in item.location


def test_public_search_needs_no_account(study, server):
    source = build(settings_for(server.url, options={"public": True}),
                   Credentials(settings_for(server.url), environ={}), sleep=lambda s: None)
    run_term(study, source, TERM, max_pages=10)
    assert server.logins == [] and server.auth == [None, None, None]
    assert study.store.posts.count() == 5


def test_missing_credentials_name_the_variables(server):
    settings = settings_for(server.url)
    with pytest.raises(CredentialsError) as info:
        build(settings, Credentials(settings, environ={}))
    assert "WILDSIFT_BLUESKY_HANDLE" in str(info.value) and "app password" in str(info.value)
    with pytest.raises(CredentialsError, match="WILDSIFT_BLUESKY_APP_PASSWORD"):
        build(settings, Credentials(settings, environ={"WILDSIFT_BLUESKY_HANDLE": "me"}))


def test_privacy_handles_and_dids_never_reach_the_database(study, server):
    run_term(study, source_for(server), TERM, max_pages=10)
    frame = study.store.posts.frame(["author", "mentions", "reply_to", "text"])
    assert frame["author"].str.startswith("u_").all() and frame["author"].nunique() == 3
    assert "912 345 678" not in "".join(frame["text"])
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    for secret in (b"hornseller4n7q2vx3c5kd", b"hornseller88", b"ivorybuyer2k4m6n8p0q",
                   b"rangerjane", b"3kxyz5aaaa2a", b"Horn Seller"):
        assert secret not in blob


def test_mine_dry_run_lists_calls_and_fetches_nothing(study, server, monkeypatch):
    monkeypatch.setenv("WILDSIFT_BLUESKY_HANDLE", "me.bsky.social")
    monkeypatch.setenv("WILDSIFT_BLUESKY_APP_PASSWORD", "app-pass-1234")
    settings = settings_for(server.url, options={"until": "2024-06-01"})
    results = mine_source(study, settings, dry_run=True, lexicon=NoLexicon())
    assert results[0].calls == [(f"GET {server.url}{SEARCH}?q=%22rhino+horn%22&sort=latest"
                                 "&limit=100&until=2024-06-01")]
    assert results[0].quota == 1 and server.calls == [] and server.logins == []
    results = mine_source(study, settings, lexicon=NoLexicon(), sleep=lambda s: None)
    assert results[0].counts.stored == 5 and server.calls[0]["until"] == "2024-06-01"
    results = mine_source(study, settings, dry_run=True, lexicon=NoLexicon())
    assert "since=2024-05-01T10%3A05%3A01.112Z" in results[0].calls[0]
