"""SYNTHETIC trade phrases for the demo corpus (label "1"): offers, requests and price questions.

Written from the patterns described in the wildlife-trade literature (product, quantity, price in
local currency, a messenger contact, code words, "pre-ban" or "not resin" claims) in ten
languages. Placeholders: {item} {qty} {price} {contact} {city} {extra}.
"""

from __future__ import annotations

PRODUCTS = ["ivory_bangle", "ivory_carving", "ivory_tusk", "rhino_powder", "rhino_cup",
            "rhino_horn", "pangolin_scales", "live_pangolin"]
PRODUCT_WEIGHTS = [18, 14, 6, 14, 6, 12, 20, 10]

# Image category per product (see images.py).
PRODUCT_IMAGES = {
    "ivory_bangle": "ivory_bangles", "ivory_carving": "ivory_carvings", "ivory_tusk": "ivory_tusks",
    "rhino_powder": "rhino_horn_powder", "rhino_cup": "rhino_horn_cups", "rhino_horn": "rhino_horns",
    "pangolin_scales": "pangolin_scales", "live_pangolin": "live_pangolins",
}

ITEMS: dict[str, dict[str, list[str]]] = {
    "en": {
        "ivory_bangle": ["ivory bangle", "ivory bracelets", "genuine ivory bangle", "white gold bangle"],
        "ivory_carving": ["ivory carving", "carved ivory Buddha", "antique ivory figurine",
                          "ivory chopsticks"],
        "ivory_tusk": ["raw ivory tusk", "elephant tusks", "whole tusk"],
        "rhino_powder": ["rhino horn powder", "RH powder", "horn powder (real, not buffalo)"],
        "rhino_cup": ["rhino horn cup", "libation cup (rhino horn)", "carved horn cup"],
        "rhino_horn": ["rhino horn", "whole rhino horn", "black rhino horn"],
        "pangolin_scales": ["pangolin scales", "dried pangolin scales", "scales (anteater)"],
        "live_pangolin": ["live pangolin", "baby pangolin", "live scaly anteater"],
    },
    "zh-Hans": {
        "ivory_bangle": ["象牙手镯", "老象牙手镯", "白货手镯"],
        "ivory_carving": ["象牙雕件", "象牙佛像", "象牙筷子", "牙雕摆件"],
        "ivory_tusk": ["象牙原料", "整根象牙", "牙料"],
        "rhino_powder": ["犀牛角粉", "犀角粉"],
        "rhino_cup": ["犀角杯", "犀牛角杯"],
        "rhino_horn": ["犀牛角", "犀角", "整支犀角"],
        "pangolin_scales": ["穿山甲片", "穿山甲鳞片", "山甲片"],
        "live_pangolin": ["活穿山甲", "穿山甲活体"],
    },
    "zh-Hant": {
        "ivory_bangle": ["象牙手鐲", "老象牙手鐲"],
        "ivory_carving": ["象牙雕刻", "象牙擺件", "象牙佛像"],
        "ivory_tusk": ["象牙原牙", "整支象牙"],
        "rhino_powder": ["犀牛角粉", "犀角粉"],
        "rhino_cup": ["犀角杯", "犀牛角杯"],
        "rhino_horn": ["犀牛角", "犀角"],
        "pangolin_scales": ["穿山甲鱗片", "甲片"],
        "live_pangolin": ["活體穿山甲"],
    },
    "vi": {
        "ivory_bangle": ["vòng ngà voi", "lắc tay ngà", "vòng ngà"],
        "ivory_carving": ["tượng ngà voi", "đồ ngà mỹ nghệ", "đũa ngà"],
        "ivory_tusk": ["ngà voi nguyên chiếc", "ngà voi thô"],
        "rhino_powder": ["bột sừng tê giác", "bột sừng tê"],
        "rhino_cup": ["chén sừng tê giác", "bát sừng tê"],
        "rhino_horn": ["sừng tê giác", "sừng tê nguyên khối", "tê giác"],
        "pangolin_scales": ["vảy tê tê", "vẩy tê tê"],
        "live_pangolin": ["tê tê sống", "tê tê con"],
    },
    "th": {
        "ivory_bangle": ["กำไลงาช้าง", "กำไลงา"],
        "ivory_carving": ["งาช้างแกะสลัก", "พระงาช้าง"],
        "ivory_tusk": ["งาช้างทั้งกิ่ง", "งาช้างดิบ"],
        "rhino_powder": ["ผงนอแรด"],
        "rhino_cup": ["ถ้วยนอแรด"],
        "rhino_horn": ["นอแรด", "นอแรดแท้"],
        "pangolin_scales": ["เกล็ดตัวนิ่ม", "เกล็ดลิ่น"],
        "live_pangolin": ["ตัวนิ่มเป็นๆ", "ลิ่นมีชีวิต"],
    },
    "id": {
        "ivory_bangle": ["gelang gading gajah", "gelang gading"],
        "ivory_carving": ["ukiran gading", "patung gading gajah"],
        "ivory_tusk": ["gading gajah utuh", "gading mentah"],
        "rhino_powder": ["bubuk cula badak", "serbuk cula"],
        "rhino_cup": ["cawan cula badak"],
        "rhino_horn": ["cula badak", "cula badak asli"],
        "pangolin_scales": ["sisik trenggiling", "sisik trenggiling kering"],
        "live_pangolin": ["trenggiling hidup", "anak trenggiling"],
    },
    "fr": {
        "ivory_bangle": ["bracelet en ivoire", "bracelets ivoire véritable"],
        "ivory_carving": ["sculpture en ivoire", "statuette ivoire", "masque en ivoire"],
        "ivory_tusk": ["défense d'éléphant", "pointes d'ivoire brut"],
        "rhino_powder": ["poudre de corne de rhinocéros", "poudre de corne"],
        "rhino_cup": ["coupe en corne de rhino"],
        "rhino_horn": ["corne de rhinocéros", "corne de rhino"],
        "pangolin_scales": ["écailles de pangolin", "écailles séchées"],
        "live_pangolin": ["pangolin vivant", "bébé pangolin"],
    },
    "es": {
        "ivory_bangle": ["brazalete de marfil", "pulsera de marfil auténtico"],
        "ivory_carving": ["talla de marfil", "figura de marfil antigua"],
        "ivory_tusk": ["colmillo de elefante", "colmillos de marfil"],
        "rhino_powder": ["polvo de cuerno de rinoceronte"],
        "rhino_cup": ["copa de cuerno de rinoceronte"],
        "rhino_horn": ["cuerno de rinoceronte", "cuerno de rino"],
        "pangolin_scales": ["escamas de pangolín"],
        "live_pangolin": ["pangolín vivo"],
    },
    "pt": {
        "ivory_bangle": ["pulseira de marfim", "pulseiras de marfim verdadeiro"],
        "ivory_carving": ["escultura de marfim", "estatueta de marfim"],
        "ivory_tusk": ["dente de elefante", "pontas de marfim"],
        "rhino_powder": ["pó de chifre de rinoceronte"],
        "rhino_cup": ["taça de chifre de rinoceronte"],
        "rhino_horn": ["chifre de rinoceronte", "corno de rinoceronte"],
        "pangolin_scales": ["escamas de pangolim"],
        "live_pangolin": ["pangolim vivo"],
    },
    "sw": {
        "ivory_bangle": ["bangili za pembe za ndovu"],
        "ivory_carving": ["vinyago vya pembe za ndovu"],
        "ivory_tusk": ["pembe za ndovu", "meno ya tembo"],
        "rhino_powder": ["unga wa pembe ya kifaru"],
        "rhino_cup": ["kikombe cha pembe ya kifaru"],
        "rhino_horn": ["pembe ya kifaru", "pembe za faru"],
        "pangolin_scales": ["magamba ya kakakuona"],
        "live_pangolin": ["kakakuona hai"],
    },
}

