"""Which taxa the posts are about, with their IUCN Red List category and CITES appendix.

Per detection (a kept post naming a taxon) :func:`detections_table` gives the IUCN category,
the CITES appendix that applies to the post's country (split listings), and whether the post's
country is inside, outside or uncertain for the taxon's native range, each with its source and
date: a registry snapshot in the study folder (``wildsift lexicon refresh``) where one knows the
species, else the packaged lexicon.

The taxa come from the matches table (written by the lexicon stage); their scientific names,
groups, IUCN categories, CITES appendices and native ranges come from the lexicon, so a report
states the conservation status the lexicon in use holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from wildsift.lexicon.taxon import appendix_for

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


# -- per detection: IUCN, CITES for the post's country, native-range verdict -----------------

INSIDE, OUTSIDE, UNCERTAIN = "inside", "outside", "uncertain"
DETECTION_COLUMNS = ["post_pk", "taxon", "country", "iucn", "iucn_source", "cites",
                     "cites_source", "range", "range_reason", "range_source", "range_date"]
MIN_LOCATION_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Facts:
    """A taxon's conservation facts and where each came from (lexicon or a registry snapshot)."""

    iucn: str
    iucn_source: str
    cites: str
    cites_populations: dict[str, list[str]]
    cites_source: str
    native_range: frozenset[str]
    range_source: str
    range_date: str

    def cites_for(self, country: str | None) -> str:
        """The appendix of the population of ``country`` (split listings), else the species'."""
        return appendix_for(self.cites, self.cites_populations, country)


def effective_facts(taxa: Mapping[str, Any], snapshots: Mapping[str, Any] | None = None,
                    lexicon_date: str = "") -> dict[str, Facts]:
    """Taxon key -> :class:`Facts`: the newest registry snapshot where it knows the species,
    else the lexicon (``source`` of each taxon, dated ``lexicon_date``). A group-level taxon
    without a range of its own takes the union of its species' ranges ('elephant' offered
    outside every elephant species' range is outside)."""
    snapshots = snapshots or {}
    out: dict[str, Facts] = {}
    for key, taxon in taxa.items():
        name = getattr(taxon, "scientific_name", key)
        source = getattr(taxon, "source", None) or {}
        iucn = (getattr(taxon, "iucn", "") or "", f"lexicon ({source.get('iucn', 'packaged')})")
        cites = (getattr(taxon, "cites", "") or "",
                 dict(getattr(taxon, "cites_populations", None) or {}),
                 f"lexicon ({source.get('cites', 'packaged')})")
        native = (frozenset(getattr(taxon, "native_range", None) or ()),
                  f"lexicon ({source.get('range', 'packaged')})", lexicon_date)
        if (hit := _snapshot_facts(snapshots, "iucn", name)) and hit[0].get("iucn"):
            iucn = (hit[0]["iucn"], f"IUCN Red List {hit[0].get('year', '')} "
                                    f"(snapshot {hit[1].retrieved})".replace("  ", " "))
        if (hit := _snapshot_facts(snapshots, "cites", name)) and hit[0].get("cites"):
            cites = (hit[0]["cites"], dict(hit[0].get("cites_populations") or {}),
                     f"CITES Species+ (snapshot {hit[1].retrieved})")
        if (hit := _snapshot_facts(snapshots, "gbif", name)) and hit[0].get("native_range"):
            native = (frozenset(hit[0]["native_range"]), "GBIF distributions", hit[1].retrieved)
        out[key] = Facts(iucn[0], iucn[1], cites[0], cites[1], cites[2], *native)
    for key, facts in list(out.items()):
        taxon = taxa[key]
        if not facts.native_range and getattr(taxon, "is_group", False):
            union = frozenset().union(*(f.native_range for k, f in out.items()
                                        if k != key and getattr(taxa[k], "group", None) == key))
            if union:
                out[key] = dataclasses.replace(
                    facts, native_range=union,
                    range_source=f"union of the {key} species' ranges")
    return out


