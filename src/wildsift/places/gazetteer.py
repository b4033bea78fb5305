"""The offline gazetteer: countries (CLDR names in ~35 languages) and towns of 5,000 people or
more (GeoNames, with their alternate names), loaded once per process from package data.

Names are looked up by a *key*: the name's words, case-folded, joined by one space (so
"Hồ Chí Minh", "HỒ CHÍ MINH" and "hồ  chí-minh" share one key). A second index holds keys with
their accents removed ("ho chi minh"), for text typed without diacritics; the geoparser treats
such matches with more caution. Unspaced scripts (Chinese, Japanese, Thai, Lao, Khmer, Burmese,
Korean) are keyed by the name itself, without spaces, and found by substring.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

DATA = Path(__file__).with_name("data") / "gazetteer.tsv.gz"
# a representative point per country (Natural Earth, see report/shapes_build.py)
POINTS = DATA.with_name("country_points.json")
# first-level divisions of the main trade countries, hand-written from ISO 3166-2 (see its header)
ADMIN1 = DATA.with_name("admin1.tsv")
# names GeoNames lacks (short forms, other scripts) and the trade's landmarks, hand-written
ALIASES = DATA.with_name("aliases.tsv")
KINDS = {"c": "country", "a": "admin1", "p": "city"}
WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
UNSPACED = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Hangul}]+")
_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "ł": "l", "ß": "ss",
                       "ı": "i"})
# traditional Han characters of place names and their simplified forms: GeoNames often lists a
# town in one script only ("溫哥華", "桃園"), so each Han name is also indexed simplified
_SIMPLIFIED = str.maketrans(
    "溫華園門東灣臺龍陽廣蘭爾蘇連寧興義鄉縣區島嶺賓濟馬來亞韓國紐約倫羅維納聖機場樂達費雲貴漢鄭廈"
    "瀋遼錫紹莊長萬豐鳳黃綿嶼衛鹽礦橋頓邁遠營陸齊寶畢劉壩岡崗溝澤濱蓮麗賀貿慶舊圖魯勞烏賴麥盧頭"
    "關開間陰隴雙雞鎮閩儂內兩壽夢奧孫寧廟歐湯溪滬潛瀘瓊產畝發眾祿禮種稅紅結絲經綏縣羅聯蕪萊"
    "蔣藍處號衝西觀記許試諸謝譚豬貝負財貨貴賈賢贛趙車軍農遼郵鄒醫釣鈴鋼錦鍾鐵閣闊陳陵隨險雜"
    "雪靈韶項須順領頻額風飛館饒駐體髮鬥魚鮮鳥鴻鵬鶴麻齒龜葉當蔡錢邊鄧讓",
    "温华园门东湾台龙阳广兰尔苏连宁兴义乡县区岛岭宾济马来亚韩国纽约伦罗维纳圣机场乐达费云贵汉郑厦"
    "沈辽锡绍庄长万丰凤黄绵屿卫盐矿桥顿迈远营陆齐宝毕刘坝冈岗沟泽滨莲丽贺贸庆旧图鲁劳乌赖麦卢头"
    "关开间阴陇双鸡镇闽侬内两寿梦奥孙宁庙欧汤溪沪潜泸琼产亩发众禄礼种税红结丝经绥县罗联芜莱"
    "蒋蓝处号冲西观记许试诸谢谭猪贝负财货贵贾贤赣赵车军农辽邮邹医钓铃钢锦钟铁阁阔陈陵随险杂"
    "雪灵韶项须顺领频额风飞馆饶驻体发斗鱼鲜鸟鸿鹏鹤麻齿龟叶当蔡钱边邓让")
# GeoNames writes some Vietnamese names with the Icelandic eth ("Ðà Lạt"); people write Đ
_VIETNAMESE_D = str.maketrans({"Ð": "Đ", "ð": "đ"})


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a country, a first-level division or a populated place."""

    kind: str  # country | admin1 | city
    country: str  # ISO 3166-1 alpha-2
    name: str  # English or GeoNames name
    population: int = 0
    lat: float | None = None
    lon: float | None = None
    key: str = ""  # key of ``name``: a city matched by its own name beats one matched by an alias


