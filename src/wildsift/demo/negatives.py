"""SYNTHETIC posts that are not wildlife trade (label "0"): everyday chatter and hard negatives.

Hard negatives are the ones a keyword search gets wrong (Di Minin et al. 2019): the Pangolin
armoured vehicle, Jaguar cars, "ivory" the colour, Côte d'Ivoire's football team, Rhino 3D, Tiger
Balm, conservation news, zoo visits, anti-poaching campaigns and resin "faux ivory" jewellery.
Many use the very words a trade post uses, and some carry a phone number, so that neither the
word nor the contact alone separates the classes. Placeholders: {price} {contact} {city}.
"""

from __future__ import annotations

HARD_TOPICS = ["pangolin_vehicle", "jaguar_car", "ivory_colour", "ivory_coast_football",
               "rhino3d", "tiger_balm", "conservation_news", "zoo_visit", "anti_poaching",
               "faux_ivory"]

# Image category per topic (see images.py); chatter uses "everyday".
TOPIC_IMAGES = {
    "pangolin_vehicle": "armoured_vehicle", "jaguar_car": "jaguar_car",
    "ivory_colour": "wedding_dress", "ivory_coast_football": "football",
    "rhino3d": "rhino3d_screenshot", "tiger_balm": "tiger_balm", "conservation_news": "elephants",
    "zoo_visit": "zoo", "anti_poaching": "awareness_poster", "faux_ivory": "resin_bangles",
    "chatter": "everyday",
}

