"""Every place a post's text could be in, and what the rules did with each.

The rules (:meth:`Geoparser.where_mentions`, then :func:`resolve.locate_text`) keep some places
and drop others: a trip or a product named after a place (``not_here``), a destination ("ship
to USA"), a common word or a lower-case name (the text-mode guards). The learned filter
(:mod:`wildsift.places.place_filter`) scores all of them, so it can drop a place the rules kept
and bring back one they dropped. One pass gives both the candidates and the rules' own answer,
the same :class:`Location` :func:`locate_text` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from wildsift.places.context import not_here
from wildsift.places.geoparse import Mention, _without_destinations
from wildsift.places.guards import base_language
from wildsift.places.resolve import Location, _agreeing, _country_of, geoparser

# what the rules did with a candidate; "language" is no mention: the country most writers of
# the post's language live in, a candidate for posts that say where they are only in words
# the gazetteer lacks ("q10", "ship nội thành", "COD area Jaksel")
STAGES = ("kept", "not_here", "destination", "guard", "language")
LANGUAGE_HOME = {"vi": "VN", "th": "TH", "id": "ID", "zh": "CN", "de": "DE", "fr": "FR",
                 "es": "ES", "pt": "BR", "ru": "RU", "ja": "JP", "ko": "KR", "it": "IT",
                 "nl": "NL", "pl": "PL", "tr": "TR", "ms": "MY", "km": "KH", "lo": "LA",
                 "my": "MM", "sw": "TZ", "tl": "PH", "fil": "PH", "uk": "UA", "cs": "CZ"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place named in a post, and the rules' stage that kept or dropped it."""

    mention: Mention
    stage: str  # one of STAGES

    @property
    def country(self) -> str:
        return self.mention.place.country


def candidates(text: str, lang: str | None) -> tuple[list[Candidate], Location | None]:
    """The post's candidate places in text order, and the rules' location (``locate_text``)."""
    parser = geoparser()
    raw = parser.mentions(text, "text", lang)
    here = not_here(text, raw)
    kept = _without_destinations(text, here)
    rules = _country_of(kept, last_country_wins=False)
    here_spans = {(m.start, m.end) for m in here}
    kept_spans = {(m.start, m.end) for m in kept}
    out = [Candidate(m, "kept") for m in _agreeing(kept)]
    for m in raw:
        if (m.start, m.end) not in kept_spans:
            out.append(Candidate(m, "destination" if (m.start, m.end) in here_spans
                                 else "not_here"))
    # names field mode reads (few guards) that text mode's guards dropped: common words,
    # lower-case names, products, people
    spans = [(c.mention.start, c.mention.end) for c in out]
    for m in parser.mentions(text, "field"):
        if not any(m.start < end and start < m.end for start, end in spans):
            out.append(Candidate(m, "guard"))
    out.sort(key=lambda c: c.mention.start)
    home = LANGUAGE_HOME.get(base_language(lang))
    place = parser.gaz.country(home) if home else None
    if place is not None:
        out.append(Candidate(Mention(place, 0, 0, 0.0), "language"))
    return out, rules
