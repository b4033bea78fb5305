"""Lexicon v2: the trade's breadth (60+ taxon groups, 20+ languages), where each fact came from,
ordinary products that share a name, the generated coverage table, and a study's own taxon."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.lexicon import Lexicon
from wildsift.lexicon.coverage import DOC, render
from wildsift.lexicon.study_terms import read_study_terms, study_lexicon_path
from wildsift.sources.query import lexicon_terms

PRODUCTS = {"bone", "bile", "fin", "shell", "casque", "scales", "horn", "ivory", "skin", "claws",
            "teeth", "meat", "live", "musk", "maw", "nest", "caviar", "wool", "gill_plates"}


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.default()


def found(lex: Lexicon, text: str) -> set[tuple]:
    return {(m.taxon, m.product, m.kind) for m in lex.match(text)}


# -- breadth and facts -------------------------------------------------------------------------
def test_sixty_groups_in_twenty_languages_with_the_traded_products(lex):
    assert len(lex.groups) >= 60
    for group in ("tiger", "bear", "shark", "sea_turtle", "helmeted_hornbill", "slow_loris",
                  "python", "monitor_lizard", "red_coral", "seahorse", "totoaba", "saiga",
                  "musk_deer", "pangolin", "rhinoceros", "elephant", "rosewood", "agarwood"):
        assert group in lex.groups, group
    langs = {lang for t in lex.taxa.values() for lang, names in t.common_names.items() if names}
    assert len(langs & set(lex.languages)) >= 20
    products = {p for g in lex.groups for p in lex.products(g)}
    assert PRODUCTS <= products, PRODUCTS - products
    # the big groups are named in most languages, not only in English
    for group in ("tiger", "bear", "shark", "sea_turtle", "pangolin"):
        named = {lang for t in lex.taxa.values() if t.group == group
                 for lang, names in t.common_names.items() if names}
        assert len(named) >= 18, (group, sorted(set(lex.languages) - named))


def test_every_fact_says_where_it_came_from(lex):
    for taxon in lex.taxa.values():
        for fact in ("cites", "iucn"):
            assert taxon.source.get(fact) or taxon.source.get("all"), (taxon.key, fact)
        if taxon.native_range:
            assert taxon.source.get("range"), taxon.key
        assert set(taxon.review) <= set(lex.languages) | {"kk", "mn", "ta", "te"}, taxon.key
    # a fact written from knowledge says so, and says what the reference file disagrees with
    assert lex.taxa["saiga"].source["iucn"].startswith("knowledge")
    assert "mdd-2020" in lex.taxa["saiga"].source["iucn"]
    assert lex.taxa["tiger"].source["cites"] == "cites-appendix-I-2026"
    assert lex.taxa["star_tortoise"].cites == "I"  # App. I since 2019, the 2017 index says II
    assert "th" in lex.taxa["tiger"].review


def test_split_listings_and_unlisted_species(lex):
    assert lex.taxa["lion"].cites_for("IN") == "I" and lex.taxa["lion"].cites_for("ZA") == "II"
    assert lex.taxa["musk_deer"].cites_for("NP") == "I"
    assert lex.taxa["white_rumped_shama"].cites == ""  # traded in bulk, not listed
    assert lex.taxa["mammoth"].iucn == "EX"


# -- matching ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("tiger bone wine for sale", ("tiger", "wine", "product")),
    ("出售正宗虎骨酒", ("tiger", "wine", "product")),
    ("Bán cao hổ cốt nguyên chất", ("tiger", "glue", "product")),
    ("เขี้ยวเสือแท้", ("tiger", "teeth", "product")),
    ("熊胆粉 纯正", ("bear", "bile", "product")),
    ("mật gấu rừng", ("bear", "bile", "product")),
    ("Jual empedu beruang asli", ("bear", "bile", "product")),
    ("干鱼翅 批发", ("shark", "fin", "product")),
    ("ขายหูฉลาม", ("shark", "fin", "product")),
    ("dried manta gill plates", ("manta_ray", "gill_plates", "product")),
    ("vòng đồi mồi thật", ("sea_turtle", "shell", "product")),
    ("鹤顶红挂件", ("helmeted_hornbill", "casque", "product")),
    ("Jual kukang lucu", ("slow_loris", None, "name")),
    ("python skin bag, genuine", ("python", "skin", "product")),
    ("हत्था जोड़ी असली", ("monitor_lizard", "hemipenis", "product")),
    ("蛤蚧干 出售", ("tokay_gecko", "dried", "product")),
    ("金钱鳘 花胶", ("totoaba", "maw", "code_word")),
    ("羚羊角粉", ("saiga", "horn", "product")),
    ("天然麝香 当门子", ("musk_deer", "musk", "product")),
    ("Jual gaharu super", ("agarwood", None, "name")),
    ("小叶紫檀手串", ("red_sanders", "timber", "product")),
    ("للبيع شبل أسد", ("lion", None, "name")),
    ("Jual murai batu gacor", ("white_rumped_shama", None, "name")),
    ("cucak rawa", ("straw_headed_bulbul", None, "name")),
    ("hippo teeth for carving", ("hippopotamus", "teeth", "product")),
    ("kopi luwak liar", ("civet", "coffee", "product")),
    ("edible bird's nest", ("swiftlet", "nest", "product")),
])
def test_new_groups_match_across_languages(lex, text, expected):
    assert expected in found(lex, text)


@pytest.mark.parametrize("text", [
    "Tiger Balm is the only thing that helps my back",
    "Selling my 2016 Jaguar XF, full service history",
    "Test drove the new Jaguar F-Pace today",
    "Learning Python programming this summer",
    "leopard print dress, size M",
    "Shark Tank was great last night",
    "shark fin antenna for the car roof",
    "鲨鱼夹 发夹 批发",
    "金龙鱼调和油 5升",
    "海马体照相馆 预约",
    "Dia itu buaya darat",
    "tiger prawns on the grill",
    "alligator clips for the lab",
])
def test_ordinary_products_sharing_a_name_do_not_match(lex, text):
    assert found(lex, text) == set()


def test_queries_stay_small_per_group(lex):
    """Expansion is per group: a bigger lexicon must not grow the query of one study."""
    terms = lexicon_terms("tiger", ["en", "zh-Hans", "vi"], lex)
    assert "tiger bone" in terms and "虎骨" in terms and "pangolin" not in terms
    assert len(terms) < 100
    for group in ("tiger", "pangolin", "shark"):
        terms = lexicon_terms(group, ["en", "zh-Hans", "vi", "th"], lex)
        groups = {lex.group_of(m.taxon) for term in terms for m in lex.match(term)}
        assert groups <= {group}, (group, groups)  # no other group's terms leak in


# -- docs --------------------------------------------------------------------------------------
def test_coverage_table_in_the_docs_is_current(lex):
    doc = DOC.read_text(encoding="utf-8")
    assert render(doc, lex) == doc, ("docs/lexicon.md is stale: run "
                                     "'python -m wildsift.lexicon.coverage'")
    assert "| tiger | *Panthera tigris* |" in doc


# -- a study's own taxon -----------------------------------------------------------------------
def invoke(study, *args):
    return CliRunner().invoke(app, ["--study", str(study.root), *args])


def test_add_taxon_through_the_cli_then_it_matches_in_a_post(study):
    result = invoke(study, "lexicon", "add-taxon", "Pardofelis marmorata",
                    "--common", "en=marbled cat", "--common", "vi=mèo gấm",
                    "--product", "skin", "--product", "bone:zh-Hans=云猫骨",
                    "--cites", "I", "--iucn", "NT", "--range", "vn,LA", "--by", "alice")
    assert result.exit_code == 0, result.output
    saved = read_study_terms(study_lexicon_path(study)).taxa[0]
    assert saved.key == "pardofelis_marmorata" and saved.added_by.startswith("a_")
    assert "alice" not in saved.added_by
    lex = Lexicon.for_study(study)
    taxon = lex.taxa["pardofelis_marmorata"]
    assert (taxon.iucn, taxon.cites, taxon.native_range) == ("NT", "I", ["VN", "LA"])
    assert taxon.source == {"all": "study"}
    assert found(lex, "Selling marbled cat skin, DM me") == {
        ("pardofelis_marmorata", "skin", "product")}
    assert found(lex, "bán mèo gấm con") == {("pardofelis_marmorata", None, "name")}
    assert found(lex, "出售云猫骨") == {("pardofelis_marmorata", "bone", "product")}
    assert "marbled cat skin" in lex.expand("Pardofelis marmorata", ["en"])
    assert Lexicon.default().match("marbled cat skin") == []  # the packaged lexicon is untouched


def test_add_taxon_refuses_a_known_taxon_and_bad_facts(study):
    known = invoke(study, "lexicon", "add-taxon", "Panthera tigris", "--common", "en=tiger")
    assert known.exit_code != 0 and "already in the lexicon as 'tiger'" in known.output
    bad = invoke(study, "lexicon", "add-taxon", "Pardofelis marmorata", "--cites", "IV")
    assert bad.exit_code != 0 and "--cites" in bad.output
    bad = invoke(study, "lexicon", "add-taxon", "Pardofelis marmorata", "--range", "Vietnam")
    assert bad.exit_code != 0 and "ISO 3166" in bad.output
    bad = invoke(study, "lexicon", "add-taxon", "Pardofelis marmorata", "--product", "skin")
    assert bad.exit_code != 0 and "English name" in bad.output
    assert not study_lexicon_path(study).exists()  # nothing written on an error
