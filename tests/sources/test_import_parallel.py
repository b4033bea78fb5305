"""Import in worker processes stores exactly what the in-process import stores, in file order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wildsift.demo import write_corpus
from wildsift.records import Label, Post
from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest
from wildsift.study import SECRET_NAME, Study


def _twin_studies(tmp_path: Path) -> tuple[Study, Study]:
    """Two studies with one secret, so pseudonyms and tokens are comparable."""
    a = Study.init(tmp_path / "a", name="a")
    b = Study.init(tmp_path / "b", name="b")
    (b.root / SECRET_NAME).write_text((a.root / SECRET_NAME).read_text())
    return a, b


def _corpus_with_bad_lines(tmp_path: Path) -> Path:
    info = write_corpus(tmp_path / "corpus.jsonl", n=240, seed=5)
    lines = info.path.read_text(encoding="utf-8").splitlines()
    lines.insert(10, "{not json")
    lines.insert(100, json.dumps({"id": "x1", "text": "ok", "lat": 999, "lon": 1}))
    lines.insert(150, json.dumps({"id": "x2", "text": "ok", "label": "maybe"}))
    lines.append(lines[20])  # a duplicate of an earlier post
    lines.append(json.dumps({"id": "x3", "text": "extra key", "likes": 3}))
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored(study: Study) -> tuple[list, list, list]:
    posts = study.store.posts.frame(("platform", "post_id", "text", "author", "created_at",
                                     "hashtags", "media"))
    labels = study.store.labels.frame()[["post_id", "value"]]
    quarantined = [(q.location, q.field, q.reason) for q in study.store.quarantine.all()]
    return (posts.astype(str).values.tolist(), sorted(labels.astype(str).values.tolist()),
            quarantined)


@pytest.mark.parametrize("batch_size", [7, 5000])
def test_workers_store_what_one_process_stores(tmp_path, batch_size):
    path = _corpus_with_bad_lines(tmp_path)
    one, two = _twin_studies(tmp_path)
    reader_one, reader_two = FileReader(path), FileReader(path)
    try:
        counts_one = ingest(one, reader_one, batch_size=batch_size, workers=1)
        counts_two = ingest(two, reader_two, batch_size=batch_size, workers=2)
        assert counts_two == counts_one
        assert (counts_one.read, counts_one.quarantined, counts_one.duplicates) == (245, 3, 1)
        assert counts_one.stored == 241  # 240 demo posts and x3
        assert len(one.store.labels.frame()) == 240  # x3 has no label
        assert _stored(two) == _stored(one)  # same rows, same pks (file order), same quarantine
        assert reader_two.unknown_columns == reader_one.unknown_columns
        assert "likes" in reader_one.unknown_columns
    finally:
        one.close()
        two.close()


def test_parallel_reimport_adds_nothing_and_keeps_the_quarantine_once(tmp_path):
    path = _corpus_with_bad_lines(tmp_path)
    study = Study.init(tmp_path / "s", name="s")
    try:
        first = ingest(study, FileReader(path), batch_size=50, workers=2)
        again = ingest(study, FileReader(path), batch_size=50, workers=2)
        assert again.stored == 0 and again.duplicates == first.stored + first.duplicates
        assert study.store.posts.count() == first.stored
        assert len(study.store.quarantine.all()) == 3
        assert len(study.store.labels.frame()) == 240
    finally:
        study.close()


def test_parallel_import_of_plain_records_and_progress(tmp_path):
    """Any iterable of RawPost works with workers (not only a FileReader)."""
    path = _corpus_with_bad_lines(tmp_path)
    records = list(FileReader(path))
    study = Study.init(tmp_path / "s", name="s")
    seen: list[int] = []
    try:
        counts = ingest(study, iter(records), batch_size=60, workers=2,
                        progress=lambda c: seen.append(c.read))
        assert counts.read == len(records) and counts.stored == 241
        assert seen == sorted(seen) and seen[-1] == len(records) and len(seen) >= 4
    finally:
        study.close()


def test_sqlite_bulk_insert_reads_back_like_sqlalchemy_writes(tmp_path):
    """The raw DBAPI path stores dates and JSON lists exactly as SQLAlchemy Core would."""
    from datetime import UTC, datetime

    from wildsift.records import Media

    study = Study.init(tmp_path / "s", name="s")
    try:
        when = datetime(2024, 5, 1, 10, 0, 0, 1234, tzinfo=UTC)
        post = Post(platform="x", post_id="p1", text="t", created_at=when, collected_at=when,
                    hashtags=["ivory"], media=[Media(url="a.jpg")], mentions=[])
        assert study.store.posts.add([post, post]) == 1
        assert study.store.posts.add([post]) == 0
        frame = study.store.posts.frame(("created_at", "hashtags", "media", "mentions"))
        row = frame.iloc[0]
        assert row["created_at"] == when.replace(tzinfo=None)
        assert row["hashtags"] == ["ivory"] and row["mentions"] == []
        assert row["media"] == [{"url": "a.jpg", "kind": "image", "thumbnail": None,
                                 "sha256": None, "phash": None, "ocr_text": None}]
        stored, missing = study.store.labels.add([
            Label(post_id="p1", field="relevant", value="1", annotator="a", platform="x"),
            Label(post_id="p1", field="relevant", value="0", annotator="a", platform="y")])
        assert (stored, missing) == (1, ["p1"])  # the label for platform y names no post
        stored, missing = study.store.labels.add([
            Label(post_id="p1", field="relevant", value="0", annotator="a", platform="x")])
        assert (stored, missing) == (1, [])
        assert study.store.labels.frame()["value"].tolist() == ["0"]  # upserted, not added
    finally:
        study.close()
