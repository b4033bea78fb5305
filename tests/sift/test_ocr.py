"""OCR of text in images: Tesseract reads rendered price lists and a phone number painted over a
photo; the stage stores redacted text once per image; posts carry it to the text model.

Needs the tesseract program and the packs chi_sim, vie, eng (Debian: tesseract-ocr,
tesseract-ocr-chi-sim, tesseract-ocr-vie; .ci/run installs them) and fonts to render the test
images (fonts-noto-cjk, fonts-dejavu-core): skipped with the reason when absent.
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw, ImageFont

from wildsift.privacy.media import MediaStore, clean_image
from wildsift.privacy.redact import tokens
from wildsift.records import Media, Post
from wildsift.sift.vision.ocr import OcrUnavailable, debian_package, tesseract_languages
from wildsift.sift.vision.tesseract_batch import join_unspaced
from wildsift.sift.vision.tesseract_ocr import TesseractOcr

pytesseract = pytest.importorskip("pytesseract", reason="pytesseract is not installed")
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
PHONE = "0912 345 678"  # a Vietnamese mobile number, as painted on the picture


def _installed() -> set[str]:
    if shutil.which("tesseract") is None:
        return set()
    return set(pytesseract.get_languages(config=""))


def needs(*codes: str):
    missing = [c for c in codes if c not in _installed()]
    fonts = [f for f in (CJK_FONT, LATIN_FONT, BOLD_FONT) if not f.exists()]
    reason = (f"tesseract or its packs are missing ({', '.join(debian_package(c) for c in missing)})"
              if missing else f"fonts to render test images are missing: {fonts} "
              "(fonts-noto-cjk, fonts-dejavu-core)")
    return pytest.mark.skipif(bool(missing or fonts), reason=reason)


def _render(lines: list[str], font: Path, size=(640, 180)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), 32)
    for i, line in enumerate(lines):
        draw.text((20, 20 + i * 60), line, font=face, fill="black")
    return image


def _phone_over_photo(seed: int = 0) -> Image.Image:
    """Yellow digits over a grainy gradient with a brown 'object': no clean background."""
    rng = np.random.default_rng(seed)
    base = np.linspace(60, 200, 640)[None, :, None] * np.ones((240, 1, 3))
    base[..., 2] *= np.linspace(0.6, 1.0, 240)[:, None]
    image = Image.fromarray(np.clip(base + rng.normal(0, 25, base.shape), 0, 255)
                            .astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.ellipse((470, 20, 630, 230), fill=(120, 90, 60))
    draw.text((20, 90), f"Zalo {PHONE}", font=ImageFont.truetype(str(BOLD_FONT), 40),
              fill=(255, 230, 0))
    return image


def _fold(text: str) -> str:
    """Lower case, no diacritics, no spaces: Tesseract may drop a tone mark or add a space."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def _save(image: Image.Image, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    image.save(path)
    return path


def test_language_mapping_and_cjk_spaces():
    assert tesseract_languages(["en", "zh-Hans", "zh-Hant", "vi", "th", "id", "ar", "en"]) == [
        "eng", "chi_sim", "chi_tra", "vie", "tha", "ind", "ara"]
    assert debian_package("chi_sim") == "tesseract-ocr-chi-sim"
    assert join_unspaced("象 牙 手 镯 500 元") == "象牙手镯 500 元"
    assert join_unspaced("งา ช้าง") == "งาช้าง"
    assert join_unspaced("rhino horn 50 kg") == "rhino horn 50 kg"  # Latin keeps its spaces


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_missing_language_pack_names_the_package():
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-xxx"):
        TesseractOcr(["xxx"])  # no pack at all: refused
    if "zul" not in _installed():
        with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr-zul"):
            TesseractOcr(["en", "zul"], strict=True)
        engine = TesseractOcr(["en", "zul"])  # not strict: reads with what is installed
        assert engine.languages == ("eng",) and engine.missing == ("zul",)
        assert engine.describe.endswith(" eng")


