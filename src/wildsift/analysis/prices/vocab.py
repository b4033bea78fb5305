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
    "us$": "USD", "usd$": "USD", "usd": "USD", "$": "USD", "u$s": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
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
    # added with the third handwritten set: the other dollars, rupees, francs and quetzales
    "a$": "AUD", "au$": "AUD", "aud": "AUD", "c$": "CAD", "ca$": "CAD", "cad": "CAD",
    "nz$": "NZD", "nzd": "NZD", "chf": "CHF", "rs": "INR", "rs.": "INR", "pkr": "PKR",
    "lkr": "LKR", "npr": "NPR", "q": "GTQ", "gtq": "GTQ", "rd$": "DOP", "dop": "DOP",
    "₡": "CRC", "crc": "CRC", "lps": "HNL", "hnl": "HNL", "₲": "PYG", "pyg": "PYG",
    "uyu": "UYU", "$u": "UYU", "ves": "VES", "ushs": "UGX", "frw": "RWF",
    "rwf": "RWF", "gnf": "GNF", "cdf": "CDF", "bif": "BIF", "mad": "MAD", "egp": "EGP",
    "etb": "ETB", "zmw": "ZMW", "mwk": "MWK", "mk": "MWK", "bdt": "BDT", "৳": "BDT",
    "sar": "SAR", "₪": "ILS", "ils": "ILS", "₺": "TRY", "pln": "PLN",
    "dola": "USD", "dollar": "USD", "dollars": "USD", "#": "NGN", "gh¢": "GHS", "¢": "GHS",
    "p": "PHP", "gs": "PYG", "gs.": "PYG",
}
# Prefixes that are a currency only in the post's country ('N2,500,000' in Nigeria, 'R 850' in
# South Africa); elsewhere a letter before a number is no price.
PREFIX_COUNTRY = {"n": {"NG"}, "r": {"ZA"}, "q": {"GT"}, "mk": {"MW"}, "#": {"NG"}, "¢": {"GH"},
                  "p": {"PH"}, "gs": {"PY"}, "gs.": {"PY"}}
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
    # added with the third handwritten set
    "chf": "CHF", "cad": "CAD", "aud": "AUD", "nzd": "NZD", "a$": "AUD", "c$": "CAD",
    "fc": "CDF", "cdf": "CDF", "fg": "GNF", "gnf": "GNF", "rwf": "RWF", "frw": "RWF",
    "bif": "BIF", "francs": "XAF", "franc": "XAF", "frs": "XAF", "f": "XAF", "/-": "KES",
    "dola": "USD",
    "gtq": "GTQ", "quetzales": "GTQ", "quetzal": "GTQ", "colones": "CRC", "lempiras": "HNL",
    "córdobas": "NIO", "cordobas": "NIO", "bolívares": "VES", "bolivares": "VES",
    "guaraníes": "PYG", "guaranies": "PYG", "rupees": "INR", "rupee": "INR", "rs": "INR",
    "rs.": "INR", "บ.": "THB", "dh": "MAD", "dhs": "MAD", "dirhams": "MAD", "dirham": "MAD",
    "birr": "ETB", "ush": "UGX", "pkr": "PKR", "inr": "INR", "₹": "INR",
    "sgd": "SGD", "hk$": "HKD", "ves": "VES", "dop": "DOP", "crc": "CRC", "₡": "CRC",
    "balles": "EUR", "quid": "GBP", "gourdes": "HTG", "ariary": "MGA", "zł": "PLN", "pln": "PLN", "₺": "TRY", "₪": "ILS",
}
# The codes written before a number are also written after it ('1.200 Bs', '500 RM', '850 GHS'),
# but for single letters, codes only one country reads so, and English words ('5 pen')
SUFFIX.update({key: currency for key, currency in PREFIX.items()
               if key not in SUFFIX and key[0].isalpha() and len(key.rstrip(".")) > 1
               and key not in PREFIX_COUNTRY
               and key not in ("pen", "cop", "mad", "sar", "try", "dola", "dollar", "dollars")})
