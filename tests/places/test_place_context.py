"""The general rules the third held-out set's misses prompted (issue 12): location headers and
footers, divisions after a town, clubs, people, streets, a country talked about, travel and
goods, products named after places, Chinese, Thai and Vietnamese word boundaries, exonyms,
landmarks and short forms. Sentences of our own, not lines of the sets."""

from __future__ import annotations

import pytest

from wildsift.places.gazetteer import ALIASES, alias_rows, load_gazetteer, read_rows
from wildsift.places.geoparse import DIVISIONS, pair_divisions
from wildsift.places.resolve import locate_text


def _country(text: str, lang: str) -> str | None:
    found = locate_text(text, lang)
    return found.country if found else None


# -- a classified ad's location header: its district, region, river, number --------------------

@pytest.mark.parametrize("text, lang, country", [
    ("Köln-Ehrenfeld: Wellensittichkäfig, 20 €", "de", "DE"),
    ("Leipzig-Plagwitz, verkaufe Kommode", "de", "DE"),
    ("Essen-Steele: Aquarium 120 l abzugeben", "de", "DE"),    # Essen is also "to eat"
    ("Erfurt (Thüringen), verkaufe Aquarium", "de", "DE"),
    ("Nantes centre, vends vélo de ville", "fr", "FR"),
    ("Toulouse 3e, vends canapé d'angle", "fr", "FR"),
    ("Montpellier Antigone - vends table basse", "fr", "FR"),
    ("Sète, vends barque de pêche", "fr", "FR"),                # a town of 40,000
    ("Dax (Landes), vends vélo", "fr", "FR"),                   # 20,000, with its department
    ("Rosario centro, vendo heladera", "es", "AR"),
    ("Veracruz puerto, vendo lancha", "es", "MX"),
])
def test_a_header_town_with_its_district_region_or_number(text, lang, country):
    assert _country(text, lang) == country


def test_german_capitalised_nouns_after_a_header_town_are_not_its_district():
    assert _country("Leipzig-Reise gewonnen, verkaufe Gutschein", "de") is None
    assert _country("Wolfsburg Schlüsselanhänger, neu", "de") is None


def test_a_header_town_with_am_or_im_that_the_gazetteer_lacks_is_another_town():
    # "Neustadt am Rübenberge" is not Neustadt an der Weinstraße; "Frankfurt am Main" is known
    assert _country("Frankfurt am Main, verkaufe Schreibtisch", "de") == "DE"
    assert _country("Linz am Kalkberg, verkaufe Roller", "de") is None


def test_a_header_town_and_its_country_chooses_that_town():
    assert _country("Kingston, Jamaica - selling a fridge, works fine", "en") == "JM"
    assert _country("Richmond, Canada - mountain bike for sale", "en") == "CA"
    assert _country("St Albans, UK - garden table for sale", "en") == "GB"


@pytest.mark.parametrize("text, lang, country", [
    ("Valence, Drôme - vends table de jardin", "fr", "FR"),
    ("Carmona (Sevilla), vendo mesa de forja", "es", "ES"),
    ("Durazno, Durazno - vendo terneros", "es", "UY"),
    ("Reading, Berkshire - fish tank for sale", "en", "GB"),
])
def test_a_town_then_its_province_department_or_county(text, lang, country):
    assert _country(text, lang) == country


def test_an_unknown_header_town_takes_its_division_s_country():
    assert _country("Olmedo (Valladolid), vendo bicicleta", "es") == "ES"
    assert _country("Portoviejo, Manabí: vendo sombreros", "es") == "EC"


def test_divisions_are_read_only_after_a_town():
    assert _country("Vends manche de guitare, très bon état", "fr") is None  # Manche
    assert {"FR"} <= pair_divisions()["mayenne"]
    assert DIVISIONS.read_text(encoding="utf-8").startswith("# wildsift divisions")


def test_a_footer_after_a_comma_places_the_ad_but_not_a_signature():
    assert _country("Artesanías de cuero, Tarija", "es") == "BO"
    assert _country("Gracias por leer. Saludos, Victoria", "es") is None


