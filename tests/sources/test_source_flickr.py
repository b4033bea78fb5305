"""Flickr connector against a local server answering flickr.photos.search in the real shape."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from werkzeug import Request, Response

from wildsift.errors import CredentialsError
from wildsift.sources.credentials import Credentials
from wildsift.sources.flickr.client import FIRST_UPLOAD, FlickrSource, build
from wildsift.sources.flickr.errors import FlickrCredentialsError, FlickrError
from wildsift.sources.flickr.mapping import map_photo
from wildsift.sources.run import mine_source, run_term
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "flickr"
NOW = 1_714_800_000  # 2024-05-04


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def photos(n: int, start: int = 1_714_000_000, step: int = 3600) -> list[dict]:
    template = load("search_page.json")["photos"]["photo"]
    out = []
    for i in range(n):
        photo = copy.deepcopy(template[i % 3])
        photo |= {"id": str(53_000_000_000 + i), "dateupload": str(start + i * step)}
        out.append(photo)
    return out


class FakeFlickr:
    """photos.search: upload-date window, date-posted-asc, page/per_page, totals per window."""

    def __init__(self, items: list[dict]):
        self.items = items
        self.calls: list[dict] = []
        self.fail_first: list[Response] = []
        self.extra_first: list[dict] = []
        self.virtual_total = None  # (lo, hi) -> a total larger than the photos we hold

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.calls.append(args)
        if self.fail_first:
            return self.fail_first.pop(0)
        if args.get("api_key") != "key-1":
            return Response(json.dumps(load("error_invalid_key.json")),
                            content_type="application/json")  # Flickr: HTTP 200
        assert args["method"] == "flickr.photos.search" and args["nojsoncallback"] == "1"
        lo, hi = int(args["min_upload_date"]), int(args["max_upload_date"])
        inside = sorted((p for p in self.items if lo <= int(p["dateupload"]) <= hi),
                        key=lambda p: int(p["dateupload"]))
        total = self.virtual_total(lo, hi) if self.virtual_total else len(inside)
        page, per_page = int(args["page"]), int(args["per_page"])
        chosen = inside[(page - 1) * per_page: page * per_page]
        if page == 1 and self.extra_first:
            chosen = chosen + self.extra_first
        body = {"photos": {"page": page, "pages": -(-total // per_page), "perpage": per_page,
                           "total": total, "photo": chosen}, "stat": "ok"}
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def fake(httpserver):
    server = FakeFlickr(photos(12))
    httpserver.expect_request("/rest/").respond_with_handler(server)
    server.url = httpserver.url_for("/").rstrip("/")
    return server


def settings_for(url: str, **options) -> SourceSettings:
    return SourceSettings(type="flickr", name="flickr-test", base_url=url, queries=["pangolin"],
                          options={"per_page": 2} | options)


def source_for(fake, sleeps=None, now=NOW, **kwargs) -> FlickrSource:
    sleeps = [] if sleeps is None else sleeps
    return FlickrSource(settings_for(fake.url), api_key="key-1", sleep=sleeps.append,
                        jitter=lambda: 0.5, clock=lambda: now, **kwargs)


def windows(calls) -> list[tuple[int, int, str]]:
    return [(int(c["min_upload_date"]), int(c["max_upload_date"]), c["page"]) for c in calls]


def test_map_photo_reads_the_real_shape():
    first, video, _ = load("search_page.json")["photos"]["photo"]
    post = map_photo(first, "pangolin")
    assert post.platform == "flickr" and post.source_id == "53690123456"
    assert post.text == ("Pangolin scales at the market\n\nSeen for sale in a medicine shop.\n"
                         "Ask the seller & pay at 0912 345 678")
    assert post.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert post.author == "12345678@N05"
    assert (post.lat, post.lon) == (21.028511, 105.804817)
    assert post.hashtags == ["pangolin", "scales", "wildlifetrade"]
    assert [(m.kind, m.url.rsplit("/", 1)[-1]) for m in post.media] == [
        ("image", "53690123456_a1b2c3d4e5.jpg")]
    moving = map_photo(video, "pangolin")
    assert moving.lat is None and moving.media[0].kind == "video" and moving.hashtags == []


def test_pages_through_one_window_and_stores_since(study, fake):
    pages, counts = run_term(study, source_for(fake), "pangolin", max_pages=20)
    assert counts.stored == 12 and pages == 6
    assert windows(fake.calls)[0] == (FIRST_UPLOAD, NOW, "1")
    assert [c["page"] for c in fake.calls] == ["1", "2", "3", "4", "5", "6"]
    assert json.loads(study.store.cursors.get("flickr-test", "pangolin")) == {"since": NOW}
    frame = study.store.posts.frame(["author", "text", "lat"])
    assert frame["author"].str.startswith("u_").all()
    assert not frame["text"].str.contains("345 678").any()


def test_more_than_the_cap_slices_the_window_by_date(study, fake):
    source = source_for(fake, max_results=5)
    _, counts = run_term(study, source, "pangolin", max_pages=50)
    assert counts.stored == 12 and counts.duplicates == 0
    walked = [(lo, hi) for lo, hi, page in windows(fake.calls) if page == "1"]
    leaves = []
    for lo, hi in walked:  # a window is split when its total exceeds the cap, else walked
        inside = sum(lo <= int(p["dateupload"]) <= hi for p in fake.items)
        if inside <= 5:
            leaves.append((lo, hi))
    assert leaves[0][0] == FIRST_UPLOAD and leaves[-1][1] == NOW
    assert all(a[1] + 1 == b[0] for a, b in pairwise(leaves))  # no gap
    assert len(leaves) > 1


def test_the_real_cap_of_4000_splits_until_each_slice_is_under_it(fake):
    half = (NOW - FIRST_UPLOAD) / 2
    fake.virtual_total = lambda lo, hi: int(9000 * (hi - lo + 1) / (NOW - FIRST_UPLOAD + 1))
    source = source_for(fake)
    cursor = None
    for _ in range(3):
        page = source.fetch("pangolin", cursor)
        cursor = page.next_cursor
    totals = [fake.virtual_total(lo, hi) for lo, hi, _ in windows(fake.calls)]
    assert totals[0] == 9000 and totals[1] > 4000 and totals[2] <= 4000
    # full window, first half, first quarter (walked: its page 2 is next), then the rest
    (_, half_end, _), (q_lo, q_end, _) = windows(fake.calls)[1:]
    assert half_end == FIRST_UPLOAD + int(half) and q_lo == FIRST_UPLOAD
    state = json.loads(cursor)
    assert state["page"] == 2
    assert state["slices"] == [[q_lo, q_end], [q_end + 1, half_end], [half_end + 1, NOW]]


def test_second_run_reads_only_newer_uploads(study, fake):
    run_term(study, source_for(fake), "pangolin", max_pages=20)
    fake.calls.clear()
    fake.items += photos(1, start=NOW + 500)
    fake.items[-1]["id"] = "53999999999"
    _, counts = run_term(study, source_for(fake, now=NOW + 1000), "pangolin", max_pages=20)
    assert windows(fake.calls) == [(NOW + 1, NOW + 1000, "1")]
    assert counts.stored == 1 and study.store.posts.count() == 13


def test_error_105_is_retried_and_100_is_a_credentials_error(fake):
    sleeps: list[float] = []
    fake.fail_first = [Response(json.dumps(load("error_unavailable.json")),
                                content_type="application/json"),
                       Response("{}", status=429, headers={"Retry-After": "3"})]
    page = source_for(fake, sleeps).fetch("pangolin", None)
    assert len(page.records) == 2 and sleeps == [pytest.approx(1.0), 3.0]
    bad = FlickrSource(settings_for(fake.url), api_key="nope", sleep=lambda s: None)
    with pytest.raises(FlickrCredentialsError, match="WILDSIFT_FLICKR_API_KEY") as info:
        bad.fetch("pangolin", None)
    assert "nope" not in str(info.value)
    fake.fail_first = [Response(json.dumps({"stat": "fail", "code": 3, "message": "Parameterless "
                                            "searches have been disabled"}))]
    with pytest.raises(FlickrError, match="error 3: Parameterless"):
        source_for(fake).fetch("pangolin", None)
    settings = settings_for(fake.url)
    with pytest.raises(CredentialsError, match="WILDSIFT_FLICKR_API_KEY"):
        build(settings, Credentials(settings, environ={}))


def test_malformed_photo_is_quarantined_and_the_page_goes_on(study, fake):
    fake.extra_first = [load("photo_malformed.json")]
    _, counts = run_term(study, source_for(fake), "pangolin", max_pages=20)
    assert counts.quarantined == 1 and counts.stored == 12
    (item,) = study.store.quarantine.all()
    assert item.field == "dateupload" and item.source == "flickr:flickr-test"


def test_dry_run_describes_the_call_without_the_key(study, fake, monkeypatch):
    monkeypatch.delenv("WILDSIFT_FLICKR_API_KEY", raising=False)

    class NoLexicon:
        def expand(self, query, languages):
            return ["pangolin scales"]

    (result,) = mine_source(study, settings_for(fake.url), dry_run=True, lexicon=NoLexicon())
    assert result.terms == ["pangolin", "pangolin scales"]
    assert "method=flickr.photos.search&text=pangolin&extras=geo" in result.calls[0]
    assert "api_key" not in result.calls[0] and result.quota == 2
    assert fake.calls == []
