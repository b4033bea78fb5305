"""Where a photo may hold text: cheap boxes to crop before OCR, most photos having none.

Tesseract spends about as long deciding that a grainy photo holds no text as reading a price
list, and most photos in posts hold none; so each image is first looked at small (longer side
``side`` px, JPEGs decoded at that scale by Pillow's draft mode), with numpy and scipy only (no
OpenCV: the default install has none):

1. stroke maps, one per polarity: a white top-hat (the image minus its grey opening with a
   ``stroke`` px square) keeps light structures thinner than that square, i.e. the strokes of
   light letters; a black top-hat, those of dark letters. Large bright or dark areas (sky,
   stones, fur tufts) and soft shading vanish;
2. stroke pixels stronger than ``edge`` are joined along rows (closing with a 1 x ``gap``
   bar): the letters of a word or line melt into one wide, short component;
3. a component is kept as a text line when it is clearly wider than tall (``min_aspect``),
   not too tall, fills its box (``min_fill``: a line of letters after joining is nearly a
   solid bar; texture is ragged), is dense in strokes (``min_density``) and its strokes stand
   out strongly (median top-hat >= ``min_contrast``).

Boxes are padded, merged where they overlap and ranked by contrast; at most
``max_regions`` are returned, as fractions of the image's width and height, so the caller
crops them from the image at whatever scale it reads. The thresholds were set on real photos
with painted text (benchmarks/bench_ocr_real.py); they favour recall: a false box only costs
Tesseract a small crop, a missed one loses the text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage as ndi


@dataclass(frozen=True)
class RegionOptions:
    """Thresholds of the detector (pixels at the detection scale, ``side`` on the longer side)."""

    side: int = 800
    stroke: int = 11  # strokes thinner than this (px) are kept by the top-hat
    edge: int = 50  # top-hat response (0-255) of a stroke pixel
    gap: int = 7  # letters closer than this along a row join into one line
    min_height: int = 8
    max_height_share: float = 0.3  # of the image's height
    min_aspect: float = 2.0  # width / height of a line
    min_fill: float = 0.4  # share of the box the joined component covers
    min_density: float = 0.25  # share of the box that is stroke pixels
    min_contrast: float = 95.0  # median top-hat response of the stroke pixels
    max_regions: int = 4
    pad_y: float = 0.6  # of the line's height, above and below
    pad_x: float = 3.0  # of the line's height, left and right (a line fading into the photo)


@dataclass(frozen=True)
class Region:
    """A box as fractions (0-1) of the image's width and height, with a detector score."""

    top: float
    left: float
    bottom: float
    right: float
    score: float = 0.0
    line: float = 0.0  # height of its (smallest) text line, as a fraction of the image's height
    light: bool = False  # light letters on a darker surround

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in an image of that size, for ``Image.crop``."""
        return (max(0, int(self.left * width)), max(0, int(self.top * height)),
                min(width, int(np.ceil(self.right * width))),
                min(height, int(np.ceil(self.bottom * height))))

    @property
    def area(self) -> float:
        return (self.bottom - self.top) * (self.right - self.left)


def small_gray(image: Image.Image, side: int) -> np.ndarray:
    """The image as grayscale uint8, shrunk to ``side`` px on its longer side (not enlarged)."""
    gray = image if image.mode == "L" else image.convert("L")
    if max(gray.size) > side:
        gray = gray.copy()
        gray.thumbnail((side, side), Image.Resampling.BILINEAR)
    return np.asarray(gray)


def find_text_regions(image: Image.Image | np.ndarray,
                      options: RegionOptions = RegionOptions()) -> list[Region]:
    """Boxes that may hold a line of text, best first (empty: nothing worth reading)."""
    a = image if isinstance(image, np.ndarray) else small_gray(image, options.side)
    boxes: list[_Box] = []
    for scale in (1, 2):  # large letters are found at half size, where they are small
        small = a if scale == 1 else _half(a)
        height, width = small.shape
        if height < 2 * options.min_height or width < 2 * options.min_height:
            continue
        for light in (True, False):
            boxes += [(score, t / height, left / width, b / height, r / width, line / height,
                       lt) for score, t, left, b, r, line, lt in _lines(small, light, options)]
    merged = _merge(boxes)[:options.max_regions]
    return [Region(t, left, b, r, score, line, bool(light))
            for score, t, left, b, r, line, light in merged]


def _half(a: np.ndarray) -> np.ndarray:
    h, w = a.shape[0] // 2 * 2, a.shape[1] // 2 * 2
    return a[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3)).astype(np.uint8)


def _lines(a: np.ndarray, light: bool, options: RegionOptions) -> list[_Box]:
    """Text-line boxes of one polarity (light letters on a darker surround, or dark)."""
    height, width = a.shape
    size = (options.stroke, options.stroke)
    if light:
        tophat = a.astype(np.int16) - ndi.grey_opening(a, size=size)
    else:
        tophat = ndi.grey_closing(a, size=size).astype(np.int16) - a
    strokes = tophat > options.edge
    joined = ndi.binary_closing(strokes, structure=np.ones((1, options.gap), bool))
    labels, count = ndi.label(joined)
    if count == 0:
        return []
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    boxes: list[_Box] = []
    for number, box in enumerate(ndi.find_objects(labels), 1):
        h, w = box[0].stop - box[0].start, box[1].stop - box[1].start
        if (h < options.min_height or h > height * options.max_height_share
                or w < options.min_aspect * h or areas[number] < options.min_fill * h * w):
            continue
        inside = strokes[box]
        if inside.mean() < options.min_density:
            continue
        contrast = float(np.median(tophat[box][inside]))
        if contrast < options.min_contrast:
            continue
        py, px = int(options.pad_y * h) + 2, int(options.pad_x * h) + 2
        boxes.append((contrast, max(0, box[0].start - py), max(0, box[1].start - px),
                      min(height, box[0].stop + py), min(width, box[1].stop + px), h,
                      int(light)))
    return boxes


# score, top, left, bottom, right, line height (pixels, or fractions of the image's height
# and width once gathered), light (1) or dark (0) letters
_Box = tuple[float, float, float, float, float, float, int]


def _merge(boxes: list[_Box]) -> list[_Box]:
    """Overlapping boxes become their union (lines of one price list: one crop), best first."""
    boxes = sorted(boxes, reverse=True)
    changed = True
    while changed:
        changed = False
        out: list[_Box] = []
        for box in boxes:
            for i, other in enumerate(out):
                if (box[1] < other[3] and other[1] < box[3] and box[2] < other[4]
                        and other[2] < box[4]):
                    out[i] = (max(box[0], other[0]), min(box[1], other[1]),
                              min(box[2], other[2]), max(box[3], other[3]),
                              max(box[4], other[4]), min(box[5], other[5]),
                              box[6] if box[0] >= other[0] else other[6])
                    changed = True
                    break
            else:
                out.append(box)
        boxes = out
    return sorted(boxes, reverse=True)