# A franc written as 'F', 'francs' or 'frs' ('75 000 F', '5 000 F l'unité') is the franc of the
# post's country; a bare 'F' is a price only in a country that uses a franc
FRANC_WORDS = {"f", "francs", "franc", "frs"}
FRANC_COUNTRIES = {
    **{c: "XOF" for c in ("CI", "SN", "ML", "BF", "BJ", "TG", "NE", "GW")},
    **{c: "XAF" for c in ("CM", "GA", "CG", "TD", "CF", "GQ")},
    "CD": "CDF", "GN": "GNF", "RW": "RWF", "BI": "BIF", "DJ": "DJF", "KM": "KMF", "CH": "CHF",
}
# Multiplier after the number: (factor, currency it implies or None).
MULTIPLIER = {
    "k": (1e3, None), "m": (1e6, None), "mil": (1e3, None), "million": (1e6, None),
    "millions": (1e6, None), "mio": (1e6, None), "bn": (1e9, None), "juta": (1e6, "IDR"),
    "jt": (1e6, "IDR"), "jta": (1e6, "IDR"), "jtan": (1e6, "IDR"), "jutaan": (1e6, "IDR"),
    "rban": (1e3, "IDR"), "rb": (1e3, "IDR"), "ribu": (1e3, "IDR"),  # "3jtan": about 3 million
    "tr": (1e6, "VND"), "triệu": (1e6, "VND"), "trieu": (1e6, "VND"), "củ": (1e6, "VND"),
    "tỷ": (1e9, "VND"), "tỉ": (1e9, "VND"), "nghìn": (1e3, "VND"), "ngàn": (1e3, "VND"),
    "万": (1e4, "CNY"), "萬": (1e4, "CNY"), "千": (1e3, "CNY"), "亿": (1e8, "CNY"),
    "พัน": (1e3, "THB"), "หมื่น": (1e4, "THB"), "แสน": (1e5, "THB"), "ล้าน": (1e6, "THB"),
    "သောင်း": (1e4, "MMK"), "သိန်း": (1e5, "MMK"), "ແສນ": (1e5, "LAK"), "ລ້ານ": (1e6, "LAK"),
    "ពាន់": (1e3, "KHR"), "ម៉ឺន": (1e4, "KHR"), "លាន": (1e6, "KHR"),
    "elfu": (1e3, "KES"), "laki": (1e5, "KES"), "milioni": (1e6, "KES"),
    "lucas": (1e3, "CLP"), "luca": (1e3, "CLP"),  # Chilean slang: '15 lucas' = CLP 15,000
    "mille": (1e3, None), "millones": (1e6, None), "millón": (1e6, None), "millon": (1e6, None),
    "milhões": (1e6, None), "milhão": (1e6, None), "grand": (1e3, None),
    "lakh": (1e5, "INR"), "lakhs": (1e5, "INR"), "crore": (1e7, "INR"),  # French: '15 mille francs', '5 mille' (of the country's currency)
    "w": (1e4, None),  # Chinese shorthand for 万 ('1.8w'); only in Chinese posts
}
# Multipliers written before the number (Swahili 'elfu 5' = 5,000; 'laki 2' = 200,000).
PRE_MULTIPLIER = {"elfu": 1e3, "laki": 1e5, "milioni": 1e6, "mia": 1e2}
# 'k' alone stands for thousands of the local currency in these languages.
K_CURRENCY = {"vi": "VND", "id": "IDR", "ms": "MYR"}
# Multipliers without a currency of their own that mean thousands (millions) of the post's
# country's currency in these languages ('25 mil' in Mexico, '15 mille' in Dakar, '2 millones'
# in Bogotá, '5 grand' in Texas); 'k' in any language, 'w' in Chinese
LOCAL_MULTIPLIER = {"mil": ("es", "pt"), "mille": ("fr",), "millones": ("es",), "millón": ("es",),
                    "millon": ("es",), "milhões": ("pt",), "milhão": ("pt",),
                    "millions": ("fr",), "million": ("fr",), "grand": ("en",)}