# -- clubs and matches --------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("Eintracht Frankfurt Schal, neu, 10 €", "de"),
    ("Hertha Berlin Dauerkarte zu verkaufen", "de"),
    ("Leeds United shirt, size M, 2015 season", "en"),
    ("Chicago Bulls cap, never worn", "en"),
    ("Persija Jakarta menang lagi tadi malam", "id"),
    ("Ghana vs Nigeria tonight, who is watching?", "en"),
    ("Atlético Madrid contra Sevilla, vendo dos entradas", "es"),
    ("Olympique de Marseille maillot domicile taille L", "fr"),
])
def test_clubs_and_matches_are_not_where_the_seller_is(text, lang):
    assert _country(text, lang) is None


# -- people, streets ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("Mi primo Santiago tiene una tienda de loros", "es"),
    ("Mi tía Lourdes vende su cotorra", "es"),
    ("Pak Surabaya sudah transfer, terima kasih", "id"),
    ("Bác Thái Bình gửi lời hỏi thăm", "vi"),
    ("Lourdes me vendió la jaula ayer", "es"),
])
def test_a_person_named_like_a_town_is_not_a_place(text, lang):
    assert _country(text, lang) is None


def test_a_street_or_station_named_after_another_place():
    assert _country("Tienda en la calle Lima 12, Madrid", "es") == "ES"
    assert _country("Rua Paraguai 120, São Paulo, retirar no local", "pt") == "BR"
    assert _country("Cita en la estación San Martín mañana", "es") is None


def test_an_island_state_named_for_a_saint_needs_a_locative_word():
    assert _country("Nos vemos en la iglesia de Santa Lucía", "es") is None
    assert _country("Shipping from Saint Lucia, two parrots", "en") == "LC"


# -- a country talked about; born, travelled; goods of a country ---------------------------------

@pytest.mark.parametrize("text, lang", [
    ("Kenya was a British colony until 1963", "en"),
    ("Brasil es el mayor productor de café", "es"),
    ("Jepang itu negara yang maju sekali", "id"),
    ("Born in Manchester, I still love the rain", "en"),
    ("Back from Bali with two carved masks", "en"),
    ("Đi Thái về có ít đồ, ai lấy không", "vi"),
    ("Made in Italy leather bag, like new", "en"),
    ("Barang Korea asli, skincare lengkap", "id"),
    ("泰国代购 面膜 正品", "zh"),
    ("Nhập từ Indonesia, hàng chuẩn", "vi"),
])
def test_a_country_talked_about_visited_or_of_the_goods_is_not_here(text, lang):
    assert _country(text, lang) is None


def test_a_destination_after_bound_for_or_envoyer_vers():
    assert _country("Container bound for Malaysia intercepted in Lagos", "en") == "NG"
    assert _country("Comment envoyer un colis vers Dakar ?", "fr") is None


def test_a_size_is_not_a_country():
    assert _country("Leather boots, brown, UK 8", "en") is None
    assert _country("Based in the UK, selling boots", "en") == "GB"


def test_georgia_the_state():
    assert _country("Savannah, Georgia - boat trailer for sale", "en") == "US"
    assert _country("Tbilisi, Georgia: old carpets", "en") == "GE"
    assert _country("Je vis à Macon, en Géorgie (USA)", "fr") == "US"


# -- products, dishes, pets named after a place ----------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("Chile jalapeño en conserva, 500 g", "es"),
    ("Vanille de Tahiti, 10 gousses", "fr"),
    ("Perroquet gris du Gabon, très joueur", "fr"),
    ("Rhum de Guadeloupe, 70 cl", "fr"),
    ("Tortuga de Florida con acuario", "es"),
    ("Sombrero Cuba de paja, talla M", "es"),
    ("Bún chả Hà Nội ngon, đặt trước", "vi"),
    ("Nem nướng Nha Trang, hộp 10 cái", "vi"),
    ("Bakpia Jogja isi kacang hijau", "id"),
    ("Kerupuk Palembang 1 kg", "id"),
    ("北京烤鸭 真空包装 两只", "zh"),
    ("重庆小面 调料包 十袋", "zh"),
    ("ข้าวซอยเชียงใหม่ สูตรโบราณ", "th"),
    ("Belgium chocolate box, 500 g", "en"),
    ("Turkey peach jam, 3 jars", "en"),
])
def test_products_named_after_a_place_are_not_where_the_post_is(text, lang):
    assert _country(text, lang) is None


