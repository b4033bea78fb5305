"""CITES Species+ API (token): the appendix of a species and its split populations.

``GET /taxon_concepts?name=...`` with the header ``X-Authentication-Token`` answers
``{"pagination": {...}, "taxon_concepts": [{"id", "full_name", "name_status", "cites_listing":
"I/II", "cites_listings": [{"appendix", "annotation", "effective_at", "party"}]}]}``. A split
listing is written in the annotations ('Except the populations of Botswana, Namibia, South
Africa and Zimbabwe, which are included in Appendix II'); the countries it names are matched
against the taxon's own distribution (``GET /taxon_concepts/{id}/distributions``: ``iso_code2``
and ``name``), so no separate list of country names is needed.
"""

from __future__ import annotations

import re
from typing import Any

from wildsift.lexicon.registries.http import RegistryClient

BASE_URL = "https://api.speciesplus.net/api/v1"
TOKEN_ENV = "SPECIESPLUS_TOKEN"
SIGNUP = "https://api.speciesplus.net/users/sign_up"
_INCLUDED_IN = re.compile(r"included in appendix\s+(I{1,3})\b", re.IGNORECASE)


def _countries_named(text: str, names: dict[str, str]) -> list[str]:
    lowered = text.lower()
    return sorted({code for name, code in names.items()
                   if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", lowered)})


def split_listing(listings: list[dict[str, Any]], names: dict[str, str]
                  ) -> tuple[str, dict[str, list[str]]]:
    """(appendix of the species as a whole, {appendix: [ISO alpha-2]} for split populations).

    ``names``: lower-cased country name -> ISO alpha-2 (from the taxon's distribution).
    Reservations (listings with a ``party``) are a country's own position, not a listing.
    """
    main = ""
    populations: dict[str, set[str]] = {}
    for listing in listings:
        if listing.get("party"):
            continue
        appendix = str(listing.get("appendix") or "")
        note = listing.get("annotation") or ""
        if note.lower().startswith("except"):
            main = appendix
            other = _INCLUDED_IN.search(note)
            if other:
                populations.setdefault(other.group(1), set()).update(
                    _countries_named(note, names))
        elif "population" in note.lower() and _countries_named(note, names):
            populations.setdefault(appendix, set()).update(_countries_named(note, names))
        elif not main:
            main = appendix
    if not main and listings:
        main = min(str(x.get("appendix") or "") for x in listings if not x.get("party"))
    return main, {k: sorted(v) for k, v in sorted(populations.items()) if k != main and v}


def fetch(client: RegistryClient, name: str) -> dict[str, Any] | None:
    """Facts for one scientific name, or None when Species+ has no accepted concept for it."""
    body = client.get("/taxon_concepts", name=name, per_page=500) or {}
    concepts = [c for c in body.get("taxon_concepts") or []
                if (c.get("full_name") or "").lower() == name.lower()]
    accepted = [c for c in concepts if c.get("name_status", "A") == "A"] or concepts
    if not accepted:
        return None
    concept = accepted[0]
    listings = concept.get("cites_listings") or []
    if not listings:
        return {"cites": "", "cites_populations": {}, "taxon_concept_id": concept.get("id")}
    names: dict[str, str] = {}
    if any("population" in (x.get("annotation") or "").lower() for x in listings):
        for place in client.get(f"/taxon_concepts/{concept['id']}/distributions") or []:
            if place.get("iso_code2") and place.get("name"):
                names[place["name"].lower()] = place["iso_code2"].upper()
    main, populations = split_listing(listings, names)
    return {"cites": main, "cites_populations": populations,
            "cites_listing": concept.get("cites_listing"),
            "effective_at": max((str(x.get("effective_at") or "") for x in listings),
                                default=""),
            "taxon_concept_id": concept.get("id")}