# Elsewhere 'k' ('45k', '1.2k', 'Ksh 18k') and, in Chinese, 'w' ('1.8w' = 1.8万) are thousands of
# the post's country's currency when no noun follows them ('112k miles', '4K TV', '10k followers')
K_NOT_MONEY_AFTER = ("mile", "km", "kilomet", "follower", "view", "sub", "like", "member",
                     "people", "step", "word", "rpm", "run", "tv", "uhd", "hd", "video", "screen",
                     "monitor", "display", "resolution", "mah", "hour", "hrs", "h ", "user", "fan",
                     "gold", "vàng", "karat", "屏", "电视", "视频", "显示", "公里", "粉", "次",
                     "ทีวี", "จอ", "màn", "layar", "kilom", "pixel", "lượt", "người", "bước", "充", "瓦",
                     "功率", "电源", "灯", "led", "watt", "km", "kilo", "personas", "pessoas",
                     "seguidores", "habitantes", "unidades", "metros", "años", "anos", "ans", "sq",
                     "ft", "feet", "square", "m2", "m²", "acre", "ha ", "heka", "hectare",
                     "gram", "unit", "ตร", "平", "㎡", "abonn", "vues", "visitas", "wafuasi",
                     "suscriptores", "inscritos", "seguidor")
# The currency that an ambiguous sign or a currency-less multiplier means in a country.
BY_COUNTRY = {
    "KES": {"TZ": "TZS", "UG": "UGX", "BO": "BOB", "IN": "INR", "PK": "PKR", "LK": "LKR",
            "NP": "NPR", "BD": "BDT"},
    "INR": {"PK": "PKR", "LK": "LKR", "NP": "NPR", "MU": "MUR", "SC": "SCR"},
    "CAD": {"NI": "NIO"},
    "MAD": {"AE": "AED"},
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
    # added with the third handwritten set
    "CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "CH": "CHF", "JP": "JPY", "KR": "KRW",
    "IE": "EUR", "NL": "EUR", "AT": "EUR", "LU": "EUR", "GR": "EUR", "FI": "EUR", "MC": "EUR",
    "CD": "CDF", "GA": "XAF", "CG": "XAF", "TD": "XAF", "CF": "XAF", "GQ": "XAF",
    "ML": "XOF", "BF": "XOF", "BJ": "XOF", "TG": "XOF", "NE": "XOF", "GW": "XOF",
    "GN": "GNF", "RW": "RWF", "BI": "BIF", "MA": "MAD", "DZ": "DZD", "TN": "TND", "EG": "EGP",
    "ET": "ETB", "ZM": "ZMW", "MW": "MWK", "ZW": "USD", "CO": "COP", "AR": "ARS", "CL": "CLP",
    "PE": "PEN", "BO": "BOB", "VE": "USD", "EC": "USD", "SV": "USD", "PA": "USD", "PR": "USD",
    "GT": "GTQ", "HN": "HNL", "NI": "NIO", "CR": "CRC", "DO": "DOP", "CU": "CUP", "UY": "UYU",
    "PY": "PYG", "HT": "HTG", "MG": "MGA", "PK": "PKR", "BD": "BDT", "LK": "LKR", "NP": "NPR", "AE": "AED", "SA": "SAR",
    "TR": "TRY", "RU": "RUB",
}
LANGUAGE_CURRENCY = {"vi": "VND", "th": "THB", "id": "IDR", "zh-Hans": "CNY", "zh": "CNY",
                     "lo": "LAK", "km": "KHR", "my": "MMK"}
