"""The general price rules added after the third handwritten set (analysis/prices/money.py).

Each class of case has sentences of its own, written for these tests in the way sellers write on
Facebook, Shopee, Tokopedia, Jiji, Craigslist, Wallapop, Leboncoin, Kaidee and Xianyu; none is
copied from a benchmark set.
"""

from __future__ import annotations

import pytest

from wildsift.analysis.prices.money import find_money, item_price


def _price(text, lang, country):
    price = item_price(find_money(text, lang, country))
    return (price.amount, price.currency) if price else (None, None)


def _check(text, lang, country, amount, currency):
    got = _price(text, lang, country)
    if amount is None:
        assert got == (None, None), text
    else:
        assert got[1] == currency, text
        assert got[0] == pytest.approx(amount), text


# "was X now Y": the current price wins, in each language
@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("Python skin boots, were $300 now $180", "en", "US", 180, "USD"),
    ("Used bike $80, was $120, cash only", "en", "US", 80, "USD"),
    ("Máy ảnh Canon, trước 8tr nay 5tr5", "vi", "VN", 5_500_000, "VND"),
    ("Đàn guitar cũ giá cũ 3tr giờ chỉ còn 1tr8", "vi", "VN", 1_800_000, "VND"),
    ("Năm 2020 mua giá 5tr, giờ bán 2tr", "vi", "VN", 2_000_000, "VND"),
    ("玉镯 专柜价12800 现8800转", "zh-Hans", "CN", 8800, "CNY"),
    ("羚羊角 入手价5000 现价3800", "zh-Hans", "CN", 3800, "CNY"),
    ("沉香 50克 市场价5000 我这3500", "zh-Hans", "CN", 3500, "CNY"),
    ("หนังจระเข้ กระเป๋า ราคาเต็ม 9,000 เหลือ 6,500", "th", "TH", 6500, "THB"),
    ("Tas kulit buaya, harga normal 3jt sekarang 2,2jt", "id", "ID", 2_200_000, "IDR"),
    ("Ng'ombe ilikuwa 60,000 sasa 50,000", "sw", "KE", 50_000, "KES"),
    ("Statuette en ivoire, prix neuf 900 €, cédée 500 €", "fr", "FR", 500, "EUR"),
    ("Canapé d'angle, 200 € au lieu de 450 €", "fr", "FR", 200, "EUR"),
    ("Bici antes 400€ ahora 250€", "es", "ES", 250, "EUR"),
    ("Cachorro husky, antes $6,000 ahora $4,500", "es", "MX", 4500, "MXN"),
    ("Rhino horn carving, price $8,500 (retail $12,000)", "en", "US", 8500, "USD"),
])
def test_the_current_price_wins_over_an_earlier_one(text, lang, country, amount, currency):
    _check(text, lang, country, amount, currency)


# a bare number after a price word, or before a sale marker, in each language
@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("Sừng nai khô 2 cặp, gia 4tr/cap, lh zalo", "vi", "VN", 4_000_000, "VND"),
    ("象牙吊坠 老货 一口价8800", "zh-Hans", "CN", 8800, "CNY"),
    ("二手自行车 200出 自提", "zh-Hans", "CN", 200, "CNY"),
    ("出全新耳机，拆封未用，300包邮", "zh-Hans", "CN", 300, "CNY"),
    ("手机 iPhone13 128G 3200 不议价", "zh-Hans", "CN", 3200, "CNY"),
    ("穿山甲鳞片 定金500 尾款2500 总价3000", "zh-Hans", "CN", 3000, "CNY"),
    ("พระเครื่อง เลี่ยมทอง ปล่อย 12,500", "th", "TH", 12_500, "THB"),
    ("เต่า 3 ตัว ตัวละ 1500", "th", "TH", 1500, "THB"),
    ("นกแก้ว ตัวละ 2.5 พัน", "th", "TH", 2500, "THB"),
    ("HP Oppo A5 mulus hrg 1.200.000 nett", "id", "ID", 1_200_000, "IDR"),
    ("Kuku 10 wanauzwa, kila mmoja 700", "sw", "KE", 700, "KES"),
    ("Ivory netsuke, asking 2,500. Serious only", "en", "US", 2500, "USD"),
    ("Bearded dragon with tank, 150 obo", "en", "US", 150, "USD"),
    ("Perico 800 c/u, Guadalajara", "es", "MX", 800, "MXN"),
])
def test_a_bare_number_that_words_around_it_make_a_price(text, lang, country, amount, currency):
    _check(text, lang, country, amount, currency)


