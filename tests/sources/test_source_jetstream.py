"""Jetstream against a local websocket server sending real Jetstream JSON: creates filtered by
the lexicon, identity/account/like events ignored, a malformed event quarantined, deletes erased,
and the time_us cursor resumed with a rewind."""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from websockets.sync.server import serve

from wildsift.lexicon import Lexicon
from wildsift.sources.base import Source
from wildsift.sources.bluesky.jetstream import DELETIONS_TERM, JetstreamSource, LexiconFilter
from wildsift.sources.bluesky.mapping import map_record
from wildsift.sources.run import mine_source, run_term
from wildsift.study import SourceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "jetstream"
RHINO_URI = "at://did:plc:hornseller4n7q2vx3c5kd/app.bsky.feed.post/3l3qo2vuowo2b"
CLOCK = 1725911200.0  # "now" for the source: after every fixture event


def events(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


class FakeJetstream:
    """A websocket server: each connection gets the next batch of messages, then stays open."""

    def __init__(self):
        self.batches: list[list[str]] = []
        self.paths: list[str] = []
        self.server = serve(self.handler, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handler(self, ws) -> None:
        self.paths.append(ws.request.path)
        for message in self.batches.pop(0) if self.batches else []:
            ws.send(message)
        with contextlib.suppress(Exception):  # the client closing is the normal end
            ws.recv(timeout=10)  # until the client goes

    def params(self, index: int = -1) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.paths[index]).query).items()}

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def stream():
    fake = FakeJetstream()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.default()


def settings_for(url: str, **options) -> SourceSettings:
    return SourceSettings(type="jetstream", name="jet", base_url=url,
                          queries=["rhinoceros", "pangolin"],
                          options={"idle_seconds": 0.3} | options)


def source_for(stream, lexicon, **extra) -> JetstreamSource:
    return JetstreamSource(settings_for(stream.url), lexicon=lexicon, clock=lambda: CLOCK,
                           sleep=lambda s: None, **extra)


def test_source_follows_the_protocol_and_has_one_term_per_run(stream, lexicon):
    source = source_for(stream, lexicon)
    assert isinstance(source, Source)
    assert source.terms("rhinoceros", ["en"], lexicon) == ["rhinoceros | pangolin"]
    assert source.terms("pangolin", ["en"], lexicon) == []  # the stream is read once
    call = source.describe("rhinoceros | pangolin", None)
    assert call.request.startswith(f"WS {stream.url}/subscribe?wantedCollections="
                                   "app.bsky.feed.post")
    assert "cursor" not in call.request  # no cursor yet: live tail


def test_lexicon_filter_keeps_only_the_study_taxa(lexicon):
    only_rhino = LexiconFilter(lexicon, ["rhinoceros"])
    assert only_rhino.keep("Real rhino horn for sale", "en")
    assert only_rhino.keep("Bán sừng tê giác thật", "vi")
    assert not only_rhino.keep("pangolin scales, best price", "en")
    assert not only_rhino.keep("good morning everyone", "en")
    assert LexiconFilter(lexicon, ["xyzzy ivory"]).keep("the XYZZY IVORY ring", None)


def test_map_record_builds_the_cdn_url_of_blobs():
    event = json.loads(events("events.jsonl")[6])
    post = map_record(event["did"], event["commit"]["rkey"], event["commit"]["record"], "t", "s")
    assert post.source_id == "at://did:plc:tradervn2m4k6p8r0t2v/app.bsky.feed.post/3l3qo2vuowo2e"
    assert post.author == "did:plc:tradervn2m4k6p8r0t2v" and post.lang == "vi"
    assert post.reply_to == "did:plc:hornseller4n7q2vx3c5kd"
    assert [m.url for m in post.media] == [
        ("https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:tradervn2m4k6p8r0t2v/"
         "bafkreihornphoto@jpeg")]


def test_creates_are_filtered_and_malformed_events_quarantined(study, stream, lexicon):
    stream.batches = [events("events.jsonl")]
    source = source_for(stream, lexicon)
    _pages, counts = run_term(study, source, "rhinoceros | pangolin", max_pages=10)
    source.close()
    assert counts.stored == 2  # the two rhino posts; coffee, like, identity, account: not kept
    assert counts.quarantined == 2  # the broken JSON line and the create without a record
    assert source.seen == {"events": 9, "posts": 4, "kept": 2, "deletions": 0}
    reasons = {(q.field, q.reason) for q in study.store.quarantine.all()}
    assert (None, "event is not JSON") in reasons
    assert ("commit.record", "create commit has no 'record' object") in reasons
    assert all("did:" not in q.location for q in study.store.quarantine.all())
    assert study.store.cursors.get("jet", "rhinoceros | pangolin") == "1725911162000009"
    texts = sorted(study.store.posts.frame(["text"])["text"])
    assert texts[0].startswith("Bán sừng tê giác") and "rhino horn for sale" in texts[1]


