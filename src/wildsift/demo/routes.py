"""SYNTHETIC trade routes, seller rings and shared images for the demo corpus.

So that the report's routes and network sections have something to show: sellers in source
countries write where they ship to, sellers in transit countries name both ends, and sellers in
consumer countries say where their goods come from, each in their own language; a few rings of
sellers share one phone and one set of pictures and mention each other. All invented, drawn from
a random stream of its own, so the rest of the corpus (texts, labels, times) is the same as
without it.
"""

from __future__ import annotations

import random

SOURCES = ("NG", "MZ", "TZ", "ZA", "KE", "CM", "AO", "CD", "CI", "ID")
HUBS = ("LA", "MY", "HK")
CONSUMERS = ("CN", "VN", "TH", "TW", "US", "GB", "FR", "ES", "MX", "BR", "PT")
HUB_ORIGINS = ("NG", "MZ", "TZ", "ZA", "ID")
HUB_DESTINATIONS = ("CN", "VN", "TH")
SOURCE_DESTINATIONS = ("LA", "MY", "HK", "VN", "CN", "TH")
# consumers name Africa twice as often as a transit country
CONSUMER_ORIGINS = ("NG", "MZ", "ZA", "TZ", "KE") * 2 + ("LA", "MY", "HK")
ROUTE_SHARE = 0.35  # of a seller's offers that say where goods go or come from
HUB_ROUTE_SHARE = 0.7  # ... of a seller's in a transit country
RING_IMAGE_SHARE = 0.6  # of a ring member's pictures that are the ring's own
RING_MENTION_SHARE = 0.25
RINGS = (("vi", "vi", "th"), ("en", "zh-Hans"), ("fr", "en", "pt"), ("zh-Hant", "zh-Hans"),
         ("sw", "en"), ("id", "vi"))
RING_IMAGES = 3  # pictures per ring

