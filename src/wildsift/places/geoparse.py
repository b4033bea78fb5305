"""Find the places a text names, offline, with the gazetteer and the precision guards.

Two modes. ``text`` (a post): a name counts when it is written as a name (a capital in cased
scripts), is not a common word unless a locative word precedes it ("in Nice"), and, when the
name is shared by cities of several countries, when one country holds most of their people.
``field`` (a profile location, a listing's "location"): the text is known to name a place, so
case and common words do not matter and each comma-separated part is tried whole first.

Spaced scripts are matched word by word (the longest name first, up to five words); unspaced
ones (Chinese, Japanese, Thai, Lao, Khmer, Burmese, Korean) by substring, longest first.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Literal

import regex

from wildsift.places.context import not_here, not_places
from wildsift.places.gazetteer import (
    ADMIN1,
    UNSPACED,
    WORD,
    Gazetteer,
    Place,
    admin1_rows,
    data_lines,
    fold,
    key_of,
    load_gazetteer,
)
from wildsift.places.guards import (
    BIG_PLACE,
    CITY_ABBREVIATIONS,
    COMMON_WORDS,
    EXONYMS,
    GIVEN_NAMES,
    HAN_COMMON,
    LOCATIVE_CUES,
    MIN_ALIAS_POPULATION,
    MIN_AMBIGUOUS_SHARE,
    MIN_HAN2_POPULATION,
    MIN_THAI_POPULATION,
    MIN_UNCUED_POPULATION,
    NEVER_PLACES,
    home_countries,
    is_common_word,
    stop_words,
)

Mode = Literal["text", "field"]
MAX_WORDS = 5
ASCII_WORD = re.compile(r"[A-Za-z0-9]+")  # WORD on an ASCII text: no marks, no other letters
NEAR_END = 40  # characters: a name that ends this near a text's end may be its location line
SENTENCE_START = regex.compile(r"(?:^|[.!?:]\s*)$")  # on the three characters before a name
# after a two-character Han city name, what says it is one ("深圳发货", "昆明市", "广州现货")
HAN_FOLLOWERS = frozenset("市省县縣区區发發现現卖賣自包收的仓倉本地出到店有专專附人同批面")
# ...or a district of it ("北京朝阳区", "杭州西湖区", "苏州工业园区")
HAN_DISTRICT = regex.compile(r"^\p{Han}{1,4}[区區县縣]")
# ...or a street, a port, a station or a part of it ("武汉汉正街", "长沙黄兴路", "南宁海关",
# "桃园机场", "昆明花鸟市场", "北海银滩附近"), or a district and where to collect ("北京昌平自提",
# "杭州萧山面交")
HAN_PLACE_AFTER = regex.compile(
    r"^(?:\p{Han}{0,3}(?:路|街|大道|广场|廣場|机场|機場|海关|海關|口岸|火车站|火車站|高铁站|高鐵站|"
    r"车站|車站|码头|碼頭|港口|市场|市場|附近|周边|周邊|一带|一帶|自提|面交|同城|发货|發貨|"
    r"现货|現貨|看货|看貨|门店|門店|实体店|實體店|边|邊)|这边|這邊|那边|那邊|花鸟|花鳥|海边|海邊)")
# a locative word before a two-character city: "在北京大兴", "位于厦门", "人在曼谷", "来自昆明"
HAN_CUES = ("在", "位于", "位於", "来自", "來自", "坐标", "坐標", "地址", "人在", "现居", "現居",
            "定位", "住在", "去")
# two-character cities that are also words ("开封即饮": open and drink; "海口": a boast)
HAN_WORDS = frozenset({"开封", "開封", "天府", "关口", "玉山", "宝山", "宝安", "寶安", "新安", "松江",
                       "嘉定", "普陀", "青阳", "澄江", "宜城", "六安", "巴中", "包头", "包頭", "海口",
                       "吉林", "金华", "金華", "白银", "太原", "长春", "長春", "南通", "通化"})
# ...and the first or last character of a dish after a city ("重庆小面", "扬州炒饭", "兰州拉面")
HAN_DISH_CHARS = frozenset("面麵粉米茶酒菜饭飯鸡雞鱼魚肉汤湯糖果干乾炒烧燒炖燉烤蒸煎饼餅糕酥包")
# a Thai-script name of a foreign town shorter than four letters is a syllable of a Thai word
# ("เมื่อวาน", yesterday, holds วาน, Van in Turkey)
MIN_THAI_FOREIGN_LENGTH = 4
OPENING = regex.compile(r"[^\p{L}\p{N}]*")
DISTRICT_JOIN = regex.compile(r"(?:\s+\p{Lu}[\p{L}\p{M}]+){0,2}(?:\s*[,(/]\s*|\s+[-–]\s+)")
# the country a language is named from, whose towns others were named after
LANGUAGE_ORIGIN = {"es": "ES", "fr": "FR", "de": "DE"}
FOOTER_BEFORE = (",", "-", "|", ":", "–", "—", "·", "/")  # "Colmillos de elefante, Asunción"
FOOTER_AFTER = regex.compile(r"[\s.!?…]*(?:(?:#[\p{L}\p{N}_]+|\([^()\n]{0,20}\)|[\p{So}\p{Sk}])[\s.!?…]*)*$")
GREETING_BEFORE = regex.compile(
    r"(?i:\b(?:thanks|thank\s+you|regards|cheers|best|love|saludos|gracias|atentamente|besos|"
    r"merci|cordialement|bises|danke|grüße|gruß|lg|vg|obrigad[oa]|abraços|beijos|salam|"
    r"terima\s+kasih|makasih|hormat\s+saya|cảm\s+ơn|thân)\s*[,:-]$)")
TOWN_COMMA_BEFORE = regex.compile(r"\p{Lu}[\p{L}\p{M}]+,\s*$")
GIVEN_INITIALS = frozenset(name[0] for name in GIVEN_NAMES)
SAINT = regex.compile(r"^(?:saint|san|santa|santo|são|sao|st|ste|sint|sankt)\b")
# a post that opens with a place, as classified ads do: "Lille, perroquet gris",
# "Seattle, WA: sofa", "Halle (Saale), Waschmaschine"
HEADER_AFTER = regex.compile(r"^(?:\s*[,:;(/|]|\s+[-–—]\s)")
MIN_HEADER_POPULATION = 50_000
# a header town of the post's language's countries, or one only one country has: a town of
# 30,000 people ("Agen, vends", "Meran, verkaufe" in German), one of 15,000 when its district,
# region or river comes with it ("Dole (Jura)", "Weil am Rhein,"); 15,000 was the gazetteer's
# smallest town until 8 Dec 2026 (towns of 5,000 since), and stays the floor of such headers
MIN_LOCAL_HEADER_POPULATION = 30_000
MIN_STRONG_HEADER_POPULATION = 15_000
# what a header town may carry before the header's separator: its district after a hyphen
# ("Essen-Rüttenscheid:", "Stuttgart-West,"), its region in brackets ("Halle (Saale),",
# "Dole (Jura)"), a river or region after "am/im/an der/sur/upon" ("Weil am Rhein,",
# "Freiburg im Breisgau"), or up to two words that name a part of it: a district ("Bordeaux
# Chartrons -", "Rennes Villejean,"), a number ("Lyon 7e,", "Zürich Kreis 4,", "Marseille
# 13e"), a word for its centre ("Dijon centre,", "León capital,", "Kediri kota,")
HEADER_PART_WORDS = (r"(?i:centre|center|centro|capital|cap\.|ciudad|kota|kabupaten|kab\.|city|"
                     r"puerto|port|porto|pueblo|playa|plage|strand|beach|bahía|rive\s+gauche|"
                     r"rive\s+droite|centre-ville|centre\s+ville|hypercentre|casco\s+antiguo|"
                     r"ville|mitte|stadt|zentrum|altstadt|innenstadt|downtown|area|region|"
                     r"nord|sud|süd|est|ost|ouest|west|norte|oeste|este|barat|timur|utara|selatan|"
                     r"intramuros|intra-muros|kreis\s+\d{1,2})")
HEADER_STRONG_TAIL = regex.compile(
    r"^(?:[-–][\p{Lu}][\p{L}\p{M}.]+(?:[-–][\p{L}\p{M}]+)?"
    r"|\s*\(\s*[\p{Lu}\d][^()\n]{0,30}\)"
    r"|\s+(?:am|an\s+der|im|in\s+der|ob\s+der|upon|sur|lès|on\s+the)"
    r"\s+[\p{Lu}][\p{L}\p{M}]+(?:[\s-][\p{Lu}][\p{L}\p{M}]+)?"
    rf"|\s+{HEADER_PART_WORDS}(?:\s+\d{{1,2}})?)"
    r"(?=\s*(?:[,:;/|.!]|[-–—]\s|\s[-–—]|$))")
HEADER_PLAIN_TAIL = regex.compile(
    r"^(?:\s+(?:[\p{Lu}][\p{L}\p{M}'’-]+|\d{1,2}(?:e|er|ème|è|\.|º)?|"
    + HEADER_PART_WORDS + r")){1,2}(?=\s*(?:[,:;/|]|[-–—]\s|\s[-–—]))")
# words before a name that send something there (a destination is not where the seller is):
# "ship to USA", "Versand nach Österreich", "envíos a España", "寄往美国", "ส่งไปลาว"
DESTINATION_BEFORE = regex.compile(
    r"(?:\b(?:ship(?:s|ping|ped)?|deliver(?:y|s|ing)?|send(?:s|ing)?|post(?:age|ing)?|export(?:s|ing)?)"
    r"\s+(?:\w+\s+){0,2}to\s*:?\s+(?:the\s+)?"
    r"|\b(?:headed|heading|bound|destined|en\s+route)\s+(?:for|to)\s+(?:the\s+)?"
    r"|\b(?:livraison|livr(?:er|ons|e)|envo(?:i|yer|yons|ie|yé|yez)|exp[ée]di(?:tion|er|ons|e|é))"
    r"\s+(?:\w+\s+){0,2}"
    r"(?:vers|en|au|aux|pour)\s+(?:la\s+|le\s+|l['’]|les\s+)?"
    r"|\b(?:env[ií]os?|enviamos|env[ií]o|despachos?|despachamos|mandamos|mando|entregas?|entrego)"
    r"\s+(?:\w+\s+){0,2}(?:a|hacia|para|pra)\s+(?:tod[oa]s?\s+)?(?:la\s+|el\s+|los\s+|o\s+|a\s+|os\s+|as\s+)?"
    r"|\b(?:versand|lieferung|versende|versenden|liefere|liefern|verschicke)\s+(?:\w+\s+){0,2}"
    r"(?:nach|in\s+die|in\s+den)\s+"
    r"|\b(?:kirim|pengiriman|dikirim|ongkir|antar|diantar|mengantar)\s+(?:\w+\s+){0,2}ke\s+"
    r"|\b(?:ship|gửi|giao|chuyển|xuất)\s+(?:hàng\s+)?(?:đi|sang|qua|ra)\s+"
    r"|\b(?:ship|gửi|giao)\s+(?:toàn\s+cầu|quốc\s+tế|đi\s+nước\s+ngoài)\s*[:：]?\s*"
    r"|\b(?:worldwide\s+shipping|international\s+shipping|we\s+ship)\s*[:：]\s*"
    r"|(?:发往|發往|寄往|寄到|发到|發到|运往|運往|代发|代發|送往)"
    r"|(?:ส่งไป|ส่งของไป|ส่งออกไป|ส่งถึง|ส่งทั่ว|จัดส่งทั่ว))"
    # "the whole", "all over": "Versand nach ganz Deutschland", "kirim ke seluruh Indonesia"
    r"(?:(?:ganz|gesamt|seluruh|semua|all|all\s+over|across|entire|tout|toute|toutes|tous|"
    r"todo|toda|todos|todas|toàn|khắp)\s+)?"
    # the names already listed after it: "ship to USA, UK, Canada and ", "vers l'Europe et le "
    # (names: capitalised, so "bound for Malaysia intercepted in Lagos" ends the list)
    r"(?:(?-i:[\p{Lu}\p{Lo}])[\p{L}\p{M}'’.]*(?:\s(?-i:[\p{Lu}\p{Lo}])[\p{L}\p{M}'’.]*)?\s*(?:,|、|，|/|&|\band\b|\bet\b|\by\b|\be\b|\bund\b"
    r"|\bdan\b|\bvà\b|\bna\b|\s)\s*(?:(?:the|la|le|les|el|los|o|os|die|den|der|in die)\s+|l['’])?){0,4}$",
    regex.IGNORECASE | regex.REVERSE)
# ...and the next names of the same list ("to Kenya, Uganda and Tanzania")
LIST_JOINER = regex.compile(
    r"^\s*(?:,|、|，|/|&|and|et|y|e|und|dan|và|na|และ)?\s*"
    r"(?:(?:in|to|nach|vers|a|para|en|au|aux|ke|ไป)\s+)?(?:(?:die|den|der|the|la|le|les|el|los|o|os)\s+)?$",
    regex.IGNORECASE)
# a country a product was imported from is not where the post is ("美国进口保健品")
ORIGIN_AFTER = regex.compile(r"^(?:进口|進口|原装|原裝)")
# Vietnamese words that make a country name part of another word or a region: "Mỹ phẩm"
# (cosmetics), "mỹ nghệ" (fine crafts), "Nam Mỹ" (South America), "Áo dài" (a dress; Áo is
# Austria), and goods of a country ("hàng Nhật", "đồ Mỹ", "xách tay Nhật"): not where the post is
VI_AFTER = {"mỹ": ("phẩm", "nghệ", "thuật", "vị", "mãn", "nhân", "miều", "lệ", "latinh"),
            "áo": ("dài", "thun", "khoác", "sơ", "len", "phông", "mưa", "gió", "polo", "vest",
                   "lót", "choàng", "bà", "ba", "cưới", "tắm", "đôi", "nữ", "nam")}
VI_BEFORE = {"mỹ": ("nam", "bắc", "châu", "trung")}
VI_OCEAN = regex.compile(r"\s+Dương\b")
VI_NEXT_SYLLABLE = regex.compile(r" (\p{Lu}[\p{Ll}\p{M}]*)\b")
VI_GOODS = regex.compile(r"(?:(?<!(?:giao|ship|gửi|nhận|lấy|chuyển|bán|có|về)\s+)\b(?:hàng|đồ)"
                         r"|xách tay)\s+$", regex.IGNORECASE)  # not "giao hàng Lào" (delivery)
# "ไทย" alone after a noun is "Thai" (ผ้าไหมไทย, Thai silk; มวยไทย, Thai boxing); the country is
# ประเทศไทย / เมืองไทย / ทั่วไทย
THAI_ADJECTIVE = "ไทย"
THAI_COUNTRY_BEFORE = ("ประเทศ", "เมือง", "ทั่ว", "ใน", "ที่", "อยู่", "จาก", "ชาว")
# any country after a Thai noun is its adjective too ("ชาจีน", Chinese tea; "มือสองญี่ปุ่น"),
# unless a verb of motion leads it ("ส่งไปลาว": routes read destinations)
THAI_MOTION_BEFORE = ("ไป", "ส่ง", "ถึง", "มา", "กลับ", "สู่", "เข้า", "ออก", "ฝั่ง", "แดน")
# Thai words that lead a place ("อยู่น่าน", "จังหวัดเลย", "ส่งจากแม่สอด")
THAI_COMMON = frozenset({"เลย", "ตาก", "แพร่"})  # provinces that are also words ("at all", "to dry")
THAI_CUES = ("อยู่", "จังหวัด", "จ.", "อำเภอ", "อ.", "จาก", "ย่าน", "แถว", "เมือง", "ที่", "ใน")
_JOINERS = frozenset({" ", "-", "'", "’", ".", ". ", " - ", "  "})
# products and styles named after a place are not where a post is: "Brazil nuts", "Panama hat",
# "Savon de Marseille", "Café de Colombia", "Vinho do Porto", "Nasi Padang", "áo thun Thái Lan",
# "泰国佛牌", "ชาจีน". A compact list of the product words of each language, matched next to
# the name: (1) the name, then a product word; (2) a product word, then the name; (3) a product
# word, "de/du/d'/di/do/da/von", then the name.
PRODUCT_AFTER = regex.compile(
    r"^[\s-]*(?:nuts?|hats?|cigars?|shorts|ink|envelopes?|style|styled|goose|tea|coffee|"
    r"rugs?|silk|porcelain|cotton|pepper|cheese|wine|cuisine|food|(?:african\s+)?gr[ae]ys?|"
    r"blend|roast|de\s+mano|"
    # English: sweets, drinks, knives, pets named after a place ("Dubai chocolate", "Swiss army
    # knife", "Singapore Sling", "Georgia peach jam", "Jamaica Blue Mountain", "Senegal parrot")
    r"chocolate|army\s+knife|knife|knives|sling|peach(?:es)?|rum|vodka|whisk(?:e)?y|beer|lager|"
    r"mustard|sausages?|noodles?|curry|blue\s+mountain|parrots?|parakeets?|tortoises?|"
    r"pythons?|geckos?|chameleons?|"
    # dishes and groceries: "Brussels sprouts", "Philadelphia cream cheese", "Fiji water",
    # "Buffalo wings", "Panama Papers", "Madagascar the movie"
    r"sprouts|cream|sauce|salad|bread|cake|pizza|bagels?|chicken|fries|toast|omelett?e|muffins?|"
    r"beef|lamb|pork|ham|bacon|steak|burgers?|dressing|water|wings|papers|the\s+movie|movie|film|"
    r"mule|cheesecake|pale\s+ale|ale|"
    # Spanish: the chile's varieties ("Chile poblano") and a barrel ("Cuba de vino, de roble")
    r"poblanos?|jalapeños?|habaneros?|serranos?|chipotles?|guajillos?|pasillas?|morr[oó]n|"
    r"rellenos?|en\s+nogada|de\s+[aá]rbol|de\s+(?:vino|roble|madera|acero|inox|fermentaci[oó]n))\b",
    regex.IGNORECASE)
PRODUCT_BEFORE = regex.compile(
    r"(?:\b(?:maillot|camisa|camiseta|guaran[aá]|estilo|style|fa[çc]on|"
    # Indonesian: dish, coffee, shirt, knife... "of/typical of" (khas)
    r"nasi|sate|soto|bakso|kopi|kaos|batik|tenun|pisau|golok|motor|mobil|jeruk|rendang|khas|"
    # Vietnamese: shirt, perfume, cream, wine, dog, cat, rice, coffee, tea, milk, cake, ginseng
    r"áo(?:\s+(?:thun|khoác|dài|len))?|nước\s+hoa|kem(?:\s+chống\s+nắng)?|rượu|chó|mèo|"
    r"gạo|cà\s+phê|trà|sữa|bánh|kẹo|nhân\s+sâm|thuốc)"
    r"|\b(?:savon|moutarde|porcelaine|cuir|gris|vin|fromage|dentelle|toile|eau|café|thé|huile|"
    r"tapis|soie|faïence|jambon|nougat|vino|jam[oó]n|queso|aceite|cuero|puros?|tabaco|alfombra|"
    r"virgen|señora|ron|chocolate|seda|turr[oó]n|vinho|queijo|presépio|azeite|chá|couro|"
    r"castanhas?|renda|doce|porcellana|formaggio|wein|käse|porzellan|maillot|camisa|camiseta|"
    # foods, shawls and hats, and pets named after where they came from ("Vanille de
    # Madagascar", "Chou de Bruxelles", "Rhum de Martinique", "Mantón de Manila", "perroquet
    # youyou du Sénégal", "tortue de Floride", "cotorra de Kramer", "loro de Argentina")
    r"vanille|vainilla|baunilha|chou|choux|col|coles|rhum|poivre|pimienta|miel|mel|riz|arroz|"
    r"mant[oó]n|chal|sombrero|encaje|bordado|perroquet|perruche|tortue|loro|cotorra|tortuga|"
    r"papagaio|periquito|tartaruga|pappagallo|pitón|python|gecko|caméléon|camaleón|"
    # dishes: "Saucisse de Toulouse", "Chorizo de Cantimpalos", "Pastel de Belém"
    r"saucisses?|saucisson|galettes?|quiche|salade|pâté|rillettes|pain|biscuits?|tartes?|gâteau|"
    r"sauce|soupe|poulet|canard|oignons?|lentilles|haricots|calissons?|madeleines?|berlingots?|"
    r"bêtises?|salchichas?|chorizo|morcilla|salsa|ensalada|pan|galletas?|tarta|pastel|pasteis|"
    r"pastéis|sopa|pollo|pato|cebollas?|ajo|lentejas|judías|mazap[aá]n|dulce|mermelada|"
    r"lingui[çc]a|chouri[çc]o|pão|bolo|frango|salsiccia|pane|torta|prosciutto|mortadella|aceto|olio|"
    # wares: "Acero de Toledo", "Cristal de Bohême", "Cerámica de Talavera", "Vidro de Murano"
    r"acero|acier|espadas?|cuchillos?|navajas?|cer[aá]mica|céramique|cristal|vidrio|vidro|verre|"
    r"azulejos?|mantillas?|abanicos?|guitarras?|porcelana)"
    r"(?:\s+[\p{Ll}]+)?"
    r"\s+(?:de\s+la|de\s+los|del|de|du|des|d['’]|di|do|da|dos|das|von|aus)\s*"
    # ...and without "de": "Sombrero Panamá", "Mỹ phẩm Hàn Quốc"
    r"|\b(?:sombreros?|mỹ\s+phẩm)\s+)\s*$",
    regex.IGNORECASE | regex.REVERSE)
# Chinese: a town, then a dish, a drink or a brand named after it ("北京烤鸭", "哈尔滨啤酒",
# "重庆火锅", "北京现代" the car maker, "武汉热干面")
HAN_CITY_PRODUCTS = (r"现代|現代|烤鸭|烤鴨|啤酒|火锅|火鍋|特产|特產|小吃|米线|米線|米粉|拉面|拉麵|"
                     r"热干面|熱乾麵|风味|風味|口味|烧鸡|燒雞|板鸭|板鴨|酱|醬|臭豆腐|凉皮|涼皮|"
                     r"肉夹馍|肉夾饃|麻辣烫|麻辣燙|烧烤|燒烤|白酒|老窖|大曲|糕|酥|饼|餅|绣|繡|"
                     r"瓷|锅底|鍋底|底料|卤|滷|鸭|鴨|火腿|醋|牌|话|話|包子|大学|大學|小面|小麵")
HAN_CITY_PRODUCT_AFTER = regex.compile(f"^(?:{HAN_CITY_PRODUCTS})")
# Chinese: a country or province, then goods of it ("泰国佛牌", "缅甸翡翠", "云南白药", "海南黄花梨")
HAN_PRODUCT_AFTER = regex.compile(
    r"^(?:黄花梨|黃花梨|白药|白藥|佛牌|沉香|燕窝|燕窩|翡翠|红酒|紅酒|葡萄酒|料理|红木|紅木|象牙|"
    r"奶粉|化妆品|化妝品|香水|手表|手錶|咖啡|茶叶|茶葉|大米|榴莲|榴槤|琥珀|蜜蜡|蜜蠟|风格|風格|菜|"
    r"普洱|玉石|和田玉|工艺品|工藝品|手抓饼|手抓餅|鲍鱼|鮑魚|猪|豬|鹅|鵝|脚|腳|棉|香米|水果|"
    r"芒果|椰子|椰青|虾片|蝦片|零食|面(?!交)|麵(?!交)|面包|麵包|泡菜|队|隊|豆腐|麻婆|烤肉|甜点|甜點|蛋糕|"
    r"冰淇淋|冰激凌|雪糕|"
    + HAN_CITY_PRODUCTS + ")")
# Vietnamese and Indonesian: a dish, a drink, a fruit or a ware, a word or two of its kind,
# then the place it is named after ("Bánh đa Nam Định", "Bún bò Huế", "Nước mắm Phú Quốc",
# "Bia Hà Nội", "Vịt quay Lạng Sơn", "Dodol Garut", "Empal gentong Cirebon", "Coto Makassar")
_NOT_KIND = (r"(?!(?:ở|tại|từ|đến|về|ra|vào|đi|giao|ship|nhận|có|bán|mua|cho|và|là|của|"
             r"di|ke|dari|dan|atau|untuk|ready|jual|beli|kirim|cod|lokasi|area)\b)")
SPECIALTY_BEFORE = regex.compile(
    r"\b(?:nước\s+mắm|mắm|bia|bánh|bún|phở|nem|chả|vịt|gà|trầm|hoa|dâu|mì|miến|cơm|xôi|giò|"
    r"mật\s+ong|muối|tiêu|vải|nhãn|bưởi|xoài|chè|vẹt|giày|yến|cá|tôm|mực|hạt\s+điều|đặc\s+sản|"
    r"dodol|talas|empal|coto|gudeg|bandeng|lumpia|bika|pempek|keripik|kerupuk|bakpia|wingko|"
    r"tahu|oncom|brem|tape|mie|ayam|bebek|kue|roti|madu|salak|apel|duren|kura-kura|kucing|"
    r"sapi|kambing|bolu|lapis|teh|kain|songket|ulos|sambal|konro|pallubasa|bakpao|lontong|gạo|"
    r"mứt|kẹo|bánh\s+pía|martabak)"
    # a word or two of its kind, lower-case, or a variety's code ("Gạo ST25 Sóc Trăng")
    rf"(?:\s+(?:{_NOT_KIND}[\p{{Ll}}][\p{{Ll}}\p{{M}}-]*|[A-Z]*\d[A-Z0-9]*)){{0,2}}\s+$",
    regex.IGNORECASE | regex.REVERSE)
HAN_PRODUCT_BEFORE = ("正宗", "正品")  # "authentic Thai amulet": the goods, not the place
# Thai: a fruit, a dish or a ware, then the province it is named after ("ทุเรียนหมอนทอง ระยอง",
# "หมูย่างเมืองตรัง", "ชามตราไก่ลำปาง"): a product, not where the post is
THAI_PRODUCT_BEFORE = regex.compile(
    r"(?:ทุเรียน|ก๋วยเตี๋ยว|หมูย่าง|ชาม|ผ้าไหม|ผ้าทอ|ข้าวหอม|ข้าวซอย|กาแฟ|ไส้อั่ว|แหนม|ส้มโอ|ลำไย|มะม่วง|"
    r"ขนม|น้ำพริก|ปลาร้า|ร่ม|เซรามิก|สับปะรด|ลิ้นจี่|มังคุด|เงาะ|กุนเชียง|หมูยอ)"
    r"(?:(?!ที่|อยู่|จาก|ใน|แถว|ย่าน|ส่ง|ขาย|รับ)\S){0,12}\s?(?:เมือง)?$")
# Thai: goods from a country ("สินค้าจากจีน", "ของฝากจากลาว"): an origin, not where the post is
THAI_ORIGIN = regex.compile(r"(?:สินค้า|ของ(?:ฝาก|แท้)?|แบรนด์เนม|นำเข้า|ผลิต)จาก$")
# "<city>, <first-level division>" ("Atlanta, Georgia", "Paris, Texas", "Richmond VA",
# "Hof (Bayern)", "Orange (84)"): the city of the division's country
PAIR_SEPARATOR = regex.compile(r"^(?:\s*,\s*|\s*\(\s*|\s+)")
# a post's first words when they name a town: "Montecristi, Manabí", "Trujillo (Cáceres)"
HEADER_TOWN = regex.compile(
    r"[^\p{L}\p{N}]*(\p{Lu}[\p{L}\p{M}'’.-]*(?:\s\p{Lu}[\p{L}\p{M}'’.-]*){0,2})(?=\s*[,(])")
# a header town, then its country or division: "St Helier, Jersey -", "Córdoba (España),"
HEADER_PAIR = regex.compile(r"\s*[,(]\s*(\p{Lu}[\p{L}\p{M}.'’ -]{1,30}?)\s*(?=[)–—,:;.!]|\s-|$)")
# a header town with "am/im/an der/sur" and a river or region that the gazetteer does not hold
# with it ("Linz am Rhein,"): another, smaller town than the one of that first name
NAME_QUALIFIER_TAIL = regex.compile(
    r"\s+(?:am|im|an\s+der|in\s+der|ob\s+der|upon|sur|lès)\s+\p{Lu}")
BRACKETED = regex.compile(r"\s*\(([^()\n]{2,30})\)")
FR_DEPARTMENT = regex.compile(r"^\s*\(\s*(?:\d{2,3}|2[AB])\s*\)")



@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a text: where, how sure (0-1), and whether a locative word led it."""

    place: Place
    start: int
    end: int
    confidence: float
    cue: bool = False
    alternatives: tuple[Place, ...] = ()  # every place of that name (fields re-choose)
    header: bool = False  # the post opens with it, as a classified ad's location header


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    key: str
    folded: str
    unspaced: bool


