"""Crash safety of ``wildsift sift`` and ``wildsift comply`` (issue 10, 2.1, a CI sample):
SIGKILL at 5 seeded random moments of each, on SQLite and (when WILDSIFT_TEST_PG_URL is set)
PostgreSQL.

sift: after every kill no post holds part of a stage's fields (all of a (stage, version)'s
fields or none), no score is stored twice, and a rerun ends with exactly the scores of an
uninterrupted run. comply: after every kill each listed post is erased with all its scores,
matches, labels and image links and its audit row, or untouched; a rerun ends where an
uninterrupted run ends (same posts, same audit hashes). benchmarks/bench_crash_sift_comply.py
runs the same for many kills and prints the figures (docs/reliability.md).
"""

from __future__ import annotations

import json
import random
import sys

import pytest
from crash_harness import Backend, make_export, run_import
from crash_sift_comply import (
    SIFT_ARGS,
    check_complete_or_absent,
    comply_moment,
    comply_state,
    kill_after,
    post_fields,
    run,
    sift_moment,
    sift_state,
    start,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
KILLS = 5
SEED = 20261207
POSTS = 3_000



def _two_studies(tmp_path, crash_backend: Backend):
    """A reference study and one to kill, same secret and same imported posts."""
    export = make_export(tmp_path / "export.jsonl", n=POSTS)
    reference, reference_url = crash_backend.new_study(tmp_path / "reference")
    killed, url = crash_backend.new_study(tmp_path / "killed", secret_from=reference.root)
    for study, at in ((reference, reference_url), (killed, url)):
        run_import(study.root, at, export, workers=1, batch_size=500)
    return export, (reference.root, reference_url), (killed.root, url)


def test_sift_killed_at_random_moments_leaves_no_partial_scores(tmp_path, crash_backend):
    _export, (ref_root, ref_url), (root, url) = _two_studies(tmp_path, crash_backend)
    try:
        run(ref_root, ref_url, SIFT_ARGS)
        expected = sift_state(ref_url)
        fields = post_fields(expected)
        assert expected.scored_posts == POSTS and len(fields) >= 4
        rng = random.Random(SEED)
        killed_mid_run, scored = 0, 0
        for _ in range(KILLS):
            ready, delay = sift_moment(rng, url, len(expected.scores))
            killed_mid_run += kill_after(start(root, url, SIFT_ARGS), delay, ready)
            state = sift_state(url, fields)
            assert state.partial == 0, "a post holds part of a stage's fields"
            assert state.doubled == 0, "a score was stored twice"
            assert state.scored_posts >= scored, "scores committed before a kill were lost"
            assert state.scores <= expected.scores, "a score differs from an uninterrupted run"
            scored = state.scored_posts
        assert killed_mid_run, "every sift ended before its kill"
        run(root, url, SIFT_ARGS)
        final = sift_state(url, fields)
        assert final.partial == 0 and final.doubled == 0
        assert final.scores == expected.scores
    finally:
        crash_backend.drop(url)
        crash_backend.drop(ref_url)


def _id_list(export, path):
    """The Mastodon ids of the export (one compliance list, one transaction)."""
    ids = []
    for line in export.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("platform") == "mastodon":
            ids.append(record["id"])
    path.write_text("\n".join(ids) + "\n", encoding="utf-8")
    return ["comply", "--deleted-ids", str(path), "--platform", "mastodon"]


def test_comply_killed_at_random_moments_erases_completely_or_not_at_all(
        tmp_path, crash_backend):
    export, (ref_root, ref_url), (root, url) = _two_studies(tmp_path, crash_backend)
    try:
        for at_root, at in ((ref_root, ref_url), (root, url)):
            run(at_root, at, SIFT_ARGS)  # scores and matches hang on the posts
        args = _id_list(export, tmp_path / "deleted.txt")
        before = comply_state(ref_url)
        run(ref_root, ref_url, args)
        expected = comply_state(ref_url)
        listed = before.posts - expected.posts
        assert len(listed) > 300 and expected.audit_rows == len(listed)
        rng = random.Random(SEED)
        state = comply_state(url)
        assert state.posts == before.posts
        outcomes = []
        for _ in range(KILLS):
            ready, delay = comply_moment(rng, url, state.audit_rows)
            kill_after(start(root, url, args), delay, ready)
            after = comply_state(url)
            assert check_complete_or_absent(state, after, listed) == []
            outcomes.append(len(state.posts - after.posts))
            state = after
        run(root, url, args)
        final = comply_state(url)
        assert check_complete_or_absent(state, final, listed) == []
        assert final.posts == expected.posts and final.audit == expected.audit
        assert final.children == expected.children and final.orphans == 0
    finally:
        crash_backend.drop(url)
        crash_backend.drop(ref_url)