_N = {
    "en": {"NG": "Nigeria", "MZ": "Mozambique", "TZ": "Tanzania", "ZA": "South Africa",
           "KE": "Kenya", "CM": "Cameroon", "AO": "Angola", "ID": "Indonesia", "LA": "Laos",
           "MY": "Malaysia", "HK": "Hong Kong", "CN": "China", "VN": "Vietnam",
           "TH": "Thailand"},
    "fr": {"NG": "Nigeria", "MZ": "Mozambique", "TZ": "Tanzanie", "ZA": "Afrique du Sud",
           "KE": "Kenya", "CM": "Cameroun", "AO": "Angola", "ID": "Indonésie", "LA": "Laos",
           "MY": "Malaisie", "HK": "Hong Kong", "CN": "Chine", "VN": "Vietnam",
           "TH": "Thaïlande"},
    "es": {"NG": "Nigeria", "MZ": "Mozambique", "TZ": "Tanzania", "ZA": "Sudáfrica",
           "KE": "Kenia", "CM": "Camerún", "AO": "Angola", "ID": "Indonesia", "LA": "Laos",
           "MY": "Malasia", "HK": "Hong Kong", "CN": "China", "VN": "Vietnam",
           "TH": "Tailandia"},
    "pt": {"NG": "Nigéria", "MZ": "Moçambique", "TZ": "Tanzânia", "ZA": "África do Sul",
           "KE": "Quênia", "CM": "Camarões", "AO": "Angola", "ID": "Indonésia", "LA": "Laos",
           "MY": "Malásia", "HK": "Hong Kong", "CN": "China", "VN": "Vietnã",
           "TH": "Tailândia"},
    "sw": {"NG": "Nigeria", "MZ": "Msumbiji", "TZ": "Tanzania", "ZA": "Afrika Kusini",
           "KE": "Kenya", "CM": "Cameroon", "AO": "Angola", "ID": "Indonesia", "LA": "Laos",
           "MY": "Malaysia", "HK": "Hong Kong", "CN": "China", "VN": "Vietnam",
           "TH": "Thailand"},
    "vi": {"NG": "Nigeria", "MZ": "Mozambique", "TZ": "Tanzania", "ZA": "Nam Phi",
           "KE": "Kenya", "CM": "Cameroon", "AO": "Angola", "ID": "Indonesia", "LA": "Lào",
           "MY": "Malaysia", "HK": "Hồng Kông", "CN": "Trung Quốc", "VN": "Việt Nam",
           "TH": "Thái Lan"},
    "th": {"NG": "ไนจีเรีย", "MZ": "โมซัมบิก", "TZ": "แทนซาเนีย", "ZA": "แอฟริกาใต้",
           "KE": "เคนยา", "CM": "แคเมอรูน", "AO": "แองโกลา", "ID": "อินโดนีเซีย", "LA": "ลาว",
           "MY": "มาเลเซีย", "HK": "ฮ่องกง", "CN": "จีน", "VN": "เวียดนาม", "TH": "ไทย"},
    "zh-Hans": {"NG": "尼日利亚", "MZ": "莫桑比克", "TZ": "坦桑尼亚", "ZA": "南非",
                "KE": "肯尼亚", "CM": "喀麦隆", "AO": "安哥拉", "ID": "印度尼西亚", "LA": "老挝",
                "MY": "马来西亚", "HK": "香港", "CN": "中国", "VN": "越南", "TH": "泰国"},
    "zh-Hant": {"NG": "奈及利亞", "MZ": "莫三比克", "TZ": "坦尚尼亞", "ZA": "南非",
                "KE": "肯亞", "CM": "喀麥隆", "AO": "安哥拉", "ID": "印尼", "LA": "寮國",
                "MY": "馬來西亞", "HK": "香港", "CN": "中國", "VN": "越南", "TH": "泰國"},
    "id": {"NG": "Nigeria", "MZ": "Mozambik", "TZ": "Tanzania", "ZA": "Afrika Selatan",
           "KE": "Kenya", "CM": "Kamerun", "AO": "Angola", "ID": "Indonesia", "LA": "Laos",
           "MY": "Malaysia", "HK": "Hong Kong", "CN": "China", "VN": "Vietnam",
           "TH": "Thailand"},
}
# (destination only, origin only, both ends) phrases per language
_T = {
    "en": (["ship to {d}", "can deliver to {d}", "shipping to {d} every week"],
           ["direct from {o}", "stock coming from {o}"],
           ["from {o} to {d}", "shipping from {o} to {d}"]),
    "fr": (["expédition vers {d}", "envoi vers {d}"], ["envoi depuis {o}", "arrivage depuis {o}"],
           ["depuis {o} vers {d}"]),
    "es": (["envío a {d}", "enviamos a {d}"], ["desde {o}", "procedente de {o}"],
           ["desde {o} con destino a {d}"]),
    "pt": (["envio para {d}", "enviamos para {d}"], ["vindo de {o}", "direto de {o}"],
           ["de {o} para {d}"]),
    "sw": (["tunasafirisha hadi {d}", "kusafirisha kwenda {d}"], ["mzigo kutoka {o}"],
           ["kutoka {o} hadi {d}"]),
    "vi": (["ship đi {d}", "giao hàng đến {d}"], ["hàng từ {o} về", "hàng nhập từ {o}"],
           ["từ {o} về {d}", "hàng từ {o}, ship đi {d}"]),
    "th": (["ส่งไป{d}ได้", "ส่งถึง{d}"], ["ของจาก{o}", "นำเข้าจาก{o}"], ["ส่งจาก{o}ไป{d}"]),
    "zh-Hans": (["可发{d}", "发往{d}"], ["货源来自{o}", "{o}发货"], ["从{o}发往{d}"]),
    "zh-Hant": (["寄往{d}", "可發{d}"], ["來自{o}", "{o}發貨"], ["從{o}發往{d}"]),
    "id": (["kirim ke {d}", "bisa kirim ke {d}"], ["barang dari {o}"], ["dari {o} ke {d}"]),
}


def route_phrase(rng: random.Random, lang: str, seller_country: str) -> str | None:
    """A phrase that says where this seller's goods go (a source country), come from (a
    consumer country) or both (a transit country); None for a language without phrases."""
    names, templates = _N.get(lang), _T.get(lang)
    if names is None or templates is None:
        return None
    dest_only, origin_only, both = templates
    if seller_country in HUBS:
        origin = rng.choice([c for c in HUB_ORIGINS if c != seller_country])
        dest = rng.choice(HUB_DESTINATIONS)
        return rng.choice(both).format(o=names[origin], d=names[dest])
    if seller_country in SOURCES:
        dest = rng.choice([c for c in SOURCE_DESTINATIONS if c != seller_country])
        return rng.choice(dest_only).format(d=names[dest])
    origin = rng.choice([c for c in CONSUMER_ORIGINS if c != seller_country])
    return rng.choice(origin_only).format(o=names[origin])


def ring_image(ring: int, k: int) -> str:
    return f"img/ring{ring}_{k:03d}.jpg"


def ring_images() -> list[str]:
    """Every ring picture the corpus may name (``img/ring<r>_<k>.jpg``)."""
    return [ring_image(r, k) for r in range(len(RINGS)) for k in range(RING_IMAGES)]