@lru_cache(maxsize=4)
def _tokens(text: str) -> tuple[_Token, ...]:
    """The words of ``text`` with their keys; cached because the place filter's candidates read
    each post twice (text mode, then field mode), and tokenising is a quarter of the cost."""
    if text.isascii():  # three ads in four: the standard library's scanner, twice as fast
        return tuple([_Token(m.start(), m.end(), (key := m.group().lower()), key, False)
                      for m in ASCII_WORD.finditer(text)])
    out = []
    for m in WORD.finditer(text):
        word = m.group(0)
        key = word.casefold()
        if key.isascii():
            out.append(_Token(m.start(), m.end(), key, key, False))
        else:
            out.append(_Token(m.start(), m.end(), key, fold(key), bool(UNSPACED.search(word))))
    return tuple(out)


def _grows(text: str, tokens: Sequence[_Token], i: int, prefixes: set[str]) -> bool:
    """Whether token ``i`` and the next word start some longer name (``_spaced_at``'s first
    step, made here so that most words cost no call)."""
    if i + 1 >= len(tokens) or tokens[i + 1].unspaced:
        return False
    first, second = tokens[i], tokens[i + 1]
    return (text[first.end:second.start] in _JOINERS
            and (f"{first.key} {second.key}" in prefixes
                 or f"{first.folded} {second.folded}" in prefixes))


