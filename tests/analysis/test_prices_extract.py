"""Prices and quantities as sellers write them, in many languages (analysis/prices)."""

from __future__ import annotations

import pytest

from wildsift.analysis.prices.money import find_money, item_price
from wildsift.analysis.prices.quantities import find_quantities, offered_quantity


@pytest.mark.parametrize(("text", "lang", "amount", "currency"), [
    ("Giá 2tr5 một cặp", "vi", 2_500_000, "VND"),
    ("bán 1,2 triệu/kg", "vi", 1_200_000, "VND"),
    ("500k ship toàn quốc", "vi", 500_000, "VND"),
    ("vòng ngà 1.500.000đ", "vi", 1_500_000, "VND"),
    ("象牙手镯 5万", "zh-Hans", 50_000, "CNY"),
    ("两万元一对", "zh-Hans", 20_000, "CNY"),
    ("价格人民币25000", "zh-Hans", 25_000, "CNY"),
    ("Rp 1.250.000 per ekor", "id", 1_250_000, "IDR"),
    ("harga 2jt nego", "id", 2_000_000, "IDR"),
    ("KSh 5,000 kwa kilo", "sw", 5_000, "KES"),
    ("bei elfu 5 tu", "sw", 5_000, "KES"),
    ("$300 obo", "en", 300, "USD"),
    ("₦150,000 per piece", "en", 150_000, "NGN"),
    ("ราคา 1,500 บาท", "th", 1_500, "THB"),
    ("฿1,500", "th", 1_500, "THB"),
    ("๕๐๐ บาท", "th", 500, "THB"),
    ("ขาย 3 แสน", "th", 300_000, "THB"),
    ("25 000 FCFA", "fr", 25_000, "XAF"),
    ("1.500,00 €", "es", 1_500, "EUR"),
    ("R$ 1.500,00", "pt", 1_500, "BRL"),
    ("1.500 MT", "pt", 1_500, "MZN"),
    ("3 သိန်း", "my", 300_000, "MMK"),
    ("500,000 ກີບ", "lo", 500_000, "LAK"),
    ("100,000 ៛", "km", 100_000, "KHR"),
])
def test_price_and_currency_as_written(text, lang, amount, currency):
    price = item_price(find_money(text, lang))
    assert price is not None, text
    assert price.amount == pytest.approx(amount)
    assert price.currency == currency


@pytest.mark.parametrize("text", ["2 kg", "năm 2019 mua về", "size 20cm", "call 0912 345 678",
                                  "500k followers", "30d return policy"])
def test_a_number_without_a_currency_is_no_price(text):
    assert find_money(text, "en") == []


def test_k_is_local_money_only_where_that_is_the_usual_shorthand():
    assert find_money("500k", "vi")[0].currency == "VND"
    assert find_money("500k", "id")[0].currency == "IDR"
    assert find_money("500k", "en") == []


def test_the_country_decides_an_ambiguous_sign():
    assert item_price(find_money("bei 5,000/=", "sw", "TZ")).currency == "TZS"
    assert item_price(find_money("bei 5,000/=", "sw", "KE")).currency == "KES"
    taiwan = item_price(find_money("象牙 3000元", "zh-Hant", "TW"))
    assert (taiwan.currency, taiwan.basis) == ("TWD", "country")
    assert item_price(find_money("¥5000", "ja")).currency == "JPY"


def test_fees_and_shipping_are_not_the_items_price():
    prices = find_money("Shipping $15. Jaw for sale, asking $450", "en")
    assert [p.fee for p in prices] == [True, False]
    assert item_price(prices).amount == 450
    assert item_price(find_money("Retail Price: $ Asking Price: $2,000.00", "en")).amount == 2000
    assert item_price(find_money("Orders over $500 ship free", "en")) is None


def test_a_dollar_sign_after_a_number_starts_the_next_price():
    prices = find_money("Authentic 17061 $99.00 Megalodon", "en")
    assert [(p.amount, p.currency) for p in prices] == [(99.0, "USD")]


@pytest.mark.parametrize(("text", "unit"), [("20元/克", "克"), ("3tr/kg", "kg"),
                                            ("每克20元", "克"), ("กิโลละ 5,000 บาท", "กิโล")])
def test_a_price_per_unit_says_its_unit(text, unit):
    assert find_money(text, None)[0].per_unit == unit


