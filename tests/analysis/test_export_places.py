"""wildsift export: places as GeoJSON (read back as GeoJSON), formats by extension, data
dictionaries, and media entries that carry image facts and never a path of this machine."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from PIL import Image
from sqlalchemy import delete
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.sift.stages.location import FIELDS, LocationStage
from wildsift.store.schema import posts

runner = CliRunner()
COLUMNS = ("pk", "text", "lang", "lat", "lon", "place", "country", "profile_place",
           "profile_country", "phone_country")


@pytest.fixture
def located_study(study, tmp_path) -> tuple:
    """Four imported posts (one with a local image), located by the location stage; the
    image hashed, OCR'd, scored and in a near-duplicate cluster with a second copy."""
    picture = tmp_path / "fieldwork" / "img_0412.jpg"
    picture.parent.mkdir()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(picture)
    source = tmp_path / "posts.csv"
    pd.DataFrame([
        {"id": "1", "text": "Ngà voi thật, ship từ Hà Nội, gọi +84 90 123 4567",
         "author": "alice", "author_location": "Sài Gòn", "media": str(picture)},
        {"id": "2", "text": "Pangolin scales from Lagos, Nigeria", "author": "bob",
         "author_location": "Spartanburg, South Carolina, United States"},
        {"id": "3", "text": "Big Sale! Best price", "author": "carol", "lat": -1.2921,
         "lon": 36.8219},
        {"id": "4", "text": "nothing here", "author": "dave", "author_location": "the moon"},
    ]).to_csv(source, index=False)
    result = runner.invoke(app, ["--study", str(study.root), "import", str(source),
                                 "--platform", "x"])
    assert result.exit_code == 0, result.output
    store = study.store
    stored = store.posts.frame(COLUMNS)
    store.scores.write("location", LocationStage.version, LocationStage()(stored), FIELDS)
    ivory = int(stored.loc[stored["text"].str.startswith("Ngà voi"), "pk"].iloc[0])
    store.matches.replace(pd.DataFrame([{"post_pk": ivory, "taxon": "elephant",
                                         "product": "ivory", "lang": "vi", "term": "ngà voi",
                                         "kind": "product"}]))
    store.images.link_media()
    sha = store.images.frame(("sha256",))["sha256"].iloc[0]
    twin = "f" * 64
    store.images.add([{"sha256": twin, "phash": "c3c3c3c3c3c3c3c3", "format": "JPEG"}])
    store.images.update(pd.DataFrame([{"sha256": sha, "phash": "c3c3c3c3c3c3c3c1",
                                       "format": "JPEG", "ocr_text": "call <PHONE:ab12cd>"}]),
                        ["phash", "format", "ocr_text"])
    store.images.write_scores("image_model", "m1", pd.DataFrame(
        {"sha256": [sha], "image_relevance": [0.83]}), ["image_relevance"])
    return study, sha, str(picture)


def test_places_geojson_is_read_back_as_geojson(located_study, tmp_path):
    study, _, _ = located_study
    out = tmp_path / "places.geojson"
    result = runner.invoke(app, ["--study", str(study.root), "export", str(out),
                                 "--what", "places"])
    assert result.exit_code == 0, result.output
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    by_country = {}
    for feature in features:  # the shape RFC 7946 asks for, checked field by field
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert props["post_id"].startswith("p_") and props["confidence"] > 0
        by_country[props["country"]] = props
    assert set(by_country) == {"VN", "NG", "KE"}  # "the moon" is nowhere
    assert by_country["KE"]["source"] == "geotag" and by_country["KE"]["precision"] == "point"
    assert by_country["VN"]["source"] == "text" and by_country["VN"]["place"] == "Hanoi"
    assert by_country["VN"]["taxa"] == ["elephant"]


def test_places_as_a_table_and_every_export_has_a_dictionary(located_study, tmp_path):
    study, _, _ = located_study
    for name in ("places.csv", "places.parquet"):
        out = tmp_path / name
        result = runner.invoke(app, ["--study", str(study.root), "export", str(out),
                                     "--what", "places"])
        assert result.exit_code == 0, result.output
        frame = pd.read_csv(out) if name.endswith("csv") else pd.read_parquet(out)
        dictionary = json.loads((tmp_path / f"{name}.dictionary.json").read_text())
        assert [c["column"] for c in dictionary["columns"]] == list(frame.columns)
        assert all(c["meaning"] and c["type"] and c["source"] for c in dictionary["columns"])
        assert (tmp_path / f"{name}.dictionary.md").read_text().count("\n| ") == len(
            frame.columns) + 1
    bad = runner.invoke(app, ["--study", str(study.root), "export", str(tmp_path / "p.geojson")])
    assert bad.exit_code == 1 and "unknown export format 'geojson'" in bad.stderr


def test_posts_media_carry_image_facts_and_no_local_path(located_study, tmp_path):
    study, sha, picture = located_study
    raw_media = study.store.posts.frame(("media",))["media"].tolist()
    assert any(picture in json.dumps(m) for m in raw_media)  # the store keeps the path...
    for name in ("posts.jsonl", "posts.csv", "posts.parquet"):
        out = tmp_path / name
        result = runner.invoke(app, ["--study", str(study.root), "export", str(out)])
        assert result.exit_code == 0, result.output
        assert picture.encode() not in out.read_bytes()  # ...no export does
        assert b"fieldwork" not in out.read_bytes()
        dictionary = json.loads((tmp_path / f"{name}.dictionary.json").read_text())
        described = {c["column"] for c in dictionary["columns"]}
        assert {"media", "location_country", "location_source"} <= described
    rows = [json.loads(line) for line in (tmp_path / "posts.jsonl").read_text().splitlines()]
    entry = next(m for row in rows for m in row["media"])
    assert entry == {"kind": "image", "url": None, "thumbnail": None, "sha256": sha,
                     "file": f"{sha}.jpg", "phash": "c3c3c3c3c3c3c3c1",
                     "ocr_text": "call <PHONE:ab12cd>", "cluster": 1, "image_score": 0.83}
    located = {row["location_country"]: row for row in rows if row["location_country"]}
    assert located["VN"]["phone_country"] == "VN" and located["VN"]["profile_country"] == "VN"
    assert "Sài Gòn" not in (tmp_path / "posts.jsonl").read_text()  # only the resolved place


def test_an_erased_post_leaves_the_places_geojson(located_study, tmp_path):
    from wildsift.analysis.export_records import purge_exports

    study, _, _ = located_study
    out = tmp_path / "places.geojson"
    assert runner.invoke(app, ["--study", str(study.root), "export", str(out), "--what",
                               "places"]).exit_code == 0
    gone = json.loads(out.read_text())["features"][0]["properties"]["post_id"]
    with study.store.engine.begin() as conn:  # as an erasure leaves the store
        conn.execute(delete(posts).where(posts.c.post_id == gone))
    done = purge_exports(study.root, study.store)
    assert done.rewritten and len(json.loads(out.read_text())["features"]) == 2
    assert gone not in out.read_text()


def test_unknown_what_is_refused(study, tmp_path):
    result = runner.invoke(app, ["--study", str(study.root), "export",
                                 str(tmp_path / "x.csv"), "--what", "everything"])
    assert result.exit_code == 1 and "--what 'everything'" in result.stderr

