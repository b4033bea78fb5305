"""The shipped lexicon: its facts, its matching across scripts, expansion and study lexicons."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from wildsift.errors import ConfigError, InputError
from wildsift.lexicon import Lexicon, Match, Taxon
from wildsift.lexicon.taxon import CITES_APPENDICES, IUCN_CATEGORIES

LANGUAGES = ["en", "zh-Hans", "zh-Hant", "vi", "th", "id", "ms", "ja", "ko", "my", "lo", "km",
             "fr", "es", "pt", "de", "ar", "sw", "ru", "fil", "hi"]
FIRST = LANGUAGES[:19]  # the languages every name of the first three groups is in
IUCN = {
    "Ceratotherium simum": "NT", "Diceros bicornis": "CR", "Rhinoceros unicornis": "VU",
    "Rhinoceros sondaicus": "CR", "Dicerorhinus sumatrensis": "CR",
    "Loxodonta africana": "EN", "Loxodonta cyclotis": "CR", "Elephas maximus": "EN",
    "Manis pentadactyla": "CR", "Manis javanica": "CR", "Manis culionensis": "CR",
    "Manis crassicaudata": "EN", "Phataginus tricuspis": "EN", "Phataginus tetradactyla": "VU",
    "Smutsia gigantea": "EN", "Smutsia temminckii": "VU",
}
GROUPS = {"rhinoceros": "Rhinocerotidae", "elephant": "Elephantidae", "pangolin": "Manidae"}
MAIN_PRODUCT = {"rhinoceros": "horn", "elephant": "ivory", "pangolin": "scales"}
REFERENCE = Path("/work/shared/reference")


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.default()


def found(lex: Lexicon, text: str, lang: str | None = None) -> set[tuple]:
    return {(m.taxon, m.product, m.kind) for m in lex.match(text, lang)}


# -- facts -------------------------------------------------------------------------------------
def first(lex: Lexicon) -> list[Taxon]:
    """The taxa of the first three groups (rhinoceros, elephant, pangolin)."""
    return [t for t in lex.taxa.values() if t.group in GROUPS]


def test_all_species_and_groups_present(lex):
    species = {t.scientific_name for t in first(lex) if not t.is_group}
    assert species == set(IUCN)
    assert set(GROUPS) <= set(lex.groups)
    for group, family in GROUPS.items():
        assert lex.taxa[group].scientific_name == family and lex.taxa[group].rank == "family"
    assert all(isinstance(t, Taxon) and t.group in lex.groups for t in lex.taxa.values())


def test_names_in_all_languages(lex):
    assert lex.languages == LANGUAGES
    for group in GROUPS:
        names = lex.taxa[group].common_names
        missing = [lang for lang in FIRST if not names.get(lang)]
        assert not missing, f"{group} lacks names in {missing}"
    for taxon in lex.species("rhinoceros") + lex.species("elephant") + lex.species("pangolin"):
        for lang in ("en", "zh-Hans", "fr", "es", "de", "ru", "ja"):
            assert taxon.common_names.get(lang), f"{taxon.key} lacks a {lang} name"


def test_main_products_in_all_languages(lex):
    for group, product in MAIN_PRODUCT.items():
        terms = lex.products(group)[product]
        assert [lang for lang in FIRST if not terms.get(lang)] == [], group
    assert set(lex.products("rhinoceros")) >= {"horn", "powder"}
    assert set(lex.products("elephant")) >= {"ivory", "tusk", "carving", "bangle", "hair"}
    assert set(lex.products("pangolin")) >= {"scales", "meat", "skin", "live"}


def test_iucn_categories(lex):
    for taxon in lex.taxa.values():
        assert taxon.iucn in IUCN_CATEGORIES
        if not taxon.is_group and taxon.group in GROUPS:
            assert taxon.iucn == IUCN[taxon.scientific_name], taxon.key


def test_cites_appendices_and_split_listings(lex):
    for taxon in lex.taxa.values():
        assert taxon.cites in CITES_APPENDICES, taxon.key
    assert all(t.cites == "I" for t in first(lex))
    white = lex.taxa["ceratotherium_simum"]
    assert sorted(white.cites_populations["II"]) == ["NA", "SZ", "ZA"]
    assert white.cites_for("ZA") == "II" and white.cites_for("KE") == "I"
    assert white.cites_for(None) == "I"
    savanna = lex.taxa["loxodonta_africana"]
    assert sorted(savanna.cites_populations["II"]) == ["BW", "NA", "ZA", "ZW"]
    assert savanna.cites_for("zw") == "II" and savanna.cites_for("KE") == "I"
    assert lex.taxa["elephas_maximus"].cites_for("TH") == "I"
    assert all(t.cites_for("ZA") == "I" for t in lex.species("pangolin"))


def test_native_ranges_are_iso_codes(lex):
    try:
        import pycountry
        valid = {c.alpha_2 for c in pycountry.countries}
    except ImportError:  # pragma: no cover - pycountry is in the test extra
        valid = None
    for taxon in lex.taxa.values():
        # an empty range is allowed only where the source says why (open oceans, worldwide)
        assert taxon.native_range or taxon.source.get("range"), taxon.key
        assert len(set(taxon.native_range)) == len(taxon.native_range), taxon.key
        for code in taxon.native_range:
            assert re.fullmatch(r"[A-Z]{2}", code), (taxon.key, code)
            assert valid is None or code in valid, (taxon.key, code)
    assert lex.taxa["manis_culionensis"].native_range == ["PH"]
    assert "VN" in lex.taxa["pangolin"].native_range  # group range is the union of its species
    assert "ZA" not in lex.taxa["elephas_maximus"].native_range


def test_version_and_sources_recorded(lex):
    assert lex.version and lex.version != "unversioned"
    assert {"iucn", "cites", "native_range", "names", "code_words"} <= set(lex.sources)


# -- matching ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Selling genuine rhino horn, DM for price", ("rhinoceros", "horn", "product")),
    ("出售正品象牙手镯，支持验货，微信联系", ("elephant", "bangle", "product")),
    ("出售天然象牙原料", ("elephant", "ivory", "product")),
    ("收購穿山甲鱗片，價格優惠", ("pangolin", "scales", "product")),
    ("Bánvòngtayngàvoithật", None),  # vi without spaces is not how Vietnamese is written
    ("Bán sừng tê giác thật giá tốt", ("rhinoceros", "horn", "product")),
    ("ban sung te giac that gia tot", ("rhinoceros", "horn", "product")),
    ("Cần mua vảy tê tê số lượng lớn", ("pangolin", "scales", "product")),
    ("ขายงาช้างแท้ราคาถูกส่งฟรี", ("elephant", "ivory", "product")),
    ("ขายนอแรดแท้ๆ", ("rhinoceros", "horn", "product")),
    ("Jual sisik trenggiling asli harga nego", ("pangolin", "scales", "product")),
    ("本物の象牙の印鑑を販売", ("elephant", "ivory", "product")),
    ("センザンコウの鱗を売ります", ("pangolin", "scales", "product")),
    ("코뿔소 뿔 판매합니다", ("rhinoceros", "horn", "product")),
    ("Vends ivoire sculpté ancien", ("elephant", "carving", "product")),
    ("Se vende cuerno de rinoceronte", ("rhinoceros", "horn", "product")),
    ("Verkaufe alte Elfenbeinschnitzerei", ("elephant", "carving", "product")),
    ("Продам слоновую кость", ("elephant", "ivory", "product")),
    ("للبيع والعاج الطبيعي", ("elephant", "ivory", "product")),
    ("Nauza pembe za ndovu", ("elephant", "ivory", "product")),
    ("Saw a pangolin on the trail today", ("pangolin", None, "name")),
    ("Black rhino calf born in the reserve", ("diceros_bicornis", None, "name")),
    ("Manis javanica seized at the port", ("manis_javanica", None, "name")),
    ("Selling white gold, whatsapp me", ("elephant", "ivory", "code_word")),
    ("正宗非洲牛骨手串", ("elephant", "ivory", "code_word")),
    ("猛犸象牙雕件", ("elephant", "ivory", "code_word")),
])
def test_matches_across_languages(lex, text, expected):
    result = found(lex, text)
    if expected is None:
        assert not any(product for _, product, _ in result)
    else:
        assert expected in result, result


def test_match_fields_and_dedup(lex):
    matches = lex.match("Rhino horn! rhino-horn, #rhinohorn and RHINO  HORN")
    assert matches == [Match("rhinoceros", "horn", "en", "rhino horn", "product")]
    assert all(m.taxon in lex.taxa for m in lex.match("象牙 穿山甲 犀牛 tê tê"))


@pytest.mark.parametrize("text", [
    "Flights to Ivory Coast this summer",
    "Côte d’Ivoire wins the cup",
    "Côte d'Ivoire wins the cup",
    "COTE D'IVOIRE",
    "Viaje a Costa de Marfil",
    "Urlaub an der Elfenbeinküste",
    "象牙海岸的咖啡",
    "他一直住在象牙塔里",
    "Living in an ivory tower",
    "Donald Tusk met the president",
    "Rhino 3D modelling course",
    "ساحل العاج",
    "Rumah di Kelapa Gading",
])
def test_hard_negatives(lex, text):
    assert lex.match(text) == []


@pytest.mark.parametrize("text", [
    "ivorycoloured", "tuskers", "elephantine grace", "rhinoplasty", "badaki", "overivory",
    "サイズが合わない",  # サイ "rhinoceros" inside サイズ "size"
    "خبر عاجل",  # عاج inside عاجل "urgent"
    "فيلم جديد",  # فيل inside فيلم "film"
])
def test_word_boundaries(lex, text):
    assert lex.match(text) == []


def test_longest_match_wins_and_overlaps_kept(lex):
    assert found(lex, "出售犀牛角") == {("rhinoceros", "horn", "product")}
    both = found(lex, "the rhino horn of a white rhino")
    assert both == {("rhinoceros", "horn", "product"), ("ceratotherium_simum", None, "name")}
    assert found(lex, "猛犸象牙手镯") == {("elephant", "ivory", "code_word"),
                                   ("elephant", "bangle", "product")}


def test_language_hint_picks_shared_terms(lex):
    assert [m.lang for m in lex.match("象牙")] == ["zh-Hans"]
    assert [m.lang for m in lex.match("象牙", "ja")] == ["ja"]
    assert [m.lang for m in lex.match("象牙", "zh")] == ["zh-Hans"]
    assert [m.lang for m in lex.match("badak", "ms")] == ["ms"]


def test_generic_words_map_to_group_taxon(lex):
    assert found(lex, "pangolin") == {("pangolin", None, "name")}
    assert found(lex, "象牙") == {("elephant", "ivory", "product")}
    assert found(lex, "Nashörner") == {("rhinoceros", None, "name")}


def test_match_many_equals_match(lex):
    texts = ["rhino horn", None, "", "象牙手镯", "nothing here", "tê tê"]
    assert lex.match_many(texts) == [lex.match(t) for t in texts]
    assert lex.match_many(["象牙"], ["ja"])[0][0].lang == "ja"
    with pytest.raises(ValueError):
        lex.match_many(["a", "b"], ["en"])


# -- expansion ---------------------------------------------------------------------------------
def test_expand_rhinoceros(lex):
    terms = lex.expand("rhinoceros", ["en", "zh-Hans", "vi"])
    for term in ["rhinoceros", "rhino horn", "犀牛", "犀角", "犀牛角", "tê giác", "sừng tê giác",
                 "white rhino", "Diceros bicornis"]:
        assert term in terms
    assert "corne de rhinocéros" not in terms and "ivory" not in terms
    assert len(terms) == len(set(terms))


@pytest.mark.parametrize("query", ["rhinoceros", "Rhinocerotidae", "犀牛", "tê giác", "Nashorn"])
def test_expand_accepts_any_name_of_a_group(lex, query):
    assert "sừng tê giác" in lex.expand(query, ["vi"])


def test_expand_species_and_products(lex):
    terms = lex.expand("Manis javanica", ["en"])
    assert "sunda pangolin" in terms and "pangolin scales" in terms
    assert "chinese pangolin" not in terms
    assert lex.expand("Manis tricuspis", ["en"])[0] == "Phataginus tricuspis"  # CITES synonym
    ivory = lex.expand("ivory", ["en", "fr", "vi"])
    assert {"ivory", "ivoire", "ngà voi", "white gold"} <= set(ivory)
    assert "tusk" not in ivory
    assert "象牙" in lex.expand("elephant", None)
    with pytest.raises(ConfigError, match="not in the lexicon"):
        lex.expand("dodo", ["en"])


# -- a study's own lexicon ---------------------------------------------------------------------
def test_study_lexicon_extends_default(tmp_path):
    (tmp_path / "lexicon.yaml").write_text(
        "extends: default\nversion: study1\nfiles: [cat.yaml]\n"
        "taxa:\n  - {key: pangolin, group: pangolin, scientific_name: Manidae, rank: family,\n"
        "     iucn: NE, cites: I, names: {vi: [trút]}}\n", encoding="utf-8")
    (tmp_path / "cat.yaml").write_text(
        "group: marbled_cat\n"
        "taxa:\n  - key: marbled_cat\n    scientific_name: Pardofelis marmorata\n    rank: species\n"
        "    iucn: NT\n    cites: I\n    native_range: [IN, 'NO']\n    names: {en: [marbled cat]}\n"
        "products:\n  bone: {en: [marbled cat bone], zh-Hans: [云猫骨]}\n", encoding="utf-8")
    lex = Lexicon.load(tmp_path)
    assert lex.version.endswith("+study1")
    assert "marbled_cat" in lex.groups and "rhinoceros" in lex.groups
    assert found(lex, "marbled cat bone for sale") == {("marbled_cat", "bone", "product")}
    assert found(lex, "bán con trút") == {("pangolin", None, "name")}
    assert "tê tê" in lex.taxa["pangolin"].common_names["vi"]  # shipped names kept
    assert lex.taxa["marbled_cat"].native_range == ["IN", "NO"]
    assert Lexicon.default().match("marbled cat bone") == []  # the default is untouched


@pytest.mark.parametrize("body, message", [
    ("taxa:\n  - {key: x, group: g, scientific_name: X y, rank: species, iucn: BAD, cites: I}",
     "field 'iucn'"),
    ("taxa:\n  - {key: x, group: g, rank: species, iucn: EN, cites: I}", "'scientific_name'"),
    ("products:\n  horn: {en: [x]}", "'group' is required"),
    ("taxa: [1, 2", "not valid UTF-8 YAML"),
    ("tax: []", "unknown keys"),
    (("group: g\ntaxa:\n  - {key: x, scientific_name: X y, rank: species, iucn: EN, cites: I,"
      " native_range: [NO]}"), "quote it"),
])
def test_bad_lexicon_files_name_file_and_field(tmp_path, body, message):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        Lexicon.load(path)
    assert "bad.yaml" in str(err.value)


# -- facts against the shared reference data ---------------------------------------------------
def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.mark.skipif(not (REFERENCE / "cites-appendix-I").exists(),
                    reason="shared CITES reference data (/work/shared/reference) not available")
def test_facts_against_cites_checklist(lex):
    folder = REFERENCE / "cites-appendix-I"
    usages = _read_tsv(folder / "NameUsage.tsv")
    ids = {u["scientificName"]: u["ID"] for u in usages if u["status"] == "accepted"}
    for u in usages:  # synonyms point at the accepted taxon CITES uses
        if u["status"] == "synonym":
            ids.setdefault(" ".join(u["scientificName"].split()[:2]), u["parentID"])
    listing = {p["taxonID"]: p for p in _read_tsv(folder / "taxon-property.tsv")}
    dist: dict[str, dict[str, str]] = {}
    for d in _read_tsv(folder / "distribution.tsv"):
        dist.setdefault(d["taxonID"], {})[d["areaID"]] = d["establishmentMeans"]
    for taxon in first(lex):
        if taxon.is_group:
            continue
        cid = next((ids[n] for n in [taxon.scientific_name, *taxon.synonyms] if n in ids), None)
        assert cid, f"{taxon.scientific_name} not found in the CITES Appendix I checklist"
        assert listing[cid]["value"] == "Appendix I", taxon.key
        native = {c for c, means in dist[cid].items() if means.startswith("native")}
        assert native <= set(taxon.native_range), (taxon.key, native - set(taxon.native_range))
    split = listing[ids["Ceratotherium simum simum"]]["remarks"]
    assert all(c in split for c in ("Eswatini", "Namibia", "South Africa"))
    remark = listing[ids["Loxodonta africana"]]["remarks"]
    assert all(c in remark for c in ("Botswana", "Namibia", "South Africa", "Zimbabwe"))
