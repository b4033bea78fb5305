"""Find lexicon terms in texts with one Aho-Corasick automaton (pyahocorasick).

All terms, normalised, go into one automaton; a text is normalised the same way and scanned once.
Hits are then checked against the script-aware boundaries of :mod:`wildsift.lexicon.normalize`,
hits lying wholly inside a longer hit are dropped (so "犀牛角" gives the product "horn", not also
the name "犀牛"), and negative phrases ("ivory coast") swallow what they contain and vanish.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ahocorasick

from wildsift.lexicon.normalize import WORD, edge_mode, left_ok, normalize, right_ok
from wildsift.lexicon.taxon import Match, Term

# (taxon, product, kind, languages in data order, {lang: term as written})
_Candidate = tuple[str, "str | None", str, tuple[str, ...], dict[str, str]]


def variants(term: str) -> list[str]:
    """Normalised forms of ``term`` to search: itself, and for Latin-script multiword terms of
    8+ letters also the joined form, as in hashtags (#rhinohorn)."""
    key = normalize(term)
    if not key:
        return []
    out = [key]
    joined = key.replace(" ", "")
    if (joined != key and len(joined) >= 8 and edge_mode(key[0]) == WORD
            and edge_mode(key[-1]) == WORD):
        out.append(joined)
    return out


class Matcher:
    """A compiled set of terms; build once, match many texts."""

    def __init__(self, terms: Iterable[Term]):
        by_key: dict[str, list[Term]] = {}
        for term in terms:
            for key in variants(term.text):
                by_key.setdefault(key, []).append(term)
        self._automaton = ahocorasick.Automaton()
        self._info: list[tuple[int, int, int, bool, list[_Candidate]]] = []
        for index, (key, found) in enumerate(by_key.items()):
            negative = any(t.kind == "negative" for t in found)
            self._info.append((len(key), edge_mode(key[0]), edge_mode(key[-1]), negative,
                               _candidates(found)))
            self._automaton.add_word(key, index)
        if by_key:
            self._automaton.make_automaton()
        self.size = len(by_key)

    def match(self, text: str | None, lang: str | None = None) -> list[Match]:
        """Matches in ``text``, deduplicated, in order of appearance. ``lang`` (a post's detected
        language) picks the language reported for a term listed in several languages."""
        if not text or not self.size:
            return []
        norm = normalize(text)
        info = self._info
        spans: list[tuple[int, int, int]] = []
        for end, index in self._automaton.iter(norm):
            length, left_mode, right_mode, _, _ = info[index]
            start = end - length + 1
            if left_ok(norm, start, left_mode) and right_ok(norm, end, right_mode):
                spans.append((start, end, index))
        if not spans:
            return []
        spans.sort(key=lambda s: (s[0], -s[1]))
        out: dict[Match, None] = {}
        reach = -1
        for _start, end, index in spans:
            if end <= reach:  # inside a longer (or negative) hit that starts earlier or together
                continue
            reach = end
            _, _, _, negative, candidates = info[index]
            if negative:
                continue
            for taxon, product, kind, langs, texts in candidates:
                chosen = _pick_lang(langs, lang)
                out[Match(taxon, product, chosen, texts[chosen], kind)] = None
        return list(out)

    def match_many(self, texts: Sequence[str | None],
                   langs: Sequence[str | None] | None = None) -> list[list[Match]]:
        """:meth:`match` for each text; ``langs`` (optional) gives each text's language."""
        match = self.match
        if langs is None:
            return [match(text) for text in texts]
        return [match(text, lang) for text, lang in zip(texts, langs, strict=True)]


def _candidates(found: list[Term]) -> list[_Candidate]:
    grouped: dict[tuple[str, str | None, str], dict[str, str]] = {}
    for term in found:
        if term.kind == "negative":
            continue
        grouped.setdefault((term.taxon, term.product, term.kind), {}).setdefault(
            term.lang, term.text)
    return [(taxon, product, kind, tuple(texts), texts)
            for (taxon, product, kind), texts in grouped.items()]


def _pick_lang(langs: tuple[str, ...], hint: str | None) -> str:
    if hint:
        if hint in langs:
            return hint
        base = hint.split("-")[0].lower()
        for lang in langs:
            if lang.split("-")[0].lower() == base:
                return lang
    return langs[0]
