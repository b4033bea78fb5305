"""SYNTHETIC demo images: small drawn JPEGs for every media path the demo corpus refers to.

Posts name images such as ``img/ivory_bangles_003.jpg``; :func:`write_demo_images` draws them
(simple shapes, labelled SYNTHETIC) so the media steps of the pipeline have real files to hash,
strip and look at. Every third image carries an EXIF GPS tag, so EXIF stripping has work to do.
"""

from __future__ import annotations

import random
from pathlib import Path

from wildsift.demo.corpus import IMAGES_PER_CATEGORY
from wildsift.demo.negatives import TOPIC_IMAGES
from wildsift.demo.phrases import PRODUCT_IMAGES
from wildsift.demo.routes import ring_images

CATEGORIES = sorted(set(PRODUCT_IMAGES.values()) | set(TOPIC_IMAGES.values()))
SIZE = (160, 120)
_IVORY, _HORN, _SCALE = (236, 226, 198), (70, 60, 50), (140, 100, 60)
_GPS_IFD = 0x8825


def _draw(draw, category: str, rng: random.Random) -> None:
    w, h = SIZE
    if category == "ivory_bangles":
        for i in range(rng.randint(2, 4)):
            x = 15 + i * 30
            draw.ellipse([x, 30, x + 45, 75], outline=_IVORY, width=6)
    elif category in ("ivory_carvings", "ivory_tusks", "resin_bangles"):
        color = _IVORY if category != "resin_bangles" else (250, 245, 230)
        draw.arc([20, 10, 140, 130], 200, 340, fill=color, width=14)
    elif category in ("rhino_horns", "rhino_horn_cups"):
        draw.polygon([(50, 100), (110, 100), (80, rng.randint(15, 40))], fill=_HORN)
    elif category == "rhino_horn_powder":
        draw.ellipse([40, 60, 120, 100], fill=(150, 140, 120))
    elif category in ("pangolin_scales", "live_pangolins"):
        for y in range(20, 100, 14):
            for x in range(20, 140, 16):
                draw.ellipse([x, y, x + 14, y + 12], fill=_SCALE, outline=(90, 60, 30))
    else:
        for _ in range(6):
            x, y = rng.randrange(w - 30), rng.randrange(h - 40)
            color = tuple(rng.randrange(40, 230) for _ in range(3))
            draw.rectangle([x, y, x + rng.randint(10, 40), y + rng.randint(10, 30)], fill=color)
    draw.text((4, h - 14), f"SYNTHETIC {category}", fill=(255, 0, 0))


def write_demo_images(folder: Path, seed: int = 0) -> list[Path]:
    """Draw every ``img/<category>_<k>.jpg`` the demo corpus uses under ``folder``.

    Point ``folder`` at the directory that holds the corpus file, so the relative media paths
    in the corpus resolve. Returns the paths written.
    """
    from PIL import Image, ImageDraw  # Pillow: only the demo's images need it

    rng = random.Random(seed)
    out = Path(folder) / "img"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for category in CATEGORIES:
        for k in range(IMAGES_PER_CATEGORY):
            background = tuple(rng.randrange(20, 120) for _ in range(3))
            image = Image.new("RGB", SIZE, background)
            _draw(ImageDraw.Draw(image), category, rng)
            exif = Image.Exif()
            exif[0x010E] = "SYNTHETIC wildsift demo image"  # ImageDescription
            exif[0x010F] = "wildsift-demo"  # Make
            if k % 3 == 0:
                exif[_GPS_IFD] = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 15.0)}
            path = out / f"{category}_{k:03d}.jpg"
            image.save(path, "JPEG", quality=80, exif=exif)
            written.append(path)
    return written + _write_ring_images(out, seed)


def _write_ring_images(out: Path, seed: int) -> list[Path]:
    """The pictures only one ring of sellers shows (demo/routes.py), from their own stream."""
    from PIL import Image, ImageDraw

    rng = random.Random(f"wildsift-demo-rings-{seed}")
    written = []
    for name in ring_images():
        image = Image.new("RGB", SIZE, tuple(rng.randrange(20, 230) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(9):
            x, y = rng.randrange(SIZE[0] - 20), rng.randrange(SIZE[1] - 20)
            draw.ellipse([x, y, x + rng.randint(12, 60), y + rng.randint(12, 50)],
                         fill=tuple(rng.randrange(0, 256) for _ in range(3)))
        draw.text((4, SIZE[1] - 14), "SYNTHETIC", fill=(255, 0, 0))
        path = out / Path(name).name
        image.save(path, "JPEG", quality=80)
        written.append(path)
    return written