def test_a_classifier_after_a_chinese_amount_is_its_unit():
    price = item_price(find_money("鹦鹉 3500一对 包活", "zh-Hans", "CN"))
    assert (price.amount, price.currency, price.per_unit) == (3500, "CNY", "对")


# an ad whose only amount is a number grouped in thousands: that number is its price
@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("ขายกระเป๋าหนังแท้ 2,900", "th", "TH", 2900, "THB"),
    ("TV Samsung inchi 43, 25,000 Nairobi", "sw", "KE", 25_000, "KES"),
    ("Jual HP second 1.250.000", "id", "ID", 1_250_000, "IDR"),
    ("Cadre photo ancien 12 000, Thiès", "fr", "SN", 12_000, "XOF"),
])
def test_a_grouped_number_alone_is_the_price(text, lang, country, amount, currency):
    _check(text, lang, country, amount, currency)


# shorthand and amounts in words
@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("Coral bracelet 1.5k obo", "en", "US", 1500, "USD"),
    ("Tiger skin rug, 3.5k firm, no lowballers", "en", "US", 3500, "USD"),
    ("ขาย iPad Air 4 ราคา 12k ต่อรองได้", "th", "TH", 12_000, "THB"),
    ("Pikipiki Boxer bei 85k, Nairobi", "sw", "KE", 85_000, "KES"),
    ("显卡3060 用了一年 1.2k出", "zh-Hans", "CN", 1200, "CNY"),
    ("盔犀鸟 挂件 2.5w 可议", "zh-Hans", "CN", 25_000, "CNY"),
    ("Lion claw pendant, 5 grand firm", "en", "US", 5000, "USD"),
    ("Agarwood 1.5 lakh per kg", "en", "IN", 150_000, "INR"),
    ("Cachorro 2 mil pesos", "es", "MX", 2000, "MXN"),
    ("Vendo celular en 3 mil", "es", "MX", 3000, "MXN"),
    ("Moto 15 mil quinientos pesos", "es", "MX", 15_500, "MXN"),
    ("Jarrón de porcelana, 4 mil 300 soles", "es", "PE", 4300, "PEN"),
    ("Carey tallado 2 millones de pesos", "es", "CO", 2_000_000, "COP"),
    ("Bracelet 15 mille francs", "fr", "SN", 15_000, "XOF"),
    ("Tortue 2 millions, Douala", "fr", "CM", 2_000_000, "XAF"),
    ("Vòng tay bạc 1 củ 2, ai lấy ib", "vi", "VN", 1_200_000, "VND"),
    ("Simu ya Samsung inauzwa elfu kumi na tano", "sw", "KE", 15_000, "KES"),
    ("Mkaa gunia moja elfu mbili", "sw", "KE", 2000, "KES"),
    ("Pembe ya kifaru gramu 100, bei laki tatu na nusu", "sw", "TZ", 350_000, "TZS"),
    ("Nauza redio kilo 2 elfu sita", "sw", "UG", 6000, "UGX"),
    ("สร้อยงาช้าง ห้าพันบาท ต่อรองได้", "th", "TH", 5000, "THB"),
    ("ตู้ไม้สัก สามหมื่นห้าพันบาท", "th", "TH", 35_000, "THB"),
    ("海马干 一斤三千五 包邮", "zh-Hans", "CN", 3500, "CNY"),
    ("二手冰箱 八百出 自提", "zh-Hans", "CN", 800, "CNY"),
])
def test_shorthand_and_amounts_in_words(text, lang, country, amount, currency):
    _check(text, lang, country, amount, currency)


