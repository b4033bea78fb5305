"""Make our own SYNTHETIC multilingual geoparsing set: tests/fixtures/places/multilingual.jsonl.

Not real posts. 11 languages x 120 short ads written from templates: about 60% name a place
(a city or a country, as people of that language write it, listed below by hand, not taken from
the gazetteer) and 40% name none but carry the words that trip geoparsers ("Sale", "Best",
"March", "Nice", "Natal", "Essen", "Орёл", "Kota"...). Each line: lang, text, country (ISO
3166-1 alpha-2 or null). Deterministic (seeded). Run: ``python benchmarks/make_places_set.py``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "places" / "multilingual.jsonl"
HOLDOUT = OUT.with_name("multilingual_holdout.jsonl")
PER_LANGUAGE = 120
SHARE_WITH_PLACE = 0.6

PLACES = {
    "en": "Lagos NG|Nairobi KE|Mombasa KE|Dar es Salaam TZ|Kinshasa CD|Johannesburg ZA|Hanoi VN|"
          "Ho Chi Minh City VN|Bangkok TH|Jakarta ID|Kuala Lumpur MY|Manila PH|Hong Kong HK|"
          "Guangzhou CN|Shenzhen CN|Los Angeles US|Miami US|London GB|Manchester GB|Sydney AU|"
          "Toronto CA|Mumbai IN|Dubai AE|Vientiane LA|Phnom Penh KH|Nigeria NG|Kenya KE|"
          "Tanzania TZ|Vietnam VN|Thailand TH|Indonesia ID|China CN|Cameroon CM|Mozambique MZ|"
          "Laos LA|Cambodia KH|Madagascar MG|South Africa ZA|Uganda UG|Brazil BR|Mexico MX",
    "fr": "Paris FR|Lyon FR|Marseille FR|Bruxelles BE|Genève CH|Kinshasa CD|Abidjan CI|"
          "Douala CM|Yaoundé CM|Dakar SN|Libreville GA|Brazzaville CG|Bamako ML|"
          "Antananarivo MG|Montréal CA|Cameroun CM|Gabon GA|Côte d'Ivoire CI|Sénégal SN|"
          "Madagascar MG|Belgique BE|Chine CN|Nigéria NG|Guinée GN|République démocratique "
          "du Congo CD|Vietnam VN|Thaïlande TH",
    "es": "Madrid ES|Barcelona ES|Sevilla ES|Ciudad de México MX|Guadalajara MX|Bogotá CO|"
          "Lima PE|Quito EC|Guayaquil EC|Caracas VE|Buenos Aires AR|Santiago de Chile CL|"
          "La Paz BO|Asunción PY|Managua NI|México MX|Colombia CO|Perú PE|Ecuador EC|"
          "Venezuela VE|Bolivia BO|España ES|Argentina AR|Chile CL|Paraguay PY|Honduras HN|"
          "Guatemala GT|China CN",
    "pt": "São Paulo BR|Rio de Janeiro BR|Belém BR|Manaus BR|Recife BR|Fortaleza BR|"
          "Lisboa PT|Porto PT|Maputo MZ|Luanda AO|Beira MZ|Bissau GW|Brasil BR|"
          "Moçambique MZ|Angola AO|Portugal PT|China CN|Vietnã VN|Guiné-Bissau GW|"
          "Belo Horizonte BR|Curitiba BR|Goiânia BR|Porto Alegre BR",
    "de": "Berlin DE|München DE|Hamburg DE|Frankfurt am Main DE|Köln DE|Wien AT|Zürich CH|"
          "Stuttgart DE|Düsseldorf DE|Leipzig DE|Graz AT|Deutschland DE|Österreich AT|"
          "Schweiz CH|Vietnam VN|Südafrika ZA|Kamerun CM|China CN|Thailand TH|Indonesien ID|"
          "Tschechien CZ|Polen PL",
    "vi": "Hà Nội VN|TP.HCM VN|Sài Gòn VN|Đà Nẵng VN|Hải Phòng VN|Cần Thơ VN|Nha Trang VN|"
          "Buôn Ma Thuột VN|Lạng Sơn VN|Móng Cái VN|Việt Nam VN|Trung Quốc CN|Lào LA|"
          "Campuchia KH|Thái Lan TH|Nam Phi ZA|Mỹ US|Nhật Bản JP|Indonesia ID|Nigeria NG|"
          "Quảng Châu CN|Vientiane LA",
    "zh": "北京 CN|上海 CN|广州 CN|深圳 CN|香港 HK|昆明 CN|南宁 CN|厦门 CN|福州 CN|东莞 CN|"
          "台北 TW|中国 CN|越南 VN|老挝 LA|缅甸 MM|泰国 TH|尼日利亚 NG|肯尼亚 KE|南非 ZA|"
          "日本 JP|马来西亚 MY|河内 VN|曼谷 TH|成都 CN",
    "th": "กรุงเทพ TH|เชียงใหม่ TH|ภูเก็ต TH|เชียงราย TH|ขอนแก่น TH|หาดใหญ่ TH|พัทยา TH|"
          "นครราชสีมา TH|ประเทศไทย TH|ลาว LA|พม่า MM|กัมพูชา KH|มาเลเซีย MY|จีน CN|"
          "เวียดนาม VN|ญี่ปุ่น JP|เวียงจันทน์ LA|อุดรธานี TH",
    "id": "Jakarta ID|Surabaya ID|Medan ID|Bandung ID|Makassar ID|Denpasar ID|Pontianak ID|"
          "Palembang ID|Semarang ID|Yogyakarta ID|Manado ID|Kuala Lumpur MY|Indonesia ID|"
          "Malaysia MY|Singapura SG|Tiongkok CN|Vietnam VN|Filipina PH|Thailand TH|"
          "Balikpapan ID|Samarinda ID|Jayapura ID",
    "ru": "Москва RU|Санкт-Петербург RU|Владивосток RU|Новосибирск RU|Хабаровск RU|"
          "Екатеринбург RU|Киев UA|Минск BY|Алматы KZ|Россия RU|Китай CN|Казахстан KZ|"
          "Монголия MN|Вьетнам VN|Украина UA|Беларусь BY|Иркутск RU|Благовещенск RU",
    "sw": "Nairobi KE|Mombasa KE|Dar es Salaam TZ|Arusha TZ|Dodoma TZ|Kampala UG|Kisumu KE|"
          "Kigali RW|Nakuru KE|Mwanza TZ|Kenya KE|Tanzania TZ|Uganda UG|Msumbiji MZ|"
          "Afrika Kusini ZA|Nigeria NG|Rwanda RW|Zambia ZM",
}
WITH_PLACE = {
    "en": ["Genuine ivory bangle, shipping from {p}.", "Pangolin scales available in {p}, DM.",
           "Rhino horn powder, {p} seller, fast delivery", "Shark fins wholesale {p} - Best price",
           "Tiger claw pendant. Located in {p}. Mobile: <PHONE:ab12cd>",
           "Sale! Turtle shell comb, pick up {p}", "{p} based dealer: elephant tusk carvings",
           "Big SALE this March: python skin bags from {p}"],
    "fr": ["Bracelet en ivoire véritable, envoi depuis {p}.", "Écailles de pangolin à {p}.",
           "Corne de rhinocéros, vendeur basé à {p}", "Ailerons de requin en gros, {p}",
           "Peau de python, livraison {p}, prix Nice", "Griffes de lion disponibles à {p}",
           "Vente: défenses d'éléphant, {p}", "Tortue marine, carapace, récupérer à {p}"],
    "es": ["Pulsera de marfil auténtico, envío desde {p}.", "Escamas de pangolín en {p}.",
           "Cuerno de rinoceronte, vendedor en {p}", "Aletas de tiburón al por mayor, {p}",
           "Piel de jaguar, entrega en {p}, mejor precio", "Colmillos de elefante, {p}",
           "Venta: caparazón de tortuga carey, {p}", "Loros vivos disponibles en {p}"],
    "pt": ["Pulseira de marfim verdadeiro, envio de {p}.", "Escamas de pangolim em {p}.",
           "Chifre de rinoceronte, vendedor em {p}", "Barbatanas de tubarão, {p}",
           "Pele de onça, entrega em {p}, promoção de Natal", "Presas de elefante, {p}",
           "Casco de tartaruga, retirar em {p}", "Papagaios à venda em {p}"],
    "de": ["Echtes Elfenbein-Armband, Versand aus {p}.", "Schuppentierschuppen in {p}.",
           "Nashornpulver, Verkäufer in {p}", "Haifischflossen, Großhandel {p}",
           "Tigerkralle, Abholung in {p}, Essen inklusive", "Stoßzähne vom Elefanten, {p}",
           "Schildpatt-Kamm aus {p}", "Papageien zu verkaufen, {p}"],
    "vi": ["Vòng ngà voi thật, ship từ {p}.", "Vảy tê tê có sẵn tại {p}.",
           "Sừng tê giác, người bán ở {p}", "Vây cá mập giá sỉ, {p}",
           "Móng hổ, giao hàng {p}, inbox", "Ngà voi chạm khắc, {p}",
           "Mai rùa biển, nhận hàng tại {p}", "Cao hổ cốt nguyên chất, kho ở {p}"],
    "zh": ["出售真象牙手镯，{p}发货", "穿山甲鳞片，{p}现货", "犀牛角粉，{p}卖家",
           "鱼翅批发，{p}", "虎爪吊坠，{p}自取", "象牙雕刻，{p}", "玳瑁梳子，{p}包邮",
           "{p}收购犀角"],
    "th": ["ขายงาช้างแท้ ส่งจาก{p}", "เกล็ดตัวนิ่ม มีของที่{p}", "นอแรด คนขายอยู่{p}",
           "หูฉลาม ราคาส่ง {p}", "เล็บเสือ รับที่{p}", "งาช้างแกะสลัก {p}",
           "กระดองเต่า ส่งฟรี {p}", "{p} ขายเขาสัตว์"],
    "id": ["Gelang gading asli, kirim dari {p}.", "Sisik trenggiling ready di {p}.",
           "Cula badak, penjual di {p}", "Sirip hiu grosir, {p}",
           "Kuku harimau, COD {p}", "Gading gajah ukir, {p}",
           "Sisik penyu, ambil di {p}", "Burung kakatua dijual, {p}"],
    "ru": ["Браслет из натуральной слоновой кости, доставка из {p}.",
           "Чешуя панголина, {p}", "Рог носорога, продавец в {p}",
           "Акульи плавники оптом, {p}", "Коготь тигра, самовывоз {p}",
           "Бивни слона, {p}", "Панцирь черепахи, {p}", "Продаю шкуру, город {p}"],
    "sw": ["Bangili ya pembe za ndovu, tunasafirisha kutoka {p}.", "Magamba ya kakakuona {p}.",
           "Pembe ya faru, muuzaji yuko {p}", "Mapezi ya papa kwa jumla, {p}",
           "Kucha za simba, {p}", "Pembe za ndovu zilizochongwa, {p}",
           "Gamba la kobe, {p}", "Ndege wa kuuza, {p}"],
}
WITHOUT_PLACE = {
    "en": ["Big Sale! Ivory bangle, Best price", "Nice tiger tooth, available from March",
           "Mobile: <PHONE:ab12cd> for pangolin scales", "Made of real bone. Gold plated",
           "Orange python skin wallet, Sale", "Shark fins, Best quality, Split shipping",
           "Mako shark jaw, Manta ray gill plates", "Hope you like this rhino horn cup"],
    "fr": ["Bracelet ivoire, Nice prix, Soldes", "Peau de python Orange, vente en Mars",
           "Corne de rhino, qualité Best", "Écailles de pangolin, Mobile: <PHONE:ab12cd>",
           "Défense d'éléphant, état neuf", "Qu'il vienne chercher la tortue, Vienne"],
    "es": ["Marfil auténtico, gran venta de Marzo", "Piel de jaguar León, mejor precio",
           "Cuerno de rinoceronte Victoria", "Escamas de pangolín, Mobile: <PHONE:ab12cd>",
           "Aletas de tiburón, Sale", "Colmillo tallado, Concepción artesanal"],
    "pt": ["Promoção de Natal: marfim verdadeiro", "Pele de cobra, Salvador da pátria",
           "Chifre de rinoceronte, Best price", "Escamas de pangolim, Mobile: <PHONE:ab12cd>",
           "Barbatana de tubarão, Sale", "Presas de elefante, Belo trabalho"],
    "de": ["Essen und Elfenbein, guter Preis", "Halle voller Schildpatt, Sale",
           "Nashornpulver, Best Preis im März", "Hof-Verkauf: Schlangenleder",
           "Tigerkralle, Mobile: <PHONE:ab12cd>", "Bad Zustand? Nein, Stoßzahn wie neu"],
    "vi": ["Vòng ngà voi, Sale cuối năm", "Sừng tê giác, hàng Best chất lượng",
           "Vảy tê tê, Mobile: <PHONE:ab12cd>", "Ngà voi Vinh quang, giá tốt",
           "Móng hổ, hàng Nice", "Cao hổ cốt, hàng mới về tháng Ba"],
    "zh": ["象牙手镯大同小异，价格优惠", "穿山甲鳞片，安康保健", "犀牛角粉，Sale",
           "鱼翅，Best 价格", "虎爪，和平年代的收藏", "玳瑁，东方之美"],
    "th": ["งาช้างตากแห้ง ราคาดี", "นอแรดแท้ Sale", "เกล็ดตัวนิ่ม Best ราคา",
           "หูฉลาม มือถือ <PHONE:ab12cd>", "เล็บเสือ Nice", "กระดองเต่า ของใหม่"],
    "id": ["Gading asli, Kota kecil harga besar", "Batu akik dan cula badak", "Sale sisik trenggiling",
           "Sirip hiu, Best price", "Kuku harimau, Mobile: <PHONE:ab12cd>",
           "Solo karier: jual gading"],
    "ru": ["Орёл из бивня мамонта, резьба", "Мир коллекционера: рог носорога",
           "Шкура тигра, Sale", "Акульи плавники, Best цена", "Бивни, телефон <PHONE:ab12cd>",
           "Панцирь черепахи, Март скидки"],
    "sw": ["Pembe za ndovu, Sale kubwa", "Magamba ya kakakuona, Best bei",
           "Pembe ya faru, Mobile: <PHONE:ab12cd>", "Kucha za simba, Nice",
           "Gamba la kobe, bei nzuri", "Ndege wa kuuza, Machi"],
}


# HELD OUT: written after the guards were tuned on the lists above, and not tuned on since
HOLDOUT_PLACES = {
    "en": "Accra GH|Kampala UG|Lusaka ZM|Harare ZW|Abuja NG|Addis Ababa ET|Yangon MM|"
          "Kathmandu NP|Dhaka BD|Karachi PK|Singapore SG|Taipei TW|Seoul KR|Tokyo JP|"
          "Chicago US|Houston US|Birmingham GB|Melbourne AU|Auckland NZ|Ghana GH|Zambia ZM|"
          "Zimbabwe ZW|Ethiopia ET|Myanmar MM|Nepal NP|Bangladesh BD|Pakistan PK|Peru PE",
    "fr": "Toulouse FR|Bordeaux FR|Lille FR|Strasbourg FR|Nantes FR|Lomé TG|Cotonou BJ|"
          "Niamey NE|Ouagadougou BF|Conakry GN|Tunis TN|Alger DZ|Casablanca MA|Bénin BJ|"
          "Togo TG|Mali ML|Maroc MA|Tunisie TN|Algérie DZ|Tchad TD|Burkina Faso BF",
    "es": "Bilbao ES|Málaga ES|Monterrey MX|Tijuana MX|Cancún MX|Medellín CO|Cali CO|"
          "Cusco PE|Montevideo UY|Santa Cruz de la Sierra BO|Costa Rica CR|Cuba CU|"
          "Uruguay UY|Nicaragua NI|El Salvador SV|República Dominicana DO|Filipinas PH|"
          "Brasil BR|Zaragoza ES|Barranquilla CO",
    "pt": "Brasília BR|Salvador da Bahia BR|Campinas BR|Santos BR|Florianópolis BR|Natal BR|"
          "Coimbra PT|Braga PT|Nampula MZ|Huambo AO|Benguela AO|Quelimane MZ|Cabo Verde CV|"
          "Timor-Leste TL|Espanha ES|Estados Unidos US|Tailândia TH|Indonésia ID",
    "de": "Dresden DE|Hannover DE|Bremen DE|Nürnberg DE|Dortmund DE|Salzburg AT|Basel CH|"
          "Bern CH|Linz AT|Innsbruck AT|Frankreich FR|Italien IT|Spanien ES|Kenia KE|"
          "Nigeria NG|Kongo CG|Brasilien BR|Japan JP|Vereinigte Staaten US",
    "vi": "Hạ Long VN|Quy Nhơn VN|Vũng Tàu VN|Biên Hòa VN|Đà Lạt VN|Thanh Hóa VN|Nghệ An VN|"
          "Hà Tĩnh VN|Quảng Ninh VN|Tây Ninh VN|Anh GB|Pháp FR|Đức DE|Hàn Quốc KR|"
          "Ấn Độ IN|Mozambique MZ|Kenya KE|Singapore SG|Malaysia MY",
    "zh": "天津 CN|重庆 CN|武汉 CN|杭州 CN|南京 CN|西安 CN|青岛 CN|澳门 MO|新加坡 SG|"
          "印度尼西亚 ID|菲律宾 PH|柬埔寨 KH|莫桑比克 MZ|坦桑尼亚 TZ|美国 US|英国 GB|"
          "法国 FR|德国 DE|韩国 KR|吉隆坡 MY",
    "th": "นนทบุรี TH|สงขลา TH|อยุธยา TH|ลพบุรี TH|สุราษฎร์ธานี TH|นครสวรรค์ TH|"
          "แม่สอด TH|ระยอง TH|เวียดนาม VN|อินโดนีเซีย ID|ฟิลิปปินส์ PH|อินเดีย IN|"
          "สิงคโปร์ SG|ไต้หวัน TW|ฮ่องกง HK|เกาหลีใต้ KR",
    "id": "Bogor ID|Depok ID|Bekasi ID|Tangerang ID|Malang ID|Padang ID|Banjarmasin ID|"
          "Ambon ID|Kupang ID|Mataram ID|Batam ID|Brunei BN|Jepang JP|Korea Selatan KR|"
          "Amerika Serikat US|India IN|Australia AU|Timor Leste TL",
    "ru": "Казань RU|Самара RU|Омск RU|Красноярск RU|Пермь RU|Уфа RU|Чита RU|"
          "Ташкент UZ|Бишкек KG|Душанбе TJ|Германия DE|Франция FR|Япония JP|Индия IN|"
          "Таиланд TH|Индонезия ID|Узбекистан UZ",
    "sw": "Tanga TZ|Morogoro TZ|Mbeya TZ|Eldoret KE|Malindi KE|Garissa KE|Lamu KE|"
          "Bujumbura BI|Goma CD|Lubumbashi CD|Burundi BI|Malawi MW|Ethiopia ET|Somalia SO|"
          "Msumbiji MZ|Zambia ZM|Madagaska MG",
}
HOLDOUT_WITHOUT = {
    "en": ["Reading glasses with ivory frame", "Deal of the day: tiger tooth",
           "Jersey shirt with real horn buttons", "Contact Chad for elephant tusks",
           "Phoenix feather fan, rare", "Paradise bird skins, Independence day offer"],
    "fr": ["Orange Money accepté pour les défenses", "Grand choix d'écailles, Promo",
           "Belle corne, Marche conclue", "Saint Valentin: bracelet ivoire",
           "Maison de la Tortue, vente", "Ambre et Corail, prix bas"],
    "es": ["Precio Real por colmillos", "Palma tallada en hueso de tortuga",
           "Concha Nácar y carey", "Fuente de Oro: piel de caimán",
           "Plata y hueso, Mérida artesanal", "Oferta Especial de Navidad"],
    "pt": ["Venda Especial: marfim", "Casa Grande de peles de onça",
           "Promoção Relâmpago, escamas", "Vitória garantida: chifre",
           "Bom Jesus, presas de elefante", "Cascavel viva à venda"],
    "de": ["Krone aus Elfenbein, Bergen möglich", "Fell vom Tiger, Wolfsburg-Motiv",
           "Neuwied-Angebot: Schildpatt", "Kamm aus Horn, Halle 3 Stand 7",
           "Marke Adler: Schlangenleder", "Hagen-Rabatt auf Stoßzähne"],
    "vi": ["Ngà voi Hòa Bình giá tốt", "Sừng tê Phú Quý chính hãng",
           "Vảy tê tê Sơn Hà", "Móng hổ Bảo An", "Cao hổ Long Phụng", "Mai rùa Thành Công"],
    "zh": ["象牙手镯，长安汽车送货", "犀牛角，吉祥如意", "穿山甲片，太原料",
           "鱼翅，海口价", "虎骨酒，开封即饮", "玳瑁，白城堡收藏"],
    "th": ["งาช้าง ตราด ราคาถูก", "นอแรด พิจิตร", "หูฉลาม ยโสธร",
           "เกล็ดตัวนิ่ม แพร่หลาย", "เขาสัตว์ น่านน้ำ", "กระดองเต่า ลำปาง"],
    "id": ["Gading Asli Bima Sakti", "Cula badak, Harga Pas", "Sisik trenggiling Sorong",
           "Kuku harimau Tegal hati", "Sirip hiu Kendari", "Paruh rangkong Merak"],
    "ru": ["Бивень, Королёв резьба", "Шкура тигра, Пушкин стиль", "Рог носорога, Мирный",
           "Панцирь черепахи, Дружба", "Клык моржа, Победа", "Чешуя, Заря"],
    "sw": ["Pembe za ndovu, Bei Nafuu", "Magamba ya kakakuona, Haraka",
           "Pembe ya faru, Mali Safi", "Kucha za simba, Moshi", "Ngozi ya chui, Tabora",
           "Gamba la kobe, Kilwa"],
}


# Written as traps, but in the place slot of the templates ("<product>, <name>") these name real
# places, as any reader would take them: relabelled (before any rule was changed)
HOLDOUT_REAL_PLACES = {"Sirip hiu Kendari": "ID", "Sisik trenggiling Sorong": "ID",
                       "Kucha za simba, Moshi": "TZ", "Ngozi ya chui, Tabora": "TZ",
                       "Gamba la kobe, Kilwa": "TZ", "กระดองเต่า ลำปาง": "TH",
                       "งาช้าง ตราด ราคาถูก": "TH", "นอแรด พิจิตร": "TH", "หูฉลาม ยโสธร": "TH"}


def build(seed: int = 12, places_by_lang: dict[str, str] = PLACES,
          without: dict[str, list[str]] = WITHOUT_PLACE) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for lang, spec in places_by_lang.items():
        places = []
        for item in spec.split("|"):
            name, country = item.rsplit(" ", 1)
            places.append((name, country))
        n_with = round(PER_LANGUAGE * SHARE_WITH_PLACE)
        for i in range(PER_LANGUAGE):
            if i < n_with:
                name, country = places[i % len(places)]
                template = rng.choice(WITH_PLACE[lang])
                rows.append({"lang": lang, "text": template.format(p=name), "country": country})
            else:
                text = rng.choice(without[lang])
                extra = rng.choice(["", " #wildlife", " 🔥", " !!!", f" (ref {i})"])
                rows.append({"lang": lang, "text": text + extra,
                             "country": HOLDOUT_REAL_PLACES.get(text)})
    return rows


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    for path, rows in ((OUT, build()),
                       (HOLDOUT, build(13, HOLDOUT_PLACES, HOLDOUT_WITHOUT))):
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(path)


if __name__ == "__main__":
    main()