def by_own_name(key: str, places: tuple[Place, ...]) -> tuple[Place, ...]:
    """Countries, and the places whose own name this is when there are any ("Manchester" is
    Manchester, not Richmond, Virginia, which GeoNames also lists under that name)."""
    own = tuple(p for p in places if p.kind == "country" or p.key == key or fold(p.key) == key)
    if any(p.kind != "country" for p in own):
        return own
    if key.isascii():
        return places
    plain = fold(key)  # then unaccented: "Tây Ninh" is the province, not Xining's alias
    own = tuple(p for p in places if p.kind == "country" or fold(p.key) == plain)
    return own if any(p.kind != "country" for p in own) else places


def choose(places: tuple[Place, ...]) -> tuple[Place, float] | None:
    """The place a name most likely means, with how sure: a country before a first-level
    division before cities; among cities the most populous, sure in proportion to the share of
    people its country holds among the cities of that name."""
    countries = [p for p in places if p.kind == "country"]
    if countries:
        return countries[0], 0.95
    cities = [p for p in places if p.kind == "city"]
    admins = [p for p in places if p.kind == "admin1"]
    top = max(cities, key=lambda p: p.population, default=None)
    total = sum(p.population for p in cities) or 1
    if admins and (top is None or top.population < 1_000_000):
        # the division, or its own city of that name ("Yogyakarta", "Arusha": the place's point)
        same = [p for p in cities if p.country == admins[0].country]
        if not same:
            return admins[0], 0.85
        city = max(same, key=lambda p: p.population)
        return city, max(0.85, 0.45 + 0.45 * sum(p.population for p in same) / total)
    if top is None:
        return None
    if len(cities) == 1:
        return top, 0.9
    by_country: dict[str, int] = {}
    for p in cities:
        by_country[p.country] = by_country.get(p.country, 0) + p.population
    country = max(by_country, key=lambda c: (by_country[c], c == top.country))
    if country != top.country:  # "Salamanca": two Spanish places hold more people than Mexico's
        top = max((p for p in cities if p.country == country), key=lambda p: p.population)
    return top, 0.45 + 0.45 * by_country[country] / total


_DIVISIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


DIVISIONS = ADMIN1.with_name("divisions.tsv")
# words that may stand before a division's name: "región del Biobío", "provincia de Cáceres"
DIVISION_LEAD = regex.compile(
    r"(?i:(?:región|region|regi[aã]o|provincia|province|prov\.?|département|departement|"
    r"departamento|dpto\.?|depto\.?|dept\.?|county|co\.|comté|canton|kanton|bundesland|land|"
    r"estado|state|comunidad|kabupaten|kab\.?)\s+(?:(?:de\s+la|del|de|du|de\s+l['’]|of|d['’])\s*)?)")


@lru_cache(maxsize=1)
def pair_divisions(path: Path = DIVISIONS) -> dict[str, frozenset[str]]:
    """Division names (keys, and their unaccented forms) -> countries, from ``divisions.tsv``:
    read only after a town ("Laval, Mayenne"), never places by themselves."""
    out: dict[str, set[str]] = {}
    if not path.exists():
        return {}
    for _, (country, names) in data_lines(path, 2, "country, divisions"):
        for name in names.replace(";", "|").split("|"):
            key = key_of(name)
            for form in {key, fold(key)}:
                out.setdefault(form, set()).add(country)
    return {key: frozenset(countries) for key, countries in out.items()}


def _division_index(gaz: Gazetteer) -> tuple[dict[str, set[str]], frozenset[str]]:
    """Division codes -> countries, and the first words of division names; once per gazetteer."""
    if gaz not in _DIVISIONS:
        codes: dict[str, set[str]] = {}
        words: set[str] = set()
        for index in (gaz.spaced, gaz.folded):
            for key, places in index.items():
                for place in places:
                    if place.kind == "admin1":
                        words.add(key.split(" ")[0])
                        if place.country == "US" and len(key) == 2:  # US states: "VA", "TX"
                            codes.setdefault(key.upper(), set()).add("US")
        if ADMIN1.exists():
            for place, _, code in admin1_rows():
                if code.isalpha():
                    codes.setdefault(code.upper(), set()).add(place.country)
        _DIVISIONS[gaz] = (codes, frozenset(words))
    return _DIVISIONS[gaz]


