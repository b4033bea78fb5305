"""Terms close to known ones: how traders disguise a lexicon term so filters miss it.

Four kinds, each checked against the known terms after :func:`normalize` (which already makes
tone-mark-less Vietnamese "nga voi" and "ngà voi" one term, so those need no new entry):

* leetspeak — digits or symbols for letters ("1vory", "rh1n0", "ng@");
* spaced out — letters split by spaces, dots or dashes ("r h i n o", "r.h.i.n.o");
* spelling variants — one or two edits from a known word of 5+ letters ("ivroy", "pangolim"),
  or one character from a known Han/Thai term of 3+ characters (犀牛脚 for 犀牛角);
  edit distances come from rapidfuzz;
* an animal emoji beside a word ("🦏 horn", "🐘tusk").

The callers count each candidate with the lexicon's own matcher, so a term found here is one
that, once accepted, matches exactly these posts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import regex
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from wildsift.lexicon.normalize import normalize
from wildsift.lexicon.taxon import Term
from wildsift.lexicon.tokens import clean, is_nospace

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                      "$": "s", "|": "i", "!": "i", "€": "e"})
EMOJI_GROUPS = {"🦏": "rhinoceros", "🐘": "elephant", "🦣": "elephant"}
_SPACED = regex.compile(
    r"(?<![\p{L}\p{N}])(?:\p{L}[ .\-_*·•]{1,2}){2,}\p{L}(?![\p{L}\p{N}])")
_NEXT_WORD = regex.compile(r"\s+([\p{L}\p{M}]+)")
_EMOJI = "|".join(EMOJI_GROUPS)
_EMOJI_WORD = regex.compile(
    rf"(?:{_EMOJI})\ufe0f?\s?[\p{{L}}\p{{M}}]{{2,}}|[\p{{L}}\p{{M}}]{{2,}}\s?(?:{_EMOJI})")
_EDGE_PUNCT = ".,;:?()[]{}\"'“”‘’…«»"


@dataclass(slots=True)
class Variant:
    """A surface form seen in the corpus and the known term it disguises."""

    surface: str
    known: Term
    reason: str


class VariantFinder:
    """Holds the known terms, indexed for each kind of disguise."""

    def __init__(self, terms: Iterable[Term], stop_words: Iterable[str] = ()):
        self.by_key: dict[str, Term] = {}
        for term in terms:
            if term.kind != "negative":
                key = normalize(term.text)
                if key:
                    self.by_key.setdefault(key, term)
                    self.by_key.setdefault(key.replace(" ", ""), term)
        self.stop = {normalize(w) for w in stop_words}
        self.latin = [k for k in self.by_key if len(k) >= 5 and k.isascii() and k.isalpha()]
        # Han/Thai terms of 3+ characters: one character off a 2-character term is mostly noise
        self.nospace = [k for k in self.by_key if len(k) >= 3 and all(map(is_nospace, k))]

    def in_texts(self, texts: Sequence[str]) -> list[Variant]:
        """Leetspeak, spaced-out and emoji variants found in ``texts`` (each surface once)."""
        found: dict[str, Variant] = {}
        for text in texts:
            folded = clean(text).casefold()
            for chunk in folded.split():
                chunk = chunk.strip(_EDGE_PUNCT)
                if any(ch in "0134579@$|!€" for ch in chunk) and sum(map(str.isalpha, chunk)) >= 2:
                    term = self.by_key.get(normalize(chunk.translate(LEET)))
                    if term is not None and normalize(chunk) not in self.by_key:
                        found.setdefault(chunk, Variant(chunk, term,
                                                        f"leetspeak of '{term.text}'"))
            for match in _SPACED.finditer(folded):
                letters = "".join(ch for ch in match.group() if ch.isalpha())
                term = self.by_key.get(normalize(letters))
                surface = match.group().strip()
                after = _NEXT_WORD.match(folded, match.end())
                longer = after and self.by_key.get(normalize(f"{letters} {after.group(1)}"))
                if longer:  # "r.h.i.n.o horn" disguises "rhino horn", not just "rhino"
                    term, surface = longer, f"{surface} {after.group(1)}"
                if term is not None:
                    found.setdefault(surface, Variant(surface, term,
                                                      f"spaced-out '{term.text}'"))
            for match in _EMOJI_WORD.finditer(folded):
                surface = match.group().replace("\ufe0f", "")
                word = normalize("".join(ch for ch in surface if ch.isalpha()))
                if word in self.stop or word in self.by_key:
                    continue
                group = next(g for e, g in EMOJI_GROUPS.items() if e in surface)
                found.setdefault(surface, Variant(
                    surface, Term(group, group, "und", "code_word"),
                    f"{group} emoji beside '{word}'"))
        return list(found.values())

    def spelling(self, vocabulary: Sequence[str]) -> list[Variant]:
        """Vocabulary keys one or two edits from a known word (one for short words and Han)."""
        out: list[Variant] = []
        latin = [v for v in vocabulary if len(v) >= 5 and v.isascii() and v.isalpha()]
        out += self._close(latin, self.latin, lambda n: 1 if n <= 7 else 2, "spelling variant")
        nospace = [v for v in vocabulary if len(v) >= 2 and all(map(is_nospace, v))]
        out += self._close(nospace, self.nospace, lambda n: 1, "one character from")
        return out

    def _close(self, vocab: list[str], known: list[str], allowed, label: str) -> list[Variant]:
        if not vocab or not known:
            return []
        dist = cdist(vocab, known, scorer=Levenshtein.distance, score_cutoff=2, dtype=np.int32)
        out = []
        for i, word in enumerate(vocab):
            if word in self.by_key or word in self.stop:
                continue
            row = dist[i]
            j = int(np.argmin(row))
            best = known[j]
            if 0 < row[j] <= allowed(len(best)) and abs(len(word) - len(best)) <= 1 \
                    and not _inflection(word, best):
                out.append(Variant(word, self.by_key[best], f"{label} '{self.by_key[best].text}'"))
        return out


def _inflection(word: str, known: str) -> bool:
    """A plural or possessive of the known word: the lexicon lists those it wants."""
    return word in (known + "s", known + "es") or known in (word + "s", word + "es")
