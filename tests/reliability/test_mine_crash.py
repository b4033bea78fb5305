"""Crash safety of ``wildsift mine`` (issue 10, 2.1, a CI sample): the real Mastodon connector
reads a local server in Mastodon's shape (240 statuses over 30 pages of 8, 80 PNG images, slow
answers now and then; tests/mine_crash_harness.py), and ``wildsift mine`` (the installed entry
point, a child process) is killed with SIGKILL 5 times on the same study: mid-download (inside
an image sent in two halves), around a cursor save (its page's posts committed, the cursor not
yet, being or just written), mid-page (inside a page the server holds back), twice more at
seeded moments; then run to its end. On SQLite, and on PostgreSQL when WILDSIFT_TEST_PG_URL
is set.

After every kill: the posts committed before it are all still there, 0 duplicate (platform,
post_id), every media file under ``media/`` named by a sha256 holds exactly those bytes, every
image a post links is there (``MediaStore.find`` gives that file, never a writer's temporary
file), and nothing the command started is still running. At the end: the posts (text, author,
date, the sha256 of each image), the cursor, the quarantine (as a multiset) and the media files
equal an uninterrupted mine of the same server. benchmarks/bench_crash_mine.py runs the same
for many fresh studies and prints the figures.
"""

from __future__ import annotations

import random
import sys

import pytest
from mine_crash_harness import (
    FakeMastodonServer,
    compare,
    configure,
    describe,
    kill_mine,
    media_files,
    mined,
    moment,
    reference_plan,
    run_mine,
)

from wildsift.privacy.media import MediaStore

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
SEED = 20240610
PHASES = ("download", "cursor", "page", None, None)  # None: a seeded draw (start-up included)


@pytest.fixture
def server():
    fake = FakeMastodonServer(n=240, page=8, slow_s=0.2)
    yield fake
    fake.close()


def test_kill_9_mid_page_download_and_cursor_save_loses_nothing(tmp_path, crash_backend, server):
    reference, reference_url = crash_backend.new_study(tmp_path / "reference")
    killed, url = crash_backend.new_study(tmp_path / "killed", secret_from=reference.root)
    try:
        configure(reference.root, server)
        configure(killed.root, server)
        plan, _ = reference_plan(server, reference.root, reference_url)
        expected, expected_media = mined(reference_url), media_files(reference.root)
        assert expected.rows == 240 and expected.duplicate_keys == 0
        assert len(expected_media.complete) == 81 and not expected_media.temporary
        assert sum(expected.quarantine.values()) == 7  # 2 malformed statuses, 5 HTML "images"
        assert plan.pages >= 30 and plan.media >= 100

        rng = random.Random(SEED)
        committed: frozenset = frozenset()
        kills = []
        for phase in PHASES:
            kill = kill_mine(server, killed.root, url, moment(rng, plan, phase, fraction=0.2))
            kills.append(kill)
            state, files = mined(url), media_files(killed.root)
            assert kill.orphans == 0, f"{describe(kill)}: a process outlived the killed mine"
            assert committed <= kill.committed, f"{describe(kill)}: committed posts lost"
            assert state.duplicate_keys == 0
            assert not files.corrupt, f"{describe(kill)}: half-written media {files.corrupt}"
            store = MediaStore(killed.root / "media")
            for sha in state.linked():  # a linked image is there, whole, and is what find gives
                assert store.find(sha).name == files.complete[sha], describe(kill)
            committed = kill.committed
        assert sum(not k.finished_first for k in kills) >= 4, [describe(k) for k in kills]

        run_mine(killed.root, url)
        final, final_media = mined(url), media_files(killed.root)
        assert committed <= final.posts
        assert final.duplicate_keys == 0
        assert compare(final, final_media, expected, expected_media) == []
    finally:
        crash_backend.drop(url)
        crash_backend.drop(reference_url)
