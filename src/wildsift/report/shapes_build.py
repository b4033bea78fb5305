"""Build the map's country shapes, ``report/assets/countries-110m.geojson`` (development time).

Input: ``countries-110m.json`` of the npm package ``world-atlas`` 2.x (Natural Earth 1:110m
admin-0 countries, public domain; TopoJSON by Mike Bostock, ISC licence): ``npm pack
world-atlas@2`` and untar it. Run ``python -m wildsift.report.shapes_build PATH``. The TopoJSON
is decoded here (quantised, delta-encoded arcs), ids become ISO 3166-1 alpha-2 codes (with
``pycountry``), coordinates are rounded to 0.01 degree, and each country gets a representative
point (the area-weighted centroid of its largest polygon) for ``places/data/country_points.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ASSET = Path(__file__).with_name("assets") / "countries-110m.geojson"
POINTS = Path(__file__).resolve().parents[1] / "places" / "data" / "country_points.json"
NO_NUMERIC = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}  # no ISO numeric id


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * scale[0] + translate[0], 2),
                           round(y * scale[1] + translate[1], 2)))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return [list(p) for p in ring]


def _area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def build(source: Path) -> tuple[Path, Path]:
    import pycountry

    topo = json.loads(source.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    features, points = [], {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        numeric = geometry.get("id")
        country = pycountry.countries.get(numeric=numeric) if numeric else None
        code = country.alpha_2 if country else NO_NUMERIC.get(name)
        if code is None or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = (geometry["arcs"] if geometry["type"] == "MultiPolygon"
                    else [geometry["arcs"]])
        coords = [[_ring(ring, arcs) for ring in polygon] for polygon in polygons]
        same = next((f for f in features if f["id"] == code), None)
        if same is not None:  # N. Cyprus, Somaliland: one shape per ISO code
            same["geometry"]["coordinates"].extend(coords)
            continue
        features.append({"type": "Feature", "id": code, "properties": {"name": name},
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
        _, lon, lat = max(_area_centroid(polygon[0]) for polygon in coords)
        points.setdefault(code, [round(lat, 2), round(lon, 2)])
    ASSET.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": features}
    ASSET.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    POINTS.write_text(json.dumps(dict(sorted(points.items()))) + "\n", encoding="utf-8")
    return ASSET, POINTS


if __name__ == "__main__":
    print(*build(Path(sys.argv[1])))
