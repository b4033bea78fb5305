"""OCR at scale: text is found before it is read, paths are read in bounded batches, each image
in its post's languages. The Tesseract process is replaced by a recorder here (these tests run
without Tesseract); tests/sift/test_ocr.py reads real images with the real program."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw, ImageFont

from wildsift.sift.vision import tesseract_ocr
from wildsift.sift.vision.ocr import OcrOptions
from wildsift.sift.vision.ocr_pages import page_images
from wildsift.sift.vision.tesseract_ocr import TesseractOcr
from wildsift.sift.vision.text_regions import find_text_regions

pytesseract = pytest.importorskip("pytesseract", reason="pytesseract is not installed")
WORD = "Ivorybangle300"  # what the stand-in reads: long enough not to be retried
LATIN_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _photo(seed: int = 0, size=(640, 480)) -> Image.Image:
    """A real photo (scikit-learn's flower sample), cropped: no text in it."""
    from sklearn.datasets import load_sample_images

    flower = load_sample_images().images[1]
    rng = np.random.default_rng(seed)
    top, left = int(rng.integers(0, 60)), int(rng.integers(0, 60))
    return Image.fromarray(flower[top:top + 360, left:left + 560]).resize(size)


def _with_text(image: Image.Image, text: str = "Ivory bangle $300") -> Image.Image:
    image = image.copy()
    font = (ImageFont.truetype(str(LATIN_BOLD), 36) if LATIN_BOLD.exists()
            else ImageFont.load_default(size=36))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 40, 420, 100), fill="white")
    draw.text((40, 48), text, font=font, fill="black")
    return image


class Recorder:
    """Stands in for TesseractRun: every page 'reads' :data:`WORD`; pages are counted."""

    pages: list = []
    runs: int = 0

    def __init__(self, command, pages, *, min_confidence, timeout_s):
        Recorder.pages += pages
        Recorder.runs += 1
        for page in pages:
            page.words = [((1, 1, 1), WORD, 90.0)]

    def done(self) -> bool:
        return True

    def finish(self) -> None:
        pass


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setattr(pytesseract, "get_tesseract_version", lambda: "5.3.0")
    monkeypatch.setattr(pytesseract, "get_languages", lambda config="": ["eng", "vie", "chi_sim"])
    monkeypatch.setattr(tesseract_ocr, "TesseractRun", Recorder)
    Recorder.pages, Recorder.runs = [], 0
    return TesseractOcr(["en", "vi", "zh-Hans"], options=OcrOptions(batch_size=4))


def test_detector_finds_a_painted_line_and_nothing_in_a_plain_photo():
    photo = _photo()
    assert find_text_regions(photo) == []
    assert find_text_regions(Image.new("L", (300, 200), 255)) == []
    [region] = find_text_regions(_with_text(photo))
    left, top, right, bottom = region.pixels(640, 480)
    assert left <= 40 and top <= 48 and right >= 380 and bottom >= 90  # holds the line
    assert bottom - top < 200  # and is a strip, not the photo
    assert not region.light  # dark letters on a white tag


def test_a_photo_without_text_never_reaches_tesseract(engine, tmp_path):
    plain = [tmp_path / f"plain{i}.jpg" for i in range(3)]
    for i, path in enumerate(plain):
        _photo(i).save(path)
    tagged = tmp_path / "tagged.jpg"
    _with_text(_photo()).save(tagged)
    results = engine.read_many([*plain, tagged])
    assert [r.variant for r in results[:3]] == ["no-text"] * 3
    assert all(r.text == "" and r.error is None for r in results[:3])
    assert results[3].text == WORD
    assert {p.index for p in Recorder.pages} == {3}  # only the tagged photo was read ...
    # ... and only crops around its lines, not the whole photo
    assert all(p.light is not None for p in Recorder.pages)
    assert engine.stats.no_text == 3


