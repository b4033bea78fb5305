"""Registry refresh against local HTTP servers answering in each API's shape (GBIF species match
and distributions, IUCN Red List API v4 taxa/scientific_name, CITES Species+ taxon_concepts),
and the conservation facts a report then takes from the snapshot."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from wildsift.analysis import conservation
from wildsift.cli.main import app
from wildsift.lexicon import Lexicon
from wildsift.lexicon.registries.http import RegistryAuthError
from wildsift.lexicon.registries.refresh import refresh
from wildsift.lexicon.registries.snapshot import latest_snapshots

pytest.importorskip("pytest_httpserver")

ANNOTATION_I = ("Except the populations of Botswana, Namibia, South Africa and Zimbabwe, which "
                "are included in Appendix II subject to annotation 2.")
ANNOTATION_II = ("The populations of Botswana, Namibia, South Africa and Zimbabwe are listed in "
                 "Appendix II for the exclusive purpose of allowing: a) trade in hunting trophies")


def _gbif(httpserver):
    httpserver.expect_request("/v1/species/match", query_string={
        "name": "Loxodonta africana", "strict": "true"}).respond_with_json({
            "usageKey": 2435350, "scientificName": "Loxodonta africana (Blumenbach, 1797)",
            "canonicalName": "Loxodonta africana", "rank": "SPECIES", "status": "ACCEPTED",
            "confidence": 99, "matchType": "EXACT", "kingdom": "Animalia"})
    httpserver.expect_request("/v1/species/match", query_string={
        "name": "Nonexistus fictus", "strict": "true"}).respond_with_json({
            "confidence": 100, "matchType": "NONE", "synonym": False})
    page = {"offset": 0, "limit": 200, "endOfRecords": False, "results": [
        {"taxonKey": 2435350, "locality": "Kenya", "country": "KE", "status": "PRESENT",
         "establishmentMeans": "NATIVE", "source": "IUCN"},
        {"taxonKey": 2435350, "locality": "Botswana", "country": "BW",
         "establishmentMeans": "NATIVE"},
        {"taxonKey": 2435350, "locality": "Gambia", "country": "GM", "status": "EXTINCT",
         "establishmentMeans": "NATIVE"},
    ]}
    page2 = {"offset": 200, "limit": 200, "endOfRecords": True, "results": [
        {"taxonKey": 2435350, "locality": "Australia", "country": "AU",
         "establishmentMeans": "INTRODUCED"},
        {"taxonKey": 2435350, "locality": "Tanzania", "country": "TZ",
         "establishmentMeans": "NATIVE", "status": "COMMON"},
    ]}
    httpserver.expect_request("/v1/species/2435350/distributions",
                              query_string={"limit": "200", "offset": "0"}).respond_with_json(page)
    httpserver.expect_request("/v1/species/2435350/distributions",
                              query_string={"limit": "200", "offset": "200"}
                              ).respond_with_json(page2)


def test_gbif_native_range_from_distribution_pages(httpserver, tmp_path):
    _gbif(httpserver)
    path, snapshot = refresh(tmp_path, "gbif", ["Loxodonta africana", "Nonexistus fictus"],
                             base_url=httpserver.url_for("/v1"), date="2026-12-07")
    assert path.name == "gbif-2026-12-07.json"
    facts = snapshot.taxa["Loxodonta africana"]
    assert facts["native_range"] == ["BW", "KE", "TZ"]  # extinct GM left out
    assert facts["introduced"] == ["AU"]
    assert snapshot.missing == ["Nonexistus fictus"]
    assert json.loads(path.read_text())["taxa"]["Loxodonta africana"]["usage_key"] == 2435350


def _iucn(httpserver, token="t0ken"):
    body = {"taxon": {"sis_id": 181008073, "scientific_name": "Loxodonta africana",
                      "kingdom_name": "ANIMALIA", "genus_name": "Loxodonta",
                      "species_name": "africana"},
            "assessments": [
                {"year_published": "2008", "latest": False, "assessment_id": 12392451,
                 "red_list_category_code": "VU", "scopes": [{"description": {"en": "Global"},
                                                             "code": "1"}]},
                {"year_published": "2021", "latest": True, "assessment_id": 181022663,
                 "red_list_category_code": "EN", "possibly_extinct": False,
                 "url": "https://www.iucnredlist.org/species/181008073/181022663",
                 "scopes": [{"description": {"en": "Global"}, "code": "1"}]},
                {"year_published": "2023", "latest": True, "assessment_id": 999,
                 "red_list_category_code": "LC",
                 "scopes": [{"description": {"en": "Pan-Africa"}, "code": "2"}]}]}
    httpserver.expect_request("/api/v4/taxa/scientific_name", query_string={
        "genus_name": "Loxodonta", "species_name": "africana"},
        headers={"Authorization": f"Bearer {token}"}).respond_with_json(body)
    httpserver.expect_request("/api/v4/taxa/scientific_name", query_string={
        "genus_name": "Nonexistus", "species_name": "fictus"}).respond_with_json(
        {"error": "Not found"}, status=404)


def test_iucn_latest_global_assessment_with_the_token(httpserver, tmp_path, monkeypatch):
    _iucn(httpserver)
    monkeypatch.setenv("IUCN_REDLIST_TOKEN", "t0ken")
    _, snapshot = refresh(tmp_path, "iucn", ["Loxodonta africana", "Nonexistus fictus"],
                          base_url=httpserver.url_for("/api/v4"), date="2026-12-07")
    facts = snapshot.taxa["Loxodonta africana"]
    assert (facts["iucn"], facts["year"], facts["assessment_id"]) == ("EN", "2021", 181022663)
    assert snapshot.missing == ["Nonexistus fictus"]


def test_iucn_without_or_with_a_refused_token_says_what_to_do(httpserver, tmp_path,
                                                              monkeypatch):
    monkeypatch.delenv("IUCN_REDLIST_TOKEN", raising=False)
    with pytest.raises(RegistryAuthError, match="IUCN_REDLIST_TOKEN"):
        refresh(tmp_path, "iucn", ["Loxodonta africana"], base_url=httpserver.url_for("/x"))
    httpserver.expect_request("/api/v4/taxa/scientific_name").respond_with_json(
        {"error": "Token not valid!"}, status=401)
    with pytest.raises(RegistryAuthError, match="refused the token"):
        refresh(tmp_path, "iucn", ["Loxodonta africana"], token="wrong",
                base_url=httpserver.url_for("/api/v4"))
    assert not (tmp_path / "registries").exists()


def _cites(httpserver, token="spp"):
    concept = {"id": 4521, "full_name": "Loxodonta africana", "author_year": "(Blumenbach, 1797)",
               "rank": "SPECIES", "name_status": "A", "updated_at": "2022-10-25T10:29:30.033Z",
               "active": True, "cites_listing": "I/II",
               "higher_taxa": {"kingdom": "Animalia", "family": "Elephantidae"},
               "synonyms": [{"id": 37069, "full_name": "Loxodonta cyclotis"}],
               "common_names": [{"name": "African Elephant", "language": "EN"}],
               "cites_listings": [
                   {"id": 30344, "appendix": "I", "annotation": ANNOTATION_I,
                    "hash_annotation": None, "effective_at": "2017-01-02", "party": None},
                   {"id": 30115, "appendix": "II", "annotation": ANNOTATION_II,
                    "hash_annotation": None, "effective_at": "2019-11-26", "party": None},
                   {"id": 32160, "appendix": "II", "annotation": "This reservation applies only "
                    "to the CoP18 update ... populations of Loxodonta africana in Botswana",
                    "effective_at": "2019-11-26",
                    "party": {"iso_code2": "ZM", "name": "Zambia", "type": "COUNTRY"}}]}
    header = {"X-Authentication-Token": token}
    httpserver.expect_request("/api/v1/taxon_concepts", query_string={
        "name": "Loxodonta africana", "per_page": "500"}, headers=header).respond_with_json(
        {"pagination": {"current_page": 1, "per_page": 500, "total_entries": 1},
         "taxon_concepts": [concept]})
    places = [{"id": 1, "iso_code2": code, "name": name, "tags": [], "type": "COUNTRY",
               "references": []} for code, name in [
                   ("BW", "Botswana"), ("NA", "Namibia"), ("ZA", "South Africa"),
                   ("ZW", "Zimbabwe"), ("KE", "Kenya"), ("TZ", "United Republic of Tanzania")]]
    httpserver.expect_request("/api/v1/taxon_concepts/4521/distributions",
                              headers=header).respond_with_json(places)


def test_cites_split_listing_from_species_plus(httpserver, tmp_path, monkeypatch):
    _cites(httpserver)
    monkeypatch.setenv("SPECIESPLUS_TOKEN", "spp")
    _, snapshot = refresh(tmp_path, "cites", ["Loxodonta africana"],
                          base_url=httpserver.url_for("/api/v1"), date="2026-12-07")
    facts = snapshot.taxa["Loxodonta africana"]
    assert facts["cites"] == "I"
    assert facts["cites_populations"] == {"II": ["BW", "NA", "ZA", "ZW"]}  # ZM reservation ignored
    assert facts["effective_at"] == "2019-11-26"


def test_snapshots_decide_iucn_cites_and_range_per_detection(httpserver, tmp_path, monkeypatch):
    _gbif(httpserver)
    _iucn(httpserver)
    _cites(httpserver)
    monkeypatch.setenv("IUCN_REDLIST_TOKEN", "t0ken")
    monkeypatch.setenv("SPECIESPLUS_TOKEN", "spp")
    for source, prefix in (("gbif", "/v1"), ("iucn", "/api/v4"), ("cites", "/api/v1")):
        refresh(tmp_path, source, ["Loxodonta africana"], base_url=httpserver.url_for(prefix),
                date="2026-12-07")
    taxa = {k: v for k, v in Lexicon.default().taxa.items() if v.group == "elephant"}
    facts = conservation.effective_facts(taxa, latest_snapshots(tmp_path), "2026-03")
    savanna = facts["loxodonta_africana"]
    assert savanna.range_source == "GBIF distributions" and savanna.range_date == "2026-12-07"
    assert savanna.cites_source.startswith("CITES Species+")
    matches = pd.DataFrame({"post_pk": [1, 2, 3, 4, 5],
                            "taxon": ["loxodonta_africana"] * 4 + ["elephant"]})
    kept = pd.DataFrame({"pk": [1, 2, 3, 4, 5]})
    countries = pd.Series({1: "BW", 2: "KE", 3: "VN", 4: "unknown", 5: "GB"})
    confidence = pd.Series({1: 0.9, 2: 0.3, 3: 0.9, 5: 0.9})
    rows = conservation.detections_table(matches, kept, facts, countries, confidence
                                         ).set_index("post_pk")
    assert rows.loc[1, "cites"] == "II" and rows.loc[3, "cites"] == "I"  # the country decides
    assert list(rows["range"]) == ["inside", "uncertain", "outside", "uncertain", "outside"]
    assert rows.loc[1, "iucn"] == "EN" and "2021" in rows.loc[1, "iucn_source"]
    assert rows.loc[5, "range_source"].startswith("lexicon")
    asian = conservation.detections_table(pd.DataFrame({"post_pk": [6], "taxon": ["elephant"]}),
                                          pd.DataFrame({"pk": [6]}), facts, pd.Series({6: "VN"}))
    assert asian["range"].tolist() == ["inside"]  # 'elephant' in Viet Nam: Elephas maximus
    table = conservation.conservation_by_taxon(rows.reset_index(), facts).set_index("taxon")
    assert table.loc["loxodonta_africana", ["inside", "outside", "uncertain"]].tolist() == [1, 1, 2]
    assert table.loc["loxodonta_africana", "cites_splits"] == "II: BW, NA, ZA, ZW"


def test_without_a_snapshot_the_lexicon_decides_and_says_so():
    taxa = {k: v for k, v in Lexicon.default().taxa.items() if v.group == "elephant"}
    facts = conservation.effective_facts(taxa, {}, "2026-03")["loxodonta_africana"]
    assert facts.cites_for("NA") == "II" and facts.cites_for("KE") == "I"
    assert facts.range_source.startswith("lexicon") and facts.range_date == "2026-03"


def test_a_group_without_its_own_range_takes_the_union_of_its_species():
    from types import SimpleNamespace as Taxon

    taxa = {"pangolin": Taxon(scientific_name="Manidae", group="pangolin", is_group=True,
                              native_range=[], iucn="NE", cites="I"),
            "manis_a": Taxon(scientific_name="Manis a", group="pangolin", is_group=False,
                             native_range=["VN", "LA"], iucn="CR", cites="I"),
            "manis_b": Taxon(scientific_name="Manis b", group="pangolin", is_group=False,
                             native_range=["NG"], iucn="EN", cites="I")}
    facts = conservation.effective_facts(taxa, {}, "2026-03")["pangolin"]
    assert facts.native_range == {"VN", "LA", "NG"}
    assert facts.range_source == "union of the pangolin species' ranges"
    assert conservation.range_verdict("CN", facts.native_range) == ("outside",
                                                                    "country outside native range")


def test_cli_refresh_writes_a_dated_snapshot(httpserver, study):
    _gbif(httpserver)
    result = CliRunner().invoke(app, ["--study", str(study.root), "lexicon", "refresh",
                                      "--from", "gbif", "--taxon", "loxodonta_africana",
                                      "--base-url", httpserver.url_for("/v1")])
    assert result.exit_code == 0, result.output
    snapshots = latest_snapshots(study.root)
    assert snapshots["gbif"].taxa["Loxodonta africana"]["native_range"] == ["BW", "KE", "TZ"]
    refused = CliRunner().invoke(app, ["--study", str(study.root), "lexicon", "refresh",
                                       "--from", "wikipedia"])
    assert refused.exit_code != 0
