"""Write our own SYNTHETIC labelled price set: ads in 9 languages with the price as the seller
states it (amount and currency), the quantity and unit, and the post's date and country.

The ads are ours, built from templates written per language by the maintainers, with the amount
chosen first and then written in one of the ways sellers write it in that language (grouping
dots or commas or spaces, multipliers such as '2tr5', '1,2 triệu', '500k', '5万', '3 แสน',
'2 jt', 'elfu 5', currency before or after, per-kilo quotes), plus distractors: quantities,
sizes, years, phone tokens as redaction leaves them, and shipping fees after the price. They
test the extractor against formats, not against the messiness of real posts: see
docs/identify-prices.md for what that means for the figures.

    python benchmarks/make_price_set.py  # rewrites tests/fixtures/prices/synthetic_ads.jsonl
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "prices" / "synthetic_ads.jsonl"
PER_LANGUAGE = 36


def _group(value: int, sep: str) -> str:
    return f"{value:,}".replace(",", sep)


def _dec(value: float, mark: str) -> str:
    return f"{value:g}".replace(".", mark)


def vi(r: random.Random) -> tuple[str, float, str, dict]:
    millions = r.choice([1.2, 2.5, 3, 4.8, 7, 12, 15.5, 25, 40])
    v = int(millions * 1_000_000)
    qty = r.choice([("1 cặp", 1, "pair"), ("2 kg", 2, "kg"), ("5 lạng", 5, "100 g"),
                    ("3 con", 3, "animal"), ("1 cân", 1, "kg"), (None, None, None)])
    whole, frac = int(millions), f"{millions:g}".split(".")[1] if millions % 1 else ""
    price = r.choice([
        f"{_group(v, '.')}đ", f"{_group(v, '.')} vnđ", f"{whole}tr{frac}",
        f"{_dec(millions, ',')} triệu", f"{v // 1000}k", f"{_group(v, '.')} VND",
        f"{_group(v, ',')}đ"])
    product = r.choice(["vảy tê tê", "sừng tê giác", "vòng ngà voi", "mật gấu", "cao hổ"])
    q = f" {qty[0]}" if qty[0] else ""
    text = r.choice([
        f"Bán {product}{q} giá {price}, liên hệ <PHONE:a1b2c3>",
        f"{product.capitalize()} hàng rừng thật 100%{q}, giá chỉ {price}. Ship toàn quốc 30k",
        f"Cần bán gấp{q} {product}, {price} bao test, zalo <PHONE:9f8e7d>",
        f"[HCM] {product} size 20cm{q} - {price} - năm 2019 mua về"])
    return text, float(v), "VND", {"quantity": qty[1], "unit": qty[2]}


def zh(r: random.Random) -> tuple[str, float, str, dict]:
    v = r.choice([800, 1500, 3000, 12000, 25000, 50000, 150000, 20000, 5000])
    cjk = {800: "八百", 1500: "一千五百", 3000: "三千", 5000: "五千", 12000: "一万二千",
           20000: "两万", 25000: "两万五千", 50000: "五万", 150000: "十五万"}
    price = r.choice([f"{v}元", f"¥{v}", f"{v}块", f"{cjk[v]}元", f"人民币{v}",
                      f"{v / 10000:g}万" if v >= 10000 else f"{v}元"])
    qty = r.choice([("2公斤", 2, "kg"), ("500克", 500, "g"), ("3斤", 3, "jin"), ("一对", 1, "pair"),
                    ("10个", 10, "piece"), (None, None, None)])
    product = r.choice(["象牙手镯", "犀牛角", "穿山甲片", "老象牙雕件", "虎骨"])
    q = qty[0] or ""
    text = r.choice([
        f"出售{product}{q}，价格{price}，微信<WECHAT:77aa01>",
        f"正品{product} {q} 只要{price} 包邮",
        f"{product}{q}便宜出 {price}，2018年购入，尺寸12cm",
        f"转让{product}{q}：{price}，联系<PHONE:00ff12>"])
    return text, float(v), "CNY", {"quantity": qty[1], "unit": qty[2]}


def th(r: random.Random) -> tuple[str, float, str, dict]:
    v = r.choice([1500, 3500, 12000, 40000, 250000, 300000, 500000, 85000])
    price = r.choice([f"{_group(v, ',')} บาท", f"฿{_group(v, ',')}", f"{v} บาท",
                      f"{v // 10000} หมื่น" if v % 10000 == 0 else f"{_group(v, ',')}บาท",
                      f"{v // 100000} แสน" if v % 100000 == 0 else f"{v} บาท"])
    qty = r.choice([("2 ตัว", 2, "animal"), ("1 กิโล", 1, "kg"), ("500 กรัม", 500, "g"),
                    ("3 ชิ้น", 3, "piece"), (None, None, None)])
    product = r.choice(["งาช้าง", "นอแรด", "เกล็ดตัวนิ่ม", "เขี้ยวเสือ"])
    q = f" {qty[0]}" if qty[0] else ""
    text = r.choice([
        f"ขาย{product}แท้{q} ราคา {price} สนใจทักไลน์ <LINE:0a0b0c>",
        f"{product}{q} {price} ส่งฟรี ปี 2020",
        f"ปล่อย{product}{q} ราคาถูก {price} โทร <PHONE:123abc>"])
    return text, float(v), "THB", {"quantity": qty[1], "unit": qty[2]}


def idn(r: random.Random) -> tuple[str, float, str, dict]:
    v = r.choice([250_000, 500_000, 1_250_000, 2_000_000, 3_500_000, 15_000_000, 750_000])
    price = r.choice([f"Rp {_group(v, '.')}", f"Rp{_group(v, '.')}", f"Rp. {_group(v, '.')}",
                      f"{v / 1e6:g} jt".replace(".", ",") if v >= 1_000_000 else f"{v // 1000}rb",
                      f"{v // 1000}k", f"{_dec(v / 1e6, ',')} juta" if v >= 1_000_000
                      else f"{v // 1000} ribu"])
    qty = r.choice([("2 ekor", 2, "animal"), ("1 kg", 1, "kg"), ("5 buah", 5, "piece"),
                    ("250 gram", 250, "g"), (None, None, None)])
    product = r.choice(["sisik trenggiling", "gading gajah", "cula badak", "kulit harimau"])
    q = f" {qty[0]}" if qty[0] else ""
    text = r.choice([
        f"Jual {product}{q} harga {price} nego, WA <PHONE:5e5e5e>",
        f"{product.capitalize()} asli{q} {price}, ongkir 20rb",
        f"Dijual cepat {product}{q}: {price} (2021) ukuran 15cm"])
    return text, float(v), "IDR", {"quantity": qty[1], "unit": qty[2]}


def sw(r: random.Random) -> tuple[str, float, str, dict]:
    v = r.choice([5000, 20000, 150000, 300000, 1200000, 45000])
    country, currency = r.choice([("KE", "KES"), ("KE", "KES"), ("TZ", "TZS")])
    code = "KSh" if currency == "KES" else "Tsh"
    price = r.choice([f"{code} {_group(v, ',')}", f"{code}. {v}", f"{_group(v, ',')}/=",
                      f"shilingi {_group(v, ',')}",
                      f"elfu {v // 1000}" if v < 1_000_000 else f"{code} {_group(v, ',')}"])
    qty = r.choice([("kilo 2", None, None), ("2 kg", 2, "kg"), ("vipande 3", None, None),
                    ("3 vipande", 3, "piece"), (None, None, None)])
    product = r.choice(["pembe za ndovu", "magamba ya kakakuona", "ngozi ya chui", "pembe ya faru"])
    q = f" {qty[0]}" if qty[0] else ""
    text = r.choice([
        f"Nauza {product}{q} bei {price}, piga <PHONE:4d4d4d>",
        f"{product.capitalize()}{q} kwa {price} tu, mwaka 2022",
        f"Tunauza {product}{q}. Bei: {price}. Usafirishaji bure"])
    return text, float(v), currency, {"quantity": qty[1], "unit": qty[2], "country": country}


def en(r: random.Random) -> tuple[str, float, str, dict]:
    v, currency = r.choice([(300, "USD"), (1200.5, "USD"), (45, "USD"), (2500, "USD"),
                            (150000, "NGN"), (200, "GBP"), (80, "EUR"), (75.99, "USD")])
    if currency == "USD":
        price = r.choice([f"${v:,.2f}" if v % 1 else f"${v:,.0f}", f"US$ {v:,}",
                          f"USD {v:,}", f"{v:g} dollars", f"{v:,} USD"])
    elif currency == "NGN":
        price = r.choice([f"₦{v:,}", f"NGN {v:,}", f"{v:,} naira"])
    elif currency == "GBP":
        price = r.choice([f"£{v}", f"{v} GBP"])
    else:
        price = r.choice([f"€{v}", f"{v} EUR", f"{v} euros"])
    qty = r.choice([("2 kg", 2, "kg"), ("3 pcs", 3, "piece"), ("1 pair", 1, "pair"),
                    ("8 oz", 8, "oz"), (None, None, None)])
    product = r.choice(["shark jaw", "ivory bangle", "rhino horn cup", "pangolin scales",
                        "tiger claw pendant"])
    q = f" {qty[0]}" if qty[0] else ""
    text = r.choice([
        f"Genuine {product}{q} for sale, {price} obo. DM <HANDLE:aa11>",
        f"{product.title()}{q}, 14 inch, from 1990s estate. Asking {price}. Shipping $15",
        f"Selling {product}{q} - price {price} - contact <EMAIL:bb22>",
        f"{product}{q} {price} firm, insured shipping over $100 extra"])
    return text, float(v), currency, {"quantity": qty[1], "unit": qty[2]}


def fr(r: random.Random) -> tuple[str, float, str, dict]:
    v, currency = r.choice([(300, "EUR"), (1500, "EUR"), (1200.5, "EUR"), (25000, "XAF"),
                            (150000, "XAF"), (80, "EUR")])
    if currency == "EUR":
        price = r.choice([f"{_group(int(v), ' ')} €" if v % 1 == 0 else f"{_dec(v, ',')} €",
                          f"{v:g} euros".replace(".", ","), f"€ {_group(int(v), '.')}"
                          if v % 1 == 0 else f"{_dec(v, ',')} EUR", f"{int(v)}€"
                          if v % 1 == 0 else f"{_dec(v, ',')}€"])
    else:
        price = r.choice([f"{_group(v, ' ')} FCFA", f"{v} F CFA", f"{_group(v, '.')} XAF"])
    qty = r.choice([("2 kilos", 2, "kg"), ("500 g", 500, "g"), ("3 pièces", 3, "piece"),
                    (None, None, None)])
    product = r.choice(["défense d'éléphant", "écailles de pangolin", "corne de rhinocéros",
                        "peau de léopard"])
    q = f" {qty[0]}" if qty[0] else ""
    text = r.choice([
        f"Vends {product}{q} à {price}, contact <PHONE:c0c0c0>",
        f"{product.capitalize()}{q} : {price} (frais de port 12 €)",
        f"A vendre {product}{q}, prix {price}, année 2017, 30 cm"])
    return text, float(v), currency, {"quantity": qty[1], "unit": qty[2]}


def es(r: random.Random) -> tuple[str, float, str, dict]:
    v, currency = r.choice([(300, "USD"), (1500, "EUR"), (450, "USD"), (2000, "USD"),
                            (95.5, "EUR")])
    if currency == "USD":
        price = r.choice([f"${v}", f"{_group(int(v), '.')} dólares", f"US$ {v}",
                          f"{v} USD"])
    else:
        price = r.choice([f"{_group(int(v), '.')} €" if v % 1 == 0 else f"{_dec(v, ',')} €",
                          f"{v:g} euros".replace(".", ","), f"€{v:g}"])
    qty = r.choice([("2 kilos", 2, "kg"), ("3 piezas", 3, "piece"), ("100 gramos", 100, "g"),
                    (None, None, None)])
    product = r.choice(["colmillo de marfil", "escamas de pangolín", "cuerno de rinoceronte",
                        "piel de jaguar"])
    q = f" {qty[0]}" if qty[0] else ""
    text = r.choice([
        f"Vendo {product}{q} por {price}, contacto <PHONE:d1d1d1>",
        f"{product.capitalize()}{q} - precio {price} - envío 10 €",
        f"Se vende {product}{q}: {price}, del año 2015, 25 cm"])
    return text, float(v), currency, {"quantity": qty[1], "unit": qty[2]}


def pt(r: random.Random) -> tuple[str, float, str, dict]:
    v, currency = r.choice([(1500, "BRL"), (350.5, "BRL"), (25000, "MZN"), (8000, "MZN"),
                            (300, "EUR")])
    if currency == "BRL":
        price = r.choice([f"R$ {_group(int(v), '.')},00" if v % 1 == 0 else f"R$ {_dec(v, ',')}",
                          f"R${int(v)}" if v % 1 == 0 else f"R$ {_dec(v, ',')}"])
    elif currency == "MZN":
        price = r.choice([f"{_group(v, '.')} MT", f"{v} meticais", f"{_group(v, ',')} MZN"])
    else:
        price = r.choice([f"{v} €", f"{v} euros"])
    qty = r.choice([("2 quilos", 2, "kg"), ("3 peças", 3, "piece"), ("500 g", 500, "g"),
                    (None, None, None)])
    product = r.choice(["dente de marfim", "escamas de pangolim", "chifre de rinoceronte",
                        "pele de onça"])
    q = f" {qty[0]}" if qty[0] else ""
    text = r.choice([
        f"Vendo {product}{q} por {price}, contato <PHONE:e2e2e2>",
        f"{product.capitalize()}{q}: {price}, frete grátis, ano 2019",
        f"Vende-se {product}{q} a {price} (30 cm)"])
    return text, float(v), currency, {"quantity": qty[1], "unit": qty[2]}


MAKERS = {"vi": vi, "zh-Hans": zh, "th": th, "id": idn, "sw": sw, "en": en, "fr": fr, "es": es,
          "pt": pt}


def build(seed: int = 12) -> list[dict]:
    r = random.Random(seed)
    rows = []
    for lang, make in MAKERS.items():
        for i in range(PER_LANGUAGE):
            text, amount, currency, extra = make(r)
            year, month = r.choice([2019, 2021, 2022, 2023, 2024]), r.randint(1, 12)
            rows.append({"id": f"{lang}-{i:02d}", "lang": lang, "text": text,
                         "created": f"{year}-{month:02d}-15", "country": extra.get("country"),
                         "amount": amount, "currency": currency,
                         "quantity": extra["quantity"], "unit": extra["unit"]})
    return rows


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as stream:
        for row in build():
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
