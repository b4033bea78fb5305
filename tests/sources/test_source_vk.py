"""VK connector: vk_api's newsfeed.search against a local server in VK's JSON shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug import Request, Response

pytest.importorskip("vk_api")

from wildsift.errors import CredentialsError
from wildsift.sources.base import Source
from wildsift.sources.credentials import Credentials
from wildsift.sources.registry import build_source
from wildsift.sources.run import mine_source, run_term
from wildsift.sources.vk.client import build
from wildsift.sources.vk.errors import VkCredentialsError, VkRateLimited
from wildsift.sources.vk.mapping import descriptions_of, map_post
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "vk"
METHOD = "/method/newsfeed.search"
ENV = {"WILDSIFT_VK_TOKEN": "vk1.a.token"}


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeVk:
    """newsfeed.search paged by start_from; start_time filters to what is newer."""

    def __init__(self):
        self.newest: dict | None = None
        self.fail_first: list[dict] = []
        self.calls: list[dict] = []

    def __call__(self, request: Request) -> Response:
        form = dict(request.form)
        self.calls.append(form)
        if self.fail_first:
            body = self.fail_first.pop(0)
        elif form.get("start_from") == "3/-170000001_5512":
            body = load("search_page2.json")
        elif "start_time" in form:
            body = self.newest or {"response": {"items": [], "count": 0, "total_count": 0}}
        else:
            body = load("search_page1.json")
        return Response(json.dumps(body, ensure_ascii=False), status=200,
                        content_type="application/json")


@pytest.fixture
def server(httpserver):
    fake = FakeVk()
    httpserver.expect_request(METHOD, method="POST").respond_with_handler(fake)
    fake.url = httpserver.url_for("/").rstrip("/")
    return fake


def settings_for(url: str | None = None, **extra) -> SourceSettings:
    options = extra.pop("options", {"min_interval": 0})
    return SourceSettings(type="vk", name="vk-test", base_url=url, queries=["бивень"],
                          options=options, **extra)


def source_for(server, sleeps=None, **extra):
    sleeps = [] if sleeps is None else sleeps
    settings = settings_for(server.url, **extra)
    return build(settings, Credentials(settings, environ=ENV), sleep=sleeps.append,
                 jitter=lambda: 0.5)


# -- mapping ------------------------------------------------------------------------------
def test_map_post_geo_photos_and_community_bio():
    answer = load("search_page1.json")["response"]
    post = map_post(answer["items"][0], "бивень", "vk:t", descriptions_of(answer))
    assert post.platform == "vk" and post.source_id == "-170000001_5512"
    assert post.author == "-170000001"  # a community: negative id
    assert post.author_description == "Кость, рог, бивень. Доставка по РФ"
    assert (post.lat, post.lon) == (55.751244, 37.618423)
    # VK names the country ("Россия"); only ISO codes fit posts.country (PostgreSQL refused
    # the batch): the name is dropped and the coordinates give the country
    assert post.place == "Москва" and post.country is None
    assert post.created_at == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)
    assert post.hashtags == ["бивень"]
    assert [(m.kind, m.url) for m in post.media] == [
        ("image", "https://sun9-1.userapi.com/impg/large.jpg?size=960x1280"),  # largest size
        ("video", "https://vk.com/video-170000001_456239020")]
    assert post.media[1].thumbnail == "https://sun9-2.userapi.com/vid/still_800.jpg"
    person = map_post(answer["items"][1], "q", "vk:t", descriptions_of(answer))
    assert person.author == "123456789" and person.author_description == "звоните 89123456789"
    assert person.lat is None and person.media == []


def test_malformed_posts_are_record_errors():
    from wildsift.errors import RecordError
    with pytest.raises(RecordError) as info:
        map_post(load("search_page1.json")["response"]["items"][2], "q", "vk:t")
    assert info.value.field == "id"
    with pytest.raises(RecordError) as info:
        map_post(load("search_page2.json")["response"]["items"][0], "q", "vk:t")
    assert info.value.field == "geo.coordinates"


# -- fetching -----------------------------------------------------------------------------
def test_source_follows_the_protocol(server):
    assert isinstance(source_for(server), Source)


def test_pagination_quarantine_and_cursor(study, server):
    pages, counts = run_term(study, source_for(server), "бивень", max_pages=10)
    assert pages == 2 and counts.stored == 3 and counts.quarantined == 2
    first = server.calls[0]
    assert first["q"] == "бивень" and first["extended"] == "1" and first["count"] == "200"
    assert first["access_token"] == "vk1.a.token" and first["v"] == "5.199"
    assert server.calls[1]["start_from"] == "3/-170000001_5512"
    assert sorted(q.field for q in study.store.quarantine.all()) == ["geo.coordinates", "id"]
    assert json.loads(study.store.cursors.get("vk-test", "бивень")) == {"since": 1714557900}


def test_second_run_fetches_only_new(study, server):
    source = source_for(server)
    run_term(study, source, "бивень", max_pages=10)
    server.calls.clear()
    server.newest = load("search_new.json")
    _, counts = run_term(study, source, "бивень", max_pages=10)
    assert len(server.calls) == 1 and server.calls[0]["start_time"] == "1714557901"
    assert counts.stored == 1 and counts.duplicates == 0
    assert json.loads(study.store.cursors.get("vk-test", "бивень")) == {"since": 1714600000}


def test_geo_option_sends_coordinates(server):
    source = source_for(server, options={"min_interval": 0, "geo": [55.75, 37.62]})
    source.fetch("бивень", None)
    assert server.calls[0]["latitude"] == "55.75" and server.calls[0]["longitude"] == "37.62"


def test_error_6_in_a_200_body_is_a_rate_limit(study, server):
    server.fail_first = [load("error_too_many.json")]
    sleeps: list[float] = []
    run_term(study, source_for(server, sleeps), "бивень", max_pages=1)
    assert sleeps == [1.0] and len(server.calls) == 2  # retried by us, not by vk_api
    assert study.store.posts.count() == 2


def test_error_29_ends_the_run(server):
    server.fail_first = [{"error": {"error_code": 29, "error_msg": "Rate limit reached"}}]
    with pytest.raises(VkRateLimited):
        source_for(server).fetch("бивень", None)


def test_error_5_is_a_credentials_error(server):
    server.fail_first = [load("error_auth.json")]
    with pytest.raises(VkCredentialsError, match="invalid access_token"):
        source_for(server).fetch("бивень", None)
    assert len(server.calls) == 1


def test_missing_token_names_the_variable(study, monkeypatch):
    monkeypatch.delenv("WILDSIFT_VK_TOKEN", raising=False)
    with pytest.raises(CredentialsError, match="WILDSIFT_VK_TOKEN"):
        build_source(settings_for("http://127.0.0.1:9"), study_root=study.root)


def test_dry_run_is_one_call_per_term(study):
    class Lex:
        def expand(self, query, languages):
            return ["слоновая кость", "рог носорога"]

    (result,) = mine_source(study, settings_for("http://127.0.0.1:9"), dry_run=True,
                            lexicon=Lex())
    assert result.terms == ["бивень", "слоновая кость", "рог носорога"]
    assert len(result.calls) == 3 and result.quota == 3
    assert result.calls[0].startswith("POST http://127.0.0.1:9/method/newsfeed.search?q=")


def test_names_and_phones_never_reach_the_database(study, server):
    # national numbers (8 912 ...) are found only for the study's phone regions: docs/sources.md
    # tells VK studies to add "RU" to [privacy] phone_regions, as done here
    study.settings.privacy.phone_regions.append("RU")
    run_term(study, source_for(server), "бивень", max_pages=10)
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    for secret in ("123456789", "89123456789", "912 345-67-89", "Петров", "vk1.a.token"):
        assert secret.encode() not in blob
