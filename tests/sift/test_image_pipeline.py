"""Images through the product: import with local images -> `wildsift sift` image stages -> report."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.sift import image_pipeline
from wildsift.sift.vision.phash import PerceptualHash
from wildsift.study import Study

runner = CliRunner()
HAS_TESSERACT = shutil.which("tesseract") is not None


def _photo(seed: int, size=(320, 240)) -> Image.Image:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, (6, 8, 3), dtype=np.uint8)  # blocks: a stable perceptual hash
    return Image.fromarray(base).resize(size, Image.Resampling.NEAREST)


def _jpeg(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=90, **options)
    return buffer.getvalue()


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 15.0)}
    return exif


@pytest.fixture
def imported(tmp_path):
    """A study and an imported CSV naming: a photo with GPS EXIF reused by two sellers, a
    resized re-encoded copy of it on another platform, a face, a price list (text), a
    truncated JPEG, a path escaping the folder, a symlink escaping it, a missing file."""
    data = tmp_path / "export"
    (data / "img").mkdir(parents=True)
    (data / "img" / "gps.jpg").write_bytes(_jpeg(_photo(1), exif=_gps_exif()))
    (data / "img" / "copy.jpg").write_bytes(_jpeg(_photo(1).resize((250, 188))))
    (data / "img" / "other.jpg").write_bytes(_jpeg(_photo(2)))
    skimage_data = pytest.importorskip("skimage.data")
    (data / "img" / "face.jpg").write_bytes(_jpeg(Image.fromarray(skimage_data.astronaut())))
    price = Image.new("RGB", (900, 260), "white")
    from PIL import ImageFont

    draw = ImageDraw.Draw(price)
    draw.text((30, 60), "IVORY BANGLE 500 USD", fill="black",
              font=ImageFont.load_default(size=64))
    (data / "img" / "price.png").write_bytes(_png(price))
    (data / "img" / "truncated.jpg").write_bytes(_jpeg(_photo(3))[:600])
    (tmp_path / "outside.jpg").write_bytes(_jpeg(_photo(4)))
    os.symlink(tmp_path / "outside.jpg", data / "img" / "link.jpg")
    rows = [
        ("1", "carved ivory bangle for sale, pm me", "seller_a", "x", "img/gps.jpg"),
        ("2", "bangles again, same photo", "seller_b", "x", "img/gps.jpg|img/other.jpg"),
        ("3", "nice bangle", "seller_c", "facebook", "img/copy.jpg"),
        ("4", "me at the market", "person_d", "x", "img/face.jpg"),
        ("5", "price list in the photo", "seller_a", "x", "img/price.png"),
        ("6", "broken upload", "seller_e", "x", "img/truncated.jpg"),
        ("7", "sneaky", "seller_f", "x", "../outside.jpg|img/link.jpg"),
        ("8", "gone", "seller_g", "x", "img/missing.jpg"),
        ("9", "no picture, rhino horn for sale", "seller_h", "x", ""),
    ]
    with (data / "posts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "author", "platform", "media"])
        writer.writerows(rows)
    root = tmp_path / "study"
    runner.invoke(app, ["init", str(root)])
    config = root / "wildsift.toml"
    text = config.read_text().replace('model = "efficientnet-lite0"', 'model = "none"')
    text = re.sub(r"languages = \[[^\]]*\]", 'languages = ["en"]', text, count=1)  # fast OCR
    config.write_text(text)
    result = runner.invoke(app, ["--study", str(root), "import", str(data / "posts.csv")])
    assert result.exit_code == 0, result.output
    return root, data, result.output


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_import_stores_local_images_clean_and_quarantines_the_bad_ones(imported):
    root, data, output = imported
    assert "read 9, stored 9" in output and "quarantined 0" in output
    assert "images stored 6" in output and "set aside 3, files not found 1" in output
    study = Study.open(root)
    posts = study.store.posts.frame(["pk", "text", "media"]).set_index("text")
    first = posts.loc["carved ivory bangle for sale, pm me", "media"][0]
    assert len(first["sha256"]) == 64
    stored = next((root / "media").rglob(f"{first['sha256']}.*"))
    with Image.open(stored) as image:
        assert not image.getexif() and "exif" not in image.info  # GPS and maker gone
    # the same file named by two posts is one stored image
    assert posts.loc["bangles again, same photo", "media"][0]["sha256"] == first["sha256"]
    # bad images: quarantined with file:line and reason; their posts are kept
    reasons = {(q.location, q.reason.split(":")[0]): q.reason
               for q in study.store.quarantine.all()}
    assert any(loc == "posts.csv:7" and "cannot decode the image" in r
               for (loc, _), r in reasons.items())
    escaped = [r for (loc, _), r in reasons.items() if loc == "posts.csv:8"]
    assert len(escaped) == 2 and all("outside the imported file's folder" in r for r in escaped)
    assert not any(loc == "posts.csv:9" for loc, _ in reasons)  # missing: counted only
    assert posts.loc["sneaky", "media"][0].get("sha256") is None
    assert not any(p.name.startswith("outside") for p in (root / "media").rglob("*"))
    study.close()
    # importing again stores nothing twice and lists no quarantine entry twice
    again = runner.invoke(app, ["--study", str(root), "import", str(data / "posts.csv")])
    assert "stored 0, duplicates 9" in again.output
    study = Study.open(root)
    assert len(study.store.quarantine.all()) == 3
    study.close()


def test_sift_no_images_skips_then_sift_runs_the_stages_and_the_report_shows_them(imported):
    root, _data, _ = imported
    skipped = runner.invoke(app, ["--study", str(root), "sift", "--no-images", "--workers", "1",
                                  "--no-progress"])
    assert skipped.exit_code == 0, skipped.output
    assert "Image stages skipped (--no-images)" in skipped.output
    study = Study.open(root)
    assert study.store.images.frame(("sha256",)).empty  # nothing linked or hashed
    study.close()

    result = runner.invoke(app, ["--study", str(root), "sift", "--workers", "1",
                                 "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "images: 5 in the store" in result.output
    assert "phash: 5 images" in result.output and "faces: 5 images" in result.output
    assert 'image-model: not run ([images] model = "none")' in result.output
    study = Study.open(root)
    images = study.store.images.frame(("sha256", "phash", "faces", "ocr_text"))
    assert images["phash"].notna().all()
    assert (images["faces"] >= 1).sum() == 1  # the astronaut, and no face elsewhere
    if HAS_TESSERACT:
        assert "ocr: 5 images" in result.output
        assert images["ocr_text"].fillna("").str.contains("IVORY").any()
    # the reused photo and its resized copy: one cluster over three authors, two platforms
    from wildsift.analysis.image_clusters import image_clusters
    from wildsift.sift.vision.image_reuse import reused_image_pks

    clusters = image_clusters(study)
    assert len(clusters) == 2 and clusters["cluster"].nunique() == 1
    texts = study.store.posts.frame(["pk", "text"]).set_index("pk")["text"]
    assert {texts[pk] for pk in reused_image_pks(study)} == {
        "carved ivory bangle for sale, pm me", "bangles again, same photo", "nice bangle"}
    study.close()

    report = runner.invoke(app, ["--study", str(root), "report"])
    assert report.exit_code == 0, report.output
    html = (root / "reports" / "report.html").read_text()
    assert '<section id="images">' in html and '<section id="reuse">' in html
    assert 'id="images-stored">5<' in html and 'id="images-hashed">5<' in html
    assert 'id="reuse-authors">1<' in html and 'id="reuse-platforms">1<' in html
    assert 'Image model: not run now: turned off ([images] model = &#34;none&#34;)' in html \
        or "Image model: not run now: turned off" in html
    assert "exports with <code>--media</code>" in html  # faces found: exports blur them
    assert "<img" not in html  # text only: no picture, no face


def test_posts_scored_before_their_ocr_text_are_rescored(imported, monkeypatch):
    """The order: image stages first; a post the text model scored before its image's OCR
    text existed is rescored once that text appears, and only then."""
    root, _data, _ = imported
    seen: list[tuple[int, str]] = []

    class Relevance:
        name, version, model = "relevance", "model:fake-1", object()
        reads, optional_reads = ("text",), ("ocr_text", "image_score")
        adds = stores = ("relevance", "relevant", "relevance_method")

        def __call__(self, batch):
            seen.extend(zip(batch["pk"], batch.get("ocr_text", [""] * len(batch))))
            hit = [float("IVORY" in str(t)) for t in batch.get("ocr_text", [""] * len(batch))]
            return batch.assign(relevance=hit, relevant=[int(h) for h in hit],
                                relevance_method="model:fake-1")

    class FakeOcr:
        name, version, todo_column = "ocr", "fake-ocr", "ocr_engine"
        fills, scores = ("ocr_text", "ocr_engine"), ()
        over, reads, adds = "images", ("sha256", "path"), fills

        def __call__(self, batch):
            texts = ["IVORY 500" if str(p).endswith(".png") else "" for p in batch["path"]]
            return pd.DataFrame({"sha256": batch["sha256"], "ocr_text": texts,
                                 "ocr_engine": "fake-ocr"})

    from wildsift.sift.pipeline import sift_study

    study = Study.open(root)
    sift_study(study, stages=[Relevance()], images=False, progress=False, workers=1)
    assert len(seen) == 9 and not any(text for _pk, text in seen)
    seen.clear()
    monkeypatch.setattr(image_pipeline, "build_image_stages",
                        lambda s: ([PerceptualHash(threads=1), FakeOcr()], []))
    result = sift_study(study, stages=[Relevance()], images=True, progress=False, workers=1)
    # nothing new, but one picture got OCR text: the post showing it is scored again, in the
    # same pass (its relevance rows were forgotten when the text was stored)
    assert result.images.changed == 1 and result.images.stale_posts == 1
    assert result.posts == 1 and result.relevant == 1
    assert [text for _pk, text in seen] == ["IVORY 500"]
    latest = study.store.scores.latest(["relevant"])
    assert int(latest["relevant"].sum()) == 1
    seen.clear()
    again = sift_study(study, stages=[Relevance()], images=True, progress=False, workers=1)
    assert again.posts == 0 and again.images.stale_posts == 0 and seen == []  # nothing changed
    study.close()


def test_missing_extras_are_notes_not_errors(imported, monkeypatch):
    root, _data, _ = imported
    from wildsift.errors import ModelError
    from wildsift.sift.vision import ocr, tesseract_ocr

    def no_tesseract(*args, **kwargs):
        raise ocr.OcrUnavailable("the tesseract program is not installed")

    def no_torch(study, spec):
        raise ModelError("the image model needs torch")

    monkeypatch.setattr(tesseract_ocr.TesseractOcr, "__init__", no_tesseract)
    monkeypatch.setattr(image_pipeline, "_model_stage", no_torch)
    study = Study.open(root)
    study.settings.images.model = "efficientnet-lite0"
    stages, notes = image_pipeline.build_image_stages(study)
    assert [s.name for s in stages] == ["phash", "faces"]
    lines = [note.line() for note in notes]
    assert any(line.startswith("ocr: not run (Tesseract not installed") for line in lines)
    assert any(line.startswith("image-model: not run (not installed") for line in lines)
    study.close()


def test_image_model_scores_reach_the_store_and_report_when_installed(imported):
    pytest.importorskip("torch")
    pytest.importorskip("efficientnet_lite_pytorch")
    root, _data, _ = imported
    study = Study.open(root)
    study.settings.images.ocr = False
    study.settings.images.model = "efficientnet-lite0"
    run = image_pipeline.run_image_pipeline(study)
    assert any(step.stage == "image-model" and step.ran and step.images == 5
               for step in run.steps)
    scores = study.store.images.scores_frame(("image_relevance", "imagenet_top"))
    assert len(scores) == 5 and scores["image_relevance"].between(0, 1).all()
    from wildsift.analysis.images import image_scores_summary

    summary = image_scores_summary(study, study.store.posts.frame(["pk"])["pk"])
    assert sum(row["images"] for row in summary.histogram) == 5
    assert summary.top_labels and summary.relevant_images == 5
    study.close()


def test_a_local_video_named_by_an_import_gets_key_frames_at_sift(tmp_path):
    pytest.importorskip("av")
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    data = tmp_path / "export"
    (data / "clips").mkdir(parents=True)
    writer = imageio_ffmpeg.write_frames(str(data / "clips" / "ad.mp4"), (64, 48), fps=4,
                                         macro_block_size=1, quality=8)
    writer.send(None)
    for colour in ((200, 30, 30), (30, 200, 30)):  # two shots of 1.5 s: two key frames
        frame = np.zeros((48, 64, 3), dtype=np.uint8) + np.array(colour, dtype=np.uint8)
        for _ in range(6):
            writer.send(frame.tobytes())
    writer.close()
    (data / "posts.csv").write_text("id,text,media\n1,parrot for sale,clips/ad.mp4\n")
    root = tmp_path / "study"
    runner.invoke(app, ["init", str(root)])
    config = root / "wildsift.toml"
    config.write_text(config.read_text().replace('model = "efficientnet-lite0"', 'model = "none"')
                      .replace("ocr = true", "ocr = false"))
    imported = runner.invoke(app, ["--study", str(root), "import", str(data / "posts.csv")])
    assert "local videos 1" in imported.output, imported.output
    result = runner.invoke(app, ["--study", str(root), "sift", "--workers", "1", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "video frames: 2 images; 2 frames from 1 videos" in result.output
    study = Study.open(root)
    links = study.store.images.post_links()
    assert sorted(links["frame"]) == [1, 2] and links["frame_time"].notna().all()
    assert study.store.images.frame(("phash",))["phash"].notna().all()  # frames were hashed
    study.close()
