"""I/O faults in ``wildsift sift`` and ``wildsift comply`` (issue 10, 2.2), SQLite and (when
WILDSIFT_TEST_PG_URL is set) PostgreSQL.

A full disk or an I/O error strikes at the Nth row written (``store/fault_injection.py``: a
row trigger inside the database, so it hits every write path, the SQLite chunk merge and
PostgreSQL COPY included, inside the transaction). N is drawn over the whole run: the first
row, and seeded draws up to the rows an uninterrupted run writes. After each fault:

- the command ends with exit status 1 and one line naming the problem and the store, no
  traceback (and no COPY line quoted back);
- sift: no (post, stage, version) holds part of its fields, no score is stored twice, every
  score equals the uninterrupted run's, and after the first fault each stage's scored posts are
  whole batches; comply: each listed post is erased with everything that hangs on it and its
  audit row, or untouched;
- the next run (itself faulted at a later row, then one without a fault) completes, and the
  store ends with exactly the rows of an uninterrupted run.
"""

from __future__ import annotations

import json
import random
from itertools import cycle

from crash_harness import make_export
from crash_sift_comply import (
    check_complete_or_absent,
    comply_state,
    sift_state,
    stage_fields,
)
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.store.fault_injection import write_faults

POSTS = 600
BATCH = 100
SEED = 20261208
FAULTS = 4
SIFT = ["sift", "--no-images", "--workers", "1", "--batch-size", str(BATCH), "--no-progress"]
MESSAGES = {"full": "the disk is full (No space left on device)", "eio": "the disk failed"}
runner = CliRunner()


def _invoke(root, url, args):
    return runner.invoke(app, ["--study", str(root), *args], env={"WILDSIFT_STORAGE_URL": url})


def _ok(root, url, args):
    result = _invoke(root, url, args)
    assert result.exit_code == 0, result.output
    return result


def _faulted(root, url, args, at: int, kind: str) -> None:
    """Run ``args`` with a fault at the ``at``-th row; check the message."""
    with write_faults(url, at=at, kind=kind) as fault:
        result = _invoke(root, url, args)
    assert fault.struck, f"the run wrote fewer than {at} rows"
    output = result.output
    assert result.exit_code == 1, (result.exit_code, output, result.exception)
    assert "Traceback" not in output and "COPY" not in output, output
    assert "cannot write to the store" in output and MESSAGES[kind] in output, output
    assert "run the same command again" in output


def _studies(tmp_path, backend):
    export = make_export(tmp_path / "export.jsonl", n=POSTS)
    reference, reference_url = backend.new_study(tmp_path / "reference")
    faulted, url = backend.new_study(tmp_path / "faulted", secret_from=reference.root)
    for study, at in ((reference, reference_url), (faulted, url)):
        _ok(study.root, at, ["import", str(export), "--workers", "1", "--batch-size", "200"])
    return export, (reference.root, reference_url), (faulted.root, url)


def _groups(state) -> dict[tuple, frozenset]:
    """(platform, post id, stage, version) -> the fields stored for it. Compared post by post
    with the uninterrupted run (a stage stores a field's usual value once per stage in
    ``score_defaults``, so posts of one stage need not hold the same fields)."""
    found: dict[tuple, set] = {}
    for platform, post_id, stage, version, name, _value, _text in state.scores:
        found.setdefault((platform, post_id, stage, version), set()).add(name)
    return {key: frozenset(value) for key, value in found.items()}


def _partial(state, expected_groups) -> int:
    return sum(1 for key, got in _groups(state).items() if got != expected_groups.get(key))


def _batches(url: str) -> dict[tuple[str, str, int], frozenset[int]]:
    """(stage, version, batch number) -> the posts of that batch the stage has scored
    (batches: posts in pk order, BATCH at a time, as a sift of a fresh study reads them)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT DISTINCT stage, model_version, post_pk "
                                     "FROM scores")).all()
            pks = sorted(r[0] for r in conn.execute(text("SELECT pk FROM posts")))
    finally:
        engine.dispose()
    batch_of = {pk: i // BATCH for i, pk in enumerate(pks)}
    found: dict[tuple[str, str, int], set[int]] = {}
    for stage, version, pk in rows:
        found.setdefault((stage, version, batch_of[pk]), set()).add(pk)
    return {key: frozenset(value) for key, value in found.items()}


def test_sift_with_a_write_fault_at_the_nth_row(tmp_path, crash_backend):
    _export, (ref_root, ref_url), (root, url) = _studies(tmp_path, crash_backend)
    try:
        with write_faults(ref_url, at=None) as counting:
            _ok(ref_root, ref_url, SIFT)
        total = counting.count()
        expected = sift_state(ref_url)
        expected_groups = _groups(expected)
        assert expected.scored_posts == POSTS and len(stage_fields(expected)) >= 4
        assert total > 1000
        reference_batches = _batches(ref_url)
        rng = random.Random(SEED)
        scored, kinds = 0, cycle(["full", "eio"])
        for number in range(FAULTS):
            left = total * (POSTS - scored) / POSTS  # rows a resumed run still writes, about
            at = 1 if number == 0 else rng.randint(2, max(2, int(0.5 * left)))
            _faulted(root, url, SIFT, at, next(kinds))
            state = sift_state(url)
            assert _partial(state, expected_groups) == 0, "a post holds part of a stage's fields"
            assert state.doubled == 0, "a score was stored twice"
            assert state.scores <= expected.scores, (
                "a score differs from an uninterrupted run", sorted(state.scores - expected.scores)[:4])
            assert state.scored_posts >= scored, "committed scores were lost"
            if number <= 1:  # whole batches: a stage holds all of a batch's posts or none
                for key, pks in _batches(url).items():
                    assert pks == reference_batches[key], f"part of batch {key} committed"
            scored = state.scored_posts
        _ok(root, url, SIFT)
        final = sift_state(url)
        assert _partial(final, expected_groups) == 0 and final.doubled == 0
        assert final.scores == expected.scores
    finally:
        crash_backend.drop(url)
        crash_backend.drop(ref_url)


def _id_list(export, path) -> list[str]:
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


def test_comply_with_a_write_fault_at_the_nth_row(tmp_path, crash_backend):
    export, (ref_root, ref_url), (root, url) = _studies(tmp_path, crash_backend)
    try:
        for at_root, at in ((ref_root, ref_url), (root, url)):
            _ok(at_root, at, SIFT)  # scores and matches hang on the posts
        args = _id_list(export, tmp_path / "deleted.txt")
        before = comply_state(ref_url)
        with write_faults(ref_url, at=None) as counting:
            _ok(ref_root, ref_url, args)
        total = counting.count()
        expected = comply_state(ref_url)
        listed = before.posts - expected.posts
        assert len(listed) > 50 and expected.audit_rows == len(listed) and total > len(listed)
        rng = random.Random(SEED)
        ats = [1, *sorted(rng.sample(range(2, total), FAULTS - 2)), total]
        state = comply_state(url)
        assert state.posts == before.posts
        for at, kind in zip(ats, cycle(["eio", "full"])):
            _faulted(root, url, args, at, kind)
            after = comply_state(url)
            assert check_complete_or_absent(state, after, listed) == []
            assert after.posts == before.posts, "one transaction: a fault leaves all posts"
            state = after
        _ok(root, url, args)
        final = comply_state(url)
        assert check_complete_or_absent(state, final, listed) == []
        assert final.posts == expected.posts and final.audit == expected.audit
        assert final.children == expected.children and final.orphans == 0
    finally:
        crash_backend.drop(url)
        crash_backend.drop(ref_url)