def test_resume_rewinds_a_little_and_stores_nothing_twice(study, stream, lexicon):
    stream.batches = [events("events.jsonl"), events("events.jsonl")]
    run_term(study, source_for(stream, lexicon), "rhinoceros | pangolin", max_pages=10)
    _, counts = run_term(study, source_for(stream, lexicon), "rhinoceros | pangolin",
                         max_pages=10)
    assert stream.params(0) == {"wantedCollections": "app.bsky.feed.post"}
    assert stream.params(1)["cursor"] == str(1725911162000009 - 5_000_000)  # 5 s rewind
    assert counts.stored == 0 and counts.duplicates == 2
    assert study.store.posts.count() == 2


def test_delete_events_erase_stored_posts(study, stream, lexicon):
    stream.batches = [events("events.jsonl"), events("events_delete.jsonl")]
    run_term(study, source_for(stream, lexicon), "rhinoceros | pangolin", max_pages=10)
    assert study.store.posts.count() == 2
    source = source_for(stream, lexicon)
    _, counts = run_term(study, source, "rhinoceros | pangolin", max_pages=10)
    # the rhino post is erased; the pangolin post created and deleted in one page never stored
    assert counts.erased == 1 and counts.stored == 0
    assert source.seen["deletions"] == 3
    uris = set(study.store.posts.frame(["source"])["source"])
    assert uris == {"bluesky:jet"}
    assert study.store.posts.count() == 1
    audit = study.store.erasures.frame()
    assert list(audit["platform"]) == ["bluesky"] and "jet" in audit["reason"][0]
    assert "hornseller" not in audit.to_csv() and "3l3qo2vuowo2b" not in audit.to_csv()


def test_bounded_run_stops_at_max_events(study, stream, lexicon):
    stream.batches = [events("events.jsonl")]
    source = source_for(stream, lexicon, max_events=3)
    pages, _ = run_term(study, source, "rhinoceros | pangolin", max_pages=10)
    assert source.seen["events"] == 3 and pages == 1
    assert study.store.posts.count() == 1  # only the first rhino post was within the bound
    assert study.store.cursors.get("jet", "rhinoceros | pangolin") == "1725911162000003"


def test_small_pages_commit_as_they_go(study, stream, lexicon):
    stream.batches = [events("events.jsonl")]
    source = source_for(stream, lexicon, page_events=4)
    pages, counts = run_term(study, source, "rhinoceros | pangolin", max_pages=10)
    assert pages == 3 and counts.stored == 2 and len(stream.paths) == 1  # one connection


def test_deletions_only_reads_deletes_under_its_own_cursor(study, stream, lexicon):
    stream.batches = [events("events.jsonl") + events("events_delete.jsonl")]
    source = source_for(stream, lexicon, deletions_only=True)
    assert source.terms("anything", [], lexicon) == [DELETIONS_TERM]
    run_term(study, source, DELETIONS_TERM, max_pages=10)
    assert study.store.posts.count() == 0  # creates are not collected by compliance
    assert source.seen["deletions"] == 3
    start = int(stream.params(0)["cursor"])
    assert start == int((CLOCK - 24 * 3600) * 1_000_000)  # lookback_hours for a first run
    assert study.store.cursors.get("jet", DELETIONS_TERM) == "1725911170000004"
    assert study.store.cursors.get("jet", "rhinoceros | pangolin") is None


def test_privacy_dids_and_handles_never_reach_the_database(study, stream, lexicon):
    stream.batches = [events("events.jsonl")]
    run_term(study, source_for(stream, lexicon), "rhinoceros | pangolin", max_pages=10)
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    for secret in (b"hornseller4n7q2vx3c5kd", b"hornseller88", b"tradervn2m4k6p8r0t2v",
                   b"912 345 678", b"3l3qo2vuowo2b"):
        assert secret not in blob


def test_mine_source_runs_the_stream_once_for_all_queries(study, stream, lexicon):
    stream.batches = [events("events.jsonl")]
    results = mine_source(study, settings_for(stream.url), lexicon=lexicon,
                          clock=lambda: CLOCK)
    assert [r.terms for r in results] == [["rhinoceros | pangolin"], []]
    assert results[0].counts.stored == 2 and len(stream.paths) == 1
    dry = mine_source(study, settings_for(stream.url), dry_run=True, lexicon=lexicon)
    assert "cursor=1725911157000009" in dry[0].calls[0] and len(stream.paths) == 1
