"""Each post's location as the location stage stored it, for the report, the map and exports.

Posts the stage has not located yet (a study sifted before it existed and not sifted since) fall
back to their geotag, reverse-geocoded, or the country their source gave
(:func:`wildsift.analysis.geo.post_countries`), so the report never shows less than before.
"""

from __future__ import annotations

import pandas as pd

from wildsift.analysis.geo import UNKNOWN, post_countries

STAGE_FIELDS = ("location_country", "location_place", "location_lat", "location_lon",
                "location_source", "location_confidence", "location_evidence")
COLUMNS = ("country", "country_from", "confidence", "place", "lat", "lon", "evidence")


def stored_locations(store, pks: list[int] | None = None) -> pd.DataFrame:
    """The location stage's latest fields by post pk (index ``pk``; columns as stored)."""
    scores = store.scores.latest(list(STAGE_FIELDS))
    if scores.empty or "location_source" not in scores:
        scores = pd.DataFrame(columns=list(STAGE_FIELDS), index=pd.Index([], name="pk"))
    else:
        scores = scores.rename(columns={"post_pk": "pk"}).set_index("pk")
    for field in STAGE_FIELDS:
        if field not in scores:
            scores[field] = None
    if pks is not None:
        scores = scores.reindex(pks)
    return scores[list(STAGE_FIELDS)]


def post_locations(store, posts: pd.DataFrame) -> pd.DataFrame:
    """One row per post of ``posts`` (its index): country (code or 'unknown'), country_from
    (geotag, platform_place, text, profile, phone; 'field' or 'none' where the stage has not
    run), confidence, place, lat, lon, evidence. ``posts`` needs pk, lat, lon, country."""
    if posts.empty:
        return pd.DataFrame(columns=list(COLUMNS), index=posts.index)
    fallback = post_countries(posts)
    stored = stored_locations(store, [int(pk) for pk in posts["pk"]])
    stored.index = posts.index
    has = stored["location_country"].notna() & stored["location_country"].astype(str).ne("")
    out = pd.DataFrame(index=posts.index)
    out["country"] = stored["location_country"].where(has, fallback["country"])
    out["country"] = out["country"].fillna(UNKNOWN)
    source = stored["location_source"].where(has, fallback["country_from"])
    out["country_from"] = source.fillna("none")
    geotag = fallback["country_from"].eq("geotag")
    out["confidence"] = pd.to_numeric(stored["location_confidence"], errors="coerce").where(
        has, geotag.map({True: 0.99, False: float("nan")}))
    out["place"] = stored["location_place"].where(has, None)
    out["lat"] = pd.to_numeric(stored["location_lat"], errors="coerce").where(
        has, pd.to_numeric(posts["lat"], errors="coerce").where(geotag))
    out["lon"] = pd.to_numeric(stored["location_lon"], errors="coerce").where(
        has, pd.to_numeric(posts["lon"], errors="coerce").where(geotag))
    out["evidence"] = stored["location_evidence"].where(has, None)
    return out