# currencies written as sellers write them in more countries
@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("Shark jaw, CA$450, Vancouver", "en", "CA", 450, "CAD"),
    ("Croc belt A$210 posted", "en", "AU", 210, "AUD"),
    ("iPhone 11 ₹25,000 negotiable", "en", "IN", 25_000, "INR"),
    ("Sandalwood beads Rs. 1,800/- only", "en", "IN", 1800, "INR"),
    ("Parrot GH¢ 2,000", "en", "GH", 2000, "GHS"),
    ("African grey #250,000 Lagos", "en", "NG", 250_000, "NGN"),
    ("Shark teeth lot 30 quid", "en", "GB", 30, "GBP"),
    ("Trottinette 120 CHF à discuter", "fr", "CH", 120, "CHF"),
    ("Peau de python, 25.000 FC, Lubumbashi", "fr", "CD", 25_000, "CDF"),
    ("Écailles de pangolin 30.000 F le kilo", "fr", "CI", 30_000, "XOF"),
    ("Poussins 2 500 francs l'unité", "fr", "CM", 2500, "XAF"),
    ("Corne de buffle 15 000 frs", "fr", "BF", 15_000, "XOF"),
    ("Canapé 250 $, Québec", "fr", "CA", 250, "CAD"),
    ("Colmillo de jabalí, Q 450", "es", "GT", 450, "GTQ"),
    ("Pembe za ndovu, dola 500 kwa kilo", "sw", "TZ", 500, "USD"),
    ("Bei ni 3,500/- tu", "sw", "TZ", 3500, "TZS"),
    ("ตู้เย็น 1 ประตู 3500 บ. นัดรับได้", "th", "TH", 3500, "THB"),
])
def test_more_currencies(text, lang, country, amount, currency):
    _check(text, lang, country, amount, currency)


def test_a_bare_f_is_a_franc_only_where_francs_are_used():
    assert _price("Chaussures 40 F", "fr", "FR") == (None, None)
    assert _price("Chaussures 4 000 F", "fr", "ML") == (4000, "XOF")


# quantities, karats, counts, phone numbers, years, sizes and model numbers are no prices
@pytest.mark.parametrize(("text", "lang", "country"), [
    ("Cần bán 3 con két Nam Mỹ, 6 tháng tuổi, ai quan tâm gọi 0909 123 456", "vi", "VN"),
    ("Nhẫn vàng 18k, 2 chỉ, liên hệ", "vi", "VN"),
    ("出售鹦鹉 3只 价格私聊 微信 138 0013 8000", "zh-Hans", "CN"),
    ("沉香手串 108颗 8mm 证书齐全 有意私信", "zh-Hans", "CN"),
    ("象牙 重1,200克 私聊", "zh-Hans", "CN"),
    ("房子 120平 3室2厅 2008年建 面议", "zh-Hans", "CN"),
    ("เต่าบก 3 ตัว อายุ 2 ปี 1,500 กรัม สนใจ inbox", "th", "TH"),
    ("ขายบ้าน 2 ชั้น 150 ตร.ว. ติดต่อ 089-123-4567", "th", "TH"),
    ("Rumah type 45/120, Jl. Merdeka No. 150, Bandung", "id", "ID"),
    ("Meno ya tembo kilo 12, bei tutaongea, piga 0722 555 123", "sw", "KE"),
    ("Gari 2012, 120,000 km", "sw", "KE"),
    ("2018 Toyota Hilux, 85,000 km, message for price", "en", "ZA"),
    ("2019 Honda Civic, 45,000 miles, message me", "en", "US"),
    ("Selling 2 parrots, 10,000 followers on my page, DM", "en", "US"),
    ("Apartment 1,200 sq ft, call for price", "en", "US"),
    ("TV 4K 55 inch, pm me", "en", "US"),
    ("Macaw eggs available, 3 pairs, call +234 803 123 4567", "en", "NG"),
    ("Perroquets, 2 500 g de graines offertes, contactez 77 123 45 67", "fr", "SN"),
    ("Escamas de pangolín, 3 kilos, 1.000 unidades, consultar", "es", "MX"),
    ("Terreno de 1.500 m2 en Cancún, informes al 998 123 4567", "es", "MX"),
])
def test_numbers_that_are_no_price(text, lang, country):
    assert item_price(find_money(text, lang, country)) is None, text


