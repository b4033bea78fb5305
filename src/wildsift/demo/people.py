"""SYNTHETIC people for the demo corpus: fake handles, places and planted contact identifiers.

Nothing here describes a real person. Phone numbers are random digits in each country's mobile
ranges (so that :mod:`phonenumbers`, and therefore the privacy layer, recognises them); e-mail
addresses use the reserved ``example.*`` domains. They exist so that redaction has something to
redact and contact-linking analyses have something to link.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# City, latitude, longitude per ISO 3166-1 alpha-2 country.
CITIES: dict[str, list[tuple[str, float, float]]] = {
    "VN": [("Hà Nội", 21.0285, 105.8542), ("TP. Hồ Chí Minh", 10.8231, 106.6297),
           ("Đà Nẵng", 16.0544, 108.2022), ("Hải Phòng", 20.8449, 106.6881)],
    "CN": [("广州", 23.1291, 113.2644), ("北京", 39.9042, 116.4074), ("上海", 31.2304, 121.4737),
           ("昆明", 25.0389, 102.7183), ("厦门", 24.4798, 118.0894), ("勐腊", 21.4597, 101.5639)],
    "HK": [("香港", 22.3193, 114.1694)],
    "TW": [("台北", 25.0330, 121.5654), ("高雄", 22.6273, 120.3014)],
    "TH": [("กรุงเทพฯ", 13.7563, 100.5018), ("เชียงใหม่", 18.7883, 98.9853),
           ("เชียงแสน", 20.2747, 100.0847)],
    "LA": [("Vientiane", 17.9757, 102.6331), ("Luang Prabang", 19.8856, 102.1347),
           ("Boten", 21.1920, 101.6700)],
    "ID": [("Jakarta", -6.2088, 106.8456), ("Surabaya", -7.2575, 112.7521),
           ("Medan", 3.5952, 98.6722)],
    "MY": [("Kuala Lumpur", 3.1390, 101.6869), ("Johor Bahru", 1.4927, 103.7414)],
    "NG": [("Lagos", 6.5244, 3.3792), ("Kano", 12.0022, 8.5920)],
    "KE": [("Nairobi", -1.2921, 36.8219), ("Mombasa", -4.0435, 39.6682)],
    "TZ": [("Dar es Salaam", -6.7924, 39.2083), ("Arusha", -3.3869, 36.6830)],
    "ZA": [("Johannesburg", -26.2041, 28.0473), ("Durban", -29.8587, 31.0218),
           ("Cape Town", -33.9249, 18.4241)],
    "MZ": [("Maputo", -25.9692, 32.5732), ("Pemba", -12.9740, 40.5178)],
    "AO": [("Luanda", -8.8390, 13.2894)],
    "CM": [("Douala", 4.0511, 9.7679), ("Yaoundé", 3.8480, 11.5021)],
    "CI": [("Abidjan", 5.3600, -4.0083)],
    "CD": [("Kinshasa", -4.4419, 15.2663)],
    "US": [("New York", 40.7128, -74.0060), ("Los Angeles", 34.0522, -118.2437),
           ("Miami", 25.7617, -80.1918)],
    "GB": [("London", 51.5074, -0.1278), ("Manchester", 53.4808, -2.2426)],
    "FR": [("Paris", 48.8566, 2.3522), ("Marseille", 43.2965, 5.3698)],
    "ES": [("Madrid", 40.4168, -3.7038), ("Barcelona", 41.3874, 2.1686)],
    "MX": [("Ciudad de México", 19.4326, -99.1332)],
    "BR": [("São Paulo", -23.5505, -46.6333), ("Rio de Janeiro", -22.9068, -43.1729)],
    "PT": [("Lisboa", 38.7223, -9.1393)],
}

# Which countries write in which language, with weights.
LANG_COUNTRIES: dict[str, tuple[list[str], list[float]]] = {
    "en": (["US", "GB", "NG", "KE", "ZA", "MY"], [25, 20, 20, 10, 15, 10]),
    "zh-Hans": (["CN"], [1]),
    "zh-Hant": (["HK", "TW"], [6, 4]),
    "vi": (["VN", "LA"], [9, 1]),
    "th": (["TH", "LA"], [85, 15]),
    "id": (["ID", "MY"], [85, 15]),
    "fr": (["FR", "CM", "CI", "CD"], [35, 30, 20, 15]),
    "es": (["ES", "MX"], [5, 5]),
    "pt": (["BR", "MZ", "AO", "PT"], [5, 3, 1, 1]),
    "sw": (["KE", "TZ"], [5, 5]),
}

# (calling code, mobile prefixes, digits after the prefix, national-format template or None).
# A national template is given only for regions the default study settings parse nationally.
_PHONES: dict[str, tuple[str, list[str], int, str | None, str]] = {
    "VN": ("84", ["90", "91", "93", "94", "96", "97", "98", "86", "88", "32", "35", "37", "70",
                  "77", "79", "81", "83", "85"], 7, "0{0:3} {3:6} {6:}", "{0:3} {3:6} {6:}"),
    "CN": ("86", ["138", "139", "135", "136", "150", "158", "186", "187", "188", "130", "133",
                  "153", "180", "177"], 8, "{0:3} {3:7} {7:}", "{0:3} {3:7} {7:}"),
    "HK": ("852", ["912", "923", "934", "945", "613", "621", "638", "512", "536"], 5, "{0:4} {4:}",
           "{0:4} {4:}"),
    "TW": ("886", ["91", "92", "93", "95", "96", "97", "98"], 7, None, "{0:3} {3:6} {6:}"),
    "TH": ("66", ["81", "82", "84", "86", "87", "89", "61", "62", "63", "80", "90", "91", "92",
                  "95", "98"], 7, "0{0:2}-{2:5}-{5:}", "{0:2} {2:5} {5:}"),
    "LA": ("856", ["202", "205", "207", "209"], 7, "0{0:2} {2:6} {6:}", "{0:2} {2:6} {6:}"),
    "ID": ("62", ["812", "813", "821", "822", "852", "853", "811", "815", "817", "857", "878",
                  "896", "838"], 8, "0{0:3}-{3:7}-{7:}", "{0:3}-{3:7}-{7:}"),
    "MY": ("60", ["123", "126", "133", "162", "169", "172", "177", "193", "197", "146"], 6,
           "0{0:2}-{2:5} {5:}", "{0:2}-{2:5} {5:}"),
    "NG": ("234", ["803", "806", "703", "706", "813", "816", "810", "814", "903", "805", "807",
                   "802", "808", "812", "902", "909"], 7, "0{0:3} {3:6} {6:}", "{0:3} {3:6} {6:}"),
    "KE": ("254", ["710", "711", "712", "720", "721", "722", "790", "791", "700"], 6,
           "0{0:3} {3:}", "{0:3} {3:}"),
    "TZ": ("255", ["71", "65", "67", "68", "69", "74", "75", "76", "77", "78"], 7,
           "0{0:3} {3:6} {6:}", "{0:3} {3:6} {6:}"),
    "ZA": ("27", ["82", "83", "84", "72", "73", "74", "76", "78", "79", "71", "81", "60", "61"],
           7, "0{0:2} {2:5} {5:}", "{0:2} {2:5} {5:}"),
    "MZ": ("258", ["82", "84", "85", "86", "87"], 7, None, "{0:2} {2:5} {5:}"),
    "AO": ("244", ["923", "924", "925", "912", "913", "941", "946"], 6, None, "{0:3} {3:6} {6:}"),
    "CM": ("237", ["67", "65", "69", "68"], 7, "{0:1} {1:3} {3:5} {5:7} {7:}",
           "{0:1} {1:3} {3:5} {5:7} {7:}"),
    "CI": ("225", ["07", "05", "01"], 8, None, "{0:2} {2:4} {4:6} {6:8} {8:}"),
    "CD": ("243", ["81", "82", "84", "85", "89", "99"], 7, None, "{0:2} {2:5} {5:}"),
    "US": ("1", ["212555", "305555", "415555", "213555", "646555", "786555"], 4,
           "({0:3}) {3:6}-{6:}", "{0:3} {3:6} {6:}"),
    "GB": ("44", ["740", "747", "751", "757", "772", "775", "780", "786", "790", "795", "798"], 7,
           "0{0:4} {4:}", "{0:4} {4:}"),
    "FR": ("33", ["60", "61", "62", "64", "66", "67", "68", "73", "75", "77", "78"], 7, "0{0:1} {1:3} {3:5} {5:7} {7:}", "{0:1} {1:3} {3:5} {5:7} {7:}"),
    "ES": ("34", ["6"], 8, "{0:3} {3:6} {6:}", "{0:3} {3:6} {6:}"),
    "MX": ("52", ["55", "33", "81"], 8, None, "{0:2} {2:6} {6:}"),
    "BR": ("55", ["119", "219", "319", "619", "719", "819"], 8, "({0:2}) {2:7}-{7:}",
           "{0:2} {2:7}-{7:}"),
    "PT": ("351", ["91", "92", "93", "96"], 7, None, "{0:3} {3:6} {6:}"),
}


def _cut(template: str, digits: str) -> str:
    """Format ``digits`` with a template of slices such as ``"0{0:3} {3:6} {6:}"``."""
    out, i = [], 0
    while i < len(template):
        if template[i] == "{":
            j = template.index("}", i)
            start, _, end = template[i + 1:j].partition(":")
            out.append(digits[int(start):int(end)] if end else digits[int(start):])
            i = j + 1
        else:
            out.append(template[i])
            i += 1
    return "".join(out)


def phone_number(rng: random.Random, country: str) -> tuple[str, str]:
    """A random mobile number of ``country``: (national format, international format).

    The national format falls back to the international one where the default study settings
    would not parse that country's numbers without a ``+`` prefix.
    """
    code, prefixes, rest, national, international = _PHONES[country]
    digits = rng.choice(prefixes) + str(rng.randrange(10 ** rest)).zfill(rest)
    intl = f"+{code} " + _cut(international, digits)
    return (_cut(national, digits) if national else intl), intl


_SYLLABLES = {
    "en": ["jay", "kim", "sam", "lee", "max", "ben", "zoe", "amy", "tom", "ray", "joy", "dan"],
    "zh-Hans": ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou"],
    "zh-Hant": ["chan", "wong", "lam", "cheung", "ho", "lau", "tsai", "lin", "kuo", "hsu"],
    "vi": ["lan", "minh", "tuan", "hoa", "dung", "hung", "thao", "linh", "nam", "phuong"],
    "th": ["nok", "ploy", "beam", "bank", "fah", "mint", "nut", "pim", "som", "toon"],
    "id": ["budi", "sari", "agus", "dewi", "eko", "rina", "adi", "putri", "joko", "wati"],
    "fr": ["luc", "ines", "marc", "awa", "yann", "aminata", "paul", "fatou", "kone", "eric"],
    "es": ["pablo", "lucia", "diego", "sofia", "juan", "carla", "luis", "ana", "jorge", "eva"],
    "pt": ["joao", "maria", "pedro", "ana", "tiago", "rita", "lucas", "bia", "nuno", "celso"],
    "sw": ["juma", "amani", "neema", "baraka", "zawadi", "hamisi", "rehema", "musa", "asha"],
}
_SHOP_WORDS = ["shop", "store", "antique", "art", "deco", "trade", "collect", "gift", "luxury"]


def handle(rng: random.Random, lang: str, seller: bool) -> str:
    """A fake account handle (no '@'); sellers look a little like shops."""
    parts = _SYLLABLES[lang]
    first = rng.choice(parts)
    if seller and rng.random() < 0.6:
        return f"{first}_{rng.choice(_SHOP_WORDS)}{rng.randrange(100)}"
    return f"{first}{rng.choice(('', '_', '.'))}{rng.choice(parts)}{rng.randrange(1000)}"


@dataclass(slots=True)
class Contacts:
    """One account's planted identifiers, reused across its posts so ads can be linked."""

    phone: str  # national format (or international where no national parsing)
    phone_intl: str
    email: str
    wechat: str
    line: str
    telegram: str

    def fields(self) -> dict[str, str]:
        return {"nat": self.phone, "intl": self.phone_intl, "email": self.email,
                "wechat": self.wechat, "line": self.line, "tg": self.telegram}


_EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com"]


def contacts(rng: random.Random, country: str, user_handle: str) -> Contacts:
    nat, intl = phone_number(rng, country)
    base = user_handle.replace(".", "_")
    return Contacts(
        phone=nat,
        phone_intl=intl,
        email=f"{base}{rng.randrange(100)}@{rng.choice(_EMAIL_DOMAINS)}",
        wechat=f"wx_{base[:12]}{rng.randrange(10, 99)}",
        line=f"{base[:10]}.{rng.randrange(10, 99)}",
        telegram=f"{base[:14]}_tg",
    )