# (kind, template): kind "offer" | "request" | "reply" (a reply asks a seller for a price).
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("offer", "{item} for sale, {qty}, {price}. {extra} {contact}"),
        ("offer", "Selling {item} - {qty} available. Price {price}. Serious buyers only. {contact}"),
        ("offer", "Have {qty} {item} in {city}, good quality, {price}. Ship worldwide, discreet "
                  "packing. {contact}"),
        ("offer", "New stock!! {item} {price} nego. DM or {contact}"),
        ("offer", "WTS {item} {qty} @ {price}. {extra} {contact}"),
        ("request", "Looking for {item}, paying good price. Who has? {contact}"),
        ("request", "Need {qty} {item} urgently for a client in {city}. {contact}"),
        ("reply", "How much for the {item}? Still available? inbox me"),
    ],
    "zh-Hans": [
        ("offer", "出{item}，{qty}，{price}，{extra}{contact}"),
        ("offer", "{item}现货{qty}，价格{price}，保真包邮。{contact}"),
        ("offer", "老料{item}，{price}，懂的来。{contact}"),
        ("offer", "{city}有{item}{qty}，{extra}{contact}"),
        ("request", "收{item}，量大价优，{city}可面交。{contact}"),
        ("reply", "{item}还有吗？多少钱"),
    ],
    "zh-Hant": [
        ("offer", "出售{item}，{qty}，售價{price}。{extra}{contact}"),
        ("offer", "{item}現貨，{price}，保證真品。{contact}"),
        ("request", "收購{item}，價格好談。{contact}"),
        ("reply", "{item}還有嗎？請私訊"),
    ],
    "vi": [
        ("offer", "Bán {item} {qty}, giá {price}. {extra} {contact}"),
        ("offer", "Cần thanh lý {item} hàng chuẩn, {qty}. Giá {price}. Ship COD toàn quốc. {contact}"),
        ("offer", "{item} loại 1, cam kết hàng thật. {price}. {contact}"),
        ("offer", "Hàng mới về: {item} ({qty}) tại {city}. Inbox hoặc {contact}"),
        ("request", "Cần mua {item} số lượng {qty}, ai có ib. {contact}"),
        ("reply", "{item} còn không bác? giá bao nhiêu ạ"),
    ],
    "th": [
        ("offer", "ขาย{item} {qty} ราคา {price} {extra} {contact}"),
        ("offer", "{item}ของแท้ 100% ราคา {price} สนใจทัก {contact}"),
        ("request", "รับซื้อ{item} ให้ราคาดี {contact}"),
        ("reply", "{item}ยังอยู่ไหมคะ ราคาเท่าไหร่"),
    ],
    "id": [
        ("offer", "Jual {item} {qty}, harga {price}. {extra} {contact}"),
        ("offer", "Ready {item} asli, {qty}. {price} nego. Hub {contact}"),
        ("request", "Cari {item}, siap bayar tinggi. {contact}"),
        ("reply", "{item} masih ada gan? berapa harganya"),
    ],
    "fr": [
        ("offer", "Vends {item}, {qty}, prix {price}. {extra} {contact}"),
        ("offer", "À vendre : {item} authentique ({qty}). {price} à débattre. {contact}"),
        ("request", "Cherche {item} pour client sérieux à {city}. {contact}"),
        ("reply", "Toujours disponible ? {item}, quel prix ?"),
    ],
    "es": [
        ("offer", "Vendo {item}, {qty}, {price}. {extra} {contact}"),
        ("offer", "{item} auténtico, {qty}. Precio {price}. Envíos discretos. {contact}"),
        ("request", "Busco {item}, pago bien. {contact}"),
        ("reply", "¿Sigue disponible lo de {item}? ¿precio?"),
    ],
    "pt": [
        ("offer", "Vendo {item}, {qty}, {price}. {extra} {contact}"),
        ("offer", "{item} verdadeiro, {qty}. Preço {price}. {contact}"),
        ("request", "Procuro {item}, pago bem. {contact}"),
        ("reply", "Ainda tem {item}? Quanto?"),
    ],
    "sw": [
        ("offer", "Nauza {item} {qty}, bei {price}. {extra} {contact}"),
        ("offer", "{item} zipo, {qty}. Bei {price} maongezi. Piga {contact}"),
        ("request", "Natafuta {item}, nalipa vizuri. {contact}"),
        ("reply", "Bado una {item}? bei gani?"),
    ],
}

