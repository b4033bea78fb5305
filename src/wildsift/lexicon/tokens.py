"""Candidate terms in a post, for code-word discovery: words, word pairs and character n-grams.

Scripts written with spaces give words (letters, marks and digits, Unicode-aware through the
``regex`` module) and pairs of adjacent words; scripts written without spaces (Han, kana, Thai,
Lao, Khmer, Myanmar) give character n-grams of 2-4, never starting or ending inside a syllable.
Before that, what is or could be personal data is cut out: redaction tokens (``<PHONE:ab12cd>``),
URLs, e-mail addresses and @handles. Known lexicon terms also cut the text, so the fragments
of a known term ("horn" of "rhino horn", "牙白" of "象牙白") are not counted as new words.
Every candidate is counted on its :func:`~wildsift.lexicon.normalize.normalize` key and shown
as its surface form (case-folded, diacritics kept).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

import ahocorasick
import regex

from wildsift.lexicon.normalize import NONE, left_ok, normalize, right_ok

PERSONAL = regex.compile(
    r"<(?:PHONE|EMAIL|HANDLE|URL|MESSENGER|NAME):[0-9a-f]{6}>"
    r"|(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|(?<![\w@])@[\w.]+", regex.I)
_RUN = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*")
_NOSPACE = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\u30fc\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]+")
_UNIT = regex.compile(r"^\p{N}+\p{L}{0,3}$")


def clean(text: str) -> str:
    """``text`` with personal data and redaction tokens replaced by a separator."""
    return PERSONAL.sub(" | ", text or "")


def is_nospace(ch: str) -> bool:
    return bool(_NOSPACE.match(ch))


def keep_key(key: str) -> bool:
    """Not a number, a unit ("2kg", "500k") or a single letter."""
    letters = sum(ch.isalpha() for ch in key)
    digits = sum(ch.isdigit() for ch in key)
    return len(key) >= 2 and letters > digits and not _UNIT.match(key.replace(" ", ""))


class Tokenizer:
    """Splits texts into candidate (key, surface) pairs, skipping known terms and stop words."""

    def __init__(self, known: Iterable[str] = (), stop_words: Iterable[str] = (),
                 ngram_range: tuple[int, int] = (2, 4), max_words: int = 2):
        self.known = {normalize(k) for k in known if normalize(k)}
        self.known |= {k.replace(" ", "") for k in self.known if len(k) >= 9}  # as in hashtags
        self.stop = {normalize(w) for w in stop_words if normalize(w)}
        self.ngram_range = ngram_range
        self.max_words = max_words
        self._known_runs = ahocorasick.Automaton()
        nospace = [k for k in self.known if k and is_nospace(k[0]) and is_nospace(k[-1])]
        for key in nospace:
            self._known_runs.add_word(key, len(key))
        self._has_runs = bool(nospace)
        if nospace:
            self._known_runs.make_automaton()
        self._longest = max((len(k.split()) for k in self.known), default=1)

    def pairs(self, text: str) -> Iterator[tuple[str, str]]:
        """(key, surface) of every candidate occurrence in ``text`` (repeats included)."""
        folded = unicodedata.normalize("NFKC", clean(text)).casefold()
        words: list[tuple[str, str]] = []  # the current run of adjacent spaced-script words
        last_end = -1
        for match in _RUN.finditer(folded):
            gap = folded[last_end:match.start()] if last_end >= 0 else ""
            if last_end >= 0 and gap.strip():
                yield from self._words(words)
                words = []
            last_end = match.end()
            for piece, nospace in _split_scripts(match.group()):
                if nospace:
                    yield from self._words(words)
                    words = []
                    yield from self._ngrams(piece)
                else:
                    words.append((normalize(piece), piece))
        yield from self._words(words)

    def keys(self, text: str) -> list[str]:
        """The distinct candidate keys of ``text`` (an analyzer for document counts)."""
        return list(dict.fromkeys(key for key, _ in self.pairs(text)))

    # -- spaced scripts -------------------------------------------------------------------
    def _words(self, words: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        if not words:
            return
        covered = self._covered(words)
        for size in range(1, self.max_words + 1):
            for i in range(len(words) - size + 1):
                if any(covered[i:i + size]):
                    continue
                part = words[i:i + size]
                key = " ".join(k for k, _ in part)
                if key in self.stop or part[0][0] in self.stop or part[-1][0] in self.stop:
                    continue
                if keep_key(key):
                    yield key, " ".join(s for _, s in part)

    def _covered(self, words: list[tuple[str, str]]) -> list[bool]:
        """Which words belong to a known term (of up to as many words as the longest)."""
        covered = [False] * len(words)
        keys = [k for k, _ in words]
        for size in range(min(self._longest, len(words)), 0, -1):
            for i in range(len(words) - size + 1):
                if " ".join(keys[i:i + size]) in self.known:
                    covered[i:i + size] = [True] * size
        return covered

    # -- scripts without spaces -----------------------------------------------------------
    def _ngrams(self, run: str) -> Iterator[tuple[str, str]]:
        for segment in self._uncovered(run):
            low, high = self.ngram_range
            for n in range(low, high + 1):
                for i in range(len(segment) - n + 1):
                    if not (left_ok(segment, i, NONE) and right_ok(segment, i + n - 1, NONE)):
                        continue
                    if unicodedata.category(segment[i]).startswith("M"):
                        continue
                    gram = segment[i:i + n]
                    key = normalize(gram)
                    if key not in self.stop and key not in self.known:
                        yield key, gram

    def _uncovered(self, run: str) -> list[str]:
        """The parts of ``run`` outside known terms."""
        if not self._has_runs:
            return [run]
        norm = normalize(run)
        if len(norm) != len(run):
            return [run]
        mask = [False] * len(run)
        for end, length in self._known_runs.iter(norm):
            mask[end - length + 1:end + 1] = [True] * length
        parts: list[str] = []
        current: list[str] = []
        for ch, hidden in zip(run, mask, strict=True):
            if hidden:
                if current:
                    parts.append("".join(current))
                current = []
            else:
                current.append(ch)
        if current:
            parts.append("".join(current))
        return parts


def _split_scripts(token: str) -> list[tuple[str, bool]]:
    """A token cut into (piece, written_without_spaces) parts: "象牙abc" -> 象牙, abc."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for match in _NOSPACE.finditer(token):
        if match.start() > pos:
            out.append((token[pos:match.start()], False))
        out.append((match.group(), True))
        pos = match.end()
    if pos < len(token):
        out.append((token[pos:], False))
    return [(piece, nospace) for piece, nospace in out if piece]


def snippet(text: str, surface: str, width: int = 70) -> str:
    """A short piece of ``text`` around ``surface``, personal data masked."""
    shown = " ".join(PERSONAL.sub(_mask, text or "").split())
    at = shown.casefold().find(surface.casefold())
    if at < 0:
        return shown[:width] + ("…" if len(shown) > width else "")
    start = max(0, at - (width - len(surface)) // 2)
    piece = shown[start:start + width]
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(shown) else "")


def _mask(match: regex.Match) -> str:
    value = match.group()
    return value if value.startswith("<") and value.endswith(">") else "<…>"