# -- Chinese, Thai and Vietnamese word boundaries --------------------------------------------------

@pytest.mark.parametrize("text, lang, country", [
    ("现在人在广州，可以面交", "zh", "CN"),
    ("位于厦门思明区，欢迎来看", "zh", "CN"),
    ("长沙火车站附近 出二手自行车", "zh", "CN"),
    ("人在多伦多，出沙发", "zh", "CA"),          # the simplified form of 多倫多
    ("หนังจระเข้ สตูล ราคาส่ง", "th", "TH"),      # a province as a word of its own
    ("Đang ở Đông Hà, ai cần liên hệ", "vi", "VN"),
])
def test_asian_scripts(text, lang, country):
    assert _country(text, lang) == country


def test_thai_syllables_are_not_foreign_towns():
    assert _country("เมื่อวานไปตลาดมา ซื้อผ้า", "th") is None  # วาน in "yesterday", Van (Turkey)


def test_vietnamese_oceans_and_names_that_begin_with_a_country():
    assert _country("Cá hồi đánh bắt ở Đại Tây Dương", "vi") is None
    assert _country("Tàu cá ở Ấn Độ Dương", "vi") is None
    assert _country("Nhà em ở Mỹ Phước, bán chim", "vi") is None  # not the United States


# -- short forms, exonyms and landmarks (places/data/aliases.tsv) -------------------------------

@pytest.mark.parametrize("text, lang, country", [
    ("Joburg, selling a couch, collect only", "en", "ZA"),
    ("CDMX, vendo jaula grande", "es", "MX"),
    ("Ivory seized at Suvarnabhumi airport", "en", "TH"),
    ("Poachers arrested near Tsavo yesterday", "en", "KE"),
    ("Görz, verkaufe Schrank", "de", "IT"),
    ("Trient, verkaufe Fahrrad", "de", "IT"),
    ("Sừng tê bán ở Anh, giá tốt", "vi", "GB"),
])
def test_short_forms_exonyms_and_landmarks(text, lang, country):
    assert _country(text, lang) == country


def test_anh_is_england_only_after_a_locative_word():
    assert _country("Anh em ai cần vòng ngà thì ib", "vi") is None


