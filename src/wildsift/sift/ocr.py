"""OCR: reading the text painted into images (price lists, phone numbers over a photo).

An :class:`OcrEngine` reads a batch of image files and returns one :class:`OcrResult` each. The
default is :class:`TesseractOcr` (Tesseract from the system's packages, through pytesseract);
the study's languages pick its language packs (:data:`TESSERACT_CODES`). Why the work is shaped
as it is:

- Tesseract spends most of a call loading its models (about a second for seven languages), so a
  batch is read by *one* Tesseract process from a list file; each image is a page.
- Every image is bounded before Tesseract sees it (``max_side``), small ones are enlarged
  (Tesseract wants glyphs 20+ pixels high), and each batch has a timeout per image; an image that
  still times out is reported as an error, not retried forever.
- Text over a photo defeats Tesseract's global threshold, so an image read poorly on the plain
  pass is read again after a local (adaptive) threshold, dark-on-light and light-on-dark, and
  the best-scoring reading is kept (score: characters of the confident words).
- Words below ``min_confidence`` are dropped (noise in a photo reads as stray letters).
- Tesseract writes CJK and Thai with a space between characters; those are joined back.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from wildsift.errors import ModelError

log = logging.getLogger(__name__)

# Study languages (BCP-47, see study.KNOWN_LANGUAGES) -> Tesseract traineddata names.
TESSERACT_CODES = {
    "en": "eng", "zh-Hans": "chi_sim", "zh-Hant": "chi_tra", "vi": "vie", "th": "tha",
    "id": "ind", "ms": "msa", "ja": "jpn", "ko": "kor", "my": "mya", "lo": "lao", "km": "khm",
    "fr": "fra", "es": "spa", "pt": "por", "de": "deu", "ar": "ara", "sw": "swa", "ru": "rus",
    "it": "ita", "nl": "nld", "hi": "hin", "tl": "tgl",
}
# Scripts written without spaces between characters (CJK, kana, Thai, Lao, Khmer, Myanmar).
_UNSPACED = (r"\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u303f\u3040-\u30ff"
             r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef")
_ONE_CHAR_WORD = re.compile(rf"[{_UNSPACED}]")
_SPACED_OUT = re.compile(rf"(?<=[{_UNSPACED}])[ \t]+(?=[{_UNSPACED}])")


class OcrUnavailable(ModelError):
    """The OCR program or one of its language packs is not installed."""


def debian_package(code: str) -> str:
    """The Debian/Ubuntu package of a Tesseract language (``chi_sim`` -> tesseract-ocr-chi-sim)."""
    return "tesseract-ocr-" + code.lower().replace("_", "-")


def join_unspaced(text: str) -> str:
    """Remove the spaces Tesseract puts between CJK/Thai characters (象 牙 -> 象牙)."""
    return _SPACED_OUT.sub("", text)


@dataclass(frozen=True)
class OcrOptions:
    """Bounds and filters of one OCR run (one typed object, not a dozen keyword arguments)."""

    min_confidence: float = 45.0  # Tesseract word confidence 0-100; below it a word is dropped
    max_side: int = 2500  # longer sides are shrunk to this before reading
    min_side: int = 900  # images whose longer side is shorter are enlarged (at most 3x)
    timeout_s: float = 30.0  # per image
    retry_below: int = 12  # a plain reading scoring fewer confident characters is retried
    psm: int = 3  # Tesseract page segmentation of the plain pass (3: automatic)


@dataclass
class OcrResult:
    """The text read from one image (``None`` with ``error`` set when it could not be read)."""

    text: str | None
    confidence: float = 0.0  # mean confidence of the kept words, 0-100
    words: int = 0
    error: str | None = None
    variant: str = "plain"  # which reading was kept: plain, dark (adaptive), light (inverted)


@runtime_checkable
class OcrEngine(Protocol):
    """Reads text from image files; ``describe`` names engine, version and languages (it is
    stored with each image, so what read it can be traced)."""

    name: str

    @property
    def describe(self) -> str: ...

    def read_many(self, paths: Sequence[Path | str]) -> list[OcrResult]: ...


def tesseract_languages(study_languages: Sequence[str]) -> list[str]:
    """Tesseract codes of the study's languages, in order, without repeats (unknown: skipped)."""
    codes = [TESSERACT_CODES[lang] for lang in study_languages if lang in TESSERACT_CODES]
    return list(dict.fromkeys(codes))


