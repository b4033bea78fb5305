"""IUCN Red List API v4 (token): the latest global assessment's category of a species.

``GET /taxa/scientific_name?genus_name=G&species_name=s[&infra_name=i]`` with the header
``Authorization: Bearer <token>`` answers ``{"taxon": {...}, "assessments": [{"latest",
"year_published", "red_list_category_code", "assessment_id", "scopes": [{"code", "description":
{"en": "Global"}}]}, ...]}``; an unknown name is a 404.
"""

from __future__ import annotations

from typing import Any

from wildsift.lexicon.registries.http import RegistryClient

BASE_URL = "https://api.iucnredlist.org/api/v4"
TOKEN_ENV = "IUCN_REDLIST_TOKEN"
SIGNUP = "https://api.iucnredlist.org/users/sign_up"


def _is_global(assessment: dict[str, Any]) -> bool:
    scopes = assessment.get("scopes") or []
    return not scopes or any(str(s.get("code")) == "1" or
                             (s.get("description") or {}).get("en") == "Global" for s in scopes)


def fetch(client: RegistryClient, name: str) -> dict[str, Any] | None:
    """Facts for one scientific name ('Genus species' or 'Genus species infra'), or None."""
    parts = name.split()
    if len(parts) < 2:
        return None  # families and genera are not assessed as such
    body = client.get("/taxa/scientific_name", genus_name=parts[0], species_name=parts[1],
                      infra_name=parts[2] if len(parts) > 2 else None)
    if not body:
        return None
    assessments = [a for a in body.get("assessments") or [] if a.get("latest")]
    chosen = [a for a in assessments if _is_global(a)] or assessments
    if not chosen:
        return None
    best = max(chosen, key=lambda a: str(a.get("year_published") or ""))
    code = best.get("red_list_category_code") or (best.get("red_list_category") or {}).get("code")
    if not code:
        return None
    return {"iucn": str(code).upper(), "year": str(best.get("year_published") or ""),
            "assessment_id": best.get("assessment_id"),
            "sis_id": (body.get("taxon") or {}).get("sis_id")}
