"""Precision guards: words that are place names but mostly mean something else.

"Sale" (England; Salé, Morocco), "Best" (Netherlands), "March" (England), "Nice" (France),
"Mobile" (Alabama), "Of" (Turkey), "Manta" (Ecuador, and the ray)... In running text such a name
counts only after a locative word ("in Nice", "à Nice", "tại Huế"), and never when it is a
function word of a language (stop lists of ``stopwordsiso``, a dependency already).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

# languages whose stop words guard Latin and Cyrillic place names in running text
STOP_LANGUAGES = ("en", "fr", "es", "pt", "de", "it", "nl", "id", "ms", "vi", "sw", "tl",
                  "tr", "ru", "pl")
# common words (trade, animals, adjectives, months) that GeoNames also lists as towns (5,000 people or more)
COMMON_WORDS = frozenset(["sale", "march", "mobile", "dining", "split", "reading", "bath", "deal", "orange", "hope", "price", "gold", "bury", "sandy", "mons", "batu", "tanga", "pasar", "suka", "manta", "mako", "tiger", "cobra", "python", "marlin", "bonita", "lemon", "blue", "bull", "whale", "jaguar", "leon", "león", "lion", "eagle", "falcon", "hawk", "deer", "buffalo", "ivory", "horn", "shell", "skin", "bone", "scale", "tooth", "teeth", "jaw", "fin", "box", "cash", "post", "mail", "auction", "buy", "sell", "shop", "store", "free", "new", "old", "big", "small", "good", "great", "best", "top", "real", "royal", "grand", "central", "north", "south", "east", "west", "union", "liberty", "independence", "victory", "progress", "paradise", "hollywood", "florence", "temple", "church", "market", "mart", "bay", "port", "harbor", "harbour", "beach", "river", "lake", "mountain", "valley", "hill", "green", "white", "black", "red", "brown", "gray", "grey", "golden", "silver", "diamond", "crystal", "star", "sun", "moon", "rose", "lily", "jasmine", "pearl", "coral", "amber", "ruby", "jade", "opal", "hong", "kong", "march", "april", "may", "june", "july", "august", "october", "november", "december", "monday", "sunday", "christmas", "easter", "angel", "angels", "dragon", "phoenix", "tiger", "kota", "baru", "lama", "timur", "barat", "utara", "selatan", "tengah", "jaya", "indah", "mas", "emas", "raya", "ville", "cidade", "ciudad", "stadt", "city", "town", "village", "centre", "center", "nova", "novo", "nueva", "nuevo", "aurora", "esperanza", "concordia", "libertad", "providencia", "victoria", "carmen", "dolores", "mercedes", "pilar", "rosario", "trinidad", "soledad", "paz", "fe", "luz", "gloria", "cruz", "santa", "san", "hue", "vinh", "tan", "thanh", "long", "hai", "an", "binh", "hoa", "son", "phu", "duc", "essen", "halle", "hof", "bad", "vienne", "salvador", "belo", "orël", "орёл", "орел", "мир", "мирный", "советский", "октябрьский", "первомайский", "заречный", "лесной", "светлый", "зелёный", "зеленый", "новый", "радужный", "солнечный", "южный", "северный", "восточный", "западный", "solo", "batu", "kota", "kucha", "simba", "anh", "latina", "chino", "bella", "bello", "bonito", "linda", "chad", "jersey", "jordan", "turkey", "guinea", "mali", "bar", "bo", "ho", "ha", "da", "de", "la", "le", "el", "al", "man", "male", "of", "on", "to", "as", "is", "it", "be"])
# never a place in running text, even after "in"/"from": months, weekdays, holidays, and the
# trade's own words ("Marfil", Mexico, is ivory in Spanish)
NEVER_PLACES = frozenset(["january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro", "januar", "februar", "märz", "juni", "juli", "oktober", "dezember", "januari", "februari", "maret", "juni", "juli", "agustus", "oktober", "desember", "machi", "aprili", "март", "апрель", "май", "июнь", "июль", "август", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "christmas", "easter", "natal", "noël", "navidad", "weihnachten", "ivory", "marfil", "marfim", "ivoire", "elfenbein", "ngà", "gading", "pembe",
                          # nationality adjectives that GeoNames or CLDR list as names ("Thai" is
                          # an alias of Alor Setar; "Roman coins", "Swiss army knife")
                          "thai", "swiss", "pakistani", "israeli", "roman", "saxon",
                          # continents ("from Africa to Asia"), which GeoNames gives to towns
                          "africa", "asia"])
# towns named like people (Spanish and Portuguese given names, the Virgin's titles): a person
# ("mi abuela Asunción", "Concepción me dijo") before a town unless a locative word or a
# header puts it there (folded keys)
GIVEN_NAMES = frozenset(["asuncion", "concepcion", "guadalupe", "lourdes", "florencia",
                         "montserrat", "belen", "santiago", "mercedes", "dolores", "rosario",
                         "pilar", "soledad", "trinidad", "consolacion", "encarnacion",
                         "remedios", "milagros", "socorro", "fatima", "gloria", "esperanza",
                         "victoria", "isabela", "valentina", "jesus maria", "san jose"])
# short forms of towns and airports (places/data/aliases.tsv), which count in capitals only
# ("KL - selling", "ở HN", "seized at JFK"): other names of three letters or fewer never do
CITY_ABBREVIATIONS = frozenset(["kl", "hn", "bh", "poa", "bkk", "jb", "jfk", "hcm", "sg"])
# German, French, Italian and Spanish names of towns of a neighbouring language: GeoNames lists
# them as alternate names, which count only for towns of 100,000 people unless named here
EXONYMS = frozenset(["bozen", "meran", "brixen", "sterzing", "bruneck", "trient", "triest",
                     "görz", "laibach", "marburg an der drau", "pressburg", "ödenburg",
                     "budweis", "pilsen", "karlsbad", "marienbad", "olmütz", "brünn", "troppau",
                     "reichenberg", "eger", "danzig", "stettin", "breslau", "posen", "thorn",
                     "allenstein", "memel", "lüttich", "löwen", "mecheln", "doornik", "genf",
                     "neuenburg", "sitten", "biel", "pruntrut", "delsberg", "luxemburg",
                     "mülhausen", "straßburg", "strassburg", "kolmar", "diedenhofen", "metz",
                     "mayence", "trèves", "coblence", "aix-la-chapelle", "ratisbonne", "bâle",
                     "genève", "anvers", "gand", "bruges", "malines", "louvain", "courtrai",
                     "fribourg", "fribourg-en-brisgau", "bolzano", "merano", "bressanone",
                     "burdeos", "aviñón", "perpiñán", "tolón", "lieja", "amberes", "gante",
                     "brujas", "ginebra", "basilea", "zúrich", "maguncia", "tréveris",
                     "aquisgrán", "ratisbona", "bolonia", "florencia", "génova", "nápoles",
                     "perusa", "padua", "mantua", "venecia", "ravena", "liorna", "bérgamo",
                     "treviso", "vicenza", "verona", "trento", "parma", "módena", "siena"])
# a place name in running text after one of these is a place, even if it is a common word
LOCATIVE_CUES = frozenset(["in", "from", "at", "near", "based", "located", "around", "across", "throughout", "to", "via", "à", "en", "depuis", "près", "dans", "vers", "en", "desde", "cerca", "em", "no", "na", "desde", "perto", "aus", "bei", "nach", "nahe", "im", "tại", "ở", "từ", "gần", "di", "dari", "ke", "dekat", "sekitar", "kutoka", "huko", "mjini", "в", "из", "под", "около", "presso",
                           # a listing's location label: "lokasi Kepanjen", "Standort: Ulm"
                           "lokasi", "domisili", "location", "localisation", "ubicación",
                           "ubicacion", "localização", "standort", "abholort", "lieu",
                           "posisi", "cod", "area", "quanh", "quận", "huyện", "tỉnh", "phường",
                           "xã", "khu", "yuko", "yupo", "iko", "ipo"])
HAN_COMMON = frozenset({"中山", "大同", "安康", "新安", "东方", "東方", "和平", "太平", "永安",
                        "长治", "長治", "平安", "新民", "吉安", "宝安", "寶安", "开平", "開平",
                        "永康", "新都", "大连市场", "黑山", "白山", "金山", "银川",
                        "三明", "新城", "中央", "本庄", "大和", "日光", "高山", "上野"})
BIG_PLACE = 1_000_000  # a country counts as this large
MIN_HAN2_POPULATION = 300_000  # a two-character Han city name: only a large city
MIN_THAI_POPULATION = 50_000
MIN_ALIAS_POPULATION = 100_000
MIN_UNCUED_POPULATION = 100_000  # a city no locative word leads: a town of this size at least
LANGUAGES = Path(__file__).with_name("data") / "language_countries.json"  # a city named in text by one of its alternate Latin names
MIN_AMBIGUOUS_SHARE = 0.6  # a city name shared by countries: the top one must hold this share


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    import stopwordsiso

    words: set[str] = set()
    for lang in STOP_LANGUAGES:
        words |= {w.casefold() for w in stopwordsiso.stopwords(lang)}
    return frozenset(words)


def is_common_word(key: str, population: int = 0) -> bool:
    """A one-word key that is a common word (:data:`COMMON_WORDS`), or a function word in a
    language we read unless it names a large place (the Russian list holds "москва")."""
    if " " in key:
        return False
    if key in COMMON_WORDS or key in NEVER_PLACES:
        return True
    return key in stop_words() and not (len(key) >= 5 and population >= BIG_PLACE)


@lru_cache(maxsize=1)
def _language_countries() -> dict[str, frozenset[str]]:
    raw = json.loads(LANGUAGES.read_text(encoding="utf-8"))
    return {lang: frozenset(codes) for lang, codes in raw.items()}


def base_language(lang: str | None) -> str:
    """"zh-Hans", "pt_BR", "EN" -> "zh", "pt", "en" ("" for none)."""
    return (lang or "").replace("_", "-").split("-")[0].lower()


def home_countries(lang: str | None) -> frozenset[str] | None:
    """Countries where ``lang`` is official or spoken by a tenth of people (CLDR), or None
    (unknown language, or English, which is written everywhere)."""
    base = base_language(lang)
    if not base:
        return None
    if base == "en":
        return None
    return _language_countries().get(base)
