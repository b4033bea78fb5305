"""Pages and the Tesseract processes that read them (used by :mod:`wildsift.sift.vision.ocr`).

A *page* is one picture Tesseract reads: a whole prepared image, a crop around a text line,
or a thresholded variant of either. A :class:`TesseractRun` writes its pages to a temporary
folder with a list file and starts *one* ``tesseract`` process on them without waiting
(model loading costs more than reading a crop, so pages are read in bulk; and the caller can
prepare the next batch meanwhile). ``OMP_THREAD_LIMIT=1`` is set for that process only: the
caller runs one process per core, and OpenMP threads inside each would only fight over them.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

# Scripts written without spaces between characters (CJK, kana, Thai, Lao, Khmer, Myanmar).
UNSPACED = (r"\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u303f\u3040-\u30ff"
            r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef")
ONE_CHAR_WORD = re.compile(rf"[{UNSPACED}]")
SPACED_OUT = re.compile(rf"(?<=[{UNSPACED}])[ \t]+(?=[{UNSPACED}])")

Word = tuple[tuple[int, int, int], str, float]  # (block, paragraph, line), text, confidence


def join_unspaced(text: str) -> str:
    """Remove the spaces Tesseract puts between CJK/Thai characters (象 牙 -> 象牙)."""
    return SPACED_OUT.sub("", text)


@dataclass
class Page:
    """One picture for Tesseract: image ``index`` of the batch, its ``part`` (crop number),
    which ``variant`` (plain, dark, light), the page segmentation mode and the languages."""

    index: int
    part: int
    variant: str
    image: Image.Image
    psm: int
    languages: tuple[str, ...]
    light: bool | None = None  # light letters on a dark surround (None: a whole image)
    clear: bool = True  # surely text (a whole image, or a crop of high contrast)
    words: list[Word] = field(default_factory=list)
    error: str | None = None

    def text(self) -> str:
        lines: dict[tuple[int, int, int], list[str]] = {}
        for key, word, _ in self.words:
            lines.setdefault(key, []).append(word)
        return join_unspaced("\n".join(" ".join(ws) for _, ws in sorted(lines.items())))

    def score(self) -> int:
        """Characters of the words that look like words (2+ characters, or a CJK/Thai one):
        a grainy photo read as stray single letters scores low."""
        return sum(len(w) for _, w, _ in self.words if len(w) > 1 or ONE_CHAR_WORD.match(w))


class TesseractRun:
    """One ``tesseract`` process over a list of pages (same languages and psm), started at
    once; :meth:`finish` waits and fills each page's words, or raises ``RuntimeError``."""

    def __init__(self, command: str, pages: list[Page], *, min_confidence: float,
                 timeout_s: float):
        self.pages, self.min_confidence = pages, min_confidence
        self.folder = Path(tempfile.mkdtemp(prefix="wildsift-ocr-"))
        names = []
        for number, page in enumerate(pages):
            name = self.folder / f"{number:05d}.png"
            page.image.save(name, format="PNG", compress_level=1)
            names.append(str(name))
        listing = self.folder / "pages.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        self.deadline = time.monotonic() + timeout_s * len(pages)
        self._stderr = open(self.folder / "stderr.txt", "wb")  # noqa: SIM115 - closed in finish
        self.process = subprocess.Popen(
            [command, str(listing), str(self.folder / "out"), "-l", "+".join(pages[0].languages),
             "--psm", str(pages[0].psm), "tsv"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr, env=env)

    def done(self) -> bool:
        return self.process.poll() is not None

    def cancel(self) -> None:
        """Stop the process and remove its files (the reader was abandoned)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def finish(self) -> None:
        try:
            try:
                code = self.process.wait(max(0.1, self.deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise RuntimeError("timeout") from None
            self._stderr.close()
            if code != 0:
                message = (self.folder / "stderr.txt").read_text("utf-8", "replace").strip()
                raise RuntimeError(f"tesseract exited {code}: {message[-300:]}")
            self._parse(self.folder / "out.tsv")
        finally:
            self._stderr.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _parse(self, tsv: Path) -> None:
        for page in self.pages:
            page.words = []
        seen: set[int] = set()
        with tsv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                number = int(row["page_num"])
                seen.add(number)
                word = (row.get("text") or "").strip()
                conf = float(row["conf"])
                if conf < self.min_confidence or not any(c.isalnum() for c in word):
                    continue  # unsure, or punctuation alone (grain in a photo)
                key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
                self.pages[number - 1].words.append((key, word, conf))
        if not seen <= set(range(1, len(self.pages) + 1)):
            raise RuntimeError(f"tesseract returned pages {sorted(seen)[:5]}.. for "
                               f"{len(self.pages)} images")


def mean_confidence(words: list[Word]) -> float:
    return float(np.mean([c for *_, c in words])) if words else 0.0