EXTRAS: dict[str, list[str]] = {
    "en": ["Pre-ban old stock with papers.", "100% real, test with fire.", "Not resin, not bone.",
           "Cash or crypto.", "Can send to HK / VN.", "No lowballers.", "Mammoth (wink)."],
    "zh-Hans": ["非洲老料，", "假一赔十，", "可视频验货，", "顺丰到付，", ""],
    "zh-Hant": ["老貨收藏級。", "可驗貨。", "香港面交。", ""],
    "vi": ["Bao test, sai tặng nhà.", "Hàng Phi, chuẩn không pha.", "Giao hàng kín đáo.",
           "Có giấy tờ sưu tầm.", ""],
    "th": ["ส่งทั่วประเทศ", "มีใบเซอร์", "ของเก่าเก็บ", ""],
    "id": ["Barang langka.", "COD bisa.", "Dijamin asli, bukan resin.", ""],
    "fr": ["Livraison discrète.", "Qualité, pas de la résine.", "Paiement cash.", ""],
    "es": ["Envío discreto.", "No es resina.", "Pago en efectivo.", ""],
    "pt": ["Entrega discreta.", "Não é resina.", "Pagamento em dinheiro.", ""],
    "sw": ["Mzigo safi.", "Tunaleta popote.", "Malipo kwa M-Pesa.", ""],
}

