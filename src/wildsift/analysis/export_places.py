"""``wildsift export FILE --what places``: one row (or GeoJSON Point) per located post.

For QGIS, R (sf) or GeoPandas. A post's point is its geotag, else the place it was located at
(a city of the gazetteer), else a representative point of its country; ``precision`` says which,
so a map can draw country-level points differently. Each carries the post's pseudonymous id, its
country, the location's source and confidence, whether the filter kept it, and the taxa the
lexicon found in it. Nothing here identifies a person: ids are keyed hashes, places are
gazetteer places (never a profile's free text).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from wildsift.analysis.geo import UNKNOWN
from wildsift.analysis.places.located import post_locations
from wildsift.places.gazetteer import load_gazetteer

PLACE_COLUMNS = ("post_id", "platform", "created_at", "country", "place", "lat", "lon",
                 "precision", "source", "confidence", "relevant", "taxa")
PLACE_FORMATS = ("geojson", "csv", "jsonl", "parquet")


def _country_point(code: str) -> tuple[float, float]:
    """A representative point of a country (NaN, NaN when the gazetteer has none)."""
    place = load_gazetteer().country(code)
    if place is None or place.lat is None or place.lon is None:
        return float("nan"), float("nan")
    return place.lat, place.lon


def places_frame(store) -> pd.DataFrame:
    """Every located post: :data:`PLACE_COLUMNS` (``taxa``: a list)."""
    posts = store.posts.frame(("pk", "post_id", "platform", "created_at", "lat", "lon",
                               "country"))
    if posts.empty:
        return pd.DataFrame(columns=list(PLACE_COLUMNS))
    located = post_locations(store, posts)
    keep = located["country"].ne(UNKNOWN)
    posts, located = posts[keep], located[keep]
    lat, lon = located["lat"].astype(float), located["lon"].astype(float)
    precision = pd.Series("place", index=located.index)
    precision[located["country_from"].eq("geotag")] = "point"
    missing = lat.isna() | lon.isna()
    precision[missing] = "country"
    points = [_country_point(c) for c in located.loc[missing, "country"]]
    lat[missing] = [p[0] for p in points]
    lon[missing] = [p[1] for p in points]
    matches = store.matches.frame()
    taxa = (matches.groupby("post_pk")["taxon"].agg(lambda t: sorted(set(t)))
            if len(matches) else pd.Series(dtype=object))
    relevant = store.scores.latest(["relevant"])
    relevant = (relevant.set_index("post_pk")["relevant"] if "relevant" in relevant
                else pd.Series(dtype=float))
    frame = pd.DataFrame({
        "post_id": posts["post_id"], "platform": posts["platform"],
        "created_at": posts["created_at"], "country": located["country"],
        "place": located["place"], "lat": lat.round(5), "lon": lon.round(5),
        "precision": precision, "source": located["country_from"],
        "confidence": pd.to_numeric(located["confidence"], errors="coerce"),
        "relevant": posts["pk"].map(relevant).astype("Float64"),
        "taxa": [v if isinstance(v, list) else [] for v in posts["pk"].map(taxa)],
    })
    return frame.reset_index(drop=True)


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def to_geojson(frame: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946, WGS 84 lon/lat): one Point per row that has
    coordinates; every other column is a property."""
    features = []
    props = [c for c in frame.columns if c not in ("lat", "lon")]
    for row in frame.to_dict("records"):
        lat, lon = _clean(row["lat"]), _clean(row["lon"])
        if lat is None or lon is None:
            continue
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                         "properties": {c: _clean(row[c]) for c in props}})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(frame: pd.DataFrame, out: Path) -> int:
    """Write ``frame`` as GeoJSON; returns the number of features."""
    collection = to_geojson(frame)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(collection, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    return len(collection["features"])
