"""The lexicon: taxa, products and code words in many languages, matched in texts and expanded
into search terms.

    lex = Lexicon.default()                      # the data shipped with wildsift (cached)
    lex = Lexicon.load("my-study/lexicon")       # a study's own lexicon (may `extends: default`)
    lex = Lexicon.for_study(study)               # packaged + the terms the study accepted
    lex.match("Bán sừng tê giác")                # [Match(taxon='rhinoceros', product='horn', ...)]
    lex.expand("rhinoceros", ["en", "zh-Hans", "vi"])
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from wildsift.errors import ConfigError
from wildsift.lexicon.loading import DATA_DIR, LexiconData, read_lexicon
from wildsift.lexicon.matcher import Matcher
from wildsift.lexicon.normalize import normalize
from wildsift.lexicon.study_terms import (
    StudyTerm,
    add_study_terms,
    digest,
    read_study_terms,
    study_lexicon_path,
)
from wildsift.lexicon.taxon import Match, Taxon, Term


class Lexicon:
    """Taxa and terms, with a compiled matcher. Build with :meth:`default` or :meth:`load`."""

    def __init__(self, data: LexiconData):
        self._data = data
        self.taxa: dict[str, Taxon] = data.taxa
        self.groups: list[str] = sorted({t.group for t in data.taxa.values()})
        self._matcher = Matcher(data.terms())
        self.study_terms: list[StudyTerm] = []  # terms the study accepted (see for_study)
        self._names: dict[str, list[str]] = {}
        for taxon in data.taxa.values():
            for name in [taxon.key, taxon.scientific_name, *taxon.synonyms,
                         *taxon.names()]:
                keys = self._names.setdefault(normalize(name), [])
                if taxon.key not in keys:
                    keys.append(taxon.key)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def default(cls) -> Lexicon:
        """The lexicon shipped in the package, loaded once per process."""
        return _default()

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """A lexicon folder (with ``lexicon.yaml``) or a single YAML file."""
        return cls(read_lexicon(Path(path)))

    @classmethod
    def for_study(cls, study: Any) -> Lexicon:
        """The packaged lexicon plus the terms the study accepted (its ``lexicon.yaml``).

        ``study`` is a Study or its folder. Without that file this is :meth:`default`; with it,
        the version gains ``+study.<hash of the file>`` so a changed lexicon is traceable.
        """
        path = study_lexicon_path(study)
        if not path.exists():
            return cls.default()
        return _for_study(str(path.resolve()), digest(path))

    def terms(self) -> list[Term]:
        """Every term of the lexicon as written (names, products, code words, negatives)."""
        return self._data.terms()

    # -- facts -----------------------------------------------------------------------------
    @property
    def version(self) -> str:
        return str(self._data.meta.get("version", "unversioned"))

    @property
    def languages(self) -> list[str]:
        """The languages the lexicon aims to cover (from the manifest)."""
        return list(self._data.meta.get("languages", []))

    @property
    def sources(self) -> dict[str, str]:
        return dict(self._data.meta.get("sources", {}))

    def products(self, group: str) -> dict[str, dict[str, list[str]]]:
        """Product terms of a group: {product: {lang: [terms]}}."""
        return self._data.products.get(group, {})

    def code_words(self, group: str | None = None) -> list[tuple[str, str, str | None, str]]:
        """(term, lang, product, note) of the code words, for one group or all."""
        return [(t.text, t.lang, t.product, t.note) for t in self._data.code_words
                if group is None or self.group_of(t.taxon) == group]

    def group_of(self, taxon_key: str) -> str:
        return self.taxa[taxon_key].group

    def species(self, group: str) -> list[Taxon]:
        """The species-level taxa of a group."""
        return [t for t in self.taxa.values() if t.group == group and not t.is_group]

    def find_taxa(self, query: str) -> list[Taxon]:
        """Taxa named by ``query``: a key, group, scientific name, synonym or common name."""
        return [self.taxa[k] for k in self._names.get(normalize(query), [])]

    # -- matching --------------------------------------------------------------------------
    def match(self, text: str | None, lang: str | None = None) -> list[Match]:
        """Lexicon terms found in ``text``; ``lang`` (optional) is the post's language."""
        return self._matcher.match(text, lang)

    def match_many(self, texts: Sequence[str | None],
                   langs: Sequence[str | None] | None = None) -> list[list[Match]]:
        """:meth:`match` for a batch of texts (one automaton pass per text, no Python regex)."""
        return self._matcher.match_many(texts, langs)

    # -- expansion -------------------------------------------------------------------------
    def expand(self, query: str, languages: Sequence[str] | None = None) -> list[str]:
        """Search terms for a taxon, group or product query, in ``languages`` (all when None).

        A group ("rhinoceros") or its family name gives the names of the group and its species;
        a species gives its own names; both add the group's product terms and code words.
        A product term ("ivory", "穿山甲鳞片") gives that product's terms. Scientific names come
        first. Deduplicated on the normalised form, first spelling kept.
        """
        langs = list(languages) if languages is not None else None
        taxa = self.find_taxa(query)
        out: list[str] = []
        if taxa:
            for taxon in list(taxa):
                if taxon.is_group:
                    taxa.extend(s for s in self.species(taxon.group) if s not in taxa)
            out += [n for t in taxa for n in (t.scientific_name, *t.synonyms)]
            out += [n for t in taxa for n in t.names(langs)]
            groups = list(dict.fromkeys(t.group for t in taxa))
            for group in groups:
                for by_lang in self.products(group).values():
                    out += _in_languages(by_lang, langs)
                out += [w for w, lang, _, _ in self.code_words(group)
                        if langs is None or lang in langs]
        else:
            product = self._find_product(query)
            if product is None:
                raise ConfigError(
                    f"'{query}' is not in the lexicon; use a group ({', '.join(self.groups)}), a "
                    "scientific name, a common name or a product term, or add it to a study "
                    "lexicon (see Lexicon.load)")
            group, name = product
            out += _in_languages(self.products(group)[name], langs)
            out += [w for w, lang, p, _ in self.code_words(group)
                    if p == name and (langs is None or lang in langs)]
        if self.study_terms:  # a study's accepted terms first: a person chose them for it
            chosen = {normalize(t.term) for t in self.study_terms}
            out.sort(key=lambda term: normalize(term) not in chosen)
        seen: dict[str, str] = {}
        for term in out:
            seen.setdefault(normalize(term), term)
        return list(seen.values())

    def _find_product(self, query: str) -> tuple[str, str] | None:
        wanted = normalize(query)
        for group, products in self._data.products.items():
            for name, by_lang in products.items():
                if wanted == normalize(name) or any(
                        wanted == normalize(w) for words in by_lang.values() for w in words):
                    return group, name
        return None


def _in_languages(by_lang: dict[str, list[str]], langs: list[str] | None) -> list[str]:
    keys = langs if langs is not None else list(by_lang)
    return [w for lang in keys for w in by_lang.get(lang, [])]


@lru_cache(maxsize=1)
def _default() -> Lexicon:
    return Lexicon(read_lexicon(DATA_DIR))


@lru_cache(maxsize=8)
def _for_study(path: str, file_hash: str) -> Lexicon:
    """Built once per content of the study file (``file_hash`` is part of the cache key)."""
    data = read_lexicon(DATA_DIR)
    terms = read_study_terms(Path(path))
    add_study_terms(data, terms, Path(path))
    data.meta["version"] = f"{data.meta.get('version', 'unversioned')}+study.{file_hash}"
    lexicon = Lexicon(data)
    lexicon.study_terms = list(terms.terms)
    return lexicon
