"""Deletion leaves no trace (issue 10, 2.7): 100 seeded random `wildsift comply` events on a
study with posts, media files, OCR text, image scores, scores, matches, labels and recorded
exports (CSV, JSONL, Parquet, labels, a media folder); then the raw bytes of every file in the
study folder (the SQLite file and its WAL included) are searched for each erased post's
distinctive text and pseudonymised ids: none is found, and every post not erased is still
there. On PostgreSQL (WILDSIFT_TEST_PG_URL) the rows of every table are searched instead of
the database's files."""

from __future__ import annotations

import io
import random
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from sqlalchemy import select, text
from typer.testing import CliRunner

from wildsift.analysis.export_records import recorded_exports
from wildsift.cli.main import app
from wildsift.privacy.ingest import Protector
from wildsift.privacy.media import CleanImage, MediaStore
from wildsift.records import Label, Media, Post
from wildsift.store import Store, schema
from wildsift.study import Study

N_POSTS = 150
EVENTS = 100


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path, monkeypatch) -> str:
    """The study's storage: its SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        monkeypatch.delenv("WILDSIFT_STORAGE_URL", raising=False)
        # as SQLite builds without SECURE_DELETE leave it: the vacuum must remove the bytes
        from wildsift.store import store as store_module

        pragmas = store_module._sqlite_pragmas

        def without_secure_delete(connection, record) -> None:
            pragmas(connection, record)
            connection.execute("PRAGMA secure_delete=OFF")

        monkeypatch.setattr(store_module, "_sqlite_pragmas", without_secure_delete)
        return "sqlite"
    base = request.getfixturevalue("pg_url")
    admin = Store.open(base).engine
    name = "t_" + uuid.uuid4().hex[:10]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    monkeypatch.setenv("WILDSIFT_STORAGE_URL", base.rsplit("/", 1)[0] + "/" + name)
    return "postgresql"


def _png(rng: random.Random) -> CleanImage:
    image = Image.new("RGB", (8, 8), tuple(rng.randrange(256) for _ in range(3)))
    image.putpixel((rng.randrange(8), rng.randrange(8)), (rng.randrange(256), 0, 7))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    import hashlib

    data = buffer.getvalue()
    return CleanImage(data=data, format="PNG", width=8, height=8,
                      sha256=hashlib.sha256(data).hexdigest())


def _build(study: Study, rng: random.Random) -> dict:
    """Posts with distinctive words, images (some shared by two posts), OCR text, scores,
    matches, labels; returns what the test needs to know about each post and image."""
    protector = Protector.for_study(study)
    media = MediaStore(study.media_dir)
    posts, info, images = [], {}, {}
    shared: CleanImage | None = None
    for i in range(N_POSTS):
        source_id = f"18{i:017d}"
        tag = f"qz{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}x"
        post_id = protector.post_id("x", source_id)
        author = f"u_{uuid.UUID(int=rng.getrandbits(128)).hex[:16]}"
        shown: list[str] = []
        if i % 3 == 0:
            image = _png(rng)
            media.put(image)
            images[image.sha256] = f"ocr{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}y"
            shown.append(image.sha256)
            if i % 9 == 0:
                shared = image  # the next post shows it too
        elif i % 3 == 1 and shared is not None:
            shown.append(shared.sha256)
            shared = None
        posts.append(Post(platform="x", post_id=post_id, text=f"ivory bangle {tag} for sale",
                          author=author, created_at=datetime(2025, 1, 1, tzinfo=UTC),
                          media=[Media(url=None, sha256=s) for s in shown]))
        info[source_id] = {"tag": tag, "post_id": post_id, "author": author, "images": shown}
    store = study.store
    store.posts.add(posts)
    store.images.link_media()
    store.images.update(pd.DataFrame({"sha256": list(images),
                                      "ocr_text": list(images.values())}), ["ocr_text"])
    store.images.write_scores("image", "v1", pd.DataFrame(
        {"sha256": list(images), "image_label": [f"lab{v}" for v in images.values()]}),
        ["image_label"])
    frame = store.posts.frame(["pk", "post_id", "text"])
    frame["relevance"] = 0.5
    frame["cue"] = [f"cue {t.split()[2]}" for t in frame["text"]]
    store.scores.write("relevance", "v1", frame, ["relevance", "cue"])
    store.matches.replace(pd.DataFrame([{"post_pk": pk, "taxon": "elephant", "product": "ivory",
                                         "lang": "en", "term": "ivory", "kind": "product"}
                                        for pk in frame["pk"]]))
    store.labels.add([Label(post_id=v["post_id"], field="relevant", value="1",
                            annotator="a_0123456789abcdef", platform="x")
                      for k, v in info.items() if int(k) % 2 == 0])
    return info, images


def _export(root: Path) -> None:
    runner = CliRunner()
    for name in ("posts.csv", "posts.jsonl", "posts.parquet"):
        result = runner.invoke(app, ["--study", str(root), "export", str(root / "exports" / name)])
        assert result.exit_code == 0, result.output
    # a media folder (as `export --media` records it: its face blurring needs OpenCV)
    from wildsift.analysis.export_records import record_export

    folder = root / "exports" / "media"
    folder.mkdir()
    for path in (root / "media").glob("*/*"):
        (folder / path.name).write_bytes(path.read_bytes())
    record_export(root, folder, "media", "folder")
    result = runner.invoke(app, ["--study", str(root), "label", "export", "--out",
                                 str(root / "exports" / "labels.csv")])
    assert result.exit_code == 0, result.output  # recorded by `label export` itself


def _haystack(root: Path, backend: str) -> bytes:
    """Every byte of the study folder (Parquet decoded too: compressed pages could hide a
    string), and on PostgreSQL every row of every table."""
    parts = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            parts.append(path.read_bytes())
            if path.suffix == ".parquet":
                parts.append(pd.read_parquet(path).to_csv().encode())
    if backend == "postgresql":
        store = Study.open(root).store
        with store.engine.connect() as conn:
            for table in schema.metadata.sorted_tables:
                parts.append(repr(conn.execute(select(table)).all()).encode())
        store.close()
    return b"\n".join(parts)


def test_100_random_comply_events_leave_no_trace(study, backend, tmp_path):
    rng = random.Random(20261207)
    root = study.root
    info, ocr = _build(study, rng)
    study.close()
    _export(root)
    remaining = sorted(info)
    erased: list[str] = []
    runner = CliRunner()
    for event in range(EVENTS):
        chosen = rng.sample(remaining, min(len(remaining), rng.randrange(0, 3)))
        listed = chosen + [f"99{rng.randrange(10**17):017d}"]  # an id the study never held
        if erased and rng.random() < 0.2:
            listed.append(rng.choice(erased))  # deleted twice: a no-op
        ids = tmp_path / f"ids{event}.txt"
        ids.write_text("\n".join(listed) + "\n", encoding="utf-8")
        result = runner.invoke(app, ["--study", str(root), "comply", "--deleted-ids", str(ids),
                                     "--platform", "x"])
        assert result.exit_code == 0, result.output
        assert f"{len(chosen)} erased" in result.output, result.output
        erased += chosen
        remaining = [r for r in remaining if r not in chosen]
    assert len(erased) > 50 and remaining
    haystack = _haystack(root, backend)
    kept_images = {sha for r in remaining for sha in info[r]["images"]}
    for source_id in erased:
        post = info[source_id]
        for needle in (post["tag"], post["post_id"], post["author"], source_id):
            assert needle.encode() not in haystack, (source_id, needle)
        for sha in set(post["images"]) - kept_images:
            assert sha.encode() not in haystack, (source_id, sha)
            assert ocr[sha].encode() not in haystack, (source_id, ocr[sha])
            assert not list((root / "media").glob(f"*/{sha}.*"))
    reopened = Study.open(root)
    store = reopened.store
    stored = dict(zip(*[store.posts.frame(["post_id", "text"])[c] for c in ("post_id", "text")]))
    assert len(stored) == len(remaining)
    exports = {p.name: p.read_bytes() for p in (root / "exports").iterdir() if p.is_file()}
    parquet = pd.read_parquet(root / "exports" / "posts.parquet")
    for source_id in remaining:
        post = info[source_id]
        assert post["tag"] in stored[post["post_id"]]
        for name in ("posts.csv", "posts.jsonl"):
            assert post["tag"].encode() in exports[name], (name, source_id)
        assert post["post_id"] in set(parquet["post_id"])
        for sha in post["images"]:
            assert MediaStore(root / "media").find(sha) is not None
            assert list((root / "exports" / "media").glob(f"{sha}.*"))
    audit = store.erasures.frame()
    assert len(audit) == len(erased)
    assert {r["kind"] for r in recorded_exports(root)} == {"posts", "media", "labels"}
    reopened.close()
    if backend == "sqlite":
        wal = root / "wildsift.sqlite-wal"
        assert not wal.exists() or wal.stat().st_size == 0
