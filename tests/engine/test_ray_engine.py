"""The Ray engine runs the same plan as the local engine and stores the same rows.

One local Ray (2 CPUs) for the whole module: it takes seconds to start on a busy machine. The
demo corpus (SYNTHETIC, ``wildsift.demo``) is imported and a text model trained once; then
copies of that study are sifted with each engine (image stages on, as ``wildsift sift`` does:
on Ray they run in actors of their own, engine/ray_images.py) and their stores compared: the
text model's relevance bit for bit, the decisions, every latest score, the number of score rows
per stage and field, the lexicon matches, and every picture's hashes, face count, OCR text
(redacted inside the actor) and image-model scores. The image network runs with one thread in
an actor and all cores here, so its floats (and the fused relevance built on them) may differ in
float32's last digits: those are compared to 1e-5, all else exactly."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'wildsift[ray]'")

from wildsift.demo.data import write_corpus
from wildsift.demo.images import write_demo_images
from wildsift.demo.study import CORPUS_NAME, SYNTHETIC_SOURCE, _demo_image_settings
from wildsift.engine.choice import EngineChoice
from wildsift.sift.learn.train import train_study
from wildsift.sift.pipeline import SiftRun
from wildsift.sift.plan import plan_for_study, sift_recorded
from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest
from wildsift.sources.local_media import LocalMedia
from wildsift.store import schema
from wildsift.study import Study

POSTS = 3000  # the demo's default size
BATCH = 500  # several batches, so both actors work
PHONE = "0912 345 678"  # painted on a demo picture: OCR must store it only as a token
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
IMAGE_DERIVED = ["relevance", "image_relevance"]  # floats from the image network (see above)


@pytest.fixture(scope="module")
def ray_session():
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def trained_demo(tmp_path_factory) -> Path:
    """The demo study imported and its text model trained, not yet sifted."""
    study = Study.init(tmp_path_factory.mktemp("demo") / "study", name="ray engine test")
    try:
        _demo_image_settings(study)
        corpus = write_corpus(study.root / CORPUS_NAME, POSTS, 0)
        write_demo_images(study.root, 0)
        if _can_read_text():  # OCR on, and two pictures with something to read
            config = study.root / "wildsift.toml"
            config.write_text(config.read_text().replace("ocr = false", "ocr = true", 1))
            _paint(study.root / "img" / "ivory_bangles_000.jpg", f"Zalo {PHONE}")
            _paint(study.root / "img" / "ivory_carvings_001.jpg", "IVORY 500 USD")
        reader = FileReader(corpus.path)
        reader.source = SYNTHETIC_SOURCE
        ingest(study, reader, media=LocalMedia.for_study(study, corpus.path))
        train_study(study)
        return study.root
    finally:
        study.close()


def _can_read_text() -> bool:
    return shutil.which("tesseract") is not None and LATIN_FONT.exists()


def _paint(path: Path, text: str) -> None:
    """Replace a demo picture with one that shows ``text`` (readable by Tesseract)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (640, 160), "white")
    ImageDraw.Draw(image).text((20, 50), text, font=ImageFont.truetype(str(LATIN_FONT), 44),
                               fill="black")
    image.save(path, "JPEG", quality=90)


def _sift(folder: Path, engine: EngineChoice) -> SiftRun:
    study = Study.open(folder)
    try:
        return sift_recorded(study, plan_for_study(study), images=True, progress=False,
                             batch_size=BATCH, engine=engine)
    finally:
        study.close()