# shipping, deposits, add-ons and thresholds are not the item's price
@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("Tortoise $250 + $40 shipping", "en", "US", 250, "USD"),
    ("Deposit of $100 required, total $600", "en", "US", 600, "USD"),
    ("Cọc trước 1tr, giá 6tr5 cho cặp vẹt", "vi", "VN", 6_500_000, "VND"),
    ("Kucing persia 1,5 juta, DP 500rb", "id", "ID", 1_500_000, "IDR"),
    ("Chiot 1 200 € acompte 300 €", "fr", "FR", 1200, "EUR"),
    ("Lámpara 30€ + envío 5€", "es", "ES", 30, "EUR"),
    ("燕窝 干挑 100克 680元 运费15元", "zh-Hans", "CN", 680, "CNY"),
    ("ขาย 2,500฿ ค่าส่ง 60฿", "th", "TH", 2500, "THB"),
    ("Mbuzi dume 12,000 bob, usafiri 500", "sw", "KE", 12_000, "KES"),
    ("Origin: Borneo, Rs 3,000 per 10 g", "en", "IN", 3000, "INR"),
])
def test_fees_deposits_and_add_ons(text, lang, country, amount, currency):
    _check(text, lang, country, amount, currency)


def test_a_fee_after_the_amount_and_the_end_of_a_range():
    assert item_price(find_money("Case $12 postage to mainland", "en", "GB")) is None
    assert item_price(find_money("Covered by $100 worth of insurance", "en", "US")) is None
    assert item_price(find_money("Similar jaws are listed from $1200 to $4000", "en")) is None
    assert _price("Bracelet $45 shipping included", "en", "US") == (45, "USD")
    assert _price("Free delivery above $200, jaw $120", "en", "US") == (120, "USD")


# where sellers seldom group digits (Chinese, Thai), a lone 3-6 digit number is the price of an
# ad without another one, unless it is a storage size, a house number, a year or a mileage
@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("二手 小米电视 55寸 用了四年 600 自提", "zh-Hans", "CN", 600, "CNY"),
    ("กล้อง Canon มือสอง สภาพดี 4500 นัดรับ", "th", "TH", 4500, "THB"),
    ("龟 3只 共900 可单卖300一只", "zh-Hans", "CN", 900, "CNY"),
    ("苹果手机 iPhone 14 Pro 256 深空黑 电池 92 私聊", "zh-Hans", "CN", None, None),
    ("บ้านเลขที่ 123 หมู่ 5 ต.บางพลี สนใจติดต่อ", "th", "TH", None, None),
    ("พระสมเด็จ ปี 2517 สภาพสวย สอบถามราคา", "th", "TH", None, None),
    ("รถยนต์ Toyota Vios 2015 ไมล์ 120000 กม. สนใจโทร", "th", "TH", None, None),
    ("收购 沉香 1000克以上 长期有效", "zh-Hans", "CN", None, None),
    ("ขาย 1 แถม 1 ราคา 99", "th", "TH", 99, "THB"),
    ("เหลือ 10 ใบ ราคา 200 บาท", "th", "TH", 200, "THB"),
    ("Only 2 left, $50 each", "en", "US", 50, "USD"),
])
def test_a_lone_number_in_chinese_and_thai(text, lang, country, amount, currency):
    _check(text, lang, country, amount, currency)


