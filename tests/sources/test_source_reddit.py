"""Reddit connector: praw (OAuth + search listing) against a local server in Reddit's shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug import Request, Response

pytest.importorskip("praw")

from wildsift.errors import CredentialsError, RecordError
from wildsift.sources.base import Source
from wildsift.sources.credentials import Credentials
from wildsift.sources.reddit.client import build
from wildsift.sources.reddit.errors import RedditCredentialsError, RedditRateLimited
from wildsift.sources.reddit.mapping import map_submission
from wildsift.sources.registry import build_source
from wildsift.sources.run import mine_source, run_term
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reddit"
SEARCH = "/r/exoticpets+whatisthisthing/search"
ENV = {"WILDSIFT_REDDIT_CLIENT_ID": "app-id", "WILDSIFT_REDDIT_CLIENT_SECRET": "app-secret"}


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeReddit:
    """The token endpoint and a search listing paged by ``after``."""

    def __init__(self):
        self.newest: dict | None = None
        self.fail_first: list[Response] = []
        self.params: list[dict] = []
        self.token_requests: list[dict] = []
        self.refuse_token = False

    def token(self, request: Request) -> Response:
        self.token_requests.append(dict(request.form))
        if self.refuse_token:
            return Response(json.dumps({"error": "invalid_grant"}), status=200,
                            content_type="application/json")
        return Response(json.dumps(load("token.json")), content_type="application/json")

    def search(self, request: Request) -> Response:
        self.params.append(dict(request.args))
        assert request.headers["Authorization"].startswith("bearer ")
        if self.fail_first:
            return self.fail_first.pop(0)
        after = request.args.get("after")
        if after == "t3_1cbb002":
            body = load("search_page2.json")
        elif after is None and self.newest is not None:
            body = self.newest
        else:
            body = load("search_page1.json")
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def server(httpserver):
    fake = FakeReddit()
    httpserver.expect_request("/api/v1/access_token", method="POST"
                              ).respond_with_handler(fake.token)
    httpserver.expect_request(SEARCH).respond_with_handler(fake.search)
    fake.url = httpserver.url_for("/").rstrip("/")
    return fake


def settings_for(url: str | None = None, **extra) -> SourceSettings:
    options = extra.pop("options", {"subreddits": ["exoticpets", "r/whatisthisthing"]})
    return SourceSettings(type="reddit", name="rd", base_url=url, queries=["tortoise"],
                          options=options, **extra)


def source_for(server, sleeps=None, environ=None):
    sleeps = [] if sleeps is None else sleeps
    settings = settings_for(server.url)
    return build(settings, Credentials(settings, environ=ENV if environ is None else environ),
                 sleep=sleeps.append, jitter=lambda: 0.5)


# -- mapping ------------------------------------------------------------------------------
def test_map_submission_gallery_flair_and_author_id():
    child = load("search_page1.json")["data"]["children"][0]
    post = map_submission(child, "tortoise", "reddit:rd")
    assert post.platform == "reddit" and post.source_id == "t3_1cbb003"
    assert post.text.startswith("[WTS] Tortoises for rehoming\n\nTwo baby sulcata")
    assert post.author == "t2_8k2j3h4g"  # the account id, not the username
    assert post.created_at == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)
    assert post.source == "reddit:rd/r/exoticpets"
    assert [m.url for m in post.media] == [  # the failed gallery item is left out
        "https://preview.redd.it/abc123.jpg?width=1600&format=pjpg&auto=webp&s=1a2b"]


def test_map_submission_image_video_and_deleted_author():
    image = map_submission(load("search_page1.json")["data"]["children"][1], "q", "r")
    assert [(m.kind, m.url) for m in image.media] == [("image", "https://i.redd.it/xyz.jpg")]
    video = map_submission(load("search_page2.json")["data"]["children"][0], "q", "r")
    assert video.author is None
    (media,) = video.media
    assert media.kind == "video" and media.url.startswith("https://v.redd.it/p4ng0/DASH_720")
    assert media.thumbnail == "https://external-preview.redd.it/p4ng0.png?format=pjpg&s=1"


def test_malformed_children_are_record_errors():
    with pytest.raises(RecordError) as info:
        map_submission(load("search_page1.json")["data"]["children"][2], "q", "r")
    assert info.value.field == "created_utc"
    with pytest.raises(RecordError) as info:
        map_submission({"kind": "t1", "data": {}}, "q", "r")
    assert info.value.field == "kind"


# -- fetching -----------------------------------------------------------------------------
def test_source_follows_the_protocol(server):
    assert isinstance(source_for(server), Source)


def test_oauth_pagination_and_quarantine(study, server):
    source = source_for(server)
    pages, counts = run_term(study, source, "tortoise", max_pages=10)
    assert pages == 2 and counts.stored == 3 and counts.quarantined == 1
    assert server.token_requests[0]["grant_type"] == "client_credentials"
    first = server.params[0]
    assert first["q"] == "tortoise" and first["sort"] == "new"
    assert first["restrict_sr"] == "on" and first["limit"] == "100"
    assert server.params[1]["after"] == "t3_1cbb002"
    (item,) = study.store.quarantine.all()
    assert item.field == "created_utc" and item.source == "reddit:rd"
    cursor = json.loads(study.store.cursors.get("rd", "tortoise"))
    assert cursor == {"since": 1714557900.0, "seen": ["t3_1cbb003"]}


def test_second_run_fetches_only_new(study, server):
    source = source_for(server)
    run_term(study, source, "tortoise", max_pages=10)
    server.params.clear()
    server.newest = load("search_new.json")  # one new post, then one already read
    _, counts = run_term(study, source, "tortoise", max_pages=10)
    assert len(server.params) == 1  # stopped at the first post read before
    assert counts.read == 1 and counts.stored == 1 and counts.duplicates == 0
    assert json.loads(study.store.cursors.get("rd", "tortoise"))["since"] == 1714600000.0


def test_429_waits_for_retry_after(study, server):
    server.fail_first = [Response("Too Many Requests", status=429, headers={"Retry-After": "9"})]
    sleeps: list[float] = []
    run_term(study, source_for(server, sleeps), "tortoise", max_pages=1)
    assert sleeps == [9.0]
    assert study.store.posts.count() == 2


def test_long_429_ends_the_run(server):
    server.fail_first = [Response("slow down", status=429, headers={"Retry-After": "7200"})]
    with pytest.raises(RedditRateLimited):
        source_for(server).fetch("tortoise", None)


def test_refused_app_is_a_credentials_error(server):
    server.refuse_token = True
    with pytest.raises(RedditCredentialsError, match="prefs/apps"):
        source_for(server).fetch("tortoise", None)
    assert server.params == []


def test_missing_secret_names_the_variable(study, monkeypatch):
    monkeypatch.setenv("WILDSIFT_REDDIT_CLIENT_ID", "app-id")
    monkeypatch.delenv("WILDSIFT_REDDIT_CLIENT_SECRET", raising=False)
    with pytest.raises(CredentialsError, match="WILDSIFT_REDDIT_CLIENT_SECRET"):
        build_source(settings_for("http://127.0.0.1:9"), study_root=study.root)


def test_dry_run_describes_the_search(study):
    settings = settings_for("http://127.0.0.1:9", options={})

    class Lex:
        def expand(self, query, languages):
            return ["sulcata", "spur-thighed tortoise"]

    (result,) = mine_source(study, settings, dry_run=True, lexicon=Lex())
    assert result.terms == ['tortoise OR sulcata OR "spur-thighed tortoise"']
    assert result.calls[0].startswith("GET http://127.0.0.1:9/r/all/search?q=tortoise+OR")
    assert "restrict_sr=off" in result.calls[0] and result.quota == 1


def test_usernames_never_reach_the_database(study, server):
    run_term(study, source_for(server), "tortoise", max_pages=10)
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    for secret in (b"tortoise_dealer_99", b"t2_8k2j3h4g", b"estate_finds", b"0912 345 678"):
        assert secret not in blob
