"""Places named in text and in location fields: the guards, the multilingual sets, the rules."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

import pytest

from wildsift.places import geoparse
from wildsift.places.gazetteer import read_rows
from wildsift.places.resolve import Location, combine, geoparser, locate_field, locate_text

SETS = Path(__file__).resolve().parents[1] / "fixtures" / "places"


@pytest.mark.parametrize("text", [
    "Big Sale! Best price for shark fins, ship in March",
    "Nice ivory carving, Mobile: <PHONE:ab12cd>",
    "Manta ray gill plates and a Mako shark jaw",
    "Promoção de Natal: marfim verdadeiro",
    "穿山甲片，太原料",  # 太原 (Taiyuan) inside 原料, "raw material"
    "nice bag, new in box",
])
def test_common_words_are_not_places(text):
    assert locate_text(text) is None, [m.place for m in geoparser().mentions(text)]


@pytest.mark.parametrize("text, lang, country, place", [
    ("Selling ivory in Nice, France", "en", "FR", "Nice"),
    ("Bán sừng tê giác tại Hà Nội, giao hàng toàn quốc", "vi", "VN", "Hanoi"),
    ("出售象牙，深圳发货", "zh", "CN", "Shenzhen"),
    ("ขายงาช้าง กรุงเทพ ส่งฟรี", "th", "TH", "Bangkok"),
    ("Jual sisik trenggiling di Surabaya", "id", "ID", "Surabaya"),
    ("Продаю бивни, Москва", "ru", "RU", "Moscow"),
    ("Pembe za ndovu, Dar es Salaam", "sw", "TZ", "Dar es Salaam"),
    ("Elfenbein aus Hamburg zu verkaufen", "de", "DE", "Hamburg"),
])
def test_places_in_twelve_scripts_and_languages(text, lang, country, place):
    found = locate_text(text, lang)
    assert found is not None and (found.country, found.place) == (country, place)


def test_a_small_foreign_city_needs_a_locative_word():
    # Bergen (Norway) in German text: a verb ("bergen"), not a place, unless "in Bergen"
    assert locate_text("Krone aus Elfenbein, Bergen möglich", "de") is None
    assert locate_text("Elfenbein, Abholung in Bergen", "de").country == "NO"


@pytest.mark.parametrize("value, country", [
    ("Spartanburg, South Carolina, United States", "US"),
    ("Atlanta, Georgia", "US"),  # the state, not the country Georgia
    ("Georgia", "GE"),
    ("HONGKONG, China", "CN"),  # a tie goes to the country named last
    ("hangzhou, China", "CN"),
    ("Panama City, Panama", "PA"),
    ("Manchester", "GB"),  # its own name, not an alias of a US city
    ("Sài Gòn", "VN"),
    ("深圳", "CN"),
])
def test_location_fields(value, country):
    assert locate_field(value).country == country


@pytest.mark.parametrize("value", ["somewhere nice", "worldwide", "best place on earth", ""])
def test_location_fields_without_a_place(value):
    assert locate_field(value) is None


def _scores(path: Path) -> dict[str, tuple[float, float]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # right, predicted, gold
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found = locate_text(row["text"], row["lang"])
        c = counts[row["lang"]]
        c[0] += bool(found and found.country == row["country"])
        c[1] += found is not None
        c[2] += row["country"] is not None
    return {lang: (r / max(p, 1), r / max(g, 1)) for lang, (r, p, g) in counts.items()}


def test_multilingual_set_meets_the_goal_in_every_language():
    """Our own synthetic set (benchmarks/make_places_set.py): >= 100 posts in 11 languages."""
    scores = _scores(SETS / "multilingual.jsonl")
    assert len(scores) >= 8
    low = {lang: s for lang, s in scores.items() if s[0] < 0.90 or s[1] < 0.80}
    assert not low, low


def test_holdout_set_stays_where_it_was_measured():
    """Written after the guards were tuned; per language it is below the goal in places
    (docs/identify.md): this keeps the pooled figures from sliding back."""
    path = SETS / "multilingual_holdout.jsonl"
    right = predicted = gold = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found = locate_text(row["text"], row["lang"])
        right += bool(found and found.country == row["country"])
        predicted += found is not None
        gold += row["country"] is not None
    assert right / predicted >= 0.90 and right / gold >= 0.85


def test_combination_prefers_geotag_then_text_then_profile_then_phone():
    phone = Location("TH", "phone", 0.6)
    profile = Location("VN", "profile", 0.75)
    text = Location("VN", "text", 0.9, "Hanoi")
    geotag = Location("KE", "geotag", 0.99, "Nairobi", -1.29, 36.82)
    assert combine([phone]).country == "TH"
    assert combine([phone, profile]).country == "VN"
    agreed = combine([profile, text])
    assert (agreed.country, agreed.source) == ("VN", "text")
    assert agreed.confidence > text.confidence  # the profile agrees: more sure than the text
    disputed = combine([phone, profile, text])
    assert disputed.country == "VN" and disputed.confidence < agreed.confidence
    assert disputed.evidence == "text=VN profile=VN phone=TH"
    winner = combine([text, geotag, profile])
    assert (winner.country, winner.source) == ("KE", "geotag")
    assert winner.confidence < 0.99  # two sources disagree with the geotag
    assert combine([]) is None


def test_a_malformed_gazetteer_line_names_the_file_and_line(tmp_path):
    bad = tmp_path / "gaz.tsv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as out:
        out.write("# header\nc\tVN\t0\t\t\tVietnam\tViệt Nam\np\tVN\tnot enough fields\n")
    with pytest.raises(ValueError, match=r"gaz\.tsv\.gz, line 3"):
        read_rows(bad)


@pytest.mark.parametrize("text, lang, country", [
    ("Rennes, lit bébé en bon état", "fr", "FR"),           # a classified ad's location header
    ("Augsburg: Schreibtisch abzugeben", "de", "DE"),
    ("Kendari, jual madu hutan", "id", "ID"),
    ("上海徐汇区出闲置显微镜", "zh", "CN"),                    # a district after the city
    ("武汉同城面交", "zh", "CN"),
    ("บ้านอยู่เลย ขายกล้วยไม้", "th", "TH"),                  # a locative word leads a small town
])
def test_held_out_forms_name_their_place(text, lang, country):
    found = locate_text(text, lang)
    assert found is not None and found.country == country


@pytest.mark.parametrize("text, lang", [
    ("We ship to Canada, Mexico and Brazil", "en"),          # destinations are not the seller's
    ("Versand nach Italien und in die Schweiz", "de"),
    ("可寄往日本、韩国", "zh"),
    ("Mỹ phẩm xách tay chính hãng", "vi"),                  # 'Mỹ phẩm' is cosmetics
    ("Áo dài cưới may sẵn", "vi"),                          # 'Áo dài' is a dress, not Austria
    ("hàng Nhật nội địa, mới 100%", "vi"),                  # goods of Japan, seller unplaced
    ("มวยไทย นวมมือสอง", "th"),                              # Thai boxing
    ("德国进口奶粉", "zh"),                                   # imported from Germany
])
def test_destinations_and_origins_of_goods_are_not_where_a_post_is(text, lang):
    assert locate_text(text, lang) is None, [m.place for m in geoparser().mentions(text, lang=lang)]


def test_skipping_words_that_start_no_name_changes_no_answer(monkeypatch):
    """``Geoparser._name_starts``, ``_in_running_text`` and ``_common_in_field`` skip most
    words of a long ad without ``_spaced_at``'s work; every mention, in both modes, must be the one the full
    search from every word finds. Long texts (posts joined into ads) reach the running-text
    skip, short ones its end margin."""
    rows = [json.loads(line) for name in ("multilingual_holdout_5.jsonl",
                                          "multilingual_train_o.jsonl")
            for line in (SETS / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [(r["text"], r["lang"]) for r in rows]
    by_lang = defaultdict(list)
    for text, lang in texts:
        by_lang[lang].append(text)
    texts += [(" ".join(posts[k:k + 8]), lang) for lang, posts in by_lang.items()
              for k in range(0, len(posts), 8)]
    parser = geoparser()

    def read(mode):
        return [[(m.place, m.start, m.end, m.confidence, m.cue, m.header)
                 for m in parser.mentions(text, mode, lang)] for text, lang in texts]

    fast = {mode: read(mode) for mode in ("text", "field")}
    kind = type(parser)
    skipped = sum(len(tokens) - len(kind._name_starts(parser, text, tokens))
                  for text, _ in texts if (tokens := geoparse._tokens(text)))
    monkeypatch.setattr(kind, "_name_starts", lambda self, text, tokens: range(len(tokens)))
    monkeypatch.setattr(kind, "_in_running_text", lambda self, text, tokens, i: False)
    monkeypatch.setattr(kind, "_common_in_field", lambda self, text, tokens, i: False)
    for mode in ("text", "field"):
        assert read(mode) == fast[mode], mode
    assert skipped > 10_000  # words were skipped, so the comparison means something