def _prefer_home(places: tuple[Place, ...], home: frozenset[str]) -> tuple[Place, ...]:
    """A name that is also a town of the post's language's countries means that town: "En
    Granada" in Spanish is Granada, Spain (not Grenada, "Granada" in Spanish), "Toledo," is
    Toledo, Spain (not Ohio), "Brest," in French is Brest, France (not Belarus). Only a town of
    50,000 people (100,000 against a country)."""
    if len(places) == 1 or all(p.country in home for p in places):
        return places
    chosen = choose(places)
    if chosen is None or chosen[0].country in home:
        return places
    least = MIN_UNCUED_POPULATION if chosen[0].kind == "country" else MIN_HEADER_POPULATION
    local = tuple(p for p in places
                  if p.kind == "city" and p.country in home and p.population >= least)
    return local or places


_ABBREVIATIONS = regex.compile(r"\b(?:st|ste|mt|ft|pt)\b")
_LONG_FORMS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}


def _unabbreviated(key: str) -> str:
    """"st helier" is "saint helier", "ft myers" "fort myers"."""
    return _ABBREVIATIONS.sub(lambda m: _LONG_FORMS[m.group(0)], key)


def _header_district(text: str, found: list[Mention],
                     home: frozenset[str] | None) -> list[Mention]:
    """A header of two towns of two countries, neither of which has a town of the other's
    name, is a district and its city ("Palermo, CABA", "Buenos Aires, Palermo", "Batam, Nagoya
    Hill"): the district is named after another place; the city is the one in a country of the
    post's language, or else the larger."""
    if len(found) < 2 or not found[0].header or found[0].place.kind != "city":
        return found
    first, second = found[0], found[1]
    if (second.place.kind != "city" or first.place.country == second.place.country
            or not DISTRICT_JOIN.fullmatch(text, first.end, second.start)
            or second.place.country in {p.country for p in first.alternatives}
            or first.place.country in {p.country for p in second.alternatives}):
        return found
    local = [m for m in (first, second) if home and m.place.country in home]
    if len(local) == 1:
        district = second if local[0] is first else first
    else:
        district = first if first.place.population < second.place.population else second
    return [m for m in found if m is not district]


def _footer_at(text: str, start: int, end: int) -> bool:
    """Whether the name closes the post after a comma or a dash, as an ad's location line does
    ("Gamba la kobe, Kilwa", "Colmillos de elefante, Cali"), not as a signature ("Saludos,
    Victoria", "Thanks, Florence")."""
    if not FOOTER_AFTER.match(text, end):
        return False
    before = text[max(0, start - 24):start].rstrip()
    return before.endswith(FOOTER_BEFORE) and not GREETING_BEFORE.search(before)


def _header_at(text: str, start: int, end: int, german: bool = False) -> tuple[bool, bool]:
    """Whether the name at ``start:end`` opens the post as its location header ("Lille,
    perroquet gris", "Lyon 7e, vends", "Bordeaux Chartrons - vends"), and whether the header
    is one no common word makes ("Essen-Rüttenscheid:", "Halle (Saale),", "Weil am Rhein,",
    "León capital,"): (header, strong). German capitalises every noun, so there a district
    comes after a hyphen ("Bremen-Vegesack"), not as a next word ("Schwäbisch Hall Bausparvertrag")."""
    if any(c.isalnum() for c in text[:start]):
        return False, False
    tail = text[end:end + 60]
    strong = bool(HEADER_STRONG_TAIL.match(tail))
    plain = HEADER_PLAIN_TAIL.match(tail)
    if plain and german and any(w[:1].isupper() for w in plain.group(0).split()):
        plain = None
    return strong or bool(HEADER_AFTER.match(tail) or plain), strong


def _is_cased_name(span: str) -> bool:
    first = span[0]
    return first.isupper() or not first.islower()


def _unspaced_ok(name: str, place: Place, after: str, before: str = "",
                 header: bool = False) -> bool:
    """A name inside an unspaced run: not a common word; a two-character Han city name only
    when large and at the run's end or before a character that goes with a place (or a
    district: "北京朝阳区"); a Thai town when large, or when a locative word leads it
    ("อยู่น่าน", "จังหวัดเลย"). A name that is a post's whole first run ("拉萨，出藏药",
    "กระบี่ ขายเปลือกหอย") is its location header and needs no size."""
    if len(name) < 2 or name in HAN_COMMON:
        return False
    if place.kind == "admin1" and "\u0e00" <= name[0] <= "\u0e7f" and len(name) < 5:
        return header or before.endswith(THAI_CUES)  # เลย, ตาก, แพร่ are also common words
    if place.kind != "city":
        return True
    if UNSPACED.fullmatch(name) and "\u0e00" <= name[0] <= "\u0e7f":  # Thai
        if place.country not in ("TH", "LA", "KH", "MM") and len(name) < MIN_THAI_FOREIGN_LENGTH:
            return False
        return len(name) >= 3 and (place.population >= MIN_THAI_POPULATION or header
                                   or before.endswith(THAI_CUES))
    if len(name) == 2:
        if before.endswith(HAN_CUES) and place.population >= MIN_HAN2_POPULATION:
            return True
        # a city of a million people and a two-character district closing the run ("杭州萧山",
        # "深圳福田"); a dish after it is dropped as a product ("北京烤鸭")
        if (not before and len(after) == 2 and place.population >= 1_000_000
                and place.country in ("CN", "HK", "MO", "TW") and UNSPACED.fullmatch(after)
                and name not in HAN_WORDS and after[0] not in HAN_DISH_CHARS
                and after[1] not in HAN_DISH_CHARS):
            return True
        return ((header or place.population >= MIN_HAN2_POPULATION)
                and (not after or after[:1] in HAN_FOLLOWERS or bool(HAN_DISTRICT.match(after))
                     or bool(HAN_PLACE_AFTER.match(after))))
    return True


