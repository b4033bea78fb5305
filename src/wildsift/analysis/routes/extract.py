"""Origin -> destination pairs stated in a post's text, offline.

The gazetteer's geoparser (:mod:`wildsift.places.geoparse`) finds the places a text names; a
place becomes an origin or a destination when a cue of :mod:`.cues` stands right before it
("ship to Hanoi", "từ Lào", "从广州") or right after it ("广州发货"), when an arrow joins two
places ("Lagos -> Hanoi"), or when it is listed after one that has a role ("ship to USA, UK and
Canada"). A lower-case country after a cue ("ship to vietnam") is looked up as a location
field, unless it is a common word. Bare prepositions count only in pairs (see :mod:`.cues`).

Each origin is paired with the destinations after it (up to the next origin); an origin or a
destination with no partner is kept with the other end unknown, for
:mod:`wildsift.analysis.routes.flows` to complete from the post's own location.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from wildsift.analysis.routes.cues import (
    ARROW,
    DESTINATION,
    FILLER,
    LIST_JOIN,
    MAX_LIST_GAP,
    MAX_PAIR_GAP,
    ORIGIN,
    Cue,
    compiled,
)
from wildsift.places.gazetteer import Place, key_of
from wildsift.places.geoparse import Geoparser, Mention
from wildsift.places.guards import is_common_word

MAX_FIELD_WORDS = 3  # a lower-case place after a cue: up to this many words


@dataclass(frozen=True, slots=True)
class Route:
    """One route a text states; an end is None when the text does not say it."""

    origin: Place | None
    destination: Place | None
    cue: str  # the words that made it a route ("ship to", "->", "từ ... đến")

    @property
    def countries(self) -> tuple[str | None, str | None]:
        return (self.origin.country if self.origin else None,
                self.destination.country if self.destination else None)


@dataclass(slots=True)
class _Role:
    mention: Mention
    role: str
    cue: Cue | None  # None: an arrow or a list
    words: str
    alone: bool


class RouteExtractor:
    """Routes in texts; build one per process (it holds the gazetteer)."""

    def __init__(self, geoparser: Geoparser | None = None):
        self._geoparser = geoparser

    @cached_property
    def geoparser(self) -> Geoparser:
        return self._geoparser or Geoparser()

    @cached_property
    def _cues(self):
        return compiled()

    def routes(self, text: str, lang: str | None = None) -> list[Route]:
        """The routes ``text`` states (empty when it states none)."""
        if not text:
            return []
        mentions = sorted(self.geoparser.mentions(text, "text", lang), key=lambda m: m.start)
        roles = self._cued(text, mentions)
        roles += self._arrows(text, mentions, roles)
        roles = self._listed(text, mentions, roles)
        roles = _paired_only(roles)
        return _pair(roles)

    def _cued(self, text: str, mentions: list[Mention]) -> list[_Role]:
        by_start = {m.start: m for m in mentions}
        by_end = {m.end: m for m in mentions}
        best: dict[int, _Role] = {}
        for cue, pattern in self._cues:
            for match in pattern.finditer(text):
                if cue.side == "after":
                    mention = by_end.get(match.start())
                else:
                    gap = FILLER.match(text, match.end())
                    at = gap.end() if gap else match.end()
                    mention = by_start.get(at) or self._field_place(text, at)
                if mention is None:
                    continue
                role = _Role(mention, cue.role, cue, match.group(0), cue.alone)
                have = best.get(mention.start)
                if have is None or _stronger(role, have):
                    best[mention.start] = role
        return list(best.values())

    def _field_place(self, text: str, at: int, any_case: bool = False) -> Mention | None:
        """A place written in lower case right after a cue ("ship to vietnam"), or, in a list
        (``any_case``), a name the running-text guards turned down ("USA and UK")."""
        if at >= len(text) or not (any_case or text[at].islower()):
            return None
        words = text[at:at + 60].split()[:MAX_FIELD_WORDS]
        for n in range(len(words), 0, -1):
            span = " ".join(words[:n]).rstrip(".,;:!?)")
            key = key_of(span)
            short_upper = any_case and span.isupper() and len(key) >= 2
            if not key or (len(key) < 4 and not short_upper) or (is_common_word(key)
                                                                   and not short_upper):
                continue
            found = self.geoparser.mentions(span, "field")
            if found and found[0].start == 0 and found[0].end == len(span):
                m = found[0]
                if any_case and m.place.kind != "country" and not text[at].isupper():
                    continue
                return Mention(m.place, at, at + len(span), m.confidence * 0.9, True)
        return None

    def _arrows(self, text: str, mentions: list[Mention], roles: list[_Role]) -> list[_Role]:
        out = []
        for left, right in pairwise(mentions):
            arrow = ARROW.fullmatch(text, left.end, right.start)
            if arrow:
                out.append(_Role(left, ORIGIN, None, "->", True))
                out.append(_Role(right, DESTINATION, None, "->", True))
        taken = {r.mention.start for r in roles}
        return [r for r in out if r.mention.start not in taken]

    def _listed(self, text: str, mentions: list[Mention], roles: list[_Role]) -> list[_Role]:
        """Places listed right after a place with a role take that role ("ship to USA, UK
        and Canada", "销往日本韩国": unspaced names may follow each other directly)."""
        by_start = {m.start: m for m in mentions}
        out = {r.mention.start: r for r in roles}
        queue = sorted(roles, key=lambda r: r.mention.start)
        while queue:
            role = queue.pop(0)
            end = role.mention.end
            join = LIST_JOIN.match(text, end)
            if join is None or join.end() - end > MAX_LIST_GAP:
                continue
            at = join.end()
            mention = by_start.get(at)
            if mention is None and join.end() > end:
                mention = self._field_place(text, at, any_case=True)
            if mention is None or at in out:
                continue
            listed = _Role(mention, role.role, role.cue, role.words, role.alone)
            out[at] = listed
            queue.append(listed)
        return sorted(out.values(), key=lambda r: r.mention.start)


def _stronger(new: _Role, old: _Role) -> bool:
    """A cue that counts alone beats a bare preposition; then the longer cue wins."""
    return (new.alone, len(new.words)) > (old.alone, len(old.words))


def _paired_only(roles: list[_Role]) -> list[_Role]:
    """Drop bare prepositions without a partner: an origin needs a destination after it, a
    destination an origin before it, within :data:`MAX_PAIR_GAP` characters."""
    kept = []
    for role in roles:
        if role.alone:
            kept.append(role)
            continue
        start = role.mention.start
        if role.role == DESTINATION:
            partner = any(o.role == ORIGIN and 0 < start - o.mention.end <= MAX_PAIR_GAP
                          for o in roles)
        else:
            partner = any(d.role == DESTINATION and 0 < d.mention.start - role.mention.end
                          <= MAX_PAIR_GAP for d in roles)
        if partner:
            kept.append(role)
    return kept


def _pair(roles: list[_Role]) -> list[Route]:
    """Each origin with the destinations after it up to the next origin; destinations before
    every origin go with the first origin ("ship to Hanoi from Lagos")."""
    origins = [r for r in roles if r.role == ORIGIN]
    dests = [r for r in roles if r.role == DESTINATION]
    routes: list[Route] = []
    used: set[int] = set()
    for i, origin in enumerate(origins):
        end = origins[i + 1].mention.start if i + 1 < len(origins) else None
        mine = [d for d in dests if d.mention.start > origin.mention.start
                and (end is None or d.mention.start < end)]
        if i == 0:
            mine = [d for d in dests if d.mention.start < origin.mention.start] + mine
        for dest in mine:
            used.add(dest.mention.start)
            routes.append(Route(origin.mention.place, dest.mention.place,
                                f"{origin.words} ... {dest.words}"))
        if not mine:
            routes.append(Route(origin.mention.place, None, origin.words))
    for dest in dests:
        if dest.mention.start not in used:
            routes.append(Route(None, dest.mention.place, dest.words))
    return _unique(routes)


def _unique(routes: list[Route]) -> list[Route]:
    seen, out = set(), []
    for route in routes:
        key = (route.origin, route.destination)
        if key not in seen:
            seen.add(key)
            out.append(route)
    return out
