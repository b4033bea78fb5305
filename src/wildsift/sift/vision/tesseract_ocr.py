"""OCR with Tesseract: reading the text painted into images (price lists, phone numbers over a
photo), in bounded batches.

:class:`TesseractOcr` is the default :class:`~wildsift.sift.vision.ocr.OcrEngine`; the study's
languages pick its language packs (:data:`~wildsift.sift.vision.ocr.TESSERACT_CODES`), and each
image's post narrows them. Why the work is shaped as it is (measured on real photos:
docs/benchmarks.md, "Images: OCR"):

- Most photos in posts hold no text, and Tesseract takes as long to find nothing in a photo
  as to read a price list. A cheap detector (:mod:`wildsift.sift.vision.text_regions`, numpy and
  scipy on a small grayscale copy) looks first: a photo without text lines never reaches
  Tesseract, and of one with text only crops around the lines are read.
- Paths are read in bounded batches (``batch_size``) from a generator: memory does not grow
  with the number of images, and while Tesseract reads one batch the next is decoded.
- Tesseract spends much of a call loading its models, so a batch's pages are read by few
  processes from list files, ``workers`` at a time (one per core, ``OMP_THREAD_LIMIT=1``).
- Fewer packs read faster and better: an image is read with its post's language (+ eng), not
  all of the study's, when the caller knows it.
- Text over a photo defeats Tesseract's global threshold: a crop read poorly is read again
  after a local (adaptive) threshold in the polarity its text has; a whole image, in both.
  The best-scoring reading is kept (score: characters of the confident words).
- Words below ``min_confidence`` are dropped (noise in a photo reads as stray letters).
- Tesseract writes CJK and Thai with a space between characters; those are joined back.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from wildsift.sift.vision.ocr import (
    TESSERACT_CODES,
    OcrOptions,
    OcrResult,
    OcrUnavailable,
    install_hint,
)
from wildsift.sift.vision.ocr_pages import page_images, retry_variants
from wildsift.sift.vision.tesseract_batch import Page, TesseractRun, mean_confidence

log = logging.getLogger(__name__)


class TesseractOcr:
    """Tesseract with the installed packs of the study's languages, reading in bounded batches.

    ``languages``: study language codes (``zh-Hans``, ``vi``, ...) or Tesseract codes
    (``chi_sim``); missing packs are skipped with a warning, or refused when ``strict``.
    ``stats`` counts what the detector skipped and what was read, retried and won.
    """

    name = "tesseract"

    def __init__(self, languages: Sequence[str] = ("en",), *, options: OcrOptions = OcrOptions(),
                 strict: bool = False):
        import pytesseract

        self._tess = pytesseract
        self.options = options
        self.stats = OcrStats()
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
        self._fallback = ("eng",) if "eng" in installed else ()
        self._detectors: ThreadPoolExecutor | None = None  # made on first use

    def __getstate__(self) -> dict:
        """What another process (a Ray actor) gets: the settings; pytesseract is imported
        there again rather than pickled, and the thread pool is made there on first use."""
        state = {key: value for key, value in self.__dict__.items() if key != "_tess"}
        return {**state, "_detectors": None}

    def __setstate__(self, state: dict) -> None:
        import pytesseract

        self.__dict__.update(state)
        self._tess = pytesseract

    @property
    def describe(self) -> str:
        return f"tesseract {self.version} {'+'.join(self.languages)}"

    def languages_for(self, hint: Sequence[str] | None) -> tuple[str, ...]:
        """The packs to read an image with: its post's languages (+ eng) where installed and
        among the study's, else all the study's packs."""
        if not hint:
            return self.languages
        codes = [TESSERACT_CODES.get(code, code) for lang in hint
                 for code in (("zh-Hans", "zh-Hant") if lang == "zh" else (lang,))]
        chosen = [c for c in self.languages if c in codes]
        if not chosen:
            return self.languages
        return tuple(dict.fromkeys([*chosen, *self._fallback]))

    # -- reading -----------------------------------------------------------------------------
    def read_many(self, paths: Iterable[Path | str],
                  languages: Iterable[Sequence[str] | None] | None = None) -> list[OcrResult]:
        """One result per path, in order (see :meth:`iter_read`; the list holds only the
        results, never the images: callers may delete the files once it returns)."""
        return list(self.iter_read(paths, languages))

    def iter_read(self, paths: Iterable[Path | str],
                  languages: Iterable[Sequence[str] | None] | None = None
                  ) -> Iterator[OcrResult]:
        """One result per path, in order, as a generator; a file that cannot be opened or read
        gets an error. ``languages``: per path, the languages of its post (None: the study's).

        Paths are taken ``batch_size`` at a time: while Tesseract reads one batch, the next is
        decoded and searched for text (so at most one batch beyond the one being yielded is
        consumed, and memory does not grow with the number of images)."""
        hints = iter(languages) if languages is not None else itertools.repeat(None)
        pending: _Batch | None = None
        try:
            for chunk in _batched(zip(paths, hints), max(1, self.options.batch_size)):
                batch = self._prepare(chunk)
                if pending is not None:
                    yield from self._finish(pending)
                self._launch(batch, batch.pages)
                pending = batch
            if pending is not None:
                yield from self._finish(pending)
        finally:  # abandoned or failed: no tesseract left running, no files left behind
            if pending is not None:
                for run in pending.running:
                    run.cancel()

    def _prepare(self, chunk: list[tuple[Path | str, Sequence[str] | None]]) -> _Batch:
        batch = _Batch(results=[None] * len(chunk))
        for index, ((path, hint), found) in enumerate(zip(chunk, self._detect_all(chunk))):
            self.stats.images += 1
            if isinstance(found, Exception):
                batch.results[index] = OcrResult(None, error=f"unreadable image: {found}")
                continue
            pages = found
            if not pages:
                self.stats.no_text += 1
                batch.results[index] = OcrResult("", variant="no-text")
                continue
            langs = self.languages_for(hint)
            batch.pages += [Page(index, part, "plain", image, psm, langs, light, clear)
                            for part, (image, psm, light, clear) in enumerate(pages)]
        self.stats.pages += len(batch.pages)
        return batch

    def _detect_all(self, chunk: list[tuple[Path | str, Sequence[str] | None]]
                    ) -> list[list | Exception]:
        """Decode and search each image of a chunk, ``workers`` at a time in threads (Pillow's
        decoder and the detector's numpy/scipy work release the GIL): alone on the main
        thread this was the slowest step, leaving a core idle while Tesseract waited."""
        def detect(path: Path | str) -> list | Exception:
            try:
                return page_images(path, self.options)
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                return error

        paths = [path for path, _ in chunk]
        if self.options.workers < 2 or len(paths) < 2:
            return [detect(path) for path in paths]
        if self._detectors is None:
            self._detectors = ThreadPoolExecutor(self.options.workers,
                                                 thread_name_prefix="ocr-detect")
        return list(self._detectors.map(detect, paths))

    def _launch(self, batch: _Batch, pages: list[Page]) -> None:
        """Queue runs: one per language set and psm, split in ``workers`` parts when there are
        pages enough; at most ``workers`` processes run at once."""
        groups: dict[tuple[tuple[str, ...], int], list[Page]] = {}
        for page in pages:
            groups.setdefault((page.languages, page.psm), []).append(page)
        workers = max(1, self.options.workers)
        for group in groups.values():
            parts = max(1, min(workers, len(group) // self.options.min_pages_per_run))
            batch.queue += [group[i::parts] for i in range(parts)]
        self._start(batch)

    def _start(self, batch: _Batch) -> None:
        while batch.queue and sum(not r.done() for r in batch.running) < self.options.workers:
            pages = batch.queue.pop(0)
            try:
                batch.running.append(TesseractRun(
                    self._tess.pytesseract.tesseract_cmd, pages,
                    min_confidence=self.options.min_confidence, timeout_s=self.options.timeout_s))
                self.stats.runs += 1
            except OSError as error:
                for page in pages:
                    page.error = f"tesseract failed: {error}"

    def _wait(self, batch: _Batch) -> None:
        """Finish every queued run; a failed run's pages are read one by one."""
        while batch.queue or batch.running:
            self._start(batch)
            run = next((r for r in batch.running if r.done()), None)
            if run is None:
                run = batch.running[0] if not batch.queue else None
                if run is None:
                    time.sleep(0.01)
                    continue
            batch.running.remove(run)
            try:
                run.finish()
            except (RuntimeError, ValueError, OSError) as error:
                self._one_by_one(run.pages, error)

    def _one_by_one(self, pages: list[Page], error: Exception) -> None:
        if len(pages) > 1:
            log.info("OCR batch failed (%s); reading its %d pages one by one", error, len(pages))
        for page in pages:
            try:
                single = TesseractRun(self._tess.pytesseract.tesseract_cmd, [page],
                                      min_confidence=self.options.min_confidence,
                                      timeout_s=self.options.timeout_s)
                single.finish()
            except (RuntimeError, ValueError, OSError) as failure:
                page.error = (f"timeout after {self.options.timeout_s:.0f} s"
                              if "timeout" in str(failure).lower()
                              else f"tesseract failed: {failure}")

    def _retry(self, page: Page) -> bool:
        """A page read poorly is read again thresholded; a crop read as nothing is not (the
        detector's false alarms on texture are most of those, and their retries read noise).
        (Separately, a clear page read poorly in its post's languages is read again in all of
        the study's: a Vietnamese seller may show a Chinese price list.)"""
        if page.error is not None:
            return False
        score = page.score()
        crop_empty = page.light is not None and score == 0 and not self.options.retry_empty_crops
        return score < self.options.retry_below and not crop_empty

    def _finish(self, batch: _Batch) -> Iterator[OcrResult]:
        self._wait(batch)
        best = {(p.index, p.part): p for p in batch.pages}
        retries = [variant for page in batch.pages if self._retry(page)
                   for variant in retry_variants(page)]
        retries += [Page(p.index, p.part, p.variant, p.image, p.psm, self.languages, p.light)
                    for p in batch.pages if p.error is None and p.languages != self.languages
                    and p.clear and p.score() < self.options.retry_below]
        if retries:
            self.stats.retried += len(retries)
            self._launch(batch, retries)
            self._wait(batch)
            for page in retries:
                key = (page.index, page.part)
                if page.error is None and page.score() > best[key].score():
                    best[key], self.stats.retry_wins = page, self.stats.retry_wins + 1
        by_image: dict[int, list[Page]] = {}
        for (index, _), page in sorted(best.items()):
            by_image.setdefault(index, []).append(page)
        for index, pages in by_image.items():
            batch.results[index] = _result(pages)
        for result in batch.results:
            yield result if result is not None else OcrResult(None, error="not read")


@dataclass
class OcrStats:
    """What an engine did (for benchmarks and logs)."""

    images: int = 0
    no_text: int = 0  # the detector found no text: never sent to Tesseract
    pages: int = 0  # crops and whole images read
    retried: int = 0  # thresholded variants read again
    retry_wins: int = 0  # ... that read more than the plain page
    runs: int = 0  # tesseract processes started

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class _Batch:
    results: list[OcrResult | None]
    pages: list[Page] = field(default_factory=list)
    queue: list[list[Page]] = field(default_factory=list)
    running: list[TesseractRun] = field(default_factory=list)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _result(pages: list[Page]) -> OcrResult:
    """One image's result from its pages (crops top to bottom); an error only when every page
    failed."""
    good = [p for p in pages if p.error is None]
    if not good:
        return OcrResult(None, error=pages[0].error)
    words = [w for p in good for w in p.words]
    text = "\n".join(t for t in (p.text() for p in good) if t)
    variants = [p.variant for p in good if p.variant != "plain" and p.words]
    return OcrResult(text, mean_confidence(words), len(words),
                     variant=variants[0] if variants else "plain")
