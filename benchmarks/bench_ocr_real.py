"""OCR on real photos: throughput, memory and text recall of ``TesseractOcr.read_many``.

    python benchmarks/bench_ocr_real.py [n_images] [--batch 64] [--workers 2] [--all-languages]
                                        [--no-detect] [--seed 0]

Real photos, not drawn ones: the sample photos that ship inside scikit-learn (china, flower) and
scikit-image (astronaut, coffee, chelsea, rocket, motorcycle, retina, ...; ``pip install
scikit-image`` into the venv for the benchmark only). Each benchmark image is a random crop of
one of them, rescaled to 600-1600 px on its longer side, sometimes mirrored or darkened, saved as
a JPEG (quality 80-92). About one in four gets text painted over it the way ads do, in the
post's language (English, Vietnamese, Simplified Chinese, Thai): a white price tag, an outlined
caption, a yellow phone number straight on the photo, a white line on a dark band; the rest have
no text, as most real photos. Each image carries its post's language, which the new engine uses
to pick language packs; ``--all-languages`` reads every image with the six packs of the default
study, as the hidden-set run did.

Reports per run (one JSON line): images/s by wall clock and by CPU time (this process plus the
tesseract processes, ``RUSAGE_CHILDREN``), peak RSS of this process (``ru_maxrss``; tesseract
children are separate processes of bounded size), and recall: the share of painted words (for
phone numbers: the digits) found in the text read, and how many no-text photos came back with
text (noise). Run it once per size (e.g. 200 and 800) in separate processes: ``ru_maxrss`` is a
high-water mark, so a flat figure across sizes shows memory does not grow with the image count.

Runs against the engine of the ``wildsift`` on ``sys.path``: set ``PYTHONPATH`` to an older
checkout's ``src`` to measure the engine before a change (it has no per-image languages).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

FONTS = {
    "latin": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "latin-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "cjk-bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "thai": "/usr/share/fonts/truetype/tlwg/Garuda.ttf",
    "thai-bold": "/usr/share/fonts/truetype/tlwg/Garuda-Bold.ttf",
}
DEFAULT_STUDY = ["en", "zh-Hans", "zh-Hant", "vi", "th", "id"]
LANGUAGES = ["en", "vi", "zh-Hans", "th"]


@dataclass
class Item:
    path: Path
    lang: str
    words: list[str] = field(default_factory=list)  # painted words that should be read
    phone: str = ""  # painted phone number (digits)


def photos() -> list[np.ndarray]:
    """The real photos shipped inside scikit-learn and scikit-image (RGB uint8)."""
    from sklearn.datasets import load_sample_images

    out = list(load_sample_images().images)
    try:
        import skimage.data as data
    except ImportError:
        return out
    for name in ("astronaut", "chelsea", "coffee", "rocket", "camera", "coins", "moon", "grass",
                 "gravel", "brick", "hubble_deep_field", "immunohistochemistry", "retina",
                 "stereo_motorcycle"):
        try:
            image = getattr(data, name)()
        except Exception:  # noqa: BLE001 - a sample that needs a download is skipped
            continue
        image = image[0] if isinstance(image, tuple) else image
        image = np.stack([image] * 3, -1) if image.ndim == 2 else image[..., :3]
        out.append(np.ascontiguousarray(image, dtype=np.uint8))
    return out


def _lines(lang: str, rng: np.random.Generator) -> tuple[list[str], str, str]:
    """(lines, phone digits, font family) of an ad in ``lang``."""
    price, kilos = int(rng.integers(2, 900)), int(rng.integers(1, 9))
    phone = f"09{rng.integers(10, 99)} {rng.integers(100, 999)} {rng.integers(100, 999)}"
    pick = int(rng.integers(0, 3))
    if lang == "vi":
        options = ([f"Sừng tê giác giá {price} triệu"], ["Vòng ngà voi", f"{price} triệu"],
                   [f"Zalo {phone}"])
        family = "latin"
    elif lang == "zh-Hans":
        options = ([f"象牙手镯 {price}元"], ["穿山甲片", f"{kilos}kg {price}元"], [f"微信 {phone}"])
        family = "cjk"
    elif lang == "th":
        options = ([f"งาช้าง ราคา {price} บาท"], ["นอแรด", f"{price} บาท"], [f"โทร {phone}"])
        family = "thai"
    else:
        options = ([f"Ivory bangle ${price}"], ["Rhino horn", f"{kilos} kg for sale"],
                   [f"WhatsApp {phone}"])
        family = "latin"
    lines = options[pick]
    return lines, (phone.replace(" ", "") if pick == 2 else ""), family


def _paint(image: Image.Image, lines: list[str], family: str, rng: np.random.Generator) -> None:
    """Paint ``lines`` in one of four ad styles at a random place."""
    style = ("tag", "caption", "phone", "band")[int(rng.integers(0, 4))]
    size = max(18, int(max(image.size) / rng.uniform(16, 30)))
    bold = style in ("caption", "phone")
    font = ImageFont.truetype(FONTS[family + ("-bold" if bold else "")], size)
    draw = ImageDraw.Draw(image, "RGBA")
    widths = [draw.textlength(line, font=font) for line in lines]
    box_w, box_h = int(max(widths)) + size, int(len(lines) * size * 1.5) + size // 2
    x = int(rng.integers(0, max(1, image.width - box_w)))
    y = int(rng.integers(0, max(1, image.height - box_h)))
    if style == "tag":
        draw.rounded_rectangle((x, y, x + box_w, y + box_h), radius=size // 3, fill="white")
        fill, stroke = (20, 20, 20), 0
    elif style == "band":
        draw.rectangle((0, y, image.width, y + box_h), fill=(0, 0, 0, 170))
        fill, stroke = (255, 255, 255), 0
    elif style == "caption":
        fill, stroke = (255, 255, 255), max(2, size // 14)
    else:
        fill, stroke = ((255, 230, 0), (255, 40, 40))[int(rng.integers(0, 2))], 0
    for row, line in enumerate(lines):
        draw.text((x + size // 2, y + size // 4 + row * size * 1.5), line, font=font, fill=fill,
                  stroke_width=stroke, stroke_fill=(0, 0, 0))


def make_set(n: int, folder: Path, seed: int = 0, text_share: float = 0.25) -> list[Item]:
    """``n`` JPEGs cut from the real photos; about ``text_share`` of them with painted text."""
    rng = np.random.default_rng(seed)
    sources = photos()
    items = []
    for i in range(n):
        photo = sources[int(rng.integers(0, len(sources)))]
        h, w = photo.shape[:2]
        ch, cw = int(h * rng.uniform(0.55, 1.0)), int(w * rng.uniform(0.55, 1.0))
        top, left = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
        image = Image.fromarray(photo[top:top + ch, left:left + cw])
        longest = int(rng.integers(600, 1601))
        scale = longest / max(image.size)
        image = image.resize((max(1, round(image.width * scale)),
                              max(1, round(image.height * scale))), Image.Resampling.BICUBIC)
        if rng.random() < 0.5:
            image = ImageOps.mirror(image)
        if rng.random() < 0.2:
            image = Image.eval(image, lambda v: int(v * 0.6))
        lang = LANGUAGES[int(rng.integers(0, len(LANGUAGES)))]
        item = Item(folder / f"{i:05d}.jpg", lang)
        if rng.random() < text_share:
            lines, phone, family = _lines(lang, rng)
            _paint(image, lines, family, rng)
            item.phone = phone
            item.words = [] if phone else [w for line in lines for w in line.split()]
        image.convert("RGB").save(item.path, quality=int(rng.integers(80, 93)))
        items.append(item)
    return items


def fold(text: str) -> str:
    """Lower case, no diacritics, no spaces (Tesseract may drop a tone mark or add a space)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def recall(items: list[Item], texts: list[str]) -> dict:
    words = found = phones = phones_found = noise = plain = 0
    for item, text in zip(items, texts):
        folded = fold(text)
        if item.phone:
            phones += 1
            phones_found += item.phone in "".join(c for c in text if c.isdigit())
        for word in item.words:
            words += 1
            found += fold(word) in folded
        if not item.words and not item.phone:
            plain += 1
            noise += bool(text.strip())
    return {"words_found": f"{found}/{words}", "word_recall": round(found / max(words, 1), 3),
            "phones_found": f"{phones_found}/{phones}",
            "no_text_photos_with_text": f"{noise}/{plain}"}