# Words that lead a bare number as the item's price (with PRICE_WORDS)
BARE_PRICE_WORDS = ("giá", "harga", "ราคา", "价格", "價格", "现价", "現價", "售价", "售價",
                    "特价", "特價", "活动价", "dijual", "bei", "prix", "precio", "preço",
                    "asking", "price",
                    # added with the third handwritten set: the words sellers put before a bare
                    # amount ('gia 450k' without diacritics, 'hrg 150rb', '出价2300', '一口价',
                    # '现1500出', 'ปล่อย 28,000', 'ลดเหลือ 1,990', 'vendo en 300')
                    "gia", "hrg", "seharga", "cuma", "hanya", "出价", "一口价", "到手价", "转让价",
                    "價", "价", "售", "卖", "賣", "现", "現", "只要", "仅", "僅", "ขาย", "ปล่อย",
                    "เหลือ", "แค่", "เพียง", "tarif", "cède à", "lo dejo en", "vendo en",
                    "vendo por", "dejo en", "sale en", "总价", "總價", "共", "合计",
                    "kila moja", "kila mmoja", "kila kimoja",
                    "合計")
# A bare amount is also a price when a sale marker follows it ('1850出', '500包邮', '2,000 tu',
# '250 obo', '45 ferme', '300 c/u'); see also money._CLASSIFIER_AFTER ('1200一只') and the Thai
# 'each' before it ('ตัวละ 45k', 'คู่ละ 4500').
SALE_MARKERS_AFTER = ("出", "包邮", "包郵", "可小刀", "可刀", "不刀", "不议", "不議",
                      "到手", "tu", "obo", "ono", "ovno", "firm", "neg", "each", "ea",
                      "à débattre", "ferme", "l'unité", "la pièce", "le kilo", "négociable",
                      "negociable", "negociables", "c/u", "cada uno", "cada una", "fijo",
                      "a tratar", "nego", "aja", "saja", "thôi", "kila moja", "kila mmoja",
                      "kila kimoja", "ต่อรองได้")
# Words right before a price that make it an earlier or a purchase price, not the asking one
# ('原价1280元，活动价888元', 'estimée 2 500 €, vendue 1 900 €', 'mua 1tr6 giờ bán lại 700k')
NOT_ASKING_WORDS = ("原价", "原價", "estimée", "estimé", "ilikuwa", "harga beli",
                    # added with the third handwritten set: the earlier price of 'was X now Y',
                    # the retail price, in each language
                    "was ", "was:", "were ", "reg.", "orig.", "originally", "original price", "rrp",
                    "msrp", "u.p.", "list price", "instead of", "down from", "reduced from",
                    "listed from", "listings",
                    "giá cũ", "giá gốc", "trước", "giá niêm yết", "giá hãng", "giá thị trường",
                    "giá mua", "thay vì", "专柜", "專櫃", "官网价", "官網價", "吊牌价", "吊牌價",
                    "市场价", "市場價", "原来", "原來", "原先", "新品价", "发售价", "ราคาเต็ม",
                    "ราคาปกติ", "จากราคา", "ราคาป้าย", "ราคาห้าง", "ลดจาก", "harga normal",
                    "harga asli", "harga toko", "harga pasaran", "harga baru", "coret",
                    "turun dari", "sebelumnya", "bei ya zamani", "bei ya dukani", "badala ya",
                    "au lieu de", "prix neuf", "valeur", "ancien prix", "prix initial",
                    "prix boutique", "antes", "rebajado de", "rebajada de", "precio original",
                    "precio anterior", "en lugar de", "precio de tienda", "precio normal",
                    "valorado")