@needs("chi_sim", "vie", "eng")
def test_reads_chinese_and_vietnamese_price_lists(tmp_path):
    chinese = _save(_render(["象牙手镯 500元", "穿山甲片 1kg 2000元"], CJK_FONT), tmp_path, "zh")
    vietnamese = _save(_render(["Sừng tê giác giá 50 triệu", "Vòng ngà voi 2 triệu"],
                               LATIN_FONT), tmp_path, "vi")
    blank = _save(Image.new("RGB", (200, 100), "white"), tmp_path, "blank")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    engine = TesseractOcr(["zh-Hans", "vi", "en"])
    zh, vi, empty, bad = engine.read_many([chinese, vietnamese, blank, broken])
    for word in ("象牙手镯", "穿山甲片", "500元", "1kg", "2000元"):
        assert _fold(word) in _fold(zh.text), zh.text
    assert "象 牙" not in zh.text  # CJK characters joined back
    for phrase in ("tê giác", "50 triệu", "ngà voi", "2 triệu"):
        assert _fold(phrase) in _fold(vi.text), vi.text
    assert "triệu" in vi.text and zh.confidence > 60
    assert empty.text == "" and empty.error is None  # read, nothing found: not an error
    assert bad.text is None and "unreadable" in bad.error


@needs("eng")
def test_reads_a_phone_number_painted_over_a_photo(tmp_path):
    photo = _save(_phone_over_photo(), tmp_path, "phone")
    engine = TesseractOcr(["en"])
    [result] = engine.read_many([photo])
    assert "0912345678" in "".join(c for c in result.text if c.isdigit()), result
    assert engine.stats.pages == 1  # the detector's crop around the line, not the whole photo


def _post(i: int, text: str, shas: list[str]) -> Post:
    return Post(platform="x", post_id=f"p{i}", text=text, author=f"u{i}", lang="vi",
                media=[Media(url=f"https://img.example/{i}/{k}", sha256=s)
                       for k, s in enumerate(shas)])


