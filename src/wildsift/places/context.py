"""What the words around a place name say it is: a place, or a club, a person, a street.

The geoparser finds names; these rules read the few words next to each one (no model, a
handful of regular expressions per language) and drop the names that are not a place here:

- :func:`not_places` (every reader, routes included): a sports club or a match ("FC Bayern",
  "Werder Bremen", "Manchester United", "Dallas Cowboys", "Persib Bandung", "Uganda vs Kenya",
  "Bali United menang 2-1"); a person named like a town ("mi abuela Asunción", "Pak Bandung",
  "chị Hải Dương", "พี่ชุมพร", "me llamo Santiago"); a street, station or district named after
  another place ("metro Santa Lucía", "rue de Paris", "Jalan Bandung", "quartier Saint-Martin").
- :func:`not_here` (where a post is, not routes): a country the post talks about rather than
  is in ("China is the biggest market", "Filipinas fue colonia", "Australia itu mahal"), a
  place someone was born in or travelled to ("née à Lyon", "Đi Lào về", "ไปกาญจนบุรีมา"), and
  goods of a country ("imported from Thailand", "barang Jepang", "hàng từ Nam Phi về",
  "日本代购", "越南过来的").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:  # geoparse imports this module
    from wildsift.places.geoparse import Mention

# -- sports clubs and matches -----------------------------------------------------------------
# a word that makes the next place a club's name: "FC Bayern", "Borussia Dortmund", "Real
# Madrid", "Union Berlin", "Olympique de Marseille", "Persib Bandung", "CLB Hà Nội"
CLUB_BEFORE = regex.compile(
    r"(?:\b(?:1\.\s?)?(?:FC|SC|SV|TSV|VfB|VfL|TSG|FSV|SpVgg|SG|BSC|KSC|RB|CF|CD|UD|SD|RC|RCD|OGC|"
    r"AC|AS|SS|SSC|ACF|AFC|CA|CLB|SK|FK|NK|HNK|GNK|KV|KAA|KRC|PSV|NEC|AZ|"
    r"Borussia|Werder|Eintracht|Fortuna|Hertha|Alemannia|Arminia|Rot-Weiss|Rot-Weiß|Union|Dynamo|"
    r"Dinamo|Lokomotiv|Spartak|Real|Atl[ée]tico|Athletic|Racing|Sporting|Deportivo|Inter|Bayern|"
    r"Olympique|Stade|Girondins|Juventus|Club|Persib|Persija|Persebaya|Persis|Persipura|Persela|"
    r"Persik|Persita|Arema|Sriwijaya|Semen|PSM|PSIS|PSS|PSMS|PSPS|Becamex|Viettel|SHB|"
    r"Sông\s+Lam|Hoàng\s+Anh|Thép\s+Xanh|Than\s+Quảng\s+Ninh)"
    r"(?:\s+(?:de|del|du|of))?\s+$)")
# a word after a place that makes it a club: "Manchester United", "Bali United", "Dallas
# Cowboys", "Brooklyn Nets", "Paris Saint-Germain", "Schalke 04", "บุรีรัมย์ ยูไนเต็ด"
CLUB_AFTER = regex.compile(
    r"^\s*(?:United|Utd|FC|CF|SC|AFC|Rovers|Wanderers|Albion|Hotspur|Athletic|Argyle|"
    r"Saint-Germain|St\.?\s?Pauli|Cowboys|Nets|Lakers|Knicks|Yankees|Mets|Giants|Jets|Bulls|"
    r"Bears|Cubs|White\s+Sox|Red\s+Sox|Celtics|Warriors|Dodgers|Patriots|Eagles|Packers|Steelers|"
    r"Raiders|Chargers|Rams|Saints|Falcons|Dolphins|Bills|Broncos|Chiefs|Texans|Titans|Colts|"
    r"Jaguars|Ravens|Browns|Bengals|Vikings|Lions|Seahawks|49ers|Cardinals|Buccaneers|Panthers|"
    r"Commanders|Heat|Magic|Spurs|Rockets|Mavericks|Thunder|Suns|Clippers|Kings|Pistons|Pacers|"
    r"Bucks|Raptors|Hawks|Hornets|Wizards|Cavaliers|Nuggets|Jazz|Trail\s+Blazers|Grizzlies|"
    r"Pelicans|Timberwolves|Red\s+Wings|Maple\s+Leafs|Canadiens|Canucks|Flames|Oilers|Bruins|"
    r"Penguins|Flyers|Capitals|Blackhawks|Astros|Braves|Phillies|Padres|Mariners|Orioles|"
    r"Twins|Brewers|Reds|Pirates|Rockies|Marlins|Royals|Tigers|Nationals|Blue\s+Jays|Galaxy|"
    r"Sounders|Timbers|Whitecaps|Wildcats|Juniors|ยูไนเต็ด|เอฟซี|ซิตี้)\b"
    r"|^\s+(?:04|05|09|96|98|1860|1899|1846)\b")
BAYERN = regex.compile(r"Bayern\s+(?:München|Munich)\b")  # the club, not Bavaria
# "City" after an English or Australian town is its club: "Manchester City", "Leicester City"
CITY_CLUB_AFTER = regex.compile(r"^\s+City\b(?!\s+(?:of|centre|center|council|hall))")
# a match: "Uganda vs Kenya", "Real Madrid vs Barça", "Côte d'Ivoire contre Sénégal"
VERSUS_AFTER = regex.compile(
    r"^\s*(?:[\p{L}\p{M}.'’-]+\s+){0,2}?(?:vs\.?|v\.|versus|gegen|contre|contra|melawan|lawan|đấu|"
    r"gặp|vs)\s+\S", regex.IGNORECASE)
VERSUS_BEFORE = regex.compile(
    r"\b(?:vs\.?|v\.|versus|gegen|contre|contra|melawan|lawan|đấu|gặp)\s+(?:[\p{L}\p{M}.'’-]+\s+){0,2}?$",
    regex.IGNORECASE)
# a match written with a dash: "Real Betis - Sevilla", "Lyon - Olympique de Marseille"
DASH_CLUB_BEFORE = regex.compile(
    r"\b(?:FC|SC|CF|AC|AS|Real|Atl[ée]tico|Athletic|Racing|Sporting|Deportivo|Olympique|Stade|"
    r"Borussia|Eintracht|Werder|Union|Hertha|Inter|Juventus|Persib|Persija|Persebaya)"
    r"(?:\s+\p{Lu}[\p{L}\p{M}.-]*){1,2}\s+[-–]\s+$")
DASH_CLUB_AFTER = regex.compile(
    r"^\s+[-–]\s+(?:FC|SC|CF|AC|AS|Real|Atl[ée]tico|Athletic|Racing|Sporting|Deportivo|"
    r"Olympique|Stade|Borussia|Eintracht|Werder|Union|Hertha|Inter|Juventus|Persib|Persija|"
    r"Persebaya)\b")
# a car's model named after a place: "Seat Ibiza", "Hyundai Tucson", "Kia Rio", "Toyota
# Tacoma", "Dodge Durango", "Chevrolet Colorado", "VW Amarok"; and "Lincoln Navigator"
CAR_BEFORE = regex.compile(
    r"\b(?:Seat|Cupra|Hyundai|Kia|Ford|Chevrolet|Chevy|Dodge|Jeep|Nissan|Toyota|Honda|Mazda|VW|"
    r"Volkswagen|Fiat|Renault|Peugeot|Citro[eë]n|Opel|Vauxhall|Skoda|Škoda|Suzuki|Mitsubishi|"
    r"Subaru|Buick|GMC|Cadillac|Chrysler|Pontiac|Lancia|Dacia|Lada|Proton|Perodua|Wuling|Chery|"
    r"Geely|Isuzu|Daihatsu|Holden|Yamaha|Vespa|Piaggio|Ducati)\s+$")
CAR_AFTER = regex.compile(r"^\s+(?:Navigator|Continental|Town\s+Car|Aviator|Corsair|Nautilus|MK[A-Z])\b")
# a result: "Persib kalah 2-1", "Hoàng Anh Gia Lai thắng 3-0", "Werder steigt ab"
RESULT_AFTER = regex.compile(
    r"^\s*(?:(?:menang|kalah|juara|thắng|thua|hòa|gewinnt|verliert|"
    r"steigt|gana|ganó|pierde|perdió|gagne|perd|wins?|won|beat|loses|lost|a\s+gagné|a\s+perdu|"
    r"ha\s+ganado|ha\s+perdido|hat\s+gewonnen|hat\s+verloren|has\s+won|has\s+lost|"
    r"campe[oó]n(?:es)?|champions?|weltmeister|meister|vô\s+địch)\b|ชนะ|แพ้|赢|贏|输|輸|夺冠|奪冠)",
    regex.IGNORECASE)

# a clothing or shoe size: "UK 9", "US 10.5", "UK size 12", "EU 42"
SIZE_AFTER = regex.compile(r"\s*(?:size\s*)?\d{1,2}(?:[.,]5)?\b(?!\s*(?:km|miles?|days?|hours?))",
                           regex.IGNORECASE)

# -- people named like towns ------------------------------------------------------------------
# a title or a kinship word right before a name: "Pak Bandung", "Si Ambon", "mi abuela
# Asunción", "chị Hải Dương", "Frau Erfurt"; and "me llamo Santiago", "my name is Florence"
PERSON_BEFORE = regex.compile(
    r"(?:\b(?:Pak|Bu|Bapak|Ibu|Mas|Mbak|Bang|Kak|Om|Tante|Si|Mr|Mrs|Ms|Miss|Dr|Sr|Sra|Srta|"
    r"Doña|Herr|Frau|Mme|Mlle|Monsieur|Madame|Señor|Señora)\.?\s+"
    r"|(?i:\b(?:chị|cô|chú|bác|ông|bà|dì|cậu|mợ|thím)\s+)"
    r"|(?i:\b(?:mi|mis|my|ma|mon|mein|meine|meiner|meinem|minha|meu|nuestra|nuestro|su|tu)\s+"
    r"(?:abuel[ao]|t[ií][ao]|madre|padre|mam[aá]|pap[aá]|herman[ao]|prim[ao]|hij[ao]|amig[ao]|"
    r"novi[ao]|vecin[ao]|sobrin[ao]|suegr[ao]|avó|avô|irmã|irmão|grand(?:ma|pa|mother|father)|"
    r"nan|aunt|uncle|mum|mom|dad|sister|brother|cousin|friend|son|daughter|wife|husband|"
    r"neighbou?r|grand-mère|grand-père|mamie|papi|tante|oncle|mère|père|sœur|soeur|frère|"
    r"cousine?|amie?|fille|fils|voisine?|oma|opa|onkel|mutter|vater|schwester|bruder|freundin|"
    r"freund|tochter|sohn|nachbarin|nachbar)\s+)"
    r"|(?i:\b(?:me\s+llamo|mi\s+nombre\s+es|se\s+llama|my\s+name\s+is|named|je\s+m['’]appelle|"
    r"s['’]appelle|ich\s+heiße|heißt|nama\s+saya|namanya|tên\s+(?:tôi|em|mình|là)(?:\s+là)?|"
    r"chamo-me|me\s+chamo|se\s+chama)\s+))$", regex.REVERSE)
PERSON_BEFORE_THAI = ("พี่", "น้อง", "คุณ", "ลุง", "ป้า", "น้า", "ชื่อ")
# the Virgin's titles, and feasts: "la Asunción de la Virgen", "Virgen de la Candelaria"
RELIGIOUS_AFTER = regex.compile(r"^\s+(?:de\s+(?:la\s+)?(?:Virgen|María|Nuestra)|del\s+Señor)\b")

# -- streets, stations and districts named after another place --------------------------------
# "metro Santa Lucía", "rue de Paris", "calle Lima", "Jalan Bandung", "quartier Saint-Martin",
# "avenida Brasil", "Gare de Lyon", "barrio de San Basilio", "Stadtteil Berlin-Mitte"
STREET_BEFORE = regex.compile(
    r"\b(?:rue|avenue|av|boulevard|bd|quai|chemin|allée|impasse|gare|station|metro|"
    r"métro|subway|tube|calle|c/|avenida|avda|paseo|plaza|carrera|calzada|estación|rua|praça|"
    r"travessa|estação|jalan|jl|gang|gg|stasiun|terminal|straße|strasse|str|platz|allee|weg|"
    r"bahnhof|haltestelle|street|road|rd|lane|quartier|barrio|colonia|col|bairro|stadtteil|"
    r"ortsteil|kelurahan|kecamatan|desa|kampung|perumahan|komplek|urbanización|"
    r"urb|residencial|lotissement|cité|résidence|hotel|hôtel|restaurant|restaurante|nhà\s+hàng|"
    r"khách\s+sạn|quán)\.?"
    r"(?:\s+(?:de\s+la|de\s+los|del|de|du|des|d['’]|do|da|dos|das|von|der|of))?\s*$",
    regex.IGNORECASE | regex.REVERSE)

# -- a country talked about, not a country the post is in -------------------------------------
# "China is the biggest market", "Filipinas fue colonia española", "Australia itu mahal",
# "Belanda masih dijajah", "Nigeria là điểm trung chuyển", "ไทยเป็น..."
OPINION_AFTER = regex.compile(
    r"^\s*(?:(?:is|was|are|were|has\s+been|had|used\s+to|itu|adalah|ialah|merupakan|masih|dulu|"
    r"dulunya|fue|era|es\s+(?:el|la|un|una|muy|tan|más)|ha\s+sido|est\s+(?:le|la|un|une|très|si|plus)|"
    # what a country did: "China banned the ivory trade", "Indonesia melarang", "Kenya burned"
    r"banned|bans|burned|burnt|became|declared|signed|voted|invaded|colonised|colonized|"
    r"prohibió|prohíbe|prohibe|interdit|a\s+interdit|verbietet|verbot|melarang|cấm|"
    # what a country has or does: "Colombia tiene la mayor diversidad", "protège ses rhinocéros"
    r"tiene|tienen|punya|memiliki|mempunyai|besitzt|possède|protège|protege|protects|protect|"
    r"melindungi|schützt|has\s+(?:the|a|an|many|more|most|strict|strong|some|no)|"
    r"a\s+(?:la|le|les|un|une|des)|negara|đẹp|"
    r"était|a\s+été|fut|ist\s+(?:das|der|die|ein|eine|sehr|so)|war|là|từng|đã\s+từng)\b"
    r"|(?:เป็น|คือ|น่าเที่ยว|น่าไป|น่าอยู่|是|曾是|曾经是|大选|大選|总统|總統|政府|经济|經濟|制裁|宣布|禁止))", regex.IGNORECASE)
COUNTRY_LIST_JOIN = regex.compile(
    r"\s*(?:,|、|，|/|&|and|et|y|e|und|dan|và|และ|和|与|與)\s*", regex.IGNORECASE)
# a colony's name, a country of another time: "le Congo belge", "la India británica", "Hindia
# Belanda", "British India" is not matched (an adjective first), "Indochine française"
COLONIAL_AFTER = regex.compile(
    r"^\s+(?:belge|français|française|portugais|portugaise|britannique|espagnol|espagnole|"
    r"allemand|allemande|italien|italienne|néerlandais|néerlandaise|hollandais|hollandaise|"
    r"belga|francés|francesa|portugu[eé]s|portuguesa|británic[oa]|alemán|alemana|holandés|"
    r"holandesa|ingl[eé]s|inglesa|belanda|inggris|prancis|portugis|occidentale?|orientale?)\b")
# where someone was born or grew up: "née à Lyon", "born in Leeds", "nací en Cádiz"
BORN_BEFORE = regex.compile(
    r"\b(?:born\s+(?:in|at)|grew\s+up\s+in|n[ée]e?s?\s+(?:à|en|au)|grandi\s+(?:à|en|au)|"
    r"nac(?:í|ido|ida|ió)\s+en|crec(?:í|ido|ida|ió)\s+en|nasc(?:i|eu|ido|ida)\s+(?:em|no|na)|"
    r"geboren\s+in|aufgewachsen\s+in|lahir\s+di|besar\s+di|sinh\s+(?:ra\s+)?(?:ở|tại)|"
    r"quê\s+(?:ở|tại)?)\s+(?:the\s+|la\s+|le\s+|l['’])?$",
    regex.IGNORECASE)
# a place someone went to and came back from: "back from Bali", "Đi Lào về", "ไปกาญจนบุรีมา",
# "pulang dari Jepang", "de retour de Tokyo", "zurück aus Mallorca"
TRAVEL_BEFORE = regex.compile(
    r"\b(?:back\s+from|returned\s+from|went\s+to|trip\s+to|holiday\s+in|vacation\s+in|"
    r"pulang\s+dari|balik\s+dari|liburan\s+(?:ke|di)|jalan-jalan\s+(?:ke|di)|"
    r"de\s+retour\s+(?:de|d['’]|du)|rentr[ée]e?\s+(?:de|d['’]|du)|vacances\s+(?:à|en|au)|"
    r"de\s+vuelta\s+de|volv(?:í|ió)\s+de|regres(?:é|ó)\s+de|vacaciones\s+en|"
    r"zurück\s+aus|urlaub\s+(?:in|auf)|du\s+lịch|pars\s+(?:à|en|au|aux)|partir\s+(?:à|en|au|aux)|"
    r"going\s+to|flying\s+to|me\s+voy\s+a|viajo\s+a|fahre\s+nach|fliege\s+nach|reise\s+nach|"
    r"pergi\s+ke|berangkat\s+ke)\s+(?:the\s+|la\s+|le\s+|l['’])?$",
    regex.IGNORECASE)
# a trip: "Spanien-Urlaub", "Bali holiday", "Thailand trip", "Maroc en vacances"
TRAVEL_AFTER = regex.compile(
    r"^[\s-]*(?:urlaub|reise|vacances|en\s+vacances|vacaciones|de\s+vacaciones|holidays?|"
    r"vacation|trip|liburan|du\s+lịch)\b", regex.IGNORECASE)
VI_TRAVEL = regex.compile(r"(?i:\bđi\s+)$")  # "Đi Lào về": went to Laos and came back
VI_BACK_AFTER = regex.compile(r"^\s+về\b", regex.IGNORECASE)
THAI_TRAVEL_BEFORE = ("ไปเที่ยว", "เที่ยว")
THAI_TRAVEL_AFTER = regex.compile(r"^\s*มา(?:แล้ว|เมื่อ|ค่ะ|ครับ|$|\s)")
# goods of a country: "imported from Thailand", "made in China", "barang Jepang", "Barang
# impor Singapura", "hàng từ Nam Phi về", "nhập từ Nigeria", "importé du Japon"
GOODS_BEFORE = regex.compile(
    r"(?:\b(?:imported\s+from|import\s+from|made\s+in|product\s+of|import[ée]e?s?\s+(?:de|d['’]|du|des)|"
    r"fabriqu[ée]e?s?\s+(?:en|au|aux)|importad[oa]s?\s+(?:de|desde)|hech[oa]s?\s+en|"
    r"fabricad[oa]s?\s+en|importiert\s+aus|hergestellt\s+in|barang(?:\s+impor|\s+import)?|"
    r"produk(?:\s+impor)?|impor(?:t)?(?:\s+dari)?|buatan|nhập(?:\s+khẩu)?\s+từ|"
    r"(?:hàng|đồ)\s+từ|xách\s+tay\s+từ|mỹ\s+phẩm|giống)\s*$"
    # "order ngà voi từ Lào", "nhập hàng từ Thái": an order's or a stock's origin
    r"|\b(?:order|nhập|lấy\s+hàng)\b[^,.;\n]{0,24}\btừ\s*$)", regex.IGNORECASE)
# goods a country makes for export: "Giày Adidas Việt Nam xuất khẩu" (VNXK); a specialty
GOODS_AFTER = regex.compile(r"^\s+(?:xuất\s+khẩu|xk|đặc\s+sản)\b", regex.IGNORECASE)
HAN_GOODS_AFTER = regex.compile(r"^(?:代购|代購|过来|過來|来的货|來的貨|产的|產的)")


def _club(text: str, m: Mention) -> bool:
    """A club, a match, or a car's model."""
    before, after = text[max(0, m.start - 30):m.start], text[m.end:m.end + 30]
    return bool(CLUB_BEFORE.search(before) or CLUB_AFTER.match(after)
                or BAYERN.match(text, m.start) or CAR_BEFORE.search(before) or CAR_AFTER.match(after)
                or (m.place.country in ("GB", "AU") and m.place.kind == "city"
                    and CITY_CLUB_AFTER.match(after))
                or VERSUS_AFTER.match(after) or VERSUS_BEFORE.search(before)
                or DASH_CLUB_BEFORE.search(before) or DASH_CLUB_AFTER.match(after)
                or RESULT_AFTER.match(after))


