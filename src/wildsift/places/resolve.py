"""One location per post from what points at one: geotag, text, profile, phone.

Each source gives a :class:`Location` (country, place, coordinates, source, confidence). When
they disagree the first available wins in the order **geotag > text > profile > phone** (a
platform's own place for the post counts as a geotag); sources that agree with it raise its
confidence (1 - (1 - a)(1 - b)), each one that disagrees lowers it by a fifth. The evidence is
kept ("text=VN phone=VN") so an analyst can see why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from wildsift.places.gazetteer import Place
from wildsift.places.geoparse import Geoparser, Mention

PRIORITY = ("geotag", "text", "profile", "phone")
CONFIDENCE = {"geotag": 0.99, "platform_place": 0.95, "phone": 0.6}
PROFILE_FACTOR = 0.85
# a classified ad's location header ("Bogor, jual kura-kura Brazil") says where the seller is
# more surely than a place named later in the text
HEADER_WEIGHT = 1.5  # a profile says where the account is, not where the item is
_PARTS = re.compile(r"[,;/|\n·•]+")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a post points, from one source or combined."""

    country: str
    source: str  # geotag | platform_place | text | profile | phone
    confidence: float
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    evidence: str = ""


@lru_cache(maxsize=1)
def geoparser() -> Geoparser:
    return Geoparser()


def _country_of(mentions: list[Mention], *, last_country_wins: bool) -> Location | None:
    """The country most mentions point at (named countries weigh most), and its place."""
    if not mentions:
        return None
    mentions = _agreeing(mentions)
    weight: dict[str, float] = defaultdict(float)
    best: dict[str, Mention] = {}
    for m in mentions:
        w = (m.confidence * (1.2 if m.cue else 1.0) * (1.1 if m.place.kind == "country" else 1.0)
             * (HEADER_WEIGHT if m.header else 1.0))
        weight[m.place.country] += w
        have = best.get(m.place.country)
        if have is None or (have.place.kind == "country" and m.place.kind != "country"):
            best[m.place.country] = m  # keep the most precise place of that country
    named = [m.place.country for m in mentions if m.place.kind == "country"]
    if last_country_wins and named:
        country = named[-1]
    else:
        country = max(weight, key=lambda c: (weight[c], -_first(mentions, c)))
    total = sum(weight.values())
    top = best[country]
    agree = weight[country] / total if total else 0.0
    confidence = min(0.99, max(m.confidence for m in mentions if m.place.country == country)
                     * (0.6 + 0.4 * agree))
    place = top.place.name if top.place.kind != "country" else None
    return Location(country, "text", round(confidence, 3), place, top.place.lat, top.place.lon)


def _agreeing(mentions: list[Mention]) -> list[Mention]:
    """A name several places share reads as the one in a country the text names ("Hamilton,
    Bermuda", "Perth, Scotland", "Mérida, Venezuela", "Córdoba (España)"), or else in the
    country of the text's other places ("温哥华列治文": Richmond near Vancouver)."""
    if len(mentions) < 2:
        return mentions
    named = {m.place.country for m in mentions if m.place.kind == "country"}
    out = []
    for m in mentions:
        others = {o.place.country for o in mentions if o is not m}
        countries = {p.country for p in m.alternatives if p.kind != "country"}
        for pool in (named, others):
            if m.place.country in pool or (pool is others and m.place.kind == "country"):
                break
            if countries & pool:
                m = replace(m, place=max((p for p in m.alternatives if p.kind != "country"
                                          and p.country in pool), key=lambda p: p.population))
                break
        out.append(m)
    return out


def _first(mentions: list[Mention], country: str) -> int:
    return next(m.start for m in mentions if m.place.country == country)


def locate_text(text: str, lang: str | None = None) -> Location | None:
    """The country a post's text names (``None``: no place it can trust)."""
    return _country_of(geoparser().where_mentions(text, lang), last_country_wins=False)


def locate_field(value: str, source: str = "profile") -> Location | None:
    """The country of a free-text location ("Spartanburg, South Carolina, United States",
    "Atlanta, Georgia", "hà nội", "深圳"). A country named last decides (the usual "city,
    region, country" order); else the country that most parts can mean, each part counted once
    with its best reading there (a country 1, a state 0.9, a city 0.6-0.9 by how many of the
    people of that name live there): "Atlanta, Georgia" is in the United States."""
    if not value or not value.strip():
        return None
    parser = geoparser()
    parts = [parser.mentions(part, "field") for part in _PARTS.split(value) if part.strip()]
    parts = [found for found in parts if found]
    if not parts:
        return None
    scores: dict[str, float] = defaultdict(float)
    best: dict[str, tuple[float, Place]] = {}
    for found in parts:
        part_best: dict[str, tuple[float, Place]] = {}
        for mention in found:
            for place, weight in _readings(mention):
                if weight > part_best.get(place.country, (0.0, place))[0]:
                    part_best[place.country] = (weight, place)
        for country, (weight, place) in part_best.items():
            scores[country] += weight
            if place.kind != "country" and country not in best:
                best[country] = (weight, place)
    last = [m.place.country for m in parts[-1] if m.place.kind == "country"]
    # the highest score; a tie goes to the country named last ("HONGKONG, China")
    country = max(scores, key=lambda c: (scores[c], c in last))
    ranked = sorted(scores, key=lambda c: scores[c], reverse=True)
    second = max((scores[c] for c in ranked if c != country), default=0.0)
    support = min(0.95, scores[country] / len(parts))
    confidence = support * (0.6 + 0.4 * scores[country] / (scores[country] + second))
    if source == "profile":
        confidence *= PROFILE_FACTOR
    place = best[country][1] if country in best else None
    return Location(country, source, round(confidence, 3), place.name if place else None,
                    place.lat if place else None, place.lon if place else None)


def _readings(mention: Mention) -> list[tuple[Place, float]]:
    """Each place a mention can mean, with a weight: what a field's parts vote with."""
    places = mention.alternatives or (mention.place,)
    cities = [p for p in places if p.kind == "city"]
    total = sum(p.population for p in cities) or 1
    out = []
    for place in places:
        if place.kind == "country":
            out.append((place, 1.0))
        elif place.kind == "admin1":
            out.append((place, 0.9))
        else:
            share = sum(p.population for p in cities if p.country == place.country) / total
            out.append((place, 0.6 + 0.3 * share))
    return out


def combine(candidates: list[Location]) -> Location | None:
    """One location from the sources' own (geotag > text > profile > phone); agreement raises
    the winner's confidence, disagreement lowers it; ``evidence`` lists every source."""
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: PRIORITY.index(_tier(c.source)))
    winner = ranked[0]
    confidence = winner.confidence
    for other in ranked[1:]:
        if other.country == winner.country:
            confidence = 1 - (1 - confidence) * (1 - other.confidence)
        else:
            confidence *= 0.8
    evidence = " ".join(f"{c.source}={c.country}" for c in ranked)
    return replace(winner, confidence=round(min(confidence, 0.999), 3), evidence=evidence)


def _tier(source: str) -> str:
    return "geotag" if source in ("geotag", "platform_place") else source
