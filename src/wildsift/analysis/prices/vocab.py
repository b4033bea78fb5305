"""The words around numbers: currencies, multipliers and units, as sellers write them.

Keys are lower-case. A multiplier may imply its currency ('2tr5' is Vietnamese dong, '2 jt'
rupiah, '5万' yuan, '5 แสน' baht, '3 သိန်း' kyat); a bare 'k' implies one only in languages where
it is the usual shorthand ('500k' in Vietnamese and Indonesian). Ambiguous signs take the
commonest reading in this trade ('$' is the US dollar, '¥' the yuan, '元' the yuan) unless the
post's language or country says otherwise (see :data:`BY_COUNTRY`).
"""

from __future__ import annotations

# A Latin letter (ASCII, Latin-1, Latin Extended-A, Vietnamese): a word goes on after a unit
# or a code ('5 kgs' is kilograms, '5 kgx' is not). Thai, CJK and other scripts are written
# without spaces, so a letter of theirs after a unit does not extend it.
LATIN_LETTER = "[a-zà-öø-ÿā-ſơưƠƯạ-ỹ]"

# Written before the number ("$300", "Rp 1.250.000", "KSh 5,000").
PREFIX = {
    "us$": "USD", "usd": "USD", "$": "USD", "u$s": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
    "gbp": "GBP", "¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "hk$": "HKD", "hkd": "HKD",
    "nt$": "TWD", "twd": "TWD", "s$": "SGD", "sgd": "SGD", "r$": "BRL", "brl": "BRL",
    "₦": "NGN", "ngn": "NGN", "฿": "THB", "thb": "THB", "₫": "VND", "vnd": "VND", "rp": "IDR",
    "rp.": "IDR", "idr": "IDR", "rm": "MYR", "myr": "MYR", "ksh": "KES", "ksh.": "KES",
    "kshs": "KES", "kes": "KES", "tsh": "TZS", "tsh.": "TZS", "tshs": "TZS", "tzs": "TZS",
    "ush": "UGX", "ugx": "UGX", "zar": "ZAR", "mzn": "MZN", "₭": "LAK", "lak": "LAK",
    "៛": "KHR", "khr": "KHR", "mmk": "MMK", "ks": "MMK", "ks.": "MMK", "ကျပ်": "MMK",
    "₱": "PHP", "php": "PHP", "₹": "INR", "inr": "INR", "₩": "KRW", "krw": "KRW", "₽": "RUB",
    "rub": "RUB", "fcfa": "XAF", "cfa": "XAF", "xaf": "XAF", "xof": "XOF", "aed": "AED",
    "jpy": "JPY", "人民币": "CNY", "美元": "USD", "shilingi": "KES", "sh": "KES", "sh.": "KES",
    "shs": "KES", "n": "NGN", "ghs": "GHS", "ghc": "GHS", "gh₵": "GHS", "₵": "GHS",
    "s/": "PEN", "s/.": "PEN", "bs": "BOB", "bs.": "BOB", "r": "ZAR", "mx$": "MXN",
    "col$": "COP", "ars": "ARS", "cop": "COP", "clp": "CLP", "mxn": "MXN", "pen": "PEN",
}
# Prefixes that are a currency only in the post's country ('N2,500,000' in Nigeria, 'R 850' in
# South Africa); elsewhere a letter before a number is no price.
PREFIX_COUNTRY = {"n": {"NG"}, "r": {"ZA"}}
# Written after the number or its multiplier ("300 บาท", "500.000đ", "2000元", "150 euros").
SUFFIX = {
    "usd": "USD", "$": "USD", "us$": "USD", "dollars": "USD", "dollar": "USD", "bucks": "USD",
    "đô": "USD", "đô la": "USD", "dólares": "USD", "dolares": "USD", "dólar": "USD",
    "dolar": "USD", "美元": "USD", "美金": "USD", "ดอลลาร์": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR", "ยูโร": "EUR",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP",
    "vnd": "VND", "vnđ": "VND", "đ": "VND", "₫": "VND", "d": "VND", "dong": "VND", "đồng": "VND",
    "元": "CNY", "块": "CNY", "塊": "CNY", "rmb": "CNY", "cny": "CNY", "人民币": "CNY",
    "港币": "HKD", "港元": "HKD", "港幣": "HKD", "hkd": "HKD", "台币": "TWD", "台幣": "TWD",
    "新台币": "TWD", "新台幣": "TWD", "twd": "TWD", "円": "JPY", "日元": "JPY", "jpy": "JPY",
    "บาท": "THB", "฿": "THB", "baht": "THB", "thb": "THB",
    "idr": "IDR", "rupiah": "IDR", "ringgit": "MYR", "myr": "MYR",
    "naira": "NGN", "ngn": "NGN", "₦": "NGN",
    "kes": "KES", "ksh": "KES", "shillings": "KES", "shilingi": "KES", "/=": "KES",
    "tzs": "TZS", "tsh": "TZS", "ugx": "UGX",
    "fcfa": "XAF", "f cfa": "XAF", "cfa": "XAF", "xaf": "XAF", "xof": "XOF",
    "mt": "MZN", "mts": "MZN", "meticais": "MZN", "mzn": "MZN", "kz": "AOA", "kwanza": "AOA",
    "aoa": "AOA", "kip": "LAK", "ກີບ": "LAK", "₭": "LAK", "lak": "LAK",
    "riel": "KHR", "រៀល": "KHR", "៛": "KHR", "khr": "KHR",
    "kyat": "MMK", "kyats": "MMK", "ကျပ်": "MMK", "ks": "MMK", "mmk": "MMK",
    ".-": "", "rand": "ZAR", "zar": "ZAR", "₱": "PHP", "php": "PHP", "pesos": "PHP",
    "peso": "PHP", "reais": "BRL", "real": "BRL", "conto": "BRL", "contos": "BRL",
    "ghs": "GHS", "cedis": "GHS", "cedi": "GHS", "soles": "PEN",
    "bolivianos": "BOB", "bob": "KES", "francs cfa": "XAF", "franc cfa": "XAF",
    "mxn": "MXN", "cop": "COP", "ars": "ARS", "clp": "CLP", "pen": "PEN",
    "руб": "RUB", "руб.": "RUB", "рублей": "RUB", "₽": "RUB", "rub": "RUB",
    "원": "KRW", "krw": "KRW", "درهم": "AED", "aed": "AED",
}
# Multiplier after the number: (factor, currency it implies or None).
MULTIPLIER = {
    "k": (1e3, None), "m": (1e6, None), "mil": (1e3, None), "million": (1e6, None),
    "millions": (1e6, None), "mio": (1e6, None), "bn": (1e9, None), "juta": (1e6, "IDR"),
    "jt": (1e6, "IDR"), "jta": (1e6, "IDR"), "rb": (1e3, "IDR"), "ribu": (1e3, "IDR"),
    "tr": (1e6, "VND"), "triệu": (1e6, "VND"), "trieu": (1e6, "VND"), "củ": (1e6, "VND"),
    "tỷ": (1e9, "VND"), "tỉ": (1e9, "VND"), "nghìn": (1e3, "VND"), "ngàn": (1e3, "VND"),
    "万": (1e4, "CNY"), "萬": (1e4, "CNY"), "千": (1e3, "CNY"), "亿": (1e8, "CNY"),
    "พัน": (1e3, "THB"), "หมื่น": (1e4, "THB"), "แสน": (1e5, "THB"), "ล้าน": (1e6, "THB"),
    "သောင်း": (1e4, "MMK"), "သိန်း": (1e5, "MMK"), "ແສນ": (1e5, "LAK"), "ລ້ານ": (1e6, "LAK"),
    "ពាន់": (1e3, "KHR"), "ម៉ឺន": (1e4, "KHR"), "លាន": (1e6, "KHR"),
    "elfu": (1e3, "KES"), "laki": (1e5, "KES"), "milioni": (1e6, "KES"),
    "lucas": (1e3, "CLP"), "luca": (1e3, "CLP"),  # Chilean slang: '15 lucas' = CLP 15,000
}
# Multipliers written before the number (Swahili 'elfu 5' = 5,000; 'laki 2' = 200,000).
PRE_MULTIPLIER = {"elfu": 1e3, "laki": 1e5, "milioni": 1e6, "mia": 1e2}
# 'k' alone stands for thousands of the local currency in these languages.
K_CURRENCY = {"vi": "VND", "id": "IDR", "ms": "MYR"}
# The currency that an ambiguous sign or a currency-less multiplier means in a country.
BY_COUNTRY = {
    "KES": {"TZ": "TZS", "UG": "UGX", "BO": "BOB"},
    "CNY": {"TW": "TWD", "HK": "HKD", "JP": "JPY"},
    "IDR": {"MY": "MYR"},
    "USD": {"HK": "HKD", "TW": "TWD", "SG": "SGD", "AU": "AUD", "CA": "CAD", "NZ": "NZD",
            "MX": "MXN", "AR": "ARS", "CO": "COP", "CL": "CLP", "UY": "UYU", "DO": "DOP"},
    # 'pesos' in Latin America are the country's own ('$12,000 pesos' in Mexico)
    "PHP": {"MX": "MXN", "CO": "COP", "AR": "ARS", "CL": "CLP", "UY": "UYU", "DO": "DOP",
            "CU": "CUP"},
    # the CFA franc of West Africa (UEMOA) is XOF, of Central Africa (CEMAC) XAF
    "XAF": {c: "XOF" for c in ("CI", "SN", "ML", "BF", "BJ", "TG", "NE", "GW")},
    "BOB": {"VE": "VES"},
}
# The currency of a post's country, for a bare number that a price word leads ('harga
# 9.750.000', '现价180'): a price word says the number is money, the country says which.
COUNTRY_CURRENCY = {
    "VN": "VND", "TH": "THB", "ID": "IDR", "CN": "CNY", "TW": "TWD", "HK": "HKD", "MY": "MYR",
    "KE": "KES", "TZ": "TZS", "UG": "UGX", "NG": "NGN", "GH": "GHS", "ZA": "ZAR",
    "US": "USD", "GB": "GBP", "FR": "EUR", "BE": "EUR", "DE": "EUR", "ES": "EUR", "PT": "EUR",
    "IT": "EUR", "BR": "BRL", "MX": "MXN", "CM": "XAF", "CI": "XOF", "SN": "XOF", "MZ": "MZN",
    "AO": "AOA", "PH": "PHP", "IN": "INR", "LA": "LAK", "KH": "KHR", "MM": "MMK",
}
LANGUAGE_CURRENCY = {"vi": "VND", "th": "THB", "id": "IDR", "zh-Hans": "CNY", "zh": "CNY",
                     "lo": "LAK", "km": "KHR", "my": "MMK"}