@pytest.mark.parametrize(("text", "value", "unit", "kg"), [
    ("vảy tê tê 5kg giá 1tr2/kg", 5, "kg", 5.0),
    ("bán 3 lạng", 3, "100 g", 0.3),
    ("2 cân sừng", 2, "kg", 2.0),
    ("两斤象牙", 2, "jin", 1.0),
    ("出售穿山甲片500克", 500, "g", 0.5),
    ("1 กิโล", 1, "kg", 1.0),
    ("8 oz", 8, "oz", 8 * 0.02835),
    ("10 ekor trenggiling", 10, "animal", None),
    ("3 ตัว", 3, "animal", None),
    ("1 cặp", 1, "pair", None),
])
def test_quantities_and_mass_in_kilograms(text, value, unit, kg):
    quantity = offered_quantity(find_quantities(text))
    assert (quantity.value, quantity.unit) == (value, unit)
    assert quantity.mass_kg == (pytest.approx(kg) if kg is not None else None)


def test_the_unit_of_a_price_is_not_the_quantity_offered():
    assert find_quantities("giá 3tr/kg") == []
    assert find_quantities("20元/克") == []


def test_country_and_language_conventions():
    assert item_price(find_money("tusks N2,500,000 per kilo", "en", "NG")).currency == "NGN"
    assert find_money("tusks N2,500,000 per kilo", "en", "US") == []  # 'N' alone elsewhere
    assert item_price(find_money("กำไล เส้นละ 4,500.- ทักแชท", "th")).currency == "THB"
    assert find_money("Preis 450.-", "de") == []  # '.-' says nothing about the currency there
    mexico = item_price(find_money("$450 dólares, envío gratis", "es", "MX"))
    assert (mexico.amount, mexico.currency) == (450, "USD")  # the word names the dollar
    assert item_price(find_money("$450", "es", "MX")).currency == "MXN"


def test_a_code_inside_a_word_does_not_swallow_the_price_after_it():
    assert [(p.amount, p.currency) for p in find_money("in 500 dollars", "en")] == [(500, "USD")]
    assert [(p.amount, p.currency) for p in find_money("farm 300 USD", "en")] == [(300, "USD")]


@pytest.mark.parametrize(("text", "lang", "country", "amount", "currency"), [
    ("harga 1.450.000 bisa nego", "id", "ID", 1450000, "IDR"),         # a price word, a bare number
    ("现价320，包邮", "zh-Hans", "CN", 320, "CNY"),
    ("Bán nhẫn vàng 24k giá 3tr", "vi", "VN", 3000000, "VND"),          # 24k is the gold's karat
    ("快门3万次，4200元出", "zh-Hans", "CN", 4200, "CNY"),                # 3万次: a count
    ("Dijual 3 juta 500 ribu nego", "id", "ID", 3500000, "IDR"),       # one compound amount
    ("bei elfu 2 na mia 5", "sw", "KE", 2500, "KES"),
    ("bei laki 4 na nusu", "sw", "TZ", 450000, "TZS"),
    ("xe cũ giá 8 triệu 5 thương lượng", "vi", "VN", 8500000, "VND"),
    ("售三万五", "zh-Hans", "CN", 35000, "CNY"),
    ("kilo 1 Tsh 20,000", "sw", "TZ", 20000, "TZS"),                    # the code is the next one's
    ("原价999元，现价599元", "zh-Hans", "CN", 599, "CNY"),               # an earlier price
    ("vendo moto, $32,000 pesos", "es", "MX", 32000, "MXN"),
    ("bici $120.000, Rosario", "es", "AR", 120000, "ARS"),
    ("300 reais cada", "pt", "BR", 300, "BRL"),
    ("7 500 FCFA le pot", "fr", "SN", 7500, "XOF"),
    ("Wallet, R 450, Pretoria", "en", "ZA", 450, "ZAR"),
    ("S/ 250 la pieza", "es", "PE", 250, "PEN"),
    ("20 lucas", "es", "CL", 20000, "CLP"),
])
def test_held_out_formats(text, lang, country, amount, currency):
    price = item_price(find_money(text, lang, country))
    assert price is not None and price.currency == currency
    assert price.amount == pytest.approx(amount)


def test_a_code_between_two_amounts_with_codes_stays_the_first_ones():
    prices = find_money("GSX1300R 38.99 USD 43.32 USD", "en", "US")
    assert [p.amount for p in prices] == [38.99, 43.32]
    assert item_price(find_money("Wallet R 450", "en", "US")) is None  # rand only in ZA