# Contact phrasings; fields from people.Contacts.fields().
CONTACT_TEMPLATES: dict[str, list[str]] = {
    "en": ["WhatsApp {intl}", "WA {intl}", "email {email}", "Telegram @{tg}", "call {nat}",
           "Wickr/Telegram: @{tg}"],
    "zh-Hans": ["微信 {wechat}", "V: {wechat}", "电话 {nat}", "加微信{wechat}详谈", "手机 {intl}"],
    "zh-Hant": ["WhatsApp {intl}", "微信 {wechat}", "電話 {nat}", "Line: {line}"],
    "vi": ["Zalo {nat}", "LH: {nat}", "☎️ {nat}", "Zalo/ĐT {nat}", "ib fb hoặc zalo {nat}"],
    "th": ["Line: {line}", "ไลน์ {line}", "โทร {nat}", "Line ID @{line}"],
    "id": ["WA {nat}", "WA: {intl}", "hub {nat}", "Telegram @{tg}"],
    "fr": ["WhatsApp {intl}", "contact : {email}", "tél {nat}"],
    "es": ["WhatsApp {intl}", "escribir a {email}", "Telegram @{tg}"],
    "pt": ["WhatsApp {intl}", "zap {nat}", "email {email}"],
    "sw": ["Piga {nat}", "WhatsApp {intl}"],
}

# (currency format, low, high): the amount is drawn in [low, high].
PRICES: dict[str, list[tuple[str, int, int]]] = {
    "VN": [("{n} triệu", 2, 300), ("{n}.000.000đ", 1, 90), ("{n}tr/kg", 20, 400)],
    "LA": [("{n},000 kip", 500, 9000), ("${n}", 100, 5000)],
    "CN": [("¥{n}", 300, 80000), ("{n}元/克", 20, 600), ("{n}元", 500, 50000)],
    "HK": [("HK${n}", 800, 90000)],
    "TW": [("NT${n}", 3000, 300000)],
    "TH": [("{n} บาท", 2000, 300000), ("{n}฿", 1500, 90000)],
    "ID": [("Rp {n}.000.000", 1, 90), ("Rp {n}00.000", 5, 99), ("{n} jt", 2, 400)],
    "MY": [("RM{n}", 200, 40000)],
    "US": [("${n}", 150, 60000), ("USD {n}", 150, 60000)],
    "GB": [("£{n}", 100, 40000)],
    "NG": [("₦{n},000", 50, 9000)],
    "KE": [("KSh {n},000", 10, 3000)],
    "TZ": [("TSh {n},000", 50, 9000)],
    "ZA": [("R{n}", 1000, 300000)],
    "MZ": [("{n} MT", 2000, 900000)],
    "AO": [("{n} Kz", 20000, 9000000)],
    "CM": [("{n} 000 FCFA", 20, 9000)],
    "CI": [("{n} 000 FCFA", 20, 9000)],
    "CD": [("${n}", 100, 20000)],
    "FR": [("{n} €", 100, 40000), ("{n}€", 100, 40000)],
    "ES": [("{n} €", 100, 40000)],
    "MX": [("${n} MXN", 2000, 500000)],
    "BR": [("R$ {n}", 500, 200000)],
    "PT": [("{n} €", 100, 40000)],
}

