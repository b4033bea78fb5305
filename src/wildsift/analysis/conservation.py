"""Which taxa the posts are about, with their IUCN Red List category and CITES appendix.

The taxa come from the matches table (written by the lexicon stage); their scientific names,
groups, IUCN categories, CITES appendices and native ranges come from the lexicon, so a report
states the conservation status the lexicon in use holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

IUCN_NAMES = {
    "EX": "Extinct", "EW": "Extinct in the Wild", "CR": "Critically Endangered",
    "EN": "Endangered", "VU": "Vulnerable", "NT": "Near Threatened", "LC": "Least Concern",
    "DD": "Data Deficient", "NE": "Not Evaluated",
}
COLUMNS = ["taxon", "scientific_name", "common_name", "group", "rank", "iucn", "iucn_name",
           "cites", "cites_note", "posts", "matched_posts", "products", "outside_native_range"]


def load_taxa() -> Mapping[str, Any]:
    """The default lexicon's taxa by key (objects with scientific_name, group, iucn, cites...)."""
    from wildsift.lexicon import Lexicon

    return Lexicon.default().taxa


def taxon_groups(taxa: Mapping[str, Any]) -> dict[str, str]:
    """Taxon key -> group ('rhinoceros', 'elephant', 'pangolin', ...)."""
    return {key: getattr(taxon, "group", None) or key for key, taxon in taxa.items()}


def _common_name(taxon: Any) -> str:
    names = getattr(taxon, "common_names", None) or {}
    english = names.get("en") or []
    return english[0] if english else ""


def _cites_note(taxon: Any) -> str:
    """Split listings, e.g. 'II for populations of NA, SZ, ZA'."""
    split = getattr(taxon, "cites_populations", None) or {}
    return "; ".join(f"{appendix} for populations of {', '.join(sorted(countries))}"
                     for appendix, countries in sorted(split.items()) if countries)


def taxa_table(matches: pd.DataFrame, kept: pd.DataFrame, taxa: Mapping[str, Any],
               countries: pd.Series | None = None, *,
               matched: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per matched taxon, most relevant posts first (pass matches without negatives).

    ``posts``: distinct posts in ``kept`` (the relevant ones) that matched the taxon;
    ``matched_posts``: distinct posts that matched it at all; ``products``: products named with it;
    ``outside_native_range``: kept posts located (``countries``: code by post pk) in a country
    outside the taxon's native range (None when countries or the range are unknown).
    ``matched`` (taxon, matched_posts, products as a set), counted over every post while loading,
    replaces what ``matches`` would say of all posts: then ``matches`` need hold only kept posts.
    """
    if matched is None:
        if matches.empty:
            return pd.DataFrame(columns=COLUMNS)
        matched = pd.DataFrame([
            {"taxon": key, "matched_posts": group["post_pk"].nunique(),
             "products": set(group["product"].dropna())}
            for key, group in matches.groupby("taxon", sort=False)])
    if matched.empty:
        return pd.DataFrame(columns=COLUMNS)
    matches = matches[matches["post_pk"].isin(kept["pk"])]
    kept_by_taxon = {key: pd.unique(group["post_pk"])
                     for key, group in matches.groupby("taxon", sort=False)}
    rows = []
    for key, matched_posts, found in zip(matched["taxon"], matched["matched_posts"],
                                         matched["products"]):
        kept_here = kept_by_taxon.get(key, [])
        taxon = taxa.get(key)
        products = sorted(str(p) for p in (found if isinstance(found, set) else ()) if p)
        iucn = getattr(taxon, "iucn", None) or ""
        native = set(getattr(taxon, "native_range", None) or [])
        outside = None
        if countries is not None and native:
            located = countries.reindex(kept_here).dropna()
            located = located[located != "unknown"]
            outside = int((~located.isin(native)).sum())
        rows.append({
            "taxon": key,
            "scientific_name": getattr(taxon, "scientific_name", None) or key,
            "common_name": _common_name(taxon) if taxon is not None else "",
            "group": getattr(taxon, "group", None) or "",
            "rank": getattr(taxon, "rank", None) or "",
            "iucn": iucn,
            "iucn_name": IUCN_NAMES.get(iucn, ""),
            "cites": getattr(taxon, "cites", None) or "",
            "cites_note": _cites_note(taxon),
            "posts": len(kept_here),
            "matched_posts": int(matched_posts),
            "products": ", ".join(products),
            "outside_native_range": outside,
        })
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["posts", "matched_posts", "taxon"],
                             ascending=[False, False, True]).reset_index(drop=True)