def _put(study, image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    clean = clean_image(buffer.getvalue())
    MediaStore(study.media_dir).put(clean)
    return clean.sha256


@needs("chi_sim", "vie", "eng")
def test_ocr_stage_stores_redacted_text_once_and_posts_carry_it(study):
    from wildsift.sift.stages.image_stage import run_image_stages
    from wildsift.sift.stages.ocr import OcrStage

    phone = _put(study, _phone_over_photo())
    prices = _put(study, _render(["象牙手镯 500元"], CJK_FONT))
    blank = _put(study, Image.new("RGB", (120, 80), (240, 240, 240)))
    study.store.posts.add([_post(1, "hàng đẹp, liên hệ", [phone, prices]),
                           _post(2, "same photo again", [phone]),  # reused picture
                           _post(3, "nothing written", [blank]),
                           _post(4, "no image", [])])
    stage = OcrStage.for_study(study, TesseractOcr(["zh-Hans", "vi", "en"]))
    runs = run_image_stages(study, [stage])
    assert runs[0].images == 3 and runs[0].errors == 0 and runs[0].with_text == 2
    images = study.store.images.frame(("sha256", "ocr_text", "ocr_engine")).set_index("sha256")
    # a phone token, or a messenger one when "Zalo" is read cleanly before the number
    assert re.search(r"<(PHONE|MESSENGER):", images.loc[phone, "ocr_text"]), images.loc[phone]
    assert "0912" not in images.loc[phone, "ocr_text"]
    assert "象牙手镯" in images.loc[prices, "ocr_text"]
    assert images.loc[blank, "ocr_text"] == "" and images["ocr_engine"].str.startswith(
        "tesseract ").all()
    # the same number written in a post's text gets the same contact hash (the kind may differ:
    # typed "Zalo 0912.." is a MESSENGER id, OCR may read the prefix as "_Zalo")
    [(_, typed)] = tokens(stage.redactor.redact(f"Zalo {PHONE}"))
    assert typed in [h for _, h in tokens(images.loc[phone, "ocr_text"])]
    token = images.loc[phone, "ocr_text"][images.loc[phone, "ocr_text"].index("<"):][:15]
    # the raw number is in no byte of the database (WAL included)
    study.store.engine.dispose()
    digits = PHONE.replace(" ", "")
    for path in Path(study.root).glob("wildsift.sqlite*"):
        data = path.read_bytes()
        assert digits.encode() not in data and PHONE.encode() not in data, path
    # nothing is read twice, even the blank image
    again = run_image_stages(study, [OcrStage.for_study(study, stage.engine)])
    assert again[0].images == 0
    # posts carry their images' text (in image order; a reused image on each post)
    pks = dict(zip(study.store.posts.iter(("pk", "post_id")).__next__()["post_id"],
                   study.store.posts.iter(("pk",)).__next__()["pk"]))
    order = ["p1", "p2", "p3", "p4"]
    served = study.store.images.post_reads(pd.DataFrame({"pk": [pks[p] for p in order]}))
    texts = dict(zip(order, served["ocr_text"]))
    p1, p2 = texts["p1"], texts["p2"]
    assert p1.index(token) < p1.index("象牙手镯") and token in p2
    assert texts["p3"] == "" and texts["p4"] == ""
    assert served["n_images"].tolist() == [2, 1, 1, 0]


def test_stage_records_unreadable_images_without_retrying(study):
    from wildsift.sift.stages.image_stage import run_image_stages
    from wildsift.sift.stages.ocr import OcrStage
    from wildsift.sift.vision.ocr import OcrResult

    class Failing:
        name, describe = "fake", "fake 1.0 eng"

        def __init__(self):
            self.calls = 0

        def read_many(self, paths):
            self.calls += 1
            return [OcrResult(None, error="timeout after 30 s") for _ in paths]

    sha = _put(study, Image.new("RGB", (50, 40), "white"))
    study.store.posts.add([_post(1, "x", [sha])])
    engine = Failing()
    stage = OcrStage.for_study(study, engine)
    [run] = run_image_stages(study, [stage])
    row = study.store.images.frame(("sha256", "ocr_text", "ocr_engine")).iloc[0]
    assert row["ocr_text"] is None and row["ocr_engine"] == "fake 1.0 eng error: timeout after 30 s"
    assert run.errors == 1 and run.error_reasons == ["timeout after 30 s"]
    run_image_stages(study, [OcrStage.for_study(study, engine)])
    assert engine.calls == 1


def test_redaction_catches_phone_numbers_ocr_garbled():
    from wildsift.privacy.pseudonym import Pseudonymizer
    from wildsift.privacy.redact import Redactor
    from wildsift.sift.stages.ocr import redact_ocr_text

    redactor = Redactor(Pseudonymizer(b"k" * 32), ["VN", "CN"])
    clean = redact_ocr_text(redactor, "Zalo 0912 345 678")
    garbled = redact_ocr_text(redactor, "Zalo 0912;345’678 giá 150.000.000 đ")
    assert tokens(clean)[0][1] == tokens(garbled)[0][1] and "0912" not in garbled
    assert "150.000.000" in garbled  # an amount is not a phone number
    assert redact_ocr_text(redactor, "500 1000 2000 3000") == "500 1000 2000 3000"


def test_sift_batches_carry_the_posts_ocr_text(study):
    """A stage that reads ``ocr_text`` gets each post's image text in ``wildsift sift``."""
    from wildsift.sift.pipeline import sift_study

    a, b = "a" * 64, "b" * 64
    study.store.posts.add([_post(1, "see picture", [a, b]), _post(2, "no picture", [])])
    study.store.images.link_media()
    study.store.images.update(pd.DataFrame({"sha256": [a, b], "ocr_text": ["象牙手镯 500元", ""],
                                            "ocr_engine": ["t", "t"]}), ["ocr_text", "ocr_engine"])

    class Seen:
        name, version, reads, optional_reads = "seen", "v1", ("text",), ("ocr_text",)
        adds = stores = ("relevance",)
        def __init__(self):
            self.texts: dict[str, str] = {}

        def __call__(self, batch):
            self.texts.update(zip(batch["text"], batch["ocr_text"]))
            return batch.assign(relevance=0.0)

    seen = Seen()
    sift_study(study, stages=[seen], progress=False, workers=1)
    assert seen.texts == {"see picture": "象牙手镯 500元", "no picture": ""}