def _pictures(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every picture's row (but when it was added), and every image score."""
    study = Study.open(folder)
    try:
        with study.store.engine.connect() as conn:
            images = pd.DataFrame(conn.execute(select(schema.images)).mappings().all())
            scores = pd.DataFrame(conn.execute(select(schema.image_scores)).mappings().all())
        images = images.drop(columns=["added_at"]).sort_values("sha256").reset_index(drop=True)
        keys = ["sha256", "stage", "model_version", "field"]
        scores = scores.drop(columns=["scored_at"]).sort_values(keys).reset_index(drop=True)
        return images, scores
    finally:
        study.close()


def _stored(folder: Path) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Latest scores by post, score rows per (stage, version, field), lexicon matches."""
    study = Study.open(folder)
    try:
        store = study.store
        latest = store.scores.latest().sort_values("post_pk").reset_index(drop=True)
        s = schema.scores.c
        with store.engine.connect() as conn:
            rows = conn.execute(select(s.stage, s.model_version, s.field, func.count())
                                .group_by(s.stage, s.model_version, s.field)).all()
            matches = pd.DataFrame(conn.execute(select(schema.matches)).mappings().all())
        counts = pd.Series({tuple(r[:3]): r[3] for r in rows}).sort_index()
        keys = [c for c in matches.columns if c not in ("id", "created_at")]
        matches = matches[keys].sort_values(keys).reset_index(drop=True)
        return latest, counts, matches
    finally:
        study.close()


@pytest.fixture(scope="module")
def sifted(trained_demo, tmp_path_factory, ray_session):
    """Copies of the trained demo sifted by: the local engine, Ray (object store), Ray
    (Parquet shards); and what each sift returned."""
    root = tmp_path_factory.mktemp("sifted")
    shards = root / "shards"
    engines = {"local": EngineChoice("local"), "ray": EngineChoice("ray"),
               "ray-parquet": EngineChoice("ray", shards=str(shards))}
    out = {}
    for name, engine in engines.items():
        folder = root / name
        shutil.copytree(trained_demo, folder)
        out[name] = (folder, _sift(folder, engine))
    assert any(shards.rglob("*.parquet")), "the Parquet path wrote no shard"
    return out


@pytest.mark.parametrize("engine", ["ray", "ray-parquet"])
def test_ray_stores_what_the_local_engine_stores(sifted, engine):
    local_folder, local = sifted["local"]
    folder, result = sifted[engine]
    assert result.model_version == local.model_version != "rules"
    assert result.posts == local.posts == POSTS
    assert result.relevant == local.relevant > 0
    assert result.heads == local.heads
    local_latest, local_counts, local_matches = _stored(local_folder)
    latest, counts, matches = _stored(folder)
    # the text model's relevance, bit for bit
    mine = latest["text_relevance"].to_numpy(dtype=np.float64)
    theirs = local_latest["text_relevance"].to_numpy(dtype=np.float64)
    assert np.array_equal(mine.view(np.int64), theirs.view(np.int64))
    # the decisions, and every other latest score
    assert latest["relevant"].tolist() == local_latest["relevant"].tolist()
    exact = [c for c in latest.columns if c not in IMAGE_DERIVED]
    pd.testing.assert_frame_equal(latest[exact], local_latest[exact], check_exact=True)
    derived = [c for c in IMAGE_DERIVED if c in latest.columns]
    assert derived, "no image-derived score: the image stages did not run"
    pd.testing.assert_frame_equal(latest[derived], local_latest[derived], check_exact=False,
                                  rtol=1e-4, atol=1e-5)
    pd.testing.assert_series_equal(counts, local_counts)
    pd.testing.assert_frame_equal(matches, local_matches, check_exact=True)


@pytest.mark.parametrize("engine", ["ray", "ray-parquet"])
def test_image_stages_on_ray_store_what_they_store_here(sifted, engine):
    local_images, local_scores = _pictures(sifted["local"][0])
    images, scores = _pictures(sifted[engine][0])
    assert len(images) > 100 and images["phash"].notna().all() and images["faces"].notna().all()
    pd.testing.assert_frame_equal(images, local_images, check_exact=True)  # hashes, faces, OCR
    numbers = ["value"]
    pd.testing.assert_frame_equal(scores.drop(columns=numbers),
                                  local_scores.drop(columns=numbers), check_exact=True)
    assert np.allclose(scores["value"].astype(float), local_scores["value"].astype(float),
                       rtol=1e-4, atol=1e-5, equal_nan=True)
    assert set(scores["stage"]) == {"image-model"}
    if not _can_read_text():
        pytest.skip("tesseract or the DejaVu font is missing: OCR was not compared")
    text = " ".join(images["ocr_text"].dropna())
    assert "IVORY" in text.upper()  # read inside an actor, in the posts' languages
    assert "<PHONE:" in text or "<MESSENGER:" in text  # redacted inside the actor
    assert "0912" not in text and PHONE not in text
    # what the run says it did is counted on the driver, the same as a local run's
    [ocr], [local_ocr] = ([step for step in run.images.steps if step.stage == "ocr"]
                          for run in (sifted[engine][1], sifted["local"][1]))
    assert ocr.ran and ocr.images == len(images) and ocr == local_ocr
    assert int(re.search(r"(\d+) with text", ocr.note).group(1)) >= 2


def test_a_rerun_on_ray_writes_nothing_new(sifted):
    folder, _ = sifted["ray"]
    latest_before, counts_before, _ = _stored(folder)
    again = _sift(folder, EngineChoice("ray"))
    assert again.posts == 0 and again.heads == 0
    latest, counts, _ = _stored(folder)
    assert any(key[0] == "fusion" for key in counts.index)  # fusion ran on Ray too
    pd.testing.assert_series_equal(counts, counts_before)  # not one row more, fusion's included
    pd.testing.assert_frame_equal(latest, latest_before, check_exact=True)