class Geoparser:
    """Places named in texts; one per process (the gazetteer is large)."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gaz = gazetteer or load_gazetteer()
        self._home: frozenset[str] | None = None
        self._readings: tuple[Place, ...] = ()  # every reading of the name being accepted
        self._own_memo: dict[tuple[str, int], tuple[tuple[Place, ...], tuple[Place, ...]]] = {}
        self._starts_memo: tuple[tuple[_Token, ...], tuple[int, ...]] = ((), ())
        self._german = False
        self._lang = ""
        self._opening = 0
        self._blank = 0
        # ISO 3166-2 codes of divisions ("VA", "BC", "RN"), read only after a city, and the
        # first words of the divisions' names (a post without one has no "<city>, <division>")
        self._codes, self._division_words = _division_index(self.gaz)
        self._pair_words = frozenset(key.split(" ")[0] for key in pair_divisions())
        self._mark_words = self._division_words | self._pair_words

    def mentions(self, text: str, mode: Mode = "text", lang: str | None = None
                 ) -> list[Mention]:
        """The places ``text`` names; ``lang`` (the post's language, when known) lets a city
        that no locative word leads count only in a country that speaks it, or when large."""
        if not text:
            return []
        self._home = home_countries(lang) if mode == "text" else None
        self._german = (lang or "").lower().startswith("de")
        self._lang = (lang or "").lower()[:2]
        self._opening = OPENING.match(text).end()  # where the post's first word starts
        self._blank = len(text) - len(text.lstrip())  # ...and its first non-space character
        tokens = _tokens(text)
        shouting = _mostly_upper(text)
        found: list[Mention] = []
        resume = 0  # the first token after the names read so far
        for i in self._name_starts(text, tokens):
            if i < resume:
                continue
            token = tokens[i]
            if token.unspaced:
                found += self._unspaced(text[token.start:token.end], token.start, mode)
                resume = i + 1
            elif not (self._in_running_text(text, tokens, i) if mode == "text"
                      else self._common_in_field(text, tokens, i)):
                resume = i + self._spaced_at(text, tokens, i, mode, shouting, found)
        if mode != "text":
            return found
        found = self._header_division(text, tokens,
                                      self._city_and_division(text, tokens, found, lang), lang)
        found = _header_district(text, _without_compounds(text, found, lang), self._home)
        return self._us_georgia(text, not_places(text, found))

    def _us_georgia(self, text: str, found: list[Mention]) -> list[Mention]:
        """"Georgia" is the US state, not the country, in a text that names another place of
        the United States ("Atlanta, en Géorgie (USA)") or after "<town>, " when the town is
        not Georgian ("Fort Valley, Georgia")."""
        georgia = [m for m in found if m.place.kind == "country" and m.place.country == "GE"]
        if not georgia:
            return found
        state = next((p for p in self.gaz.spaced.get("georgia", ()) if p.country == "US"), None)
        us = any(m.place.country == "US" for m in found)
        out = []
        for m in found:
            if m in georgia and state is not None and (us or (
                    TOWN_COMMA_BEFORE.search(text[max(0, m.start - 30):m.start])
                    and not any(o.place.country == "GE" and o.end <= m.start for o in found
                                if o is not m))):
                m = Mention(state, m.start, m.end, m.confidence, m.cue, (state,), m.header)
            out.append(m)
        return out

    def where_mentions(self, text: str, lang: str | None = None) -> list[Mention]:
        """The places that say where a post is: :meth:`mentions` without the places it sends
        to ("ship to USA") or says a product was imported from ("美国进口"), which routes still
        read (``analysis/routes``)."""
        return _without_destinations(text, not_here(text, self.mentions(text, "text", lang)))

    def _name_starts(self, text: str, tokens: tuple[_Token, ...]) -> tuple[int, ...]:
        """The tokens where a gazetteer name may start: unspaced runs, and words that are a
        name or start one with the next word. Most words of a long ad are neither, or only
        the first word of longer names ("the", "new" before a common word): skipped here, they
        cost :meth:`_spaced_at` no call (two thirds of its calls on long ads, at a third of
        the place filter's time, 8 Dec 2026). Kept for the last text, as the place filter
        reads each post in both modes."""
        if self._starts_memo[0] is tokens:
            return self._starts_memo[1]
        prefixes, names, folded = self.gaz.prefixes, self.gaz.spaced, self.gaz.folded
        starts = tuple([i for i, t in enumerate(tokens) if t.unspaced or (
            (t.key in prefixes or t.folded in prefixes)
            and (t.key in names or t.folded in folded or _grows(text, tokens, i, prefixes)))])
        self._starts_memo = (tokens, starts)
        return starts

    def _in_running_text(self, text: str, tokens: Sequence[_Token], i: int) -> bool:
        """Whether text mode refuses any name starting at token ``i`` before weighing it: a
        lower-case word in running text ("sale", "best" in a long ad), too far from the end for
        a name starting there (at most MAX_WORDS words) to reach its last ``NEAR_END``
        characters (``_spaced_at``'s own refusal, made before its work)."""
        token = tokens[i]
        return (self._opening < token.start and text[token.start].islower()
                and len(text) - tokens[min(i + MAX_WORDS - 1, len(tokens) - 1)].end >= NEAR_END)

    def _common_in_field(self, text: str, tokens: Sequence[_Token], i: int) -> bool:
        """Whether field mode refuses the word at token ``i`` before weighing it (``_accept``):
        a common word ("sale", "best": the most frequent calls on long ads) that is not the
        whole field, starts no longer name with the next word and has no bracketed qualifier
        after it ("Halle (Saale)")."""
        token = tokens[i]
        if not is_common_word(token.key, BIG_PLACE):  # NEVER_PLACES among them
            return False
        return not (self._whole(text, token.start, token.end)
                    or "(" in text[token.end:token.end + 3]
                    or _grows(text, tokens, i, self.gaz.prefixes))

    def _whole(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is all the text holds (a location field's one name)."""
        return start <= self._blank and not text[end:].strip(" .")

    def _spaced_at(self, text: str, tokens: Sequence[_Token], i: int, mode: Mode,
                   shouting: bool, found: list[Mention]) -> int:
        """Try the longest name starting at token ``i`` (a word some name starts with: the caller
        checks); returns how many tokens it used."""
        first = tokens[i]
        prefixes = self.gaz.prefixes
        keys, folds = [first.key], [first.folded]  # the span's keys as it grows a word a time
        last = i
        while (last + 1 < len(tokens) and last + 1 - i < MAX_WORDS
               and not tokens[last + 1].unspaced
               and text[tokens[last].end:tokens[last + 1].start] in _JOINERS):
            key = f"{keys[-1]} {tokens[last + 1].key}"
            folded_key = f"{folds[-1]} {tokens[last + 1].folded}"
            if key not in prefixes and folded_key not in prefixes:
                break
            keys.append(key)
            folds.append(folded_key)
            last += 1
        for j in range(last, i - 1, -1):
            span = tokens[i:j + 1]
            key = keys[j - i]
            places = self.gaz.spaced.get(key)
            folded = False
            if not places:
                places = self.gaz.folded.get(folds[j - i])
                folded = True
            if not places:
                continue
            start, end = span[0].start, span[-1].end
            if (mode == "text" and start > self._opening and len(text) - end >= NEAR_END
                    and not _is_cased_name(text[start:end])):
                continue  # _accept refuses it, and no header rule reads it: skip the work
            bracket = "(" in text[end:end + 3] and BRACKETED.match(text, end)  # "Halle (Saale)"
            if bracket and (whole := self.gaz.spaced.get(f"{key} {key_of(bracket.group(1))}")):
                places, key, folded = whole, f"{key} {key_of(bracket.group(1))}", False
            places = self._own_readings(folds[j - i] if folded else key, places)
            self._readings = places
            if mode == "text" and self._home:
                places = _prefer_home(places, self._home)
            cue = i > 0 and tokens[i - 1].key in LOCATIVE_CUES
            whole = self._whole(text, start, end)
            header, strong = (_header_at(text, start, end, self._german)
                              if start <= self._opening else (False, False))
            if not header and mode == "text" and len(text) - end < NEAR_END:
                header = _footer_at(text, start, end)
            if header and mode == "text":
                if NAME_QUALIFIER_TAIL.match(text, end):
                    return j - i + 1  # "Linz am Rhein,": another, smaller town than Linz
                if not strong and (pair := self._header_pair(text, end)):
                    places, strong = pair, True
            mention = self._accept(text[start:end], key, places, start, end, cue, folded,
                                   mode, shouting, text[max(0, start - 3):start], whole, header,
                                   strong)
            if mention is not None:
                found.append(mention)
                return j - i + 1
        return 1

    def _own_readings(self, key: str, places: tuple[Place, ...]) -> tuple[Place, ...]:
        """:func:`by_own_name`, once per name and process: the same common words ("sale",
        "best") come back in every long ad. ``places`` is always one of the gazetteer's own
        tuples, so its identity names it."""
        memo_key = (key, id(places))
        hit = self._own_memo.get(memo_key)
        if hit is None or hit[0] is not places:
            hit = self._own_memo[memo_key] = (places, by_own_name(key, places))
        return hit[1]

    def _header_pair(self, text: str, end: int) -> tuple[Place, ...] | None:
        """A header "<town>, <country or division>" ("St Helier, Jersey -", "Cambridge, UK -",
        "Hamilton, Bermuda -", "Córdoba (España),"): the town's readings in that country."""
        pair = HEADER_PAIR.match(text, end)
        if pair is None:
            return None
        named = self.gaz.spaced.get(key_of(pair.group(1)), ())
        countries = {p.country for p in named if p.kind in ("country", "admin1")}
        same = tuple(p for p in self._readings if p.kind == "city" and p.country in countries)
        return same or None

    def _spans(self, text: str, tokens: Sequence[_Token], i: int
               ) -> list[tuple[int, tuple[Place, ...]]]:
        """Every gazetteer name that starts at token ``i``: (its last token, its places),
        the longest first; no guard applied."""
        out: list[tuple[int, tuple[Place, ...]]] = []
        prefixes = self.gaz.prefixes
        key, folded = tokens[i].key, tokens[i].folded
        j = i
        while True:
            places = self.gaz.spaced.get(key) or self.gaz.folded.get(folded)
            if places:
                out.append((j, places))
            if (j + 1 >= len(tokens) or j + 1 - i >= MAX_WORDS or tokens[j + 1].unspaced
                    or text[tokens[j].end:tokens[j + 1].start] not in _JOINERS):
                break
            key, folded = f"{key} {tokens[j + 1].key}", f"{folded} {tokens[j + 1].folded}"
            if key not in prefixes and folded not in prefixes:
                break
            j += 1
        return out[::-1]

    def _division_at(self, text: str, tokens: Sequence[_Token], start: int, lang: str | None
                     ) -> tuple[tuple[Place, ...], set[str], int, int] | None:
        """A first-level division named after ``start`` ("Georgia", "(Bayern)", "VA", "BC", or
        a French department number "(84)"): (its divisions by that name, their countries, where
        it starts and ends)."""
        rest = text[start:start + 40]
        sep = PAIR_SEPARATOR.match(rest)
        if sep is None:
            return None
        department = FR_DEPARTMENT.match(rest)
        if department and (lang or "").lower().startswith("fr"):
            return (), {"FR"}, start, start + department.end()
        lead = DIVISION_LEAD.match(text, start + sep.end())
        at = lead.end() if lead else start + sep.end()
        k = bisect_left(tokens, at, key=attrgetter("start"))  # tokens are in text order
        k = k if k < len(tokens) and tokens[k].start == at else None
        if k is None or tokens[k].unspaced:
            return None
        word = text[tokens[k].start:tokens[k].end]
        if 2 <= len(word) <= 3 and word.isupper() and word in self._codes:
            return (), self._codes[word], tokens[k].start, tokens[k].end
        if not _is_cased_name(word) or len(word) <= 3:
            return None
        for j, places in self._spans(text, tokens, k):
            divisions = [p for p in places if p.kind == "admin1"]
            if divisions:
                return (tuple(divisions), {p.country for p in divisions}, tokens[k].start,
                        tokens[j].end)
        pairs, key, folded = pair_divisions(), tokens[k].key, tokens[k].folded
        found = None
        for j in range(k, min(k + 4, len(tokens))):
            if j > k:
                key, folded = f"{key} {tokens[j].key}", f"{folded} {tokens[j].folded}"
            if key in pairs or folded in pairs:
                found = (j, pairs.get(key) or pairs[folded])
        if found:  # "Laval, Mayenne", "Trujillo (Cáceres)", "Bath, Somerset"
            return (), set(found[1]), tokens[k].start, tokens[found[0]].end
        return None

    def _city_and_division(self, text: str, tokens: Sequence[_Token], found: list[Mention],
                           lang: str | None) -> list[Mention]:
        """"<city>, <division>" names the city of the division's country: "Atlanta, Georgia"
        (not the country Georgia), "Paris, Texas", "Richmond VA", "León, Guanajuato", "Hof
        (Bayern)", "Orange (84)". Only when the name is a city of that country; the pair
        replaces what the guards read there."""
        out = found
        words, codes, pairs = self._division_words, self._codes, self._pair_words
        either = self._mark_words
        marks = [k for k, t in enumerate(tokens) if k and (
            t.key in either or t.folded in either
            or (t.end - t.start <= 3 and text[t.start:t.end] in codes))]
        marks = [k for k in marks if (
            (t := tokens[k]).key in words or t.folded in words
            or (t.end - t.start <= 3 and text[t.start:t.end] in codes)
            or (text[tokens[k - 1].end:t.start].strip()[-1:] in (",", "(")  # "Laval, Mayenne"
                and (t.key in pairs or t.folded in pairs)))]
        if "(" in text and (lang or "").lower().startswith("fr"):
            marks += [k + 1 for k, t in enumerate(tokens) if FR_DEPARTMENT.match(text[t.end:])]
        starts = {i for k in marks for i in range(max(0, k - MAX_WORDS), k)}
        i = 0
        while starts and i < len(tokens):
            if i not in starts:
                i += 1
                continue
            token = tokens[i]
            if token.unspaced or not _is_cased_name(text[token.start:token.end]) or (
                    token.key not in self.gaz.prefixes and token.folded not in self.gaz.prefixes):
                i += 1
                continue
            step = 1
            for j, places in self._spans(text, tokens, i):
                cities = [p for p in places if p.kind == "city"]
                division = self._division_at(text, tokens, tokens[j].end, lang) if cities else None
                if division is None:
                    continue
                divisions, countries, division_start, end = division
                same = [p for p in cities if p.country in countries]
                if not same:
                    continue
                city = max(same, key=lambda p: p.population)
                start = token.start
                out = [m for m in out if m.end <= start or m.start >= end]
                out.append(Mention(city, start, tokens[j].end, 0.9, True, places))
                for place in divisions:
                    if place.country == city.country:
                        out.append(Mention(place, division_start, end, 0.9, True))
                        break
                step = next((n for n in range(i, len(tokens)) if tokens[n].start >= end),
                            len(tokens)) - i
                break
            i += step
        return sorted(out, key=lambda m: m.start) if out is not found else found

    def _header_division(self, text: str, tokens: Sequence[_Token], found: list[Mention],
                         lang: str | None) -> list[Mention]:
        """A header town the gazetteer does not hold in the country of the division named after
        it ("Montecristi, Manabí:", "Trujillo (Cáceres),"): the post is in that division's
        country."""
        head = HEADER_TOWN.match(text)
        if head is None:
            return found
        division = self._division_at(text, tokens, head.end(), lang)
        if division is None or len(division[1]) != 1:
            return found
        (country,) = division[1]
        start, end = head.start(1), head.end(1)
        if any(m.place.country == country for m in found if m.start < division[3]):
            return found
        # a town the gazetteer knows is re-placed only by a division in brackets ("Trujillo
        # (Cáceres)"); after a comma the name may be its district ("Buenos Aires, Palermo")
        if any(m.start < end for m in found) and text[end:division[2]].strip()[:1] != "(":
            return found
        place = self.gaz.country(country)
        if place is None:
            return found
        out = [m for m in found if m.end <= start or m.start >= end]
        out.append(Mention(place, start, end, 0.85, True, (place,), True))
        return sorted(out, key=lambda m: m.start)

    def _plausible_city(self, place: Place, text_before: str, header: bool = False,
                        unique: bool = False, strong: bool = False) -> bool:
        """A city no locative word leads: a town of some size, in a country of the post's
        language (English is everywhere), and a large one if it opens a sentence (where any
        word has a capital: "Vitória garantida", "Palma tallada"). A post that opens with the
        name and a comma, colon or bracket ("Lille, perroquet gris") is a classified ad's
        location header: any town of the gazetteer in a country of the post's language, or
        of the one country that has a town of that name ("Meran, verkaufe")."""
        if header and (unique or (self._home is not None and place.country in self._home)):
            return place.population >= (MIN_STRONG_HEADER_POPULATION if strong
                                        else MIN_LOCAL_HEADER_POPULATION)
        if header and self._home is not None:
            return False
        if header and place.population >= MIN_UNCUED_POPULATION:
            return True
        if place.population < MIN_UNCUED_POPULATION:
            return False
        if place.population >= BIG_PLACE:
            return True
        if self._home is not None and place.country not in self._home:
            return False
        return not SENTENCE_START.search(text_before)

    def _accept(self, span: str, key: str, places: tuple[Place, ...], start: int, end: int,
                cue: bool, folded: bool, mode: Mode, shouting: bool,
                text_before: str = "", whole: bool = False,
                header: bool = False, strong: bool = False) -> Mention | None:
        # the refusals that need no reading first: most words a long ad offers end here
        if mode == "field":  # a location field: a common word only as the whole part ("Nice")
            if key in NEVER_PLACES or (not whole and is_common_word(key, BIG_PLACE)):
                return None
        elif not _is_cased_name(span):
            return None
        chosen = choose(places)
        if chosen is None:
            return None
        place, confidence = chosen
        short = len(key.replace(" ", "")) <= 3 and key.isascii()
        if mode == "field":
            if short and not span.isupper() and place.kind != "country":
                return None
            return Mention(place, start, end, confidence, cue, places)
        if short and (not span.isupper() or shouting or place.kind == "city") and not (
                cue and place.kind == "country" and span[:1].isupper()) and not (
                key in CITY_ABBREVIATIONS and span.isupper() and not shouting) and not (
                header and place.kind == "city" and len(key) == 3 and span[0].isupper()
                and span[1:].islower() and self._home is not None
                and place.country in self._home):  # "Pau, vends", "Hof (Saale)": a header town
            return None
        size = BIG_PLACE if place.kind == "country" else place.population
        unique = len({p.country for p in places}) == 1
        # a city of a million people of the post's language opening it ("Lima, piel de
        # jaguar") is its location header, though another language's stop list holds it
        big_header = (header and place.kind == "city" and place.population >= BIG_PLACE
                      and self._home is not None and place.country in self._home
                      and key not in COMMON_WORDS)
        # a town that is a common word opening a post with its district, region or river
        # ("Essen-Rüttenscheid:", "Halle (Saale),", "Hof (Saale)", "León capital,")
        strong_header = strong and place.kind == "city" and key not in stop_words()
        # a country's capitalised short form is no stop word ("UK", "USA", "RDC")
        acronym = (place.kind == "country" and span.isupper() and len(span) <= 4
                   and not shouting)
        if key in NEVER_PLACES or (is_common_word(key, size) and not cue and not big_header
                                   and not strong_header and not acronym):
            return None
        # a saint's name is a street, a church or a district before it is an island state
        # ("platea San Martín", "metro Santa Lucía"); a given name is a person before a town
        # ("Asunción cumplió 90 años"): either counts after a locative word or as a header
        if not cue and not header and (
                (place.kind == "country" and SAINT.match(key))
                or (key[:1] in GIVEN_INITIALS and fold(key) in GIVEN_NAMES)):
            return None
        if (place.kind == "city" and place.key != key
                and place.population < MIN_ALIAS_POPULATION and not cue and key.isascii()
                and _unabbreviated(fold(place.key)) != _unabbreviated(fold(key))
                and key not in EXONYMS):  # "Meran", "Bozen": a neighbour's name for a town
            return None  # a small city under another of its names (GeoNames lists many)
        if (place.kind == "city" and not cue
                and not self._plausible_city(place, text_before, header, unique, strong)):
            return None
        if folded and (len(key) < 5 or is_common_word(fold(key))):
            return None
        if place.kind == "city" and confidence < 0.45 + 0.45 * MIN_AMBIGUOUS_SHARE:
            # a name no country holds most of: in Spanish, French or German the town of the
            # language's own country when it has one of 50,000 people ("Toledo, vendo", "León
            # capital": Spain; "Laval" stays Canadian only where it is the clear majority)
            origin = max((p for p in places if p.kind == "city" and p.population >= 50_000
                          and p.country == LANGUAGE_ORIGIN.get(self._lang)),
                         key=lambda p: p.population, default=None)
            if origin is not None:
                place, confidence = origin, 0.45 + 0.45 * MIN_AMBIGUOUS_SHARE
            elif not cue:
                return None
        return Mention(place, start, end, confidence * (0.9 if folded else 1.0), cue,
                       self._readings or places, header)

    def _unspaced(self, run: str, offset: int, mode: Mode) -> list[Mention]:
        """Names inside a run of an unspaced script, longest first, not overlapping."""
        out: list[Mention] = []
        index, prefixes = self.gaz.unspaced, self.gaz.unspaced_prefixes
        lengths = [n for n in self.gaz.unspaced_lengths if n <= len(run)]
        i = 0
        while i < len(run) - 1:
            if run[i:i + 2] not in prefixes:
                i += 1
                continue
            for n in lengths:
                name = run[i:i + n]
                places = index.get(name) if len(name) == n else None
                if not places:
                    continue
                chosen = choose(places)
                after = run[i + n:i + n + 6]
                header = offset == 0 and i == 0 and i + n == len(run)
                # a Thai name that is a whole space-separated word is no syllable of another
                # ("งาช้าง ตราด ราคาถูก"): as sure as a header
                alone = (i == 0 and i + n == len(run) and n >= 4 and "\u0e00" <= name[0] <= "\u0e7f"
                         and name not in THAI_COMMON)
                if chosen and (mode == "field" or _unspaced_ok(name, chosen[0], after,
                                                                run[max(0, i - 8):i],
                                                                header or alone)):
                    out.append(Mention(chosen[0], offset + i, offset + i + n, chosen[1],
                                       alternatives=places))
                    i += n - 1
                    break
            i += 1
        return out


def gaz_lookup(key: str) -> tuple[Place, ...]:
    return load_gazetteer().spaced.get(key, ())


def _without_compounds(text: str, found: list[Mention], lang: str | None) -> list[Mention]:
    """Drop names that are part of another word here (Vietnamese "Mỹ phẩm", "Áo dài", "hàng
    Nhật"; Thai "ผ้าไหมไทย")."""
    out = []
    vietnamese = (lang or "").lower().startswith("vi")
    for m in found:
        name = text[m.start:m.end]
        key = name.casefold()
        if vietnamese:
            after = text[m.end:m.end + 12].casefold().split()
            before = text[max(0, m.start - 12):m.start].casefold().split()
            if after and after[0].strip(",.") in VI_AFTER.get(key, ()):
                continue
            if before and before[-1] in VI_BEFORE.get(key, ()):
                continue
            if ((m.place.kind == "country" or m.place.country != "VN")  # "hàng Quảng Châu"
                    and VI_GOODS.search(text[max(0, m.start - 12):m.start])):
                continue
            if VI_OCEAN.match(text, m.end):  # "Thái Bình Dương": the Pacific, not Thái Bình
                continue
            # a one-syllable country before another capitalised syllable is part of a name
            # ("Mỹ Tho", "Mỹ Phước", "Pháp Vân"), unless that is a country too ("Mỹ Nhật")
            if (m.place.kind == "country" and " " not in key
                    and (nxt := VI_NEXT_SYLLABLE.match(text, m.end))
                    and not any(p.kind == "country"
                                for p in gaz_lookup(nxt.group(1).casefold()))):
                continue
        if (m.place.kind == "country" and "\u0e00" <= name[0] <= "\u0e7f" and m.start > 0
                and "\u0e00" <= text[m.start - 1] <= "\u0e7f"
                and not text[max(0, m.start - 8):m.start].endswith(
                    THAI_COUNTRY_BEFORE + (() if name == THAI_ADJECTIVE else THAI_MOTION_BEFORE))):
            continue
        if _names_a_product(text, m, name, lang):
            continue
        out.append(m)
    return out


def _names_a_product(text: str, m: Mention, name: str, lang: str | None) -> bool:
    """A place named as part of a product or a style: "Brazil nuts", "Savon de Marseille",
    "Nasi Padang", "áo thun Thái Lan", "泰国佛牌", "Paris-Poster" (a German compound)."""
    after = text[m.end:m.end + 24]
    if UNSPACED.fullmatch(name):
        if "\u0e00" <= name[0] <= "\u0e7f":
            return bool(THAI_PRODUCT_BEFORE.search(text[max(0, m.start - 24):m.start]))
        if m.place.kind == "city":
            return bool(HAN_CITY_PRODUCT_AFTER.match(after))
        return (bool(HAN_PRODUCT_AFTER.match(after))
                or text[max(0, m.start - 2):m.start] in HAN_PRODUCT_BEFORE)
    if PRODUCT_AFTER.match(after) or PRODUCT_BEFORE.search(text[max(0, m.start - 30):m.start]):
        return True
    if (lang or "").lower()[:2] in ("vi", "id", "ms") and SPECIALTY_BEFORE.search(
            text[max(0, m.start - 30):m.start]):
        return True
    # German compounds: "Paris-Poster", "Wolfsburg-Motiv" (a place's own hyphenated name,
    # "Baden-Baden", is one gazetteer name and matched whole)
    return ((lang or "").lower().startswith("de") and after[:1] == "-"
            and after[1:2].isupper() and not m.cue  # "in Essen-Rüttenscheid": a district
            # "Dortmund-Hörde, verkaufe": a header town and its district ("Hof-Verkauf:", a sale)
            and not (m.header and not GERMAN_COMPOUND_NOUN.match(after[1:])))


# the second part of a German compound that is a thing, not a district: "Hof-Verkauf",
# "Neuwied-Angebot", "Paris-Poster", "Berlin-Reise", "Bayern-Trikot", "Leipzig-Erfahrung"
GERMAN_COMPOUND_NOUN = regex.compile(
    r"(?:Angebot|Verkauf|Ankauf|Abverkauf|Flohmarkt|Markt|Börse|Poster|Motiv|Trikot|Schal|"
    r"Shirt|Tasse|Souvenir|Andenken|Fan|Edition|Style|Look|Stil|Karte|Ticket|Reise|Urlaub|Tour|"
    r"Fahrt|Trip|Liebe|Deal|Sale|Special|Paket|Set|Aktion|Liebhaber|Sammler|Sammlung|Fund|"
    r"Import|Export|Ware|Artikel|Zucht|Züchter|Händler|Shop|Laden|Kauf)\w*"
    r"|\w*(?:ung|heit|keit|schaft|tion|ment|tät|ismus|erei|erin|ware|waren)\b")


def _without_destinations(text: str, found: list[Mention]) -> list[Mention]:
    """Drop the places a post sends to ("ship to USA, UK and Canada", "寄往美国") and the
    countries it says a product was imported from ("美国进口", "สินค้าจากจีน"): neither is
    where it is."""
    out: list[Mention] = []
    last_dropped = -1
    for m in found:
        before = text[max(0, m.start - 40):m.start]
        if (DESTINATION_BEFORE.search(before)
                or (last_dropped >= 0 and LIST_JOINER.match(text[last_dropped:m.start]))
                or (m.place.kind == "country" and ORIGIN_AFTER.match(text[m.end:m.end + 2]))
                or (m.place.kind == "country"
                    and THAI_ORIGIN.search(text[max(0, m.start - 12):m.start]))):
            last_dropped = m.end
            continue
        out.append(m)
    return out


_UPPER = regex.compile(r"\p{Lu}")
_LOWER = regex.compile(r"\p{Ll}")


@lru_cache(maxsize=4)  # read in both modes, as the tokens are
def _mostly_upper(text: str) -> bool:
    """Whether the post shouts (more than 60% of its first 400 cased letters upper case)."""
    head = text[:400]
    upper = len(_UPPER.findall(head))
    cased = upper + len(_LOWER.findall(head))
    return cased >= 12 and upper > 0.6 * cased
