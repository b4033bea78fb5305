"""The Meta Content Library live source against a fake of the clean room's client.

The fake has the documented interface of ``metacontentlibraryapi.MetaContentLibraryAPIClient``
(class methods ``set_default_version`` and ``get(path=, params=)`` returning an object whose
``.text`` is ``{"data": [...], "paging": {"cursors": {"after": ...}}}``) and answers like the
API: ``q`` with ``|``, ``since`` reaching back an hour before the asked time (as measured by
researchers), newest first, ``limit`` a page."""

from __future__ import annotations

import json
import sys
import types
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest

from wildsift.errors import CredentialsError
from wildsift.sources.meta.client import MclSource, build
from wildsift.sources.meta.errors import MetaError, MetaRateLimited
from wildsift.sources.registry import build_source
from wildsift.sources.run import mine_source, run_term
from wildsift.study import SourceSettings

START = datetime(2026, 8, 1, tzinfo=UTC)


def record(n: int, text: str, hours: int) -> dict:
    return {"id": f"96378019644{n:04d}", "creation_time": (START + timedelta(hours=hours))
            .strftime("%Y-%m-%dT%H:%M:%S+0000"), "lang": "vi", "text": text,
            "post_owner": {"id": f"178414000000{n:04d}", "name": f"Shop Number {n}",
                           "username": f"shop{n}", "type": "page"},
            "surface": {"id": f"178414000000{n:04d}", "name": f"Shop Number {n}",
                        "type": "page"},
            "multimedia": [{"type": "photo", "url": f"https://s3.example/{n}.jpg?sig=x"}]}


class Response:
    def __init__(self, body: dict):
        self.text = json.dumps(body)


class FakeMcl:
    """MetaContentLibraryAPIClient as documented: class-level methods, JSON text answers."""

    records: ClassVar[list[dict]] = []
    calls: ClassVar[list[tuple[str, dict]]] = []
    version: str | None = None
    failures: ClassVar[list[Exception]] = []

    @classmethod
    def reset(cls, records: list[dict]) -> None:
        cls.records, cls.calls, cls.version, cls.failures = list(records), [], None, []

    @classmethod
    def set_default_version(cls, version: str) -> None:
        cls.version = version

    @classmethod
    def get(cls, path: str, params: dict) -> Response:
        cls.calls.append((path, dict(params)))
        if cls.failures:
            raise cls.failures.pop(0)
        assert path == "facebook/posts/preview" and '"' not in params["q"]
        words = [w.strip("() ").lower() for w in params["q"].split("|")]
        found = [r for r in cls.records if any(all(part in r["text"].lower()
                                                   for part in w.split()) for w in words)]
        if "since" in params:  # the API's boundary reaches back about an hour
            since = datetime.fromtimestamp(int(params["since"]), UTC) - timedelta(hours=1)
            found = [r for r in found if _time(r) >= since]
        found.sort(key=_time, reverse=params.get("sort") == "newest_to_oldest")
        start = int(params.get("after") or 0)
        page = found[start:start + params["limit"]]
        after = str(start + params["limit"]) if start + params["limit"] < len(found) else None
        body: dict = {"data": page}
        if after:
            body["paging"] = {"cursors": {"after": after}}
        return Response(body)


def _time(r: dict) -> datetime:
    return datetime.strptime(r["creation_time"], "%Y-%m-%dT%H:%M:%S%z")


class NoLexicon:
    def expand(self, query, languages):
        return {"pangolin": ["tê tê", "vảy tê tê", "pangolin scales"]}.get(query, [])


def settings(**options) -> SourceSettings:
    return SourceSettings(type="meta", name="mcl", queries=["pangolin"], max_pages=20,
                          options={"limit": 2, **options})


@pytest.fixture
def fake(monkeypatch):
    module = types.ModuleType("metacontentlibraryapi")
    module.MetaContentLibraryAPIClient = FakeMcl
    monkeypatch.setitem(sys.modules, "metacontentlibraryapi", module)
    FakeMcl.reset([record(1, "Bán vảy tê tê, liên hệ Shop Number 1", 1),
                   record(2, "tê tê sống giá tốt", 2),
                   record(3, "rhino 3d course", 3),
                   record(4, "Pangolin scales wholesale", 4),
                   record(5, "vảy tê tê loại 1", 5)])
    return FakeMcl


def source() -> MclSource:
    return build_source(settings(), credentials=None)