# Words that lead a bare number as the item's price (with PRICE_WORDS)
BARE_PRICE_WORDS = ("giá", "harga", "ราคา", "价格", "價格", "现价", "現價", "售价", "售價",
                    "特价", "特價", "活动价", "dijual", "bei", "prix", "precio", "preço",
                    "asking", "price")
# Words right before a price that make it an earlier or a purchase price, not the asking one
# ('原价1280元，活动价888元', 'estimée 2 500 €, vendue 1 900 €', 'mua 1tr6 giờ bán lại 700k')
NOT_ASKING_WORDS = ("原价", "原價", "estimée", "estimé", "ilikuwa", "harga beli", "beli ",
                    "mua ", "bought", "paid")
BY_LANGUAGE = {"CNY": {"ja": "JPY"}, "IDR": {"ms": "MYR"}}

# Units of quantity: unit -> (canonical unit, kilograms per unit or None for a count).
MASS = {
    "kg": 1.0, "kgs": 1.0, "kilo": 1.0, "kilos": 1.0, "kilogram": 1.0, "kilograms": 1.0,
    "kilogramme": 1.0, "kilogrammes": 1.0, "quilo": 1.0, "quilos": 1.0, "ký": 1.0, "kí": 1.0,
    "cân": 1.0, "g": 0.001, "gr": 0.001, "grs": 0.001, "gram": 0.001, "grams": 0.001,
    "gramme": 0.001, "grammes": 0.001, "gramos": 0.001, "gramas": 0.001, "gam": 0.001,
    "gramu": 0.001, "lạng": 0.1, "公斤": 1.0, "千克": 1.0, "克": 0.001, "斤": 0.5, "两": 0.05,
    "กิโล": 1.0, "กิโลกรัม": 1.0, "กก.": 1.0, "กก": 1.0, "กรัม": 0.001, "ขีด": 0.1,
    "ton": 1000.0, "tons": 1000.0, "tonne": 1000.0, "tonnes": 1000.0, "tấn": 1000.0,
    "吨": 1000.0, "噸": 1000.0, "ตัน": 1000.0, "lb": 0.45359, "lbs": 0.45359,
    "pound": 0.45359, "oz": 0.028350, "ကီလို": 1.0, "ပိဿာ": 1.633, "ກິໂລ": 1.0, "ກຣາມ": 0.001,
    "គីឡូ": 1.0, "ក្រាម": 0.001,
}
COUNT = {
    "pcs": "piece", "pc": "piece", "piece": "piece", "pieces": "piece", "pièce": "piece",
    "pièces": "piece", "pieza": "piece", "piezas": "piece", "peça": "piece", "peças": "piece",
    "ekor": "animal", "buah": "piece", "biji": "piece", "con": "animal", "cái": "piece",
    "chiếc": "piece", "cặp": "pair", "đôi": "pair", "pair": "pair", "pairs": "pair",
    "只": "animal", "隻": "animal", "头": "animal", "頭": "animal", "条": "piece", "條": "piece",
    "根": "piece", "支": "piece", "件": "piece", "个": "piece", "個": "piece", "对": "pair",
    "對": "pair", "ตัว": "animal", "ชิ้น": "piece", "อัน": "piece", "คู่": "pair",
    "vipande": "piece", "kipande": "piece", "heads": "animal", "live": "animal",
    "ကောင်": "animal", "ໂຕ": "animal", "ក្បាល": "animal",
}
# Words right before a price that make it something other than the item's price.
FEE_WORDS = (
    "ship", "postage", "fee", "insurance", "insured", "deliver", "freight", "over", "refund",
    "restocking", "charge", "handling", "worth", "retail", "valued", "from", "save",
    "phí", "cước", "运费", "邮费", "ค่าส่ง", "ongkir", "ongkos", "frais", "envío", "envio",
    "frete", "usafirishaji", "gharama ya", "livraison",
)
# Words that name the item's price: after a fee word they make the price the item's again.
# Signs and words the post's country may read otherwise (see BY_COUNTRY).
AMBIGUOUS = {"$", "¥", "￥", "元", "块", "塊", "/=", "sh", "sh.", "shs", "shilingi", "shillings",
             "dollars", "dollar", "bucks", "pesos", "peso", "fcfa", "cfa", "f cfa", "francs cfa",
             "franc cfa", "bs", "bs.", "bob"}
# Signs whose currency depends on the post's language ('4,500.-' is baht in a Thai post).
SIGN_BY_LANGUAGE = {".-": {"th": "THB"}}
PRICE_WORDS = ("asking", "price", "giá", "harga", "ราคา", "价格", "價格", "bei", "prix", "precio",
               "preço", "selling", "dijual", "现价", "現價", "活动价", "售价", "vendue", "vendu",
               "sasa", "bán lại", "now ")