# lang -> [(topic, template)]
HARD: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("pangolin_vehicle", "The Pangolin armoured vehicle on display at the defence expo in "
                             "{city}, 6x6 and mine-resistant. Impressive!"),
        ("pangolin_vehicle", "Police unveil new Pangolin armoured personnel carriers for riot "
                             "control"),
        ("jaguar_car", "Test drove the new Jaguar F-Pace today, that engine!"),
        ("jaguar_car", "Selling my 2016 Jaguar XF, 80k miles, full service history, {price}. "
                       "{contact}"),
        ("ivory_colour", "Ivory lace wedding dress, size 10, worn once, {price}. {contact}"),
        ("ivory_colour", "Painted the hallway in ivory white, so much brighter now"),
        ("ivory_colour", "Ivory silk scarf for sale, never used, {price}"),
        ("ivory_coast_football", "Ivory Coast beat Nigeria 2-1, what a game! #AFCON"),
        ("ivory_coast_football", "Ivory Coast squad announced for the World Cup qualifiers"),
        ("rhino3d", "Anyone using Rhino 3D with Grasshopper for parametric facades? Need tips"),
        ("rhino3d", "Rhino 8 crashed again while exporting to STL... saving every 5 minutes now"),
        ("tiger_balm", "Tiger Balm is the only thing that helps my back after gym"),
        ("conservation_news", "Elephant numbers in Tsavo up 12% in the new census, great news "
                              "for conservation"),
        ("conservation_news", "Study: rhino populations in South Africa grew last year despite "
                              "poaching pressure"),
        ("zoo_visit", "Took the kids to the zoo in {city}, saw a baby rhino and the elephants! 🐘"),
        ("anti_poaching", "Say NO to ivory. When the buying stops, the killing can too. "
                          "#StopWildlifeTrade"),
        ("anti_poaching", "Pangolins are the most trafficked mammal. Don't buy scales! "
                          "#WorldPangolinDay"),
        ("anti_poaching", "Rangers arrested 3 poachers with rhino horn near Kruger, thank you "
                          "for your service"),
        ("faux_ivory", "Handmade resin faux ivory bangle, vegan and cruelty-free, {price}. "
                       "{contact}"),
        ("faux_ivory", "Faux ivory acrylic earrings, bone colour, {price}"),
    ],
    "zh-Hans": [
        ("jaguar_car", "捷豹XF二手车出售，车况好，{price}，{contact}"),
        ("ivory_colour", "象牙白婚纱出售，只穿过一次，{price}"),
        ("rhino3d", "犀牛软件 Rhino 建模教程，零基础也能学会"),
        ("tiger_balm", "虎标万金油真好用，蚊子咬了一抹就好"),
        ("conservation_news", "云南亚洲象种群数量持续增长，保护成效显著"),
        ("zoo_visit", "带孩子去{city}动物园看大熊猫和大象"),
        ("anti_poaching", "没有买卖就没有杀害。拒绝象牙制品，保护大象。"),
        ("anti_poaching", "穿山甲片没有药用价值，请不要购买！"),
        ("faux_ivory", "树脂仿象牙手镯，{price}，非真象牙"),
    ],
    "zh-Hant": [
        ("ivory_colour", "象牙白色連身裙，全新，{price}"),
        ("tiger_balm", "虎標萬金油，旅行必備"),
        ("zoo_visit", "今天帶小朋友去動物園看犀牛"),
        ("anti_poaching", "香港已全面禁止象牙貿易，請勿購買象牙製品"),
    ],
    "vi": [
        ("ivory_colour", "Váy cưới màu ngà, mặc 1 lần, giá {price}. {contact}"),
        ("ivory_colour", "Sơn tường màu trắng ngà, nhà sáng hẳn"),
        ("rhino3d", "Học Rhino 3D cơ bản cho kiến trúc sư, lớp mới khai giảng"),
        ("tiger_balm", "Dầu cù là Tiger Balm xài đỡ nhức đầu ghê"),
        ("conservation_news", "Số lượng voi rừng tại Đắk Lắk tăng nhờ bảo tồn"),
        ("zoo_visit", "Đưa bé đi thảo cầm viên xem voi và hươu cao cổ"),
        ("anti_poaching", "Hãy nói không với sừng tê giác. Sừng tê không chữa được ung thư! "
                          "#NoRhinoHorn"),
        ("anti_poaching", "Tê tê cần được bảo vệ, đừng ăn thịt và mua vảy tê tê"),
        ("faux_ivory", "Vòng tay nhựa giả ngà, không phải ngà thật, giá {price}"),
    ],
    "th": [
        ("ivory_colour", "ชุดแต่งงานสีงาช้าง ใส่ครั้งเดียว ราคา {price}"),
        ("tiger_balm", "ยาหม่องตราเสือ ติดบ้านไว้ดีมาก"),
        ("zoo_visit", "พาลูกไปสวนสัตว์ ดูช้างกับแรด สนุกมาก"),
        ("anti_poaching", "ไม่ซื้อ ไม่ขาย ไม่ใช้ งาช้าง #หยุดค้างาช้าง"),
        ("conservation_news", "ประชากรช้างป่าในกุยบุรีเพิ่มขึ้น"),
    ],
    "id": [
        ("pangolin_vehicle", "Kendaraan taktis lapis baja Pangolin dipamerkan di {city}"),
        ("ivory_colour", "Gaun pengantin warna ivory, ukuran M, {price}. {contact}"),
        ("tiger_balm", "Balsem Tiger Balm ampuh buat pegal-pegal"),
        ("zoo_visit", "Liburan ke kebun binatang, lihat gajah Sumatra"),
        ("anti_poaching", "Stop perdagangan sisik trenggiling! Lindungi satwa kita"),
        ("conservation_news", "Populasi badak Jawa di Ujung Kulon bertambah"),
    ],
    "fr": [
        ("ivory_coast_football", "Allez les Éléphants ! La Côte d'Ivoire en finale de la CAN 🇨🇮"),
        ("ivory_coast_football", "Les Éléphants de Côte d'Ivoire battent le Mali 2-1"),
        ("pangolin_vehicle", "Le blindé Pangolin présenté au salon de la défense de {city}"),
        ("ivory_colour", "Robe de mariée ivoire, taille 38, {price}. {contact}"),
        ("ivory_colour", "Peinture couleur ivoire pour la chambre, très doux"),
        ("conservation_news", "Bonne nouvelle : la population d'éléphants augmente au Gabon"),
        ("anti_poaching", "Non au braconnage ! Protégeons les éléphants et les pangolins"),
        ("faux_ivory", "Bracelet en résine façon ivoire, {price}"),
    ],
    "es": [
        ("jaguar_car", "Vendo Jaguar XE 2018, impecable, {price}. {contact}"),
        ("ivory_colour", "Vestido de novia color marfil, talla M, {price}"),
        ("ivory_coast_football", "Costa de Marfil gana la Copa Africana, ¡qué final!"),
        ("zoo_visit", "Visita al zoológico: ¡vimos un rinoceronte blanco!"),
        ("faux_ivory", "Pulsera de resina imitación marfil, {price}"),
    ],
    "pt": [
        ("jaguar_car", "Vendo Jaguar F-Type 2017, {price}. {contact}"),
        ("ivory_colour", "Vestido de noiva cor marfim, usado uma vez, {price}"),
        ("ivory_coast_football", "Costa do Marfim campeã africana!"),
        ("zoo_visit", "Passeio no zoológico, vimos o pangolim e os elefantes"),
        ("anti_poaching", "Diga não ao marfim. Proteja os elefantes de Moçambique"),
    ],
    "sw": [
        ("conservation_news", "Idadi ya tembo imeongezeka katika hifadhi ya Tsavo"),
        ("anti_poaching", "Sema hapana kwa ujangili wa tembo na faru #TusiueTembo"),
        ("zoo_visit", "Tulienda kuona tembo na faru Nairobi National Park leo"),
    ],
}

