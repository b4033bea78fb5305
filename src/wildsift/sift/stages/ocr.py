"""The OCR image stage, and the OCR text of each post for the text model.

:class:`OcrStage` fills ``images.ocr_text`` and ``images.ocr_engine``. The text is redacted
*before* it is stored, with the study's redactor (the same tokens as post text: a phone number
painted over a picture becomes ``<PHONE:ab12cd>``, and the same number in an ad's text gets the
same token). OCR garbles separators, so after the redactor a last guard turns any remaining run
of 9+ digits that is not a grouped amount (``150.000.000``) into a phone token: a number the
phone parser missed must still never be stored.

Each image is read with the languages of the posts that show it (``zh-Hans`` -> chi_sim + eng)
when they are known, not with all of the study's: fewer packs read faster and mistake less. The
stage declares ``languages`` among its optional reads and the store serves it
(``store.picture_languages``), so the stage holds no store and runs in a Ray actor too.

``ocr_engine`` records engine, version and languages, also for an image with no text (its
``ocr_text`` is then empty), so no image is read twice; an image that could not be read records
``... error: <why>`` with ``ocr_text`` NULL, and the reason in the ``error`` column the engine
counts (not stored).

The store serves post stages the OCR text of each post's images (in their order, repeats
removed) as the declared read ``ocr_text`` (``store.images.post_reads``), in a sift and to the
training posts.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

import pandas as pd

from wildsift.privacy.ingest import Protector
from wildsift.privacy.redact import TOKEN_RE, Redactor
from wildsift.sift.vision.ocr import OcrEngine
from wildsift.sift.vision.tesseract_ocr import TesseractOcr

# 9+ digits with the separators OCR leaves between them; grouped amounts are not phones.
_DIGITS = re.compile(r"(?<![\d])\+?\d(?:[ .\-\u2013()/:;,'`\u2018\u2019\u00b7|_]{0,2}\d){8,}")
_AMOUNT = re.compile(r"\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})+")


@dataclass
class OcrStage:
    """Image stage ``ocr``: reads each image once and stores its redacted text."""

    engine: OcrEngine
    redactor: Redactor
    name: str = "ocr"
    fills: tuple[str, ...] = ("ocr_text", "ocr_engine")
    scores: tuple[str, ...] = ()
    todo_column: str | None = "ocr_engine"
    over = "images"  # one stage contract (engine/stage.py): over distinct pictures
    reads = ("sha256", "path")
    optional_reads = ("languages",)  # of the posts showing each picture, served by the store

    @classmethod
    def for_study(cls, study, engine: OcrEngine | None = None) -> OcrStage:
        """Tesseract with the installed packs of the study's languages, and the study's
        redactor."""
        engine = engine if engine is not None else TesseractOcr(study.settings.study.languages)
        return cls(engine, Protector.for_study(study).redactor)

    @property
    def version(self) -> str:
        return self.engine.describe

    @staticmethod
    def _languages(batch: pd.DataFrame) -> list[list[str] | None] | None:
        if "languages" not in batch:
            return None
        return [list(v) if isinstance(v, (list, tuple)) else None for v in batch["languages"]]

    @property
    def adds(self) -> tuple[str, ...]:
        return (*self.fills, *self.scores)

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        paths = batch["path"].tolist()
        languages = self._languages(batch) if _takes_languages(self.engine) else None
        results = (self.engine.read_many(paths) if languages is None
                   else self.engine.read_many(paths, languages=languages))
        texts, engines, errors = [], [], []
        for result in results:
            if result.text is None:
                texts.append(None)
                engines.append(f"{self.version} error: {result.error}"[:500])
                errors.append(str(result.error))
                continue
            texts.append(redact_ocr_text(self.redactor, result.text))
            engines.append(self.version)
            errors.append(None)
        return pd.DataFrame({"sha256": batch["sha256"].tolist(), "ocr_text": texts,
                             "ocr_engine": engines, "error": errors})


def _takes_languages(engine: OcrEngine) -> bool:
    """Whether the engine's ``read_many`` accepts per-image languages (older engines don't)."""
    try:
        return "languages" in inspect.signature(engine.read_many).parameters
    except (TypeError, ValueError):
        return False


def redact_ocr_text(redactor: Redactor, text: str) -> str:
    """OCR text with identifiers replaced by tokens; then any digit run left between tokens
    whose digits alone form a valid phone number (OCR garbles separators: ``0912;345 678``)
    becomes a phone token too. Runs that are no valid number (price columns) are kept."""
    text = redactor.redact(text.strip())
    out, last = [], 0
    for match in TOKEN_RE.finditer(text):
        out += [_guard(redactor, text[last:match.start()]), match.group(0)]
        last = match.end()
    out.append(_guard(redactor, text[last:]))
    return "".join(out)


def _guard(redactor: Redactor, text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        if _AMOUNT.fullmatch(run):
            return run
        digits = "".join(c for c in run if c.isdigit())
        number = redactor.phones.normalise(("+" if run.startswith("+") else "") + digits)
        return redactor.token("phone", number) if number else run

    return _DIGITS.sub(replace, text) if any(c.isdigit() for c in text) else text
