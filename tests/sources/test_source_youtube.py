"""YouTube connector: google-api-python-client pointed at a local server in the real shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug import Request, Response

pytest.importorskip("googleapiclient")

from wildsift.errors import CredentialsError
from wildsift.sources.credentials import Credentials
from wildsift.sources.run import mine_source, run_term
from wildsift.sources.youtube.client import QUOTA_KEY, YouTubeSource, build, seconds_to_reset
from wildsift.sources.youtube.errors import YouTubeCredentialsError, YouTubeRateLimited
from wildsift.sources.youtube.mapping import map_comment, map_video
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "youtube"
NOW = datetime(2024, 5, 2, 12, 0, tzinfo=UTC).timestamp()  # 05:00 Pacific (PDT)


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def answer(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


class FakeYouTube:
    """search (pageToken), videos (by id), commentThreads (by videoId) under /youtube/v3/."""

    def __init__(self):
        self.pages = {None: load("search_page.json"), "CAIQAA": load("search_page2.json")}
        self.calls: list[tuple[str, dict]] = []
        self.fail_first: list[Response] = []
        self.comment_errors: dict[str, Response] = {}

    def __call__(self, request: Request) -> Response:
        method = request.path.rsplit("/", 1)[-1]
        args = dict(request.args)
        self.calls.append((method, args))
        if args.get("key") != "yt-key":
            return answer(load("error_key_invalid.json"), 400)
        if self.fail_first:
            return self.fail_first.pop(0)
        if method == "search":
            assert args["type"] == "video" and args["order"] == "date"
            page = json.loads(json.dumps(self.pages[args.get("pageToken")]))
            if "publishedAfter" in args:
                page["items"] = [i for i in page["items"]
                                 if i["snippet"]["publishedAt"] >= args["publishedAfter"]]
                page.pop("nextPageToken", None)
            return answer(page)
        if method == "videos":
            wanted = args["id"].split(",")
            items = [v for v in load("videos.json")["items"] if v["id"] in wanted]
            return answer({"kind": "youtube#videoListResponse", "items": items})
        if method == "commentThreads":
            if args["videoId"] in self.comment_errors:
                return self.comment_errors[args["videoId"]]
            assert args["textFormat"] == "plainText"
            body = load("comments.json")
            if args["videoId"] != "dQw4w9WgXc1":
                body["items"] = []
            return answer(body)
        return Response("not found", status=404)


@pytest.fixture
def fake(httpserver):
    server = FakeYouTube()
    for method in ("search", "videos", "commentThreads"):
        httpserver.expect_request(f"/youtube/v3/{method}").respond_with_handler(server)
    server.url = httpserver.url_for("/").rstrip("/") + "/"
    return server


def settings_for(url: str, **options) -> SourceSettings:
    return SourceSettings(type="youtube", name="yt-test", base_url=url, queries=["pangolin"],
                          options={"per_page": 2} | options)


def source_for(fake, sleeps=None, key="yt-key", now=NOW, **options) -> YouTubeSource:
    sleeps = [] if sleeps is None else sleeps
    return YouTubeSource(settings_for(fake.url, **options), api_key=key, sleep=sleeps.append,
                         jitter=lambda: 0.5, clock=lambda: now)


def methods(fake) -> list[str]:
    return [m for m, _ in fake.calls]


def test_map_video_and_comment_read_the_real_shapes():
    item = load("search_page.json")["items"][0]
    detail = load("videos.json")["items"][0]
    video = map_video(item, detail, "pangolin")
    assert video.source_id == "dQw4w9WgXc1" and video.author == "UCa1b2c3d4e5f6g7h8i9j0kA"
    assert video.text.endswith("Hàng rừng thật 100%.")  # the full description of videos.list
    assert video.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert (video.lat, video.lon, video.lang) == (21.0285, 105.8542, "vi")
    assert video.hashtags == ["vảy tê tê", "thuốc nam"]
    assert [(m.kind, m.url) for m in video.media] == [
        ("video", "https://i.ytimg.com/vi/dQw4w9WgXc1/maxresdefault.jpg")]
    assert "watch?v=dQw4w9WgXc1" in video.location
    bare = map_video(load("search_page.json")["items"][1], None, "pangolin")
    assert bare.text == "Pangolin rescue in Cuc Phuong\n\nOur team releases a rescued Sunda pangolin."
    comment = map_comment(load("comments.json")["items"][0], video.author, "pangolin")
    assert comment.author == "UCbuyer000000000000000001"
    assert comment.reply_to == video.author and comment.text.startswith("Còn hàng")


def test_the_client_calls_the_local_server_and_pages(study, fake):
    source = source_for(fake)
    pages, counts = run_term(study, source, "pangolin", max_pages=10)
    assert pages == 2
    assert methods(fake) == ["search", "videos", "commentThreads", "commentThreads",
                             "search", "videos", "commentThreads"]
    assert fake.calls[4][1]["pageToken"] == "CAIQAA"
    assert counts.stored == 4 and counts.quarantined == 1  # 3 videos + 1 comment; 1 broken
    cursor = json.loads(study.store.cursors.get("yt-test", "pangolin"))
    assert cursor == {"after": "2024-05-01T10:00:00Z"}
    frame = study.store.posts.frame(["author", "reply_to", "text"])
    assert frame["author"].str.startswith("u_").all()
    assert not frame["text"].str.contains("345 678").any()
    assert not frame["text"].str.contains("buyer_hn").any()
    (item,) = study.store.quarantine.all()
    assert item.source == "youtube:yt-test" and "commentThreads" in item.location


def test_quota_is_counted_per_pacific_day_in_the_cursor_table(study, fake):
    source = source_for(fake)
    source.bind_store(study.store)
    run_term(study, source, "pangolin", max_pages=10)
    ledger = json.loads(study.store.cursors.get("yt-test", QUOTA_KEY))
    assert ledger == {"day": "2024-05-02", "spent": 2 * 100 + 2 * 1 + 3 * 1}
    tomorrow = source_for(fake, now=NOW + 86400)
    tomorrow.bind_store(study.store)
    assert tomorrow.ledger.spent() == 0


def test_next_page_over_the_daily_quota_is_not_started(study, fake):
    source = source_for(fake, daily_quota=150)  # a page costs up to 100 + 1 + 2
    source.bind_store(study.store)
    with pytest.raises(YouTubeRateLimited, match="midnight Pacific") as info:
        run_term(study, source, "pangolin", max_pages=10)
    assert methods(fake).count("search") == 1 and study.store.posts.count() == 3
    assert info.value.retry_after == pytest.approx(19 * 3600)  # 05:00 PDT -> midnight


def test_403_quota_exceeded_stops_until_midnight_pacific(fake):
    fake.fail_first = [answer(load("error_quota.json"), 403)]
    source = source_for(fake)
    with pytest.raises(YouTubeRateLimited, match="quotaExceeded"):
        source.fetch("pangolin", None)
    assert source.ledger.spent() == 10_000  # the rest of the day is treated as spent
    with pytest.raises(YouTubeRateLimited):
        source.fetch("pangolin", None)
    assert len(fake.calls) == 1


def test_429_and_5xx_retry_without_sleeping(fake):
    sleeps: list[float] = []
    fake.fail_first = [Response("{}", status=429, headers={"Retry-After": "5"}),
                       Response("oops", status=503)]
    page = source_for(fake, sleeps).fetch("pangolin", None)
    assert sleeps == [5.0, pytest.approx(2.0)] and len(page.records) == 4


def test_bad_key_and_missing_key_say_how_to_fix(fake):
    with pytest.raises(YouTubeCredentialsError, match="WILDSIFT_YOUTUBE_API_KEY") as info:
        source_for(fake, key="wrong").fetch("pangolin", None)
    assert "wrong" not in str(info.value)
    settings = settings_for(fake.url)
    with pytest.raises(CredentialsError, match="WILDSIFT_YOUTUBE_API_KEY"):
        build(settings, Credentials(settings, environ={}))


def test_disabled_comments_are_skipped(study, fake):
    fake.comment_errors["dQw4w9WgXc1"] = answer(load("error_comments_disabled.json"), 403)
    _, counts = run_term(study, source_for(fake), "pangolin", max_pages=1)
    assert counts.stored == 2 and counts.quarantined == 0


def test_second_run_reads_only_newer_videos(study, fake):
    source = source_for(fake)
    run_term(study, source, "pangolin", max_pages=10)
    fake.calls.clear()
    _, counts = run_term(study, source, "pangolin", max_pages=10)
    search = [a for m, a in fake.calls if m == "search"]
    assert len(search) == 1 and search[0]["publishedAfter"] == "2024-05-01T10:00:00Z"
    assert counts.stored == 0 and counts.duplicates >= 1


def test_dry_run_prints_calls_and_units(study, fake, monkeypatch):
    monkeypatch.delenv("WILDSIFT_YOUTUBE_API_KEY", raising=False)

    class Lex:
        def expand(self, query, languages):
            return ["tê tê", "vảy tê tê"]

    (result,) = mine_source(study, settings_for(fake.url), dry_run=True, lexicon=Lex())
    assert result.terms == ['pangolin|"tê tê"|"vảy tê tê"']  # one OR-query: 100 units, not 300
    assert result.quota == 100 + 1 + 2 and result.unit == "unit"
    assert "youtube.search.list?part=snippet&q=pangolin|" in result.calls[0]
    assert "spent today: 0 of 10000" in result.calls[0]
    assert fake.calls == []


def test_seconds_to_reset_uses_pacific_midnight():
    winter = datetime(2024, 1, 15, 7, 0, tzinfo=UTC)  # 23:00 PST the day before
    assert seconds_to_reset(winter) == 3600