CHATTER: dict[str, list[str]] = {
    "en": ["Beautiful morning in {city} ☀️ coffee first", "Anyone know a good mechanic in {city}?",
           "Just finished a 10k run, legs are dead", "New recipe tonight: green curry with tofu",
           "Traffic on the bridge again... 45 min late", "Selling my old iPhone 12, {price}. {contact}",
           "Concert tickets for Saturday, {price} each. {contact}"],
    "zh-Hans": ["今天{city}天气真好", "推荐一家好吃的火锅店吧", "出二手iPhone 13，{price}，{contact}",
                "周末加班，好累", "新开的咖啡店还不错"],
    "zh-Hant": ["今天去{city}行山，風景很美", "出售二手單車，{price}，{contact}", "這家茶餐廳好好吃"],
    "vi": ["Sáng nay {city} mưa quá", "Quán phở ngon nhất {city} là quán nào mọi người?",
           "Cuối tuần đi Đà Lạt không ae", "Bán xe Wave cũ, giá {price}. {contact}",
           "Thanh lý tủ lạnh, {price}, {contact}"],
    "th": ["วันนี้ที่{city}ร้อนมาก", "ขายเสื้อผ้ามือสอง ราคา {price} {contact}", "ร้านส้มตำเปิดใหม่อร่อยมาก"],
    "id": ["Macet parah di {city} pagi ini", "Jual motor bekas, harga {price}. {contact}",
           "Ada rekomendasi bakso enak?"],
    "fr": ["Quel temps magnifique à {city} aujourd'hui", "Vends vélo d'occasion, {price}. {contact}",
           "Qui regarde le match ce soir ?"],
    "es": ["Qué calor hace hoy en {city}", "Vendo bici usada, {price}. {contact}",
           "¿Alguien sabe de un buen dentista?"],
    "pt": ["Que dia lindo em {city}", "Vendo celular usado, {price}. {contact}",
           "Alguém indica um restaurante bom?"],
    "sw": ["Leo {city} kuna mvua nyingi", "Nauza simu ya mkononi, bei {price}. {contact}",
           "Habari za asubuhi marafiki"],
}

HASHTAGS: dict[str, list[str]] = {
    "pangolin_vehicle": ["defence", "military"], "jaguar_car": ["jaguar", "cars"],
    "ivory_colour": ["weddingdress", "bridal", "interior"], "ivory_coast_football":
    ["AFCON", "CAN2024", "LesElephants"], "rhino3d": ["rhino3d", "grasshopper", "cad"],
    "tiger_balm": ["tigerbalm"], "conservation_news": ["conservation", "elephants", "wildlife"],
    "zoo_visit": ["zoo", "family"], "anti_poaching": ["StopWildlifeTrade", "EndPoaching"],
    "faux_ivory": ["handmade", "resin", "vegan"], "chatter": ["life", "weekend", "food"],
}

BIOS: dict[str, list[str]] = {
    "en": ["Coffee, football and travel", "Dad, engineer, runner", "Architecture student",
           "Wildlife photographer", ""],
    "zh-Hans": ["热爱生活", "摄影爱好者", ""], "zh-Hant": ["行山愛好者", ""],
    "vi": ["Yêu du lịch và ẩm thực", "Sinh viên năm 3", ""], "th": ["ชอบเที่ยว ชอบกิน", ""],
    "id": ["Pecinta kopi", "Mahasiswa", ""], "fr": ["Supporter des Éléphants", "Étudiante", ""],
    "es": ["Amante de los viajes", ""], "pt": ["Flamenguista", "Professora", ""],
    "sw": ["Mwalimu", "Mkulima", ""],
}
