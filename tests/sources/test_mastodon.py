"""Mastodon connector against a real local HTTP server answering in the real API shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug import Request, Response

from wildsift.errors import SourceError
from wildsift.records import RawPost
from wildsift.sources.base import Source
from wildsift.sources.mastodon.client import MastodonSource, retry_after, token_from_env
from wildsift.sources.mastodon.errors import MastodonCredentialsError, MastodonRateLimited
from wildsift.sources.mastodon.hashtags import expand_query, to_hashtag
from wildsift.sources.mastodon.mapping import html_to_text, map_status
from wildsift.sources.run import mine_source, run_term
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mastodon"
PATH = "/api/v1/timelines/tag/rhinohorn"


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeMastodon:
    """Serves a hashtag timeline like Mastodon: max_id / min_id, Link next/prev, small pages."""

    def __init__(self, statuses: list[dict], page: int = 2):
        self.statuses = statuses
        self.page = page
        self.extra_first: list[dict] = []  # malformed items to add to the newest page
        self.fail_first: list[Response] = []  # answers to give before the real ones
        self.params: list[dict] = []

    def __call__(self, request: Request) -> Response:
        self.params.append(dict(request.args))
        if self.fail_first:
            return self.fail_first.pop(0)
        ordered = sorted(self.statuses, key=lambda s: int(s["id"]), reverse=True)
        args = request.args
        if "max_id" in args:
            chosen = [s for s in ordered if int(s["id"]) < int(args["max_id"])][: self.page]
        elif "min_id" in args:
            newer = [s for s in ordered if int(s["id"]) > int(args["min_id"])]
            chosen = newer[-self.page:]
        elif "since_id" in args:
            chosen = [s for s in ordered if int(s["id"]) > int(args["since_id"])][: self.page]
        else:
            chosen = ordered[: self.page]
        body = list(chosen)
        if not args.get("max_id") and not args.get("min_id") and self.extra_first:
            body += self.extra_first
        headers = {}
        if chosen:
            base = request.base_url
            headers["Link"] = (f'<{base}?max_id={chosen[-1]["id"]}>; rel="next", '
                               f'<{base}?min_id={chosen[0]["id"]}>; rel="prev"')
        return Response(json.dumps(body), status=200, headers=headers,
                        content_type="application/json")


@pytest.fixture
def server(httpserver):
    fake = FakeMastodon(load("tag_rhinohorn.json"))
    httpserver.expect_request(PATH).respond_with_handler(fake)
    fake.url = httpserver.url_for("/").rstrip("/")
    return fake


def settings_for(url: str, **extra) -> SourceSettings:
    return SourceSettings(type="mastodon", name="test-server", base_url=url,
                          queries=["rhinohorn"], **extra)


class NoLexicon:
    def expand(self, query, languages):
        return []


def source_for(server, sleeps=None, **extra) -> MastodonSource:
    sleeps = [] if sleeps is None else sleeps
    return MastodonSource(settings_for(server.url, **extra), sleep=sleeps.append,
                          jitter=lambda: 0.5)


# -- mapping ------------------------------------------------------------------------------
def test_map_status_reads_the_real_shape():
    status = load("tag_rhinohorn.json")[0]
    post = map_status(status, "mastodon.example", "#rhinohorn")
    assert isinstance(post, RawPost)
    assert post.platform == "mastodon"
    assert post.source_id == "mastodon.example:110000000000000005"
    assert post.text.splitlines()[0] == "Real #rhinohorn for sale, 2 pieces, 1.2 kg."
    assert post.text.splitlines()[1] == "Call +84 912 345 678 or WhatsApp."
    assert "Ask @ivorybuyer about shipping & price." in post.text  # entities decoded
    assert "<" not in post.text
    assert post.created_at == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)
    assert post.author == "mastodon.example:109111111111111111"
    assert post.author_description.startswith("Best prices, call me https://wa.me/")
    assert post.mentions == ["mastodon.example:109333333333333333"]
    assert post.hashtags == ["rhinohorn"]
    assert [(m.kind, m.url.rsplit("/", 1)[-1]) for m in post.media] == [("image", "horn.jpg")]
    assert post.lang == "en" and post.query == "#rhinohorn"
    assert post.source == "mastodon:mastodon.example"


def test_map_status_reply_video_warning_and_timezone():
    statuses = load("tag_rhinohorn.json")
    reply = map_status(statuses[2], "s", "#x")
    assert reply.reply_to == "s:109222222222222222"
    assert reply.created_at == datetime(2024, 4, 30, 15, 0, tzinfo=UTC)
    video = map_status(statuses[3], "s", "#x")
    assert video.media[0].kind == "video"
    assert video.text == "graphic\n\nVideo from the field"


def test_map_status_without_id_is_a_record_error():
    from wildsift.errors import RecordError
    with pytest.raises(RecordError) as info:
        map_status(load("status_missing_id.json"), "s", "#x")
    assert info.value.field == "id"


def test_html_to_text_keeps_line_breaks():
    assert html_to_text("<p>a<br>b</p><p>c &lt;3</p>") == "a\nb\n\nc <3"


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 01 May 2024 12:00:30 GMT", now) == 30.0
    assert retry_after("garbage") is None


# -- hashtags -----------------------------------------------------------------------------
def test_terms_become_hashtags_or_are_skipped():
    assert to_hashtag("rhino horn") == "rhinohorn"
    assert to_hashtag("#Pangolin") == "pangolin"
    assert to_hashtag("sừng tê giác") == "sừngtêgiác"
    assert to_hashtag("นอแรด") == "นอแรด"
    assert to_hashtag("1234") is None
    assert to_hashtag("horn/ivory") is None


def test_expand_query_caps_and_dedupes():
    class Lex:
        def expand(self, query, languages):
            return ["Rhino horn", "rhinohorn", "犀牛角", "c/o"] + [f"term{i}" for i in range(50)]
    tags = expand_query("rhinoceros", ["en"], lexicon=Lex(), limit=5)
    assert tags == ["rhinoceros", "rhinohorn", "犀牛角", "term0", "term1"]


def test_expand_query_with_the_real_lexicon():
    lexicon = pytest.importorskip("wildsift.lexicon")
    if not hasattr(lexicon, "Lexicon"):
        pytest.skip("wildsift.lexicon.Lexicon is not there yet")
    tags = expand_query("rhinoceros", ["en", "vi", "zh-Hans"])
    assert tags[0] == "rhinoceros" and len(tags) > 1
    assert {"rhinohorn", "sừngtêgiác", "犀牛角"} <= set(tags)  # products before Latin names
    assert "dicerosbicornis" not in tags
    assert expand_query("ivoryforsale", ["en"]) == ["ivoryforsale"]  # unknown: used as is
    assert all(" " not in tag and to_hashtag(tag) == tag for tag in tags)


# -- fetching against the local server ----------------------------------------------------
def test_source_follows_the_protocol(server):
    assert isinstance(source_for(server), Source)


def test_first_run_follows_link_pagination_and_stores_a_cursor(study, server):
    source = source_for(server)
    _pages, counts = run_term(study, source, "rhinohorn", max_pages=10)
    assert counts.stored == 5 and counts.quarantined == 0
    assert study.store.posts.count() == 5
    # newest page first, then rel="next" (max_id) backwards, then a forward check with min_id
    assert server.params[0] == {"limit": "40"}
    assert server.params[1]["max_id"] == "110000000000000004"
    assert server.params[2]["max_id"] == "110000000000000002"
    assert server.params[-1]["min_id"] == "110000000000000005"
    cursor = json.loads(study.store.cursors.get("test-server", "rhinohorn"))
    assert cursor["since"] == "110000000000000005"


def test_second_run_fetches_only_what_is_new(study, server):
    source = source_for(server)
    run_term(study, source, "rhinohorn", max_pages=10)
    server.params.clear()
    server.statuses.append(load("status_new.json"))
    _, counts = run_term(study, source, "rhinohorn", max_pages=10)
    assert server.params[0]["min_id"] == "110000000000000005"
    assert all("max_id" not in p for p in server.params)
    assert counts.stored == 1 and counts.duplicates == 0
    assert study.store.posts.count() == 6
    cursor = json.loads(study.store.cursors.get("test-server", "rhinohorn"))
    assert cursor["since"] == "110000000000000006"
    # and a third run finds nothing new, stores nothing
    _pages, counts = run_term(study, source, "rhinohorn", max_pages=10)
    assert counts.read == 0 and study.store.posts.count() == 6


def test_page_cap_then_resume_forward(study, server):
    source = source_for(server, max_pages=2)
    run_term(study, source, "rhinohorn", max_pages=2)
    assert study.store.posts.count() == 4  # two pages of two
    server.params.clear()
    server.statuses.append(load("status_new.json"))
    run_term(study, source, "rhinohorn", max_pages=2)
    assert server.params[0]["min_id"] == "110000000000000005"
    assert study.store.posts.count() == 5


def test_429_with_retry_after_then_success(study, server):
    server.fail_first = [Response("{}", status=429, headers={"Retry-After": "7"}),
                         Response("oops", status=503)]
    sleeps: list[float] = []
    source = source_for(server, sleeps)
    run_term(study, source, "rhinohorn", max_pages=1)
    assert sleeps[0] == 7.0  # Retry-After honoured
    assert sleeps[1] == pytest.approx(2.0)  # backoff for the 503: 2**1 * (0.5 + 0.5)
    assert study.store.posts.count() == 2


def test_long_rate_limit_and_persistent_errors_raise_source_errors(study, server):
    server.fail_first = [Response("{}", status=429, headers={"Retry-After": "3600"})]
    with pytest.raises(MastodonRateLimited) as info:
        source_for(server).fetch("rhinohorn", None)
    assert info.value.retry_after == 3600
    server.fail_first = [Response("x", status=502)] * 10
    with pytest.raises(SourceError, match="server error 502"):
        source_for(server).fetch("rhinohorn", None)
    server.fail_first = [Response("{}", status=401)]
    with pytest.raises(MastodonCredentialsError):
        source_for(server).fetch("rhinohorn", None)


def test_malformed_status_is_quarantined_and_the_page_goes_on(study, server):
    server.extra_first = [load("status_missing_id.json")]
    _pages, counts = run_term(study, source_for(server), "rhinohorn", max_pages=10)
    assert counts.quarantined == 1 and counts.stored == 5
    (item,) = study.store.quarantine.all()
    assert item.field == "id" and item.source == "mastodon:test-server"
    assert "tag/rhinohorn" in item.location


def test_privacy_handles_never_reach_the_database(study, server):
    run_term(study, source_for(server), "rhinohorn", max_pages=10)
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    for secret in (b"hornseller88", b"rangerjane", b"109111111111111111", b"Horn Seller"):
        assert secret not in blob
    frame = study.store.posts.frame(["author", "mentions", "text"])
    assert frame["author"].str.startswith("u_").all()
    assert frame["author"].nunique() == 2  # the same account keeps one pseudonym
    assert all(m.startswith("u_") for ms in frame["mentions"] for m in ms)


def test_phone_and_mention_in_content_are_redacted(study, server):
    run_term(study, source_for(server), "rhinohorn", max_pages=10)
    text = "\n".join(study.store.posts.frame(["text"])["text"])
    assert "912 345 678" not in text and "ivorybuyer" not in text
    assert "<PHONE:" in text and "<HANDLE:" in text
    assert "Real #rhinohorn for sale, 2 pieces, 1.2 kg." in text  # the rest is kept
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    for secret in (b"912345678", b"912 345 678", b"ivorybuyer", b"wa.me/84912345678"):
        assert secret not in blob


def test_token_comes_from_the_environment(monkeypatch):
    settings = SourceSettings(type="mastodon", name="s", base_url="http://x",
                              token_env="WS_TEST_TOKEN")
    monkeypatch.delenv("WS_TEST_TOKEN", raising=False)
    with pytest.raises(MastodonCredentialsError, match="WS_TEST_TOKEN"):
        token_from_env(settings)
    monkeypatch.setenv("WS_TEST_TOKEN", "abc")
    assert token_from_env(settings) == "abc"


def test_token_is_sent_as_bearer(httpserver):
    httpserver.expect_request(PATH, headers={"Authorization": "Bearer sekrit"}
                              ).respond_with_json([])
    source = MastodonSource(settings_for(httpserver.url_for("/")), token="sekrit",
                            sleep=lambda s: None)
    assert source.fetch("rhinohorn", None).records == []


def test_mine_source_and_dry_run(study, server):
    settings = settings_for(server.url)
    results = mine_source(study, settings, dry_run=True, lexicon=NoLexicon())
    assert results[0].calls == [f"GET {server.url}{PATH}?limit=40"]
    assert server.params == []  # nothing fetched
    results = mine_source(study, settings, lexicon=NoLexicon(), sleep=lambda s: None)
    assert results[0].counts.stored == 5 and results[0].terms == ["rhinohorn"]
    results = mine_source(study, settings, dry_run=True, lexicon=NoLexicon())
    assert "min_id=110000000000000005" in results[0].calls[0]


# -- the command --------------------------------------------------------------------------
def configure(study, url: str, token_env: str | None = None) -> None:
    config = study.root / "wildsift.toml"
    extra = f'token_env = "{token_env}"\n' if token_env else ""
    config.write_text(config.read_text() + f'\n[[sources]]\ntype = "mastodon"\nname = "local"\n'
                      f'base_url = "{url}"\nqueries = ["rhinohorn"]\n{extra}')


def test_cli_mine_prints_counts_per_source_and_query(study, server):
    from typer.testing import CliRunner

    from wildsift.cli.main import app
    configure(study, server.url)
    runner = CliRunner()
    dry = runner.invoke(app, ["--study", str(study.root), "mine", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"GET {server.url}{PATH}?limit=40" in dry.output and server.params == []
    result = runner.invoke(app, ["--study", str(study.root), "mine", "--source", "local"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "rhinohorn" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    assert cells[0] == "rhinohorn" and cells[3:] == ["5", "5", "0", "0"]  # read stored dup quar
    study.close()
    assert study.store.posts.count() == 5
    unknown = runner.invoke(app, ["--study", str(study.root), "mine", "--source", "nope"])
    assert unknown.exit_code != 0 and "local" in (unknown.stderr or unknown.output)


def test_cli_mine_without_token_fails_with_the_variable_name(study, server, monkeypatch):
    from typer.testing import CliRunner

    from wildsift.cli.main import app
    monkeypatch.delenv("WS_MISSING_TOKEN", raising=False)
    configure(study, server.url, token_env="WS_MISSING_TOKEN")
    result = CliRunner().invoke(app, ["--study", str(study.root), "mine"])
    assert result.exit_code != 0 and "WS_MISSING_TOKEN" in (result.stderr or result.output)
    assert server.params == []


# -- search mode, several servers, the server's rules ------------------------------------
class FakeSearch:
    """``/api/v2/search?type=statuses``: newest first, ``limit``, ``max_id`` / ``min_id``."""

    def __init__(self, statuses: list[dict]):
        self.statuses = statuses
        self.params: list[dict] = []
        self.auth: list[str | None] = []

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.params.append(args)
        self.auth.append(request.headers.get("Authorization"))
        assert args["type"] == "statuses"
        ordered = sorted(self.statuses, key=lambda s: int(s["id"]), reverse=True)
        if "max_id" in args:
            ordered = [s for s in ordered if int(s["id"]) < int(args["max_id"])]
        if "min_id" in args:
            ordered = [s for s in ordered if int(s["id"]) > int(args["min_id"])]
        body = {"accounts": [], "statuses": ordered[: int(args["limit"])], "hashtags": []}
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def searcher(httpserver):
    fake = FakeSearch(load("tag_rhinohorn.json"))
    httpserver.expect_request("/api/v2/search").respond_with_handler(fake)
    httpserver.expect_request("/api/v1/instance/rules").respond_with_json(
        load("instance_rules.json"))
    fake.url = httpserver.url_for("/").rstrip("/")
    return fake


def search_settings(url: str, **options) -> SourceSettings:
    return settings_for(url, options={"mode": "search", "limit": 2} | options)


def test_search_mode_pages_back_then_reads_forward_without_gaps(study, searcher):
    source = MastodonSource(search_settings(searcher.url), token="tok", sleep=lambda s: None)
    _, counts = run_term(study, source, "rhino horn", max_pages=10)
    assert counts.stored == 5
    assert searcher.params[0] == {"q": "rhino horn", "type": "statuses", "limit": "2"}
    assert searcher.params[1]["max_id"] == "110000000000000004"
    assert searcher.auth[0] == "Bearer tok"
    # three new statuses arrive: more than a page, so the forward sweep walks down with max_id
    for i, new_id in enumerate(("110000000000000007", "110000000000000008",
                                "110000000000000009")):
        searcher.statuses.append(load("status_new.json") | {"id": new_id,
                                                             "uri": f"https://x/{i}"})
    searcher.params.clear()
    _, counts = run_term(study, source, "rhino horn", max_pages=10)
    assert counts.stored == 3
    assert searcher.params[0]["min_id"] == "110000000000000005"
    assert searcher.params[1]["max_id"] == "110000000000000008"  # below the first new page
    cursor = json.loads(study.store.cursors.get("test-server", "rhino horn"))
    assert cursor["since"] == "110000000000000009" and "upto" not in cursor


def test_search_without_token_explains_the_scope(searcher, httpserver):
    httpserver.clear()
    httpserver.expect_request("/api/v2/search").respond_with_json({"error": "no"}, status=401)
    source = MastodonSource(search_settings(httpserver.url_for("/").rstrip("/")),
                            sleep=lambda s: None)
    with pytest.raises(MastodonCredentialsError, match="read:search"):
        source.fetch("rhino horn", None)


def test_rules_are_recorded_once_per_run_in_the_study_and_the_provenance(study, searcher):
    settings = search_settings(searcher.url)
    mine_source(study, settings, lexicon=NoLexicon(), sleep=lambda s: None)
    host = searcher.url.split("://", 1)[1]
    (path,) = (study.root / "sources" / "test-server").glob("*-rules.json")
    record = json.loads(path.read_text())
    assert record["server"] == host and record["endpoint"] == "/api/v1/instance/rules"
    assert [r["id"] for r in record["rules"]] == ["1", "2", "7"]
    assert set(record) == {"server", "base_url", "endpoint", "fetched_at", "sha256_12", "rules"}
    sources = set(study.store.posts.frame(["source"])["source"])
    assert sources == {f"mastodon:{host};rules={record['sha256_12']}"}


def test_several_servers_in_one_entry_get_one_cursor_each(study, httpserver):
    from pytest_httpserver import HTTPServer
    other = HTTPServer()
    other.start()
    try:
        first = FakeMastodon(load("tag_rhinohorn.json"))
        second = FakeMastodon(load("tag_rhinohorn.json")[:2])
        httpserver.expect_request(PATH).respond_with_handler(first)
        other.expect_request(PATH).respond_with_handler(second)
        other.expect_request("/api/v1/instance/rules").respond_with_data("", status=404)
        other.expect_request("/api/v2/instance").respond_with_json(load("instance_v2.json"))
        url2 = other.url_for("/").rstrip("/")
        settings = settings_for(httpserver.url_for("/").rstrip("/"),
                                options={"servers": [url2]}, token_env="WS_FIRST_TOKEN")
        source = MastodonSource(settings, token="only-for-the-first", sleep=lambda s: None,
                                rules_dir=study.root / "sources" / "test-server")
        host1, host2 = (u.split("://", 1)[1] for u in (httpserver.url_for("/").rstrip("/"), url2))
        terms = source.terms("rhinohorn", ["en"], NoLexicon())
        assert terms == [f"rhinohorn @{host1}", f"rhinohorn @{host2}"]
        for term in terms:
            run_term(study, source, term, max_pages=10)
        assert study.store.posts.count() == 7  # ids are per server (<host>:<local id>)
        assert study.store.cursors.get("test-server", terms[0]) != \
            study.store.cursors.get("test-server", terms[1])
        assert all(r.headers.get("Authorization") is None for r, _ in other.log)
        rules = json.loads((study.root / "sources" / "test-server" /
                            f"{host2.replace(':', '_')}-rules.json").read_text())
        assert rules["endpoint"] == "/api/v2/instance"
        assert rules["rules"][0]["text"] == "Be kind to wildlife and to each other"
        assert "admin" not in json.dumps(rules)  # the contact account is never written
    finally:
        other.stop()


def test_mastodon_options_are_validated():
    from wildsift.errors import ConfigError
    with pytest.raises(ConfigError, match=r"options\.mode"):
        MastodonSource(settings_for("http://x", options={"mode": "firehose"}))