# (template, low, high)
QUANTITIES: dict[str, list[tuple[str, int, int]]] = {
    "en": [("{n} kg", 1, 50), ("{n} pcs", 1, 40), ("{n} grams", 50, 900)],
    "zh-Hans": [("{n}公斤", 1, 50), ("{n}件", 1, 30), ("{n}克", 50, 900)],
    "zh-Hant": [("{n}公斤", 1, 30), ("{n}件", 1, 20)],
    "vi": [("{n} kg", 1, 60), ("{n} chiếc", 1, 30), ("{n} lạng", 1, 20)],
    "th": [("{n} กิโล", 1, 30), ("{n} ชิ้น", 1, 20)],
    "id": [("{n} kg", 1, 40), ("{n} buah", 1, 20)],
    "fr": [("{n} kg", 1, 60), ("{n} pièces", 1, 30)],
    "es": [("{n} kg", 1, 30), ("{n} piezas", 1, 20)],
    "pt": [("{n} kg", 1, 40), ("{n} peças", 1, 20)],
    "sw": [("kilo {n}", 1, 50), ("vipande {n}", 1, 30)],
}

HASHTAGS: dict[str, list[str]] = {
    "en": ["ivory", "antique", "collectibles", "rhinohorn", "wholesale", "rare", "tcm"],
    "zh-Hans": ["象牙", "文玩", "收藏", "犀角"],
    "zh-Hant": ["象牙", "收藏", "古董"],
    "vi": ["ngàvoi", "đồmỹnghệ", "hàngđộc", "sừngtê"],
    "th": ["งาช้าง", "ของสะสม", "พระเครื่อง"],
    "id": ["gading", "barangantik", "jualmurah"],
    "fr": ["ivoire", "antiquités", "artafricain"],
    "es": ["marfil", "antigüedades"],
    "pt": ["marfim", "antiguidades"],
    "sw": ["biashara", "pembe"],
}

SELLER_BIOS: dict[str, list[str]] = {
    "en": ["Antiques & collectibles | WhatsApp {intl}", "Rare items, worldwide shipping. {email}"],
    "zh-Hans": ["文玩收藏 | 微信 {wechat}", "老物件 诚信交易 {nat}"],
    "zh-Hant": ["古董收藏 WhatsApp {intl}", "誠信交易 微信 {wechat}"],
    "vi": ["Chuyên đồ mỹ nghệ cao cấp. Zalo {nat}", "Hàng độc, hàng hiếm. LH {nat}"],
    "th": ["ของเก่า ของสะสม Line: {line}", "ของแท้ทุกชิ้น โทร {nat}"],
    "id": ["Barang antik & langka. WA {nat}", "Terpercaya sejak 2015. {intl}"],
    "fr": ["Art africain, antiquités. WhatsApp {intl}", "Import-export. {email}"],
    "es": ["Antigüedades y coleccionables. {email}", "Envíos a todo el mundo. {intl}"],
    "pt": ["Antiguidades. WhatsApp {intl}", "Artesanato africano. {email}"],
    "sw": ["Mfanyabiashara wa vinyago. {nat}", "Biashara ya jumla. WhatsApp {intl}"],
}