def test_queries_join_lexicon_terms_with_bars_and_groups_phrases(fake):
    terms = source().terms("pangolin", ["vi"], NoLexicon())
    assert terms == ["pangolin | (tê tê) | (vảy tê tê) | (pangolin scales)"]


def test_build_pins_the_api_version(fake):
    build(settings(version="5.0"), None)
    assert fake.version == "5.0"


def test_first_run_pages_newest_first_and_stores_every_match(study, fake):
    src = source()
    (term,) = src.terms("pangolin", ["vi"], NoLexicon())
    pages, counts = run_term(study, src, term, max_pages=20)
    assert (pages, counts.stored, counts.quarantined) == (2, 4, 0)
    assert all(p["sort"] == "newest_to_oldest" and p["limit"] == 2 for _, p in fake.calls)
    assert study.store.posts.count() == 4
    cursor = json.loads(study.store.cursors.get("mcl", term))
    assert cursor == {"since": int((START + timedelta(hours=5)).timestamp())}


def test_second_run_fetches_only_what_is_new(study, fake):
    src = source()
    (term,) = src.terms("pangolin", ["vi"], NoLexicon())
    run_term(study, src, term, max_pages=20)
    fake.records.append(record(6, "tê tê mới về", 9))
    fake.calls.clear()
    pages, counts = run_term(study, src, term, max_pages=20)
    # the fake answers an hour back from `since`, like the API: the post at hour 5 comes again
    # and is dropped before it is counted; only the new one is read and stored
    assert (pages, counts.read, counts.stored, counts.duplicates) == (1, 1, 1, 0)
    assert fake.calls[0][1]["since"] == int((START + timedelta(hours=5)).timestamp())
    assert study.store.posts.count() == 5


def test_an_interrupted_run_resumes_from_the_stored_page(study, fake):
    src = source()
    (term,) = src.terms("pangolin", ["vi"], NoLexicon())
    _, counts = run_term(study, src, term, max_pages=1)  # stopped after one page
    assert counts.stored == 2
    assert json.loads(study.store.cursors.get("mcl", term))["after"] == "2"
    _, counts = run_term(study, src, term, max_pages=20)
    assert (counts.stored, counts.duplicates) == (2, 0)
    assert study.store.posts.count() == 4


def test_mine_through_the_registry_with_privacy(study, fake, monkeypatch):
    (result,) = mine_source(study, settings(), lexicon=NoLexicon())
    assert result.counts.stored == 4
    frame = study.store.posts.frame()
    assert set(frame["platform"]) == {"facebook"}
    text = " ".join(frame["text"])
    assert "Shop Number 1" not in text and "<HANDLE:" in text
    assert not any(a.startswith("178414") for a in frame["author"])  # pseudonyms, not ids


def test_rate_limit_is_waited_then_the_search_goes_on(study, fake):
    class ApiError(Exception):
        status_code = 429

    fake.failures = [ApiError("Rate limit reached")]
    sleeps: list[float] = []
    src = MclSource(settings(), client=fake, sleep=sleeps.append, jitter=lambda: 0.5)
    page = src.fetch("tê tê", None)
    assert sleeps == [60.0] and len(page.records) == 2 and len(fake.calls) == 2


def test_used_up_budget_ends_the_run(fake):
    fake.failures = [RuntimeError("Query budget exceeded for this week")]
    src = MclSource(settings(), client=fake, sleep=lambda s: None)
    with pytest.raises(MetaRateLimited):
        src.fetch("pangolin", None)


def test_an_error_body_names_the_problem(fake, monkeypatch):
    monkeypatch.setattr(FakeMcl, "get", classmethod(lambda cls, path, params: Response(
        {"error": {"title": "Invalid Keyword Search", "status": 400, "detail": "no quotes"}})))
    with pytest.raises(MetaError, match="no quotes"):
        MclSource(settings(), client=FakeMcl, sleep=lambda s: None).fetch("x", None)


def test_outside_the_clean_room_the_client_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "metacontentlibraryapi", None)
    with pytest.raises(CredentialsError, match="Secure Research Environment"):
        build(settings(), None)


def test_dry_run_describes_the_call_without_a_client():
    src = build(settings(countries=["vn"], search_scope="post_text_and_image_text"), None,
                dry_run=True)
    call = src.describe("pangolin | (tê tê)", json.dumps({"since": 1787000000}))
    assert "facebook/posts/preview" in call.request and "since=1787000000" in call.request
    assert "surface_countries=VN" in call.request and "search_scope=" in call.request