def run(items: list[Item], batch: int, workers: int, all_languages: bool,
        detect: bool = True) -> dict:
    from wildsift.sift.vision.tesseract_ocr import TesseractOcr

    engine = TesseractOcr(DEFAULT_STUDY)
    read = getattr(engine, "iter_read", engine.read_many)  # stream where the engine can
    params = inspect.signature(read).parameters
    paths = [item.path for item in items]
    start, cpu0 = time.perf_counter(), time.process_time()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if "languages" in params:  # the bounded engine: a generator, one language set per image
        options = engine.options.__class__(batch_size=batch, workers=workers, detect=detect)
        engine.options = options
        hints = None if all_languages else [[item.lang] for item in items]
        texts = [r.text or "" for r in read(paths, languages=hints)]
    else:  # the engine before: every path in one call, as evaluate --image-column made it
        texts = [r.text or "" for r in read(paths)]
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    tess_cpu = (children.ru_utime - children0.ru_utime) + (children.ru_stime - children0.ru_stime)
    cpu = time.process_time() - cpu0 + tess_cpu
    stats = getattr(engine, "stats", None)
    return {"bench": "ocr-real", "engine": engine.describe, "images": len(items),
            "detector": "off" if not getattr(engine.options, "detect", False) else "on",
            "with_text": sum(bool(i.words or i.phone) for i in items),
            "batch": batch if "languages" in params else len(items),
            "workers": workers if "languages" in params else 1,
            "languages": "six (default study)" if all_languages or "languages" not in params
            else "post's + eng",
            "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "tesseract_cpu_s": round(tess_cpu, 1),
            "images_per_s_wall": round(len(items) / wall, 2),
            "images_per_cpu_s": round(len(items) / cpu, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "load_1min": round(os.getloadavg()[0], 2),
            **({"stats": stats.as_dict()} if stats is not None else {}),
            **recall(items, texts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--all-languages", action="store_true")
    parser.add_argument("--no-detect", action="store_true", help="read every whole image")
    parser.add_argument("--seed", type=int, default=0, help="another seed: another set")
    parser.add_argument("--keep", type=Path, help="write the images here (and keep them)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        items = make_set(args.n, folder, seed=args.seed)
        print(json.dumps(run(items, args.batch, args.workers, args.all_languages,
                             not args.no_detect),
                         ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
