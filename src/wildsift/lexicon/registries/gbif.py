"""GBIF (no token): species match, then the species' distributions as native range countries.

``GET /species/match?name=...`` gives the usage key (the accepted one for a synonym);
``GET /species/{key}/distributions`` pages through distribution records: a record with a
``country`` and ``establishmentMeans`` NATIVE (or none given, when the species has no NATIVE
record at all) counts as native; INTRODUCED, INVASIVE, NATURALISED as introduced; a status of
ABSENT or EXTINCT is left out.
"""

from __future__ import annotations

from typing import Any

from wildsift.lexicon.registries.http import RegistryClient

BASE_URL = "https://api.gbif.org/v1"
PAGE = 200
_INTRODUCED = {"INTRODUCED", "INVASIVE", "NATURALISED", "MANAGED", "ASSISTED_COLONISATION"}
_GONE = {"ABSENT", "EXTINCT", "EXCLUDED", "DOUBTFUL"}


def fetch(client: RegistryClient, name: str) -> dict[str, Any] | None:
    """Facts for one scientific name, or None when GBIF has no match."""
    match = client.get("/species/match", name=name, strict="true")
    if not match or match.get("matchType") in (None, "NONE") or "usageKey" not in match:
        return None
    key = match.get("acceptedUsageKey") or match["usageKey"]
    native: set[str] = set()
    unspecified: set[str] = set()
    introduced: set[str] = set()
    offset = 0
    while True:
        page = client.get(f"/species/{key}/distributions", limit=PAGE, offset=offset) or {}
        for record in page.get("results", []):
            country = (record.get("country") or "").upper()
            if len(country) != 2 or (record.get("status") or "").upper() in _GONE:
                continue
            means = (record.get("establishmentMeans") or "").upper()
            if means == "NATIVE":
                native.add(country)
            elif means in _INTRODUCED:
                introduced.add(country)
            elif not means:
                unspecified.add(country)
        if page.get("endOfRecords", True) or not page.get("results"):
            break
        offset += PAGE
    basis = "establishmentMeans NATIVE"
    if not native and unspecified:
        native, basis = unspecified, "distribution records without establishmentMeans"
    return {"usage_key": key, "matched_name": match.get("scientificName"),
            "native_range": sorted(native), "introduced": sorted(introduced - native),
            "range_basis": basis}
