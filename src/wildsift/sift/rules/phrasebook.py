"""The phrase tables of the task heads (``sift/rules/data/heads.yaml``), compiled into one
pattern per cue.

Why data and not code: researchers add a language or a phrasing by editing YAML, and a study can
point to its own copy. Each cue (e.g. ``origin.captive_bred``) becomes one alternation over every
language (posts mix languages and language identification of short posts is unreliable), matched
on lower-cased text with the same fast scan as the sale cues of :mod:`wildsift.sift.rules.cues`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from wildsift.errors import ConfigError
from wildsift.sift.rules.cues import _fast_alternation, _scan

DATA_FILE = Path(__file__).with_name("data") / "heads.yaml"
SECTIONS = {
    "intent": ("wanted", "offer", "news_awareness"),
    "origin": ("captive_bred", "farmed", "legal_papers", "cites_certificate"),
    "scam": ("advance_payment_only",),
}
# Scripts written without spaces between words: their phrases match as substrings.
_NO_SPACES = re.compile(r"[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
                        r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _plain(phrase: str) -> str:
    """The phrase without diacritics ("nuôi nhốt" -> "nuoi nhot"), Vietnamese đ included."""
    decomposed = unicodedata.normalize("NFD", phrase.replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


def _regex(phrase: str) -> str:
    return r"\s+".join(re.escape(part) for part in phrase.split())


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for literal phrases (lower-cased, with diacritic-free variants of Latin ones);
    None when there are no phrases."""
    words: dict[str, None] = {}
    substrings: dict[str, None] = {}
    for phrase in phrases:
        phrase = " ".join(str(phrase).lower().split())
        if not phrase:
            continue
        if _NO_SPACES.search(phrase):
            substrings[_regex(phrase)] = None
            continue
        for variant in (phrase, _plain(phrase)):
            words[_regex(variant)] = None
    if not words and not substrings:
        return None
    # Longest first, so "nur vorkasse" is preferred to "vorkasse" at the same position.
    by_length = sorted(words, key=len, reverse=True)
    return _fast_alternation(by_length, sorted(substrings, key=len, reverse=True))


@dataclass(frozen=True)
class Phrasebook:
    """Compiled cues: ``patterns[(section, cue)]`` and the languages each cue covers."""

    version: str
    patterns: dict[tuple[str, str], re.Pattern[str]]
    languages: dict[tuple[str, str], tuple[str, ...]]
    review_needed: tuple[str, ...] = ()

    def counts(self, section: str, texts: Sequence[str]) -> np.ndarray:
        """(n, len(SECTIONS[section])) matches per text and cue, capped at 5."""
        cues = SECTIONS[section]
        docs = [(t or "").lower().replace("\x00", " ") for t in texts]
        out = np.zeros((len(docs), len(cues)), dtype=np.float64)
        for column, cue in enumerate(cues):
            pattern = self.patterns.get((section, cue))
            if pattern is not None and docs:
                out[:, column] = _scan(pattern, docs)
        return np.minimum(out, 5.0)


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {problem}; see the comments at the top of "
                       f"{DATA_FILE} for the expected shape")


def read_phrasebook(path: Path = DATA_FILE) -> Phrasebook:
    """Read and compile a phrase table; errors name the file and the section/cue/language."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the task-head phrase table {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(path, "top level", "expected a mapping with intent, origin and scam")
    patterns: dict[tuple[str, str], re.Pattern[str]] = {}
    languages: dict[tuple[str, str], tuple[str, ...]] = {}
    for section, cues in SECTIONS.items():
        block = data.get(section)
        if not isinstance(block, dict):
            raise _fail(path, section, "missing or not a mapping of cue -> language -> phrases")
        for cue in cues:
            by_lang = block.get(cue)
            if not isinstance(by_lang, dict):
                raise _fail(path, f"{section}.{cue}", "missing or not a mapping of language -> list")
            phrases: list[str] = []
            for lang, items in by_lang.items():
                if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                    raise _fail(path, f"{section}.{cue}.{lang}", "expected a list of phrases")
                phrases += items
            pattern = compile_phrases(phrases)
            if pattern is not None:
                patterns[(section, cue)] = pattern
            languages[(section, cue)] = tuple(sorted(by_lang))
    return Phrasebook(str(data.get("version", "unversioned")), patterns, languages,
                      tuple(data.get("review_needed") or ()))


@lru_cache(maxsize=1)
def default_phrasebook() -> Phrasebook:
    """The phrase table shipped with wildsift, compiled once per process."""
    return read_phrasebook(DATA_FILE)