def _person(text: str, m: Mention) -> bool:
    before = text[max(0, m.start - 30):m.start]
    if "\u0e00" <= text[m.start:m.start + 1] <= "\u0e7f":
        return before.endswith(PERSON_BEFORE_THAI)
    return bool(PERSON_BEFORE.search(before) or RELIGIOUS_AFTER.match(text[m.end:m.end + 24]))


def not_places(text: str, found: list[Mention]) -> list[Mention]:
    """Drop the names that are a club, a match, a person, a size ("UK 9", "US 10"), or a
    street or district named after another place."""
    out = []
    for m in found:
        if _club(text, m) or _person(text, m):
            continue
        if m.place.kind == "country" and SIZE_AFTER.match(text, m.end) and text[
                m.start:m.end].isupper():
            continue
        if STREET_BEFORE.search(text[max(0, m.start - 24):m.start]):
            continue
        out.append(m)
    return out


def not_here(text: str, found: list[Mention]) -> list[Mention]:
    """Drop the places a post is not in: a country it talks about, a place someone was born
    in or went to and came back from, goods of a country. A country listed before one talked
    about is talked about too ("China and Vietnam are the biggest markets")."""
    out: list[Mention] = []
    talked = None  # the start of the last country dropped as talked about
    for m in reversed(found):
        if (talked is not None and m.place.kind == "country"
                and COUNTRY_LIST_JOIN.fullmatch(text, m.end, talked)):
            talked = m.start
            continue
        if m.place.kind == "country" and OPINION_AFTER.match(text[m.end:m.end + 16]):
            talked = m.start
            continue
        out.append(m)
    found = out[::-1]
    out = []
    for m in found:
        before, after = text[max(0, m.start - 30):m.start], text[m.end:m.end + 16]
        country = m.place.kind == "country"
        if country and (HAN_GOODS_AFTER.match(after)
                        or COLONIAL_AFTER.match(after)
                        or GOODS_BEFORE.search(before) or GOODS_AFTER.match(after)):
            continue
        if (BORN_BEFORE.search(before) or TRAVEL_BEFORE.search(before)
                or TRAVEL_AFTER.match(after)):
            continue
        if VI_TRAVEL.search(before) and VI_BACK_AFTER.match(after):
            continue
        if before.endswith(THAI_TRAVEL_BEFORE) or (
                before.endswith("ไป") and THAI_TRAVEL_AFTER.match(after)):
            continue
        out.append(m)
    return out
