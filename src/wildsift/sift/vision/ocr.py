"""OCR: the contract every engine keeps, its options and results, and the language packs.

An :class:`OcrEngine` reads image files and yields one :class:`OcrResult` each, in order. The
default is :class:`~wildsift.sift.vision.tesseract_ocr.TesseractOcr` (Tesseract from the system's
packages); the study's languages pick its language packs (:data:`TESSERACT_CODES`). How pages are
prepared for it is in :mod:`wildsift.sift.vision.ocr_pages`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from wildsift.errors import ModelError
from wildsift.sift.vision.text_regions import RegionOptions

# Study languages (BCP-47, see study.KNOWN_LANGUAGES) -> Tesseract traineddata names.
TESSERACT_CODES = {
    "en": "eng", "zh-Hans": "chi_sim", "zh-Hant": "chi_tra", "vi": "vie", "th": "tha",
    "id": "ind", "ms": "msa", "ja": "jpn", "ko": "kor", "my": "mya", "lo": "lao", "km": "khm",
    "fr": "fra", "es": "spa", "pt": "por", "de": "deu", "ar": "ara", "sw": "swa", "ru": "rus",
    "it": "ita", "nl": "nld", "hi": "hin", "tl": "tgl",
}


class OcrUnavailable(ModelError):
    """The OCR program or one of its language packs is not installed."""


def debian_package(code: str) -> str:
    """The Debian/Ubuntu package of a Tesseract language (``chi_sim`` -> tesseract-ocr-chi-sim)."""
    return "tesseract-ocr-" + code.lower().replace("_", "-")


@dataclass(frozen=True)
class OcrOptions:
    """Bounds and filters of one OCR run (one typed object, not a dozen keyword arguments)."""

    min_confidence: float = 45.0  # Tesseract word confidence 0-100; below it a word is dropped
    max_side: int = 2500  # longer sides are shrunk to this before reading
    min_side: int = 900  # whole images whose longer side is shorter are enlarged (at most 3x)
    timeout_s: float = 30.0  # per page
    retry_below: int = 12  # a plain reading scoring fewer confident characters is retried
    retry_empty_crops: bool = False  # retry crops read as nothing (measured: +40% time, no gain)
    psm: int = 3  # Tesseract page segmentation of a whole image (3: automatic)
    batch_size: int = 32  # images decoded, searched and read together
    workers: int = 2  # tesseract processes at once (one per core)
    min_pages_per_run: int = 4  # a group of pages is split over workers only above this
    detect: bool = True  # look for text lines first; False: read every whole image
    whole_share: float = 0.5  # lines covering more of the image: read it whole
    line_height: int = 32  # crops are scaled so that a text line is about this high (px)
    crop_psm: int = 6  # page segmentation of a crop (6: one block of text)
    clear_contrast: float = 150.0  # a crop this contrasted is surely text (see _retry)
    regions: RegionOptions = RegionOptions()


@dataclass
class OcrResult:
    """The text read from one image (``None`` with ``error`` set when it could not be read)."""

    text: str | None
    confidence: float = 0.0  # mean confidence of the kept words, 0-100
    words: int = 0
    error: str | None = None
    variant: str = "plain"  # reading kept: plain, dark (adaptive), light (inverted), no-text


@runtime_checkable
class OcrEngine(Protocol):
    """Reads text from image files, one result per path in order;
    ``languages`` optionally gives each path its post's languages. ``describe`` names engine,
    version and languages (it is stored with each image, so what read it can be traced)."""

    name: str

    @property
    def describe(self) -> str: ...

    def read_many(self, paths: Iterable[Path | str],
                  languages: Iterable[Sequence[str] | None] | None = None
                  ) -> list[OcrResult]: ...


def tesseract_languages(study_languages: Sequence[str]) -> list[str]:
    """Tesseract codes of the study's languages, in order, without repeats (unknown: skipped)."""
    codes = [TESSERACT_CODES[lang] for lang in study_languages if lang in TESSERACT_CODES]
    return list(dict.fromkeys(codes))


def install_hint(codes: Sequence[str]) -> str:
    packages = " ".join(debian_package(c) for c in codes)
    return (f"install the Tesseract language pack(s): `sudo apt-get install {packages}` "
            "(Debian/Ubuntu), `brew install tesseract tesseract-lang` (macOS), or tick them in "
            "the UB Mannheim Tesseract installer (Windows); see docs/images.md")