def test_iter_read_is_a_generator_that_reads_at_most_one_batch_ahead(engine, tmp_path):
    path = tmp_path / "tagged.png"
    _with_text(_photo()).save(path)
    taken = 0

    def paths():
        nonlocal taken
        for _ in range(100):
            taken += 1
            yield path

    results = engine.iter_read(paths())
    first = list(itertools.islice(results, 1))
    assert first[0].text == WORD
    assert taken <= 2 * engine.options.batch_size  # the batch yielded and the next one
    assert len(list(results)) == 99 and taken == 100


def test_each_image_is_read_in_its_posts_language(engine, tmp_path):
    path = tmp_path / "tagged.png"
    _with_text(_photo()).save(path)
    results = list(engine.read_many([path, path, path, path],
                                    languages=[["vi"], ["zh-Hans"], None, ["xx"]]))
    assert len(results) == 4
    by_index = {p.index: p.languages for p in Recorder.pages}
    assert by_index == {0: ("vie", "eng"), 1: ("chi_sim", "eng"),
                        2: ("eng", "vie", "chi_sim"), 3: ("eng", "vie", "chi_sim")}


def test_unreadable_file_is_an_error_and_the_rest_are_read(engine, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    good = tmp_path / "good.png"
    _with_text(_photo()).save(good)
    bad, ok = engine.read_many([broken, good])
    assert bad.text is None and "unreadable" in bad.error
    assert ok.text == WORD


def test_text_covering_the_image_is_read_whole():
    page = Image.new("RGB", (640, 160), "white")
    font = (ImageFont.truetype(str(LATIN_BOLD), 40) if LATIN_BOLD.exists()
            else ImageFont.load_default(size=40))
    ImageDraw.Draw(page).text((10, 20), "Sừng tê giác giá 50", font=font, fill="black")
    ImageDraw.Draw(page).text((10, 90), "Vòng ngà voi 2 triệu", font=font, fill="black")
    [(image, psm, light, clear)] = page_images(page)
    assert psm == OcrOptions().psm and light is None and clear and max(image.size) >= 900


def test_stage_passes_each_images_post_languages(study):
    from wildsift.records import Media, Post
    from wildsift.sift.stages.ocr import OcrStage
    from wildsift.store.picture_languages import PictureLanguages
    from wildsift.sift.vision.ocr import OcrResult

    study.store.posts.add([
        Post(platform="x", post_id="a", text="t", author="u", lang="vi",
             media=[Media(url="https://i/1", sha256="a" * 64)]),
        Post(platform="x", post_id="b", text="t", author="u", lang="th",
             media=[Media(url="https://i/2", sha256="a" * 64), Media(url="https://i/3",
                                                                      sha256="b" * 64)])])
    study.store.images.link_media()
    languages = PictureLanguages(study.store)
    assert languages(["a" * 64, "b" * 64, "c" * 64]) == {
        "a" * 64: ["vi", "th"], "b" * 64: ["th"]}

    class Fake:
        name, describe = "fake", "fake 1.0"
        seen: list = []

        def read_many(self, paths, languages=None):
            Fake.seen.append(list(languages))
            return iter([OcrResult("") for _ in paths])

    stage = OcrStage.for_study(study, Fake())
    keys = ["b" * 64, "c" * 64]  # the engine adds the column the stage declares it reads
    assert "languages" in stage.optional_reads
    out = stage(pd.DataFrame({"sha256": keys, "path": ["p1", "p2"],
                              "languages": languages.column(keys)}))
    assert Fake.seen == [[["th"], None]] and out["ocr_text"].tolist() == ["", ""]


def test_evaluate_reads_images_before_their_folder_is_removed(engine):
    """multimodal.ocr_images writes images to a temporary folder and reads them inside it."""
    import io

    from wildsift.privacy.media import clean_image
    from wildsift.sift.learn.multimodal import ocr_images

    buffer = io.BytesIO()
    _with_text(_photo()).save(buffer, format="PNG")
    image = clean_image(buffer.getvalue())
    assert ocr_images(engine, {image.sha256: image}) == {image.sha256: WORD}
