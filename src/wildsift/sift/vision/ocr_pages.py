"""The pictures Tesseract reads from one image: the crops around its text lines or the whole
prepared image, and thresholded variants of a page read poorly.

Text over a photo defeats Tesseract's global threshold: a crop read poorly is read again after a
local (adaptive) threshold in the polarity its text has; a whole image, in both. No blur: it
erases the diacritics of Vietnamese.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from wildsift.sift.vision.ocr import OcrOptions
from wildsift.sift.vision.tesseract_batch import Page
from wildsift.sift.vision.text_regions import find_text_regions


def page_images(path: Path | str | Image.Image, options: OcrOptions = OcrOptions()
                ) -> list[tuple[Image.Image, int, bool | None, bool]]:
    """The pictures to read from one image, with their psm: none when the detector sees no
    text, the crops around its text lines (enlarged or shrunk so that letters are about
    ``line_height`` px high; psm ``crop_psm``), or the whole prepared image (psm
    ``options.psm``) when the lines cover much of it or detection is off. The third item
    says whether a crop's letters are light on dark (None for a whole image), the fourth
    whether it is surely text (a whole image, or a crop of contrast >= ``clear_contrast``)."""
    gray = prepare(path, options, enlarge=False)
    if not options.detect:
        return [(_enlarged(gray, options), options.psm, None, True)]
    regions = find_text_regions(gray, options.regions)
    if not regions:
        return []
    if sum(r.area for r in regions) > options.whole_share:
        return [(_enlarged(gray, options), options.psm, None, True)]
    crops = []
    for region in sorted(regions, key=lambda r: (round(r.top, 2), r.left)):
        crop = gray.crop(region.pixels(*gray.size))
        line = max(1.0, region.line * gray.height)
        factor = min(3.0, max(0.5, options.line_height / line))
        if abs(factor - 1) > 0.1:
            crop = crop.resize((max(1, round(crop.width * factor)),
                                max(1, round(crop.height * factor))), Image.Resampling.LANCZOS)
        crops.append((crop, options.crop_psm, region.light,
                      region.score >= options.clear_contrast))
    return crops


def retry_variants(page: Page) -> list[Page]:
    """Thresholded variants of a page read poorly: for a crop, only the polarity its text
    has (light letters on a darker surround: inverted first); for a whole image, both."""
    if page.light is None:  # a whole image: letters of either polarity, anywhere
        return [Page(page.index, page.part, name, image, 6, page.languages)
                for name, image in (("dark", adaptive(page.image)),
                                    ("light", adaptive(ImageOps.invert(page.image))))]
    if page.light:
        return [Page(page.index, page.part, "light", adaptive(ImageOps.invert(page.image)),
                     page.psm, page.languages, True)]
    return [Page(page.index, page.part, "dark", adaptive(page.image), page.psm, page.languages,
                 False)]


def _enlarged(gray: Image.Image, options: OcrOptions) -> Image.Image:
    longest = max(gray.size)
    if 0 < longest < options.min_side:
        factor = min(3.0, options.min_side / longest)
        gray = gray.resize((round(gray.width * factor), round(gray.height * factor)),
                           Image.Resampling.LANCZOS)
    return gray


def prepare(path: Path | str | Image.Image, options: OcrOptions = OcrOptions(), *,
            enlarge: bool = True) -> Image.Image:
    """Grayscale on white, bounded (``max_side``; JPEGs decoded at the smallest scale that
    still covers it), enlarged when small (``enlarge``). No blur: it erases the diacritics of
    Vietnamese."""
    image = path if isinstance(path, Image.Image) else Image.open(path)
    if image.format == "JPEG" and image.mode in ("RGB", "L", "CMYK", "YCbCr"):
        image.draft("L", (options.max_side, options.max_side))
    image.load()
    if image.mode in ("P", "PA", "LA", "RGBA"):  # transparent areas read as white paper
        image = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    gray = image if image.mode == "L" else ImageOps.grayscale(image.convert("RGB"))
    if max(gray.size) > options.max_side:
        gray.thumbnail((options.max_side, options.max_side), Image.Resampling.LANCZOS)
    return _enlarged(gray, options) if enlarge else gray


def adaptive(gray: Image.Image, radius: int = 15, offset: int = 10) -> Image.Image:
    """Local threshold: dark pixels clearly below their neighbourhood's mean become black.
    Handles text over gradients and photos, where one global (Otsu) threshold fails; median
    filters before and after remove the photo's grain and the speckles it leaves."""
    smooth = gray.filter(ImageFilter.MedianFilter(3))
    pixels = np.asarray(smooth, dtype=np.int16)
    mean = np.asarray(smooth.filter(ImageFilter.BoxBlur(radius)), dtype=np.int16)
    binary = Image.fromarray(np.where(pixels < mean - offset, 0, 255).astype(np.uint8))
    return binary.filter(ImageFilter.MedianFilter(5))