def test_single_letter_signs_need_their_country():
    assert _price("Phone P5,500 only", "en", "PH") == (5500, "PHP")
    assert _price("P5 mask", "en", "PH") == (None, None)
    assert _price("Parrot for sale. Price: N120k", "en", "NG") == (120_000, "NGN")
    assert _price("Sofá Q1,350 zona 1", "es", "GT") == (1350, "GTQ")
    assert _price("Sofá Q1,350 zona 1", "es", "MX") == (None, None)


@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("Tortoises from $150 each", "en", "US", 150, "USD"),       # a starting price
    ("Yến sào giá từ 200k/hộp", "vi", "VN", 200_000, "VND"),
    ("Madu hutan mulai 50rb", "id", "ID", 50_000, "IDR"),
    ("Free shipping on orders over $50, jaw $120", "en", "US", 120, "USD"),  # a threshold
    ("Laptop 3jtan nego", "id", "ID", 3_000_000, "IDR"),       # about 3 million
    ("Kaos 150rban", "id", "ID", 150_000, "IDR"),
    ("ขาย 3 พันห้า", "th", "TH", 3500, "THB"),                   # the next unit down
    ("ขาย 2 หมื่นห้า ต่อได้", "th", "TH", 25_000, "THB"),
    ("ราคา 5 พัน หนึ่งตัว", "th", "TH", 5000, "THB"),              # one animal, not 5,100
])
def test_starting_prices_and_spoken_shorthand(text, lang, country, amount, currency):
    _check(text, lang, country, amount, currency)


def test_codes_after_the_number_and_counts_of_things():
    assert _price("Camaleón 1.200 Bs", "es", "BO") == (1200, "BOB")
    assert _price("Nido de águila 850 RM", "es", "MY") == (850, "MYR")
    assert _price("Vente de 5 000 poussins, contactez-nous pour le prix", "fr", "CI") == (None, None)
    assert _price("Parrots, over 1,000 sold since 2015, ask for a price list", "en", "GB") == (None, None)
    assert _price("Perroquet, plus de 10k abonnés sur ma page, MP", "fr", "FR") == (None, None)
    assert _price("Camioneta con 80 mil km, pregunte precio", "es", "CO") == (None, None)


def test_a_purchase_price_only_right_before_its_amount():
    assert _price("Bici comprada hace 2 meses, 300€", "es", "ES") == (300, "EUR")
    assert _price("Used kayak, asking $350. Paid $700 new.", "en", "US") == (350, "USD")
    assert _price("Xe đạp mua 1tr9 bán lại 950k", "vi", "VN") == (950_000, "VND")
    assert _price("Sac acheté 80 €, vendu 50 €", "fr", "FR") == (50, "EUR")
    assert _price("Nike shoes with orig box $50", "en", "US") == (50, "USD")
    assert _price("iPhone 12一台", "zh-Hans", "CN") == (None, None)


def test_an_explicit_price_wins_over_a_weak_one_but_not_over_an_extra():
    assert _price("Sofa 250 obo, or $300 delivered", "en", "US") == (250, "USD")
    assert _price("2015 Civic 112k, $9,800 firm", "en", "US") == (9800, "USD")
    assert _price("Parrot 1.2k, cage $100 extra", "en", "US") == (1200, "USD")
    assert _price("Loro 2,500 pesos, jaula 300 pesos adicionales", "es", "MX") == (2500, "MXN")


def test_each_in_swahili_before_or_after_the_amount():
    assert _price("Kuku 10 wanauzwa, 700 kila mmoja", "sw", "KE") == (700, "KES")
    assert _price("Kuku wa mayai 50, kila mmoja Tsh 12,000", "sw", "TZ") == (12_000, "TZS")