def install_hint(codes: Sequence[str]) -> str:
    packages = " ".join(debian_package(c) for c in codes)
    return (f"install the Tesseract language pack(s): `sudo apt-get install {packages}` "
            "(Debian/Ubuntu), `brew install tesseract tesseract-lang` (macOS), or tick them in "
            "the UB Mannheim Tesseract installer (Windows); see docs/images.md")


@dataclass
class _Page:
    """One prepared image (or a variant of it) as a page of a Tesseract batch."""

    index: int
    variant: str
    image: Image.Image
    words: list[tuple[tuple[int, int, int], str, float]] = field(default_factory=list)

    def result(self) -> OcrResult:
        lines: dict[tuple[int, int, int], list[str]] = {}
        for key, word, _ in self.words:
            lines.setdefault(key, []).append(word)
        text = "\n".join(" ".join(ws) for _, ws in sorted(lines.items()))
        confs = [c for *_, c in self.words]
        return OcrResult(join_unspaced(text), float(np.mean(confs)) if confs else 0.0,
                         len(self.words), variant=self.variant)

    def score(self) -> int:
        """Characters of the words that look like words (2+ characters, or a CJK/Thai one):
        a grainy photo read as stray single letters scores low."""
        return sum(len(w) for _, w, _ in self.words if len(w) > 1 or _SPACED_OUT.pattern
                   and re.match(f"[{_UNSPACED}]", w))


class TesseractOcr:
    """Tesseract through pytesseract, with the installed packs of the study's languages.

    ``languages``: study language codes (``zh-Hans``, ``vi``, ...) or Tesseract codes
    (``chi_sim``); missing packs are skipped with a warning, or refused when ``strict``.
    """

    name = "tesseract"

    def __init__(self, languages: Sequence[str] = ("en",), *, options: OcrOptions = OcrOptions(),
                 strict: bool = False):
        import pytesseract

        self._tess = pytesseract
        self.options = options
        try:
            self.version = str(pytesseract.get_tesseract_version())
            installed = set(pytesseract.get_languages(config=""))
        except pytesseract.TesseractNotFoundError as error:
            raise OcrUnavailable(
                "the tesseract program is not installed or not on PATH: `sudo apt-get install "
                "tesseract-ocr` (Debian/Ubuntu), `brew install tesseract` (macOS), the UB "
                "Mannheim installer (Windows); see docs/images.md") from error
        wanted = list(dict.fromkeys(TESSERACT_CODES.get(lang, lang) for lang in languages))
        missing = [c for c in wanted if c not in installed]
        self.languages = tuple(c for c in wanted if c in installed)
        if missing and (strict or not self.languages):
            raise OcrUnavailable(f"Tesseract cannot read {', '.join(missing)}: "
                                 + install_hint(missing))
        if missing:
            log.warning("OCR without %s: %s", ", ".join(missing), install_hint(missing))
        self.missing = tuple(missing)

    @property
    def describe(self) -> str:
        return f"tesseract {self.version} {'+'.join(self.languages)}"

    # -- reading -----------------------------------------------------------------------------
    def read_many(self, paths: Sequence[Path | str]) -> list[OcrResult]:
        """One result per path, in order; a file that cannot be opened or read gets an error."""
        results: list[OcrResult | None] = [None] * len(paths)
        pages: list[_Page] = []
        for index, path in enumerate(paths):
            try:
                pages.append(_Page(index, "plain", prepare(path, self.options)))
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                results[index] = OcrResult(None, error=f"unreadable image: {error}")
        self._read(pages, self.options.psm)
        best = {page.index: page for page in pages}
        weak = [page for page in pages if page.score() < self.options.retry_below
                and page.variant != "error"]
        retries = [_Page(p.index, name, variant) for p in weak
                   for name, variant in (("dark", adaptive(p.image)),
                                         ("light", adaptive(ImageOps.invert(p.image))))]
        self._read(retries, 6)  # one block: the speckles left are too small to be lines
        for page in retries:
            if page.variant != "error" and page.score() > best[page.index].score():
                best[page.index] = page
        for index, page in best.items():
            results[index] = (OcrResult(None, error=page.words[0][1]) if page.variant == "error"
                              else page.result())
        return [r if r is not None else OcrResult(None, error="not read") for r in results]

    def _read(self, pages: list[_Page], psm: int) -> None:
        """Fill each page's words: the whole batch in one Tesseract run, else one by one."""
        if not pages:
            return
        if len(pages) > 1:
            try:
                self._run(pages, psm)
                return
            except (RuntimeError, ValueError, self._tess.TesseractError) as error:
                log.info("OCR batch failed (%s); reading its %d images one by one", error,
                         len(pages))
        for page in pages:
            try:
                self._run([page], psm)
            except (RuntimeError, ValueError, self._tess.TesseractError) as error:
                reason = (f"timeout after {self.options.timeout_s:.0f} s"
                          if "timeout" in str(error).lower() else f"tesseract failed: {error}")
                page.variant, page.words = "error", [((0, 0, 0), reason, 0.0)]

    def _run(self, pages: list[_Page], psm: int) -> None:
        with tempfile.TemporaryDirectory(prefix="wildsift-ocr-") as folder:
            names = []
            for number, page in enumerate(pages):
                name = Path(folder) / f"{number:05d}.png"
                page.image.save(name, format="PNG")
                names.append(str(name))
            listing = Path(folder) / "pages.txt"
            listing.write_text("\n".join(names) + "\n", encoding="utf-8")
            data = self._tess.image_to_data(
                str(listing), lang="+".join(self.languages), config=f"--psm {psm}",
                timeout=self.options.timeout_s * len(pages),
                output_type=self._tess.Output.DICT)
        numbers = {int(n) for n in data["page_num"]}
        if numbers != set(range(1, len(pages) + 1)):
            raise ValueError(f"Tesseract returned pages {sorted(numbers)[:5]}.. for "
                             f"{len(pages)} images")
        for page in pages:
            page.words = []
        for i, word in enumerate(data["text"]):
            conf = float(data["conf"][i])
            word = word.strip() if word else ""
            if conf < self.options.min_confidence or not any(c.isalnum() for c in word):
                continue  # unsure, or punctuation alone (grain in a photo)
            key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
            pages[int(data["page_num"][i]) - 1].words.append((key, word, conf))


