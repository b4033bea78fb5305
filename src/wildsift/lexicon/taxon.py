"""The records of the lexicon: a taxon, a term, and a match found in a text."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

IUCN_CATEGORIES = ("EX", "EW", "CR", "EN", "VU", "NT", "LC", "DD", "NE")
CITES_APPENDICES = ("I", "II", "III", "")
KINDS = ("name", "product", "code_word", "negative")
SCIENTIFIC = "la"  # the language code given to scientific names and synonyms


@dataclass(slots=True)
class Taxon:
    """A species or a group-level taxon (family) with its names and conservation status.

    ``cites`` is the listing of the taxon as a whole; ``cites_populations`` holds split listings,
    e.g. ``{"II": ["NA", "SZ", "ZA"]}`` for white rhinoceros populations in Appendix II.
    ``source`` says where each fact came from (``{"cites": "cites-appendix-I-2026", "iucn":
    "mdd-2020", "range": "knowledge"}``), so a reader can tell a checked fact from one written
    from general knowledge; ``review`` lists the languages whose names await a native speaker.
    An empty ``native_range`` means worldwide or open seas (``source["range"]`` says which).
    """

    key: str
    scientific_name: str
    group: str
    rank: str
    common_names: dict[str, list[str]]
    iucn: str
    cites: str
    native_range: list[str]
    synonyms: list[str] = field(default_factory=list)
    cites_populations: dict[str, list[str]] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    review: list[str] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        """True for the group-level taxon (the key equals the group name)."""
        return self.key == self.group

    def cites_for(self, country: str | None) -> str:
        """The CITES appendix that applies to the population of ``country`` (ISO alpha-2)."""
        return appendix_for(self.cites, self.cites_populations, country)

    def names(self, languages: list[str] | None = None) -> list[str]:
        """Common names in ``languages`` (all when None), in the lexicon's order."""
        langs = languages if languages is not None else list(self.common_names)
        return [name for lang in langs for name in self.common_names.get(lang, [])]


@dataclass(frozen=True, slots=True)
class Term:
    """One searchable term as written in the data, before normalisation."""

    text: str
    taxon: str
    lang: str
    kind: str  # name | product | code_word | negative
    product: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon term found in a text: which taxon, which product (or None), how it was found."""

    taxon: str
    product: str | None
    lang: str
    term: str
    kind: str  # name | product | code_word


def appendix_for(appendix: str, populations: Mapping[str, Collection[str]],
                 country: str | None) -> str:
    """The CITES appendix of the population of ``country`` (ISO alpha-2) under a split listing
    (``populations``: appendix -> countries whose populations it covers), else ``appendix``."""
    if country:
        for split, countries in populations.items():
            if country.upper() in countries:
                return split
    return appendix