def test_alias_rows_attach_names_and_landmarks(tmp_path):
    rows = read_rows()
    names = {p.name: n for p, n in rows if p.kind == "city" and p.country == "BF"}
    assert "Ouaga" in names["Ouagadougou"]
    gaz = load_gazetteer()
    assert any(p.country == "KE" for p in gaz.spaced["tsavo"])
    assert ALIASES.read_text(encoding="utf-8").startswith("# wildsift aliases")
    bad = tmp_path / "aliases.tsv"
    bad.write_text("BF\tNowhere\tX\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        alias_rows(rows, bad)


def test_vietnamese_names_with_the_icelandic_eth_are_found_with_d_stroke():
    gaz = load_gazetteer()
    eth = [k for k, places in gaz.spaced.items() if "ð" in k and any(
        p.country == "VN" for p in places)]
    assert eth and all(k.replace("ð", "đ") in gaz.spaced for k in eth)


def test_bayern_munich_the_club_and_what_a_country_did():
    assert _country("Bayern München Trikot, Größe M", "de") is None
    assert _country("China banned the ivory trade in 2017", "en") is None
    assert _country("Indonesia melarang perdagangan trenggiling", "id") is None


def test_a_match_with_a_dash_and_a_result():
    assert _country("Real Zaragoza - Huesca, vendo dos entradas", "es") is None
    assert _country("Le Cameroun a gagné hier soir", "fr") is None


def test_a_header_district_named_after_another_place_and_its_city():
    assert _country("Palermo Soho, CABA - vendo escritorio", "es") == "AR"
    assert _country("Lima, Miraflores - vendo bicicleta", "es") == "PE"
    assert _country("杭州西湖边 出二手相机", "zh") == "CN"


@pytest.mark.parametrize("text, lang", [
    ("Seat Ibiza 2014, 90.000 km, ITV pasada", "es"),
    ("Hyundai Tucson 2019 for sale, one owner", "en"),
    ("Dodge Durango, full extras", "es"),
    ("Lincoln Navigator 2008, leather seats", "en"),
    ("Thai massage oil, 100 ml", "en"),
    ("Roman coins, a lot of twelve", "en"),
])
def test_car_models_and_nationality_adjectives_are_not_places(text, lang):
    assert _country(text, lang) is None


@pytest.mark.parametrize("text, lang", [
    ("Brussels sprouts, frozen, 2 bags", "en"),
    ("Fiji water, 12 bottles", "en"),
    ("Saucisse de Morteau, 2 pièces", "fr"),
    ("Chorizo de León, sarta de 1 kg", "es"),
    ("泰国香米 五公斤", "zh"),
    ("Le Congo belge, un livre d'histoire", "fr"),
    ("Monedas de la India británica, colección", "es"),
])
def test_groceries_and_colonial_names_are_not_where_the_post_is(text, lang):
    assert _country(text, lang) is None


@pytest.mark.parametrize("text, lang, country", [
    ("KL - selling a rabbit hutch", "en", "MY"),
    ("BKK, ship same day", "en", "TH"),
    ("Có sẵn ở Quận 3, bán lồng chim", "vi", "VN"),
    ("Officers at Heathrow found 12 tortoises", "en", "GB"),
])
def test_short_forms_in_capitals_city_districts_and_airports(text, lang, country):
    assert _country(text, lang) == country


@pytest.mark.parametrize("text, lang", [
    ("Italia campeón del mundo 2006, camiseta", "es"),
    ("Brasil vô địch rồi!", "vi"),
    ("巴西队 赢了", "zh"),
    ("Je pars au Portugal la semaine prochaine", "fr"),
    ("Griechenland-Urlaub war super", "de"),
    ("Moscow mule mugs, set of 2", "en"),
    ("India pale ale, 6 bottles", "en"),
    ("日本拉面 十包", "zh"),
])
def test_champions_trips_and_more_dishes(text, lang):
    assert _country(text, lang) is None


def test_short_names_need_capitals_and_the_list():
    assert _country("ok - selling a rabbit hutch", "en") is None
    assert _country("Hn, bán lồng", "vi") is None


def test_a_name_no_country_holds_most_of_is_the_language_s_own_country_s_town():
    assert _country("León capital, vendo sofá", "es") == "ES"
    assert _country("Vivo en Toledo y vendo una jaula", "es") == "ES"
    assert _country("Cerámica de Talavera, plato grande", "es") is None


def test_news_of_a_country_and_more_specialties():
    assert _country("美国总统 发表讲话", "zh") is None
    assert _country("ก๋วยเตี๋ยวต้มยำ สุโขทัย", "th") is None
    assert _country("Gạo ST24 Cần Thơ, bao 5 kg", "vi") is None


@pytest.mark.parametrize("text, lang", [
    ("Thailand and Myanmar are transit countries for ivory", "en"),
    ("Perú tiene muchas especies de loros", "es"),
    ("Le Kenya protège ses éléphants", "fr"),
    ("From Africa to Asia: the trade routes", "en"),
    ("เวียดนามน่าเที่ยวมาก", "th"),
])
def test_countries_talked_about_listed_or_with_a_verb_and_continents(text, lang):
    assert _country(text, lang) is None


def test_police_of_a_province_is_no_club():
    assert _country("Công an Quảng Ninh bắt giữ xe chở ngà voi", "vi") == "VN"


def test_a_chinese_city_and_its_district_closing_a_run():
    assert _country("广州天河 出二手显示器", "zh") == "CN"
    assert _country("北京烤鸭 两只装", "zh") is None


@pytest.mark.parametrize("text, lang", [
    ("Mứt gừng Đà Lạt, hộp 500 g", "vi"),
    ("土耳其冰淇淋 好吃", "zh"),
    ("Hàn Quốc đẹp quá", "vi"),
    ("Brasil negara sepak bola", "id"),
    ("Le Pérou a la plus grande réserve", "fr"),
])
def test_more_specialties_and_countries_talked_about(text, lang):
    assert _country(text, lang) is None


def test_a_french_header_town_and_its_bank():
    assert _country("Rouen rive droite, vends bureau", "fr") == "FR"


def test_a_city_that_is_a_word_or_a_dish_before_a_two_character_run_end():
    assert _country("药酒，开封即饮", "zh") is None
    assert _country("扬州炒饭 做法", "zh") is None
    assert _country("南昌面交，出旧书", "zh") == "CN"