# -- preprocessing ---------------------------------------------------------------------------
def prepare(path: Path | str | Image.Image, options: OcrOptions = OcrOptions()) -> Image.Image:
    """Grayscale on white, bounded (``max_side``), enlarged when small. No blur: it erases
    the diacritics of Vietnamese."""
    image = path if isinstance(path, Image.Image) else Image.open(path)
    image.load()
    if image.mode in ("P", "PA", "LA", "RGBA"):  # transparent areas read as white paper
        image = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    gray = ImageOps.grayscale(image.convert("RGB"))
    longest = max(gray.size)
    if longest > options.max_side:
        gray.thumbnail((options.max_side, options.max_side), Image.Resampling.LANCZOS)
    elif 0 < longest < options.min_side:
        factor = min(3.0, options.min_side / longest)
        gray = gray.resize((round(gray.width * factor), round(gray.height * factor)),
                           Image.Resampling.LANCZOS)
    return gray


def adaptive(gray: Image.Image, radius: int = 15, offset: int = 10) -> Image.Image:
    """Local threshold: dark pixels clearly below their neighbourhood's mean become black.
    Handles text over gradients and photos, where one global (Otsu) threshold fails; median
    filters before and after remove the photo's grain and the speckles it leaves."""
    smooth = gray.filter(ImageFilter.MedianFilter(3))
    pixels = np.asarray(smooth, dtype=np.int16)
    mean = np.asarray(smooth.filter(ImageFilter.BoxBlur(radius)), dtype=np.int16)
    binary = Image.fromarray(np.where(pixels < mean - offset, 0, 255).astype(np.uint8))
    return binary.filter(ImageFilter.MedianFilter(5))