def words(text: str) -> list[str]:
    return WORD.findall(text)


def key_of(text: str) -> str:
    """The lookup key of a name or a span of text: case-folded words joined by a space."""
    return " ".join(words(unicodedata.normalize("NFC", text).casefold()))


def fold(key: str) -> str:
    """A key without accents or diacritics (Latin and Cyrillic letters keep their base)."""
    decomposed = unicodedata.normalize("NFKD", key.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_unspaced(name: str) -> bool:
    return bool(UNSPACED.fullmatch(name.replace(" ", "")))


class Gazetteer:
    """Names to places. ``spaced``/``folded``: word keys; ``unspaced``: CJK/Thai... names."""

    def __init__(self, places: list[tuple[Place, list[str]]]):
        self.spaced: dict[str, tuple[Place, ...]] = {}
        self.folded: dict[str, tuple[Place, ...]] = {}
        self.unspaced: dict[str, tuple[Place, ...]] = {}
        self.countries: dict[str, Place] = {}
        for place, names in places:
            if place.kind == "country":
                self.countries[place.country] = place
            for name in names:
                self._add(place, name)
        # every word prefix of a name ("ho", "ho chi", "ho chi minh"): a span grows while it is one
        self.prefixes = {" ".join(words[:n]) for k in (*self.spaced, *self.folded)
                         if (words := k.split(" ")) for n in range(1, len(words) + 1)}
        self.max_words = max((k.count(" ") + 1 for k in self.spaced), default=1)
        self.unspaced_lengths = sorted({len(k) for k in self.unspaced}, reverse=True)
        self.unspaced_prefixes = {k[:2] for k in self.unspaced}

    def _add(self, place: Place, name: str) -> None:
        name = unicodedata.normalize("NFC", name.strip())
        if not name:
            return
        if is_unspaced(name):
            _append(self.unspaced, name.replace(" ", ""), place)
            simplified = name.replace(" ", "").translate(_SIMPLIFIED)
            if simplified != name.replace(" ", ""):
                _append(self.unspaced, simplified, place)
            return
        key = key_of(name)
        if ("ð" in key or "Ð" in name) and place.country == "VN":
            self._add(place, name.translate(_VIETNAMESE_D))
        if key:
            _append(self.spaced, key, place)
            folded = fold(key)
            if folded != key:
                _append(self.folded, folded, place)

    def lookup(self, key: str) -> tuple[Place, ...]:
        """Places named exactly ``key`` (spaced or unspaced)."""
        return self.spaced.get(key) or self.unspaced.get(key.replace(" ", "")) or ()

    def country(self, code: str) -> Place | None:
        return self.countries.get(code.upper())


def _append(index: dict[str, tuple[Place, ...]], key: str, place: Place) -> None:
    have = index.get(key, ())
    if place not in have:
        index[key] = (*have, place)


def read_rows(path: Path = DATA) -> list[tuple[Place, list[str]]]:
    """The gazetteer file's entries; a malformed line names the file and the line."""
    out = []
    points = json.loads(POINTS.read_text(encoding="utf-8")) if POINTS.exists() else {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 7 or parts[0] not in KINDS:
                raise ValueError(f"{path}, line {number}: expected 7 tab-separated fields "
                                 f"(kind c/a/p, country, population, lat, lon, name, names)")
            kind, cc, pop, lat, lon, name, names = parts
            if kind == "c" and not lat and cc in points:
                lat, lon = (str(v) for v in points[cc])
            place = Place(KINDS[kind], cc, name, int(pop or 0),
                          float(lat) if lat else None, float(lon) if lon else None, key_of(name))
            out.append((place, [name, *names.split("|")]))
    if path == DATA and ADMIN1.exists():
        out += [(place, names) for place, names, _ in admin1_rows()]
    if path == DATA and ALIASES.exists():
        out += alias_rows(out)
    return out


def data_lines(path: Path, fields: int, layout: str) -> Iterator[tuple[int, list[str]]]:
    """The (line number, tab-separated fields) of a hand-written data file, comments and blank
    lines skipped; a line without ``fields`` fields, or whose first is not a 2-letter country
    code, stops the load naming the file, the line and the ``layout`` expected."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != fields or len(parts[0]) != 2:
                raise ValueError(f"{path}, line {number}: expected {fields} tab-separated "
                                 f"fields ({layout})")
            yield number, parts


def alias_rows(rows: list[tuple[Place, list[str]]], path: Path = ALIASES
               ) -> list[tuple[Place, list[str]]]:
    """The hand-written names: added to the names of the town they belong to (in ``rows``),
    or new landmarks ("+ population"), returned."""
    towns = {(p.country, p.name): names for p, names in
             sorted(rows, key=lambda row: row[0].population) if p.kind == "city"}
    out = []
    for number, (cc, town, names) in data_lines(path, 3, "country, town or + population, names"):
        if town == "*":  # another name of the country
            country = next((names_ for p, names_ in rows
                            if p.kind == "country" and p.country == cc), None)
            if country is None:
                raise ValueError(f"{path}, line {number}: no country {cc}")
            country.extend(names.split("|"))
        elif town.startswith("+"):
            for landmark in names.split(";"):
                first = landmark.split("|")[0]
                out.append((Place("city", cc, first, int(town[1:]), None, None,
                                  key_of(first)), landmark.split("|")))
        elif (cc, town) in towns:
            towns[(cc, town)].extend(names.split("|"))
        else:
            raise ValueError(f"{path}, line {number}: no town {town!r} in {cc}")
    return out


def admin1_rows(path: Path = ADMIN1) -> list[tuple[Place, list[str], str]]:
    """The hand-written first-level divisions: (place, names, ISO 3166-2 code suffix or "").
    The code is not a name: it counts only after a city ("Richmond VA", "Vancouver, BC")."""
    out = []
    for _, (cc, code, names) in data_lines(path, 3, "country, ISO 3166-2 code or -, names"):
        for name in names.split("|"):  # a row without a code lists several divisions
            clean = name.split(" (")[0]
            out.append((Place("admin1", cc, clean, 0, None, None, key_of(clean)),
                        [clean], code if code != "-" else ""))
        if code != "-":  # one division, several names: one place
            first = out[-len(names.split("|"))][0]
            del out[-len(names.split("|")):]
            out.append((first, [n.split(" (")[0] for n in names.split("|")], code))
    return out


CACHE_VERSION = 3  # raise when Gazetteer's indexes change shape


def _cache_file(path: Path) -> Path | None:
    """Where the built gazetteer of ``path`` is kept between runs (the user's cache folder,
    keyed by the data file's content), or None when the data file cannot be read."""
    try:
        content = path.read_bytes()
        if path == DATA:
            for extra in (ADMIN1, ALIASES):
                if extra.exists():
                    content += extra.read_bytes()
        digest = hashlib.sha256(content).hexdigest()[:16]
    except OSError:
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "wildsift" / f"gazetteer-{digest}-v{CACHE_VERSION}.pickle"


@lru_cache(maxsize=2)
def load_gazetteer(path: Path = DATA) -> Gazetteer:
    """The gazetteer, once per process. Building its indexes (case-folding and accent-folding
    300,000 names) costs seconds of CPU, paid by every sift worker; so the built gazetteer is
    pickled in the user's cache folder, keyed by the data file's content, and read from there
    (a fraction of a second) by later processes. A cache that cannot be read or written is
    rebuilt or skipped, never an error."""
    cache = _cache_file(path)
    if cache is not None and cache.exists():
        try:
            with cache.open("rb") as stream:
                found = pickle.load(stream)
            if isinstance(found, Gazetteer):
                return found
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt
            pass
    gazetteer = Gazetteer(read_rows(path))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as stream:
                pickle.dump(gazetteer, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(stream.name, cache)  # atomic: readers see the old file or the new one
        except OSError:
            pass
    return gazetteer