def _snapshot_facts(snapshots: Mapping[str, Any], source: str, name: str):
    snapshot = snapshots.get(source)
    if snapshot is None or name not in snapshot.taxa:
        return None
    return snapshot.taxa[name], snapshot


def range_verdict(country: str | None, native: frozenset[str],
                  confidence: float | None = None) -> tuple[str, str]:
    """(inside | outside | uncertain, why)."""
    if not country or country == "unknown":
        return UNCERTAIN, "post not located"
    if not native:
        return UNCERTAIN, "native range unknown or worldwide"
    if confidence is not None and confidence < MIN_LOCATION_CONFIDENCE:
        return UNCERTAIN, f"location confidence {confidence:.2f}"
    return (INSIDE, "country in native range") if country in native else \
        (OUTSIDE, "country outside native range")


def detections_table(matches: pd.DataFrame, kept: pd.DataFrame, facts: Mapping[str, Facts],
                     countries: pd.Series | None = None,
                     confidence: pd.Series | None = None) -> pd.DataFrame:
    """One row per kept post and taxon it names: IUCN, CITES for the post's country (a split
    listing such as Loxodonta africana, Appendix I except BW, NA, ZA, ZW in II, is decided by
    where the post is), and the native-range verdict with its source and date.

    ``countries`` / ``confidence``: ISO alpha-2 and location confidence (0-1) by post pk.
    """
    pairs = matches.loc[matches["post_pk"].isin(kept["pk"]), ["post_pk", "taxon"]]
    pairs = pairs.drop_duplicates()
    rows = []
    for pk, key in zip(pairs["post_pk"], pairs["taxon"]):
        found = facts.get(key)
        if found is None:
            continue
        country = countries.get(pk) if countries is not None else None
        country = country if isinstance(country, str) and country != "unknown" else None
        conf = confidence.get(pk) if confidence is not None else None
        conf = float(conf) if conf is not None and not pd.isna(conf) else None
        verdict, why = range_verdict(country, found.native_range, conf)
        rows.append({"post_pk": int(pk), "taxon": key, "country": country, "iucn": found.iucn,
                     "iucn_source": found.iucn_source, "cites": found.cites_for(country),
                     "cites_source": found.cites_source, "range": verdict, "range_reason": why,
                     "range_source": found.range_source, "range_date": found.range_date})
    return pd.DataFrame(rows, columns=DETECTION_COLUMNS)


def conservation_by_taxon(detections: pd.DataFrame, facts: Mapping[str, Facts]) -> pd.DataFrame:
    """Per taxon: IUCN, CITES (with split populations), detections inside / outside / uncertain
    of the native range, and the sources and dates the columns rest on."""
    columns = ["taxon", "iucn", "iucn_source", "cites", "cites_splits", "cites_seen",
               "cites_source", "detections", INSIDE, OUTSIDE, UNCERTAIN, "range_source",
               "range_date"]
    rows = []
    for key, part in detections.groupby("taxon", sort=True):
        found = facts[key]
        counts = part["range"].value_counts()
        rows.append({"taxon": key, "iucn": found.iucn, "iucn_source": found.iucn_source,
                     "cites": found.cites,
                     "cites_splits": "; ".join(f"{a}: {', '.join(c)}" for a, c in
                                               sorted(found.cites_populations.items())),
                     "cites_seen": ", ".join(sorted(set(part["cites"]) - {""})),
                     "cites_source": found.cites_source, "detections": len(part),
                     INSIDE: int(counts.get(INSIDE, 0)), OUTSIDE: int(counts.get(OUTSIDE, 0)),
                     UNCERTAIN: int(counts.get(UNCERTAIN, 0)),
                     "range_source": found.range_source, "range_date": found.range_date})
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["detections", "taxon"], ascending=[False, True]).reset_index(
        drop=True)