# What the seller paid, only right before its amount ('mua 1tr9', 'bought for $500', 'achetée
# 499 €', 'ซื้อมา 3,700'): 'comprado hace 2 meses, 300€' keeps its price
PURCHASE_WORDS = ("beli ", "mua ", "bought", "paid", "cost me", "入手", "买入", "買入", "ซื้อมา",
                  "nilinunua", "acheté", "achetée", "payé", "payée", "costó", "pagué", "compré",
                  "comprado", "comprada", "paguei", "comprei")
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
    "ship", "postage", "fee", "insurance", "insured", "deliver", "freight", "refund",
    "restocking", "charge", "handling", "worth", "retail", "valued", "save",
    "phí", "cước", "运费", "邮费", "ค่าส่ง", "ongkir", "ongkos", "frais", "envío", "envio",
    "frete", "usafirishaji", "gharama ya", "livraison",
    # added with the third handwritten set: deposits, the other shipping words, discounts
    "deposit", "down payment", "dp ", "cọc", "定金", "订金", "訂金", "押金", "มัดจำ", "acompte",
    "arrhes", "señal", "anticipo", "uang muka", "tanda jadi", "malipo ya awali",
    "postal", "courier", "kirim", "envoi", "gastos", "usafiri", "nauli", "快递", "快遞",
    "ค่าจัดส่ง", "ค่าขนส่ง", " ems", "kerry", "discount", "giảm", "bớt", "diskon", "potongan",
    "remise", "descuento", "punguzo", "portes", "尾款",
)
# Words that make a price a threshold only right before it ('orders over $500', 'freeship đơn từ
# 500k', '满99包邮'); 'from $50' and 'giá từ 200k' are starting prices, the item's
NEAR_FEE_WORDS = ("over", "above", "under", "below", "minimum", "min", "min.", "đơn từ",
                  "đơn trên", "trên", "满", "滿", "ขั้นต่ำ", "ซื้อครบ", "minimal", "dès")
# Words right after a price that make it a fee ('$12 postage', '£200 deposit')
FEE_AFTER = ("postage", "shipping", "delivery", "p&p", "postal", "deposit", "down payment",
             "运费", "邮费", "運費", "郵費", "定金", "订金", "押金", "มัดจำ", "ค่าส่ง", "d'acompte",
             "de acompte", "de depósito", "de señal", "tiền cọc", "cọc", "de frais de port",
             "frais de port", "de port", "ongkir", "worth", "insurance", "of insurance",
             "extra", "en plus", "de plus", "adicional", "adicionales", "tambahan",
             "thêm", "zaidi")
FEE_AFTER_NOT = ("free", "incl", "gratis", "offert", "inclus", "miễn phí", "included")
# Words that name the item's price: after a fee word they make the price the item's again.
# Signs and words the post's country may read otherwise (see BY_COUNTRY).
AMBIGUOUS = {"$", "¥", "￥", "元", "块", "塊", "/=", "sh", "sh.", "shs", "shilingi", "shillings",
             "dollars", "dollar", "bucks", "pesos", "peso", "fcfa", "cfa", "f cfa", "francs cfa",
             "franc cfa", "bs", "bs.", "bob", "/-", "francs", "franc", "frs", "rs", "rs.",
             "rupees", "rupee", "c$", "dh", "dhs", "dirhams", "dirham"}
# Signs whose currency depends on the post's language ('4,500.-' is baht in a Thai post).
SIGN_BY_LANGUAGE = {".-": {"th": "THB"}}
PRICE_WORDS = ("asking", "price", "giá", "harga", "ราคา", "价格", "價格", "bei", "prix", "precio",
               "preço", "selling", "dijual", "现价", "現價", "活动价", "售价", "vendue", "vendu",
               "sasa", "bán lại", "now ",
               # added with the third handwritten set: the current price of 'was X now Y'
               "now", "nay", "còn", "giá mới", "giá bán", "现", "現", "只要", "เหลือ", "sekarang",
               "maintenant", "ahora", "agora", "por solo", "seulement", "总价", "總價", "total", "共", "合计", "合計",
               "bán ", "jual ", "vendo ", "vends ", "à vendre", "se vende", "nauza", "inauzwa",
               "ขาย", "售")
