"""The Weibo open API source (statuses/user_timeline) against a local server in its shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug import Request, Response

from wildsift.errors import CredentialsError
from wildsift.sources.registry import build_source
from wildsift.sources.run import mine_source, run_term
from wildsift.sources.weibo.client import WeiboSource
from wildsift.sources.weibo.errors import WeiboRateLimited
from wildsift.study import SourceSettings

PATH = "/2/statuses/user_timeline.json"
UID = "2803301701"


def status(mid: int, text: str) -> dict:
    when = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(hours=mid % 1000)
    return {"created_at": when.strftime("%a %b %d %H:%M:%S +0800 %Y"), "id": mid,
            "idstr": str(mid), "mid": str(mid), "text": text, "source": "iPhone",
            "user": {"id": int(UID), "idstr": UID, "screen_name": "老象牙收藏",
                     "location": "广东 深圳", "description": "只做老货"},
            "original_pic": f"https://wx1.sinaimg.cn/large/{mid}.jpg", "reposts_count": 0}


class Timeline:
    """user_timeline: newest first, `count` a page, since_id / max_id as documented."""

    def __init__(self, mids: list[int]):
        self.statuses = [status(m, f"老象牙印章 第{m % 1000}号 老象牙收藏") for m in mids]
        self.calls: list[dict] = []
        self.fail_first: list[tuple[int, dict]] = []

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.calls.append(args)
        if self.fail_first:
            code, body = self.fail_first.pop(0)
            return Response(json.dumps(body), code, content_type="application/json")
        found = sorted(self.statuses, key=lambda s: s["id"], reverse=True)
        if "since_id" in args:
            found = [s for s in found if s["id"] > int(args["since_id"])]
        if "max_id" in args:
            found = [s for s in found if s["id"] <= int(args["max_id"])]
        page = found[:int(args.get("count", 20))]
        return Response(json.dumps({"statuses": page, "total_number": len(found)}), 200,
                        content_type="application/json")


@pytest.fixture
def timeline(httpserver):
    fake = Timeline([5000000000000101, 5000000000000102, 5000000000000103])
    httpserver.expect_request(PATH).respond_with_handler(fake)
    return fake


def settings(httpserver, **options) -> SourceSettings:
    return SourceSettings(type="weibo", name="weibo-accounts", queries=[UID],
                          base_url=httpserver.url_for("/2"), options={"count": 2, **options})


def source(httpserver, **kw) -> WeiboSource:
    return WeiboSource(settings(httpserver), token="2.00abc", sleep=lambda s: None, **kw)


def test_an_account_is_the_query():
    src = WeiboSource(SourceSettings(type="weibo", name="w", queries=["@someone"]))
    assert src.terms("@someone", ["zh"]) == ["someone"]
    assert "screen_name=someone" in src.describe("someone", None).request
    assert "uid=123" in src.describe("123", None).request


def test_pages_back_then_only_new_posts(study, httpserver, timeline):
    src = source(httpserver)
    pages, counts = run_term(study, src, UID, max_pages=10)
    assert (pages, counts.stored) == (2, 3)
    assert timeline.calls[1]["max_id"] == "5000000000000101"
    assert timeline.calls[0]["access_token"] == "2.00abc"
    timeline.statuses.append(status(5000000000000104, "新到 象牙"))
    timeline.calls.clear()
    pages, counts = run_term(study, src, UID, max_pages=10)
    assert (pages, counts.read, counts.stored) == (1, 1, 1)
    assert timeline.calls[0]["since_id"] == "5000000000000103"


def test_rate_limit_error_in_a_403_waits(study, httpserver, timeline):
    waits: list[float] = []
    timeline.fail_first = [(403, {"error": "User requests out of rate limit!",
                                  "error_code": 10023, "request": PATH})]
    src = WeiboSource(settings(httpserver), token="t", sleep=waits.append, max_wait=7200)
    page = src.fetch(UID, None)
    assert waits == [3600.0] and len(page.records) == 2


def test_rate_limit_longer_than_allowed_ends_the_run(httpserver, timeline):
    timeline.fail_first = [(403, {"error": "IP requests out of rate limit!",
                                  "error_code": 10022})]
    with pytest.raises(WeiboRateLimited):
        WeiboSource(settings(httpserver), token="t", max_wait=60).fetch(UID, None)


def test_expired_token_is_a_credentials_error(httpserver, timeline):
    timeline.fail_first = [(400, {"error": "expired_token", "error_code": 21327})]
    with pytest.raises(CredentialsError, match="21327"):
        source(httpserver).fetch(UID, None)


def test_mined_posts_keep_no_screen_name(study, httpserver, timeline, monkeypatch):
    monkeypatch.setenv("WILDSIFT_WEIBO_ACCESS_TOKEN", "2.00abc")
    (result,) = mine_source(study, settings(httpserver))
    assert result.counts.stored == 3
    frame = study.store.posts.frame()
    assert not any("老象牙收藏" in t for t in frame["text"])
    assert set(frame["author"]) != {UID}


def test_missing_token_names_where_it_was_looked_for(study, httpserver, monkeypatch):
    monkeypatch.delenv("WILDSIFT_WEIBO_ACCESS_TOKEN", raising=False)
    with pytest.raises(CredentialsError, match="WILDSIFT_WEIBO_ACCESS_TOKEN"):
        build_source(settings(httpserver), study_root=study.root)
