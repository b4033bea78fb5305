"""Throughput of OCR (TesseractOcr.read_many) on generated images, and how much it reads right.

    OMP_THREAD_LIMIT=1 python benchmarks/bench_ocr.py [n_images] [batch_size]

The images mix what ads show: a Chinese price list, a Vietnamese one, a phone number painted
in yellow over a grainy photo (the slow case: read a second time after a local threshold), and
a photo without text. Each language set is timed separately: Tesseract's cost grows with the
number of language packs it tries. Reports images/s by wall clock and by the CPU time of the
tesseract processes (the fairer figure on a shared machine), and the share of the expected
strings found. One JSON line per language set.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from wildsift.sift.vision.tesseract_ocr import TesseractOcr

CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
LANGUAGE_SETS = {
    "en": ["en"],
    "zh-Hans+vi+en": ["zh-Hans", "vi", "en"],
    "default study (en zh-Hans zh-Hant vi th id)": ["en", "zh-Hans", "zh-Hant", "vi", "th", "id"],
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def make_images(n: int, folder: Path) -> list[tuple[Path, list[str]]]:
    """n images (path, strings that should be read), four kinds in turn."""
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            lines, font = [f"象牙手镯 {500 + i}元", f"穿山甲片 {i % 9 + 1}kg"], CJK
        elif kind == 1:
            lines, font = [f"Sừng tê giác giá {50 + i} triệu", "Vòng ngà voi"], LATIN
        else:
            lines, font = [], BOLD
        if kind < 2:
            image = Image.new("RGB", (640, 160), "white")
            face = ImageFont.truetype(font, 32)
            for row, line in enumerate(lines):
                ImageDraw.Draw(image).text((20, 20 + row * 60), line, font=face, fill="black")
            expected = lines
        else:
            base = np.linspace(60, 200, 640)[None, :, None] * np.ones((240, 1, 3))
            image = Image.fromarray(np.clip(base + rng.normal(0, 25, base.shape), 0, 255)
                                    .astype(np.uint8))
            expected = []
            if kind == 2:
                number = f"09{i % 100:02d} 345 678"
                ImageDraw.Draw(image).text((20, 90), f"Zalo {number}",
                                           font=ImageFont.truetype(BOLD, 40), fill=(255, 230, 0))
                expected = [number]
        path = folder / f"{i:05d}.png"
        image.save(path)
        out.append((path, expected))
    return out


def bench(name: str, languages: list[str], images: list[tuple[Path, list[str]]],
          batch_size: int) -> dict:
    engine = TesseractOcr(languages)
    paths = [p for p, _ in images]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    results = []
    for i in range(0, len(paths), batch_size):
        results += engine.read_many(paths[i:i + batch_size])
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wanted = [(r, s) for r, (_, strings) in zip(results, images) for s in strings]
    found = sum(_fold(s) in _fold(r.text or "") for r, s in wanted)
    retried = sum(r.variant != "plain" for r in results)
    return {"bench": "ocr", "engine": engine.describe, "languages": name,
            "images": len(paths), "batch_size": batch_size,
            "images_per_s_wall": round(len(paths) / wall, 2),
            "images_per_s_tesseract_cpu": round(len(paths) / cpu, 2) if cpu else None,
            "read_again_after_threshold": retried,
            "expected_strings_found": f"{found}/{len(wanted)}"}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    with tempfile.TemporaryDirectory() as folder:
        images = make_images(n, Path(folder))
        for name, languages in LANGUAGE_SETS.items():
            print(json.dumps(bench(name, languages, images, batch_size), ensure_ascii=False),
                  flush=True)


if __name__ == "__main__":
    main()
