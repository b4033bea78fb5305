"""Compact, curated lists for finding person names in text (:mod:`wildsift.privacy.names`).

Sources and licence. Every list here was written by hand for wildsift from public, aggregate
statistics, never from records of individuals (no leaked or scraped personal data):

- surnames: the most common surnames per country as listed in the English Wikipedia articles
  "Vietnamese name", "List of common Chinese surnames", "Indonesian names", "List of most common
  surnames in Europe", "List of most common surnames in North America", "List of most common
  surnames in Africa", "Lists of most common surnames in Asia" (text under CC BY-SA 4.0;
  these lists of the most frequent words of a kind are facts, reproduced here in small part);
- given names: the most frequent given names per country in the same Wikipedia family of
  articles ("List of most popular given names", national statistics offices' top-name tables
  quoted there), and Vietnamese middle and given names from "Vietnamese name".

Lists are stored folded (lower case, diacritics removed, ``đ`` -> ``d``); match them against
:func:`wildsift.privacy.names.fold`. They are short on purpose: a strong cue (``Mr.``, ``Pak``,
``anh``, ``先生``, ``คุณ``) finds names outside them; the lists only back weak cues ("call",
"ask") and names written without any cue.
"""

from __future__ import annotations

# Vietnamese: the 14 most common surnames cover about 90% of people (Wikipedia, "Vietnamese name").
VI_SURNAMES = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh trinh "
    "truong lam mai cao luong ha ta".split())
# Surnames that are also common words or place-name heads elsewhere ("Le Mans", "Do not",
# "Ho Chi Minh City", "Ha Long"): taken without a cue only when a Vietnamese middle name follows.
VI_AMBIGUOUS = frozenset("le ho ly do vu ha ta mai cao lam bui ngo phan dinh luong".split())
VI_MIDDLE = frozenset(
    "van thi duc huu minh thanh ngoc quang xuan hoang kim cong dinh gia bao anh tien "
    "trung quoc phuong thu".split())
VI_GIVEN = frozenset(
    "minh hung lan tuan dung hoa huong linh hai thao trang hanh hieu phuong quang thanh son "
    "long khoa cuong duc tam trung thu mai nga ngoc yen vy vinh tai thang tien dat phong "
    "hoang hau huy khanh binh chau diep giang hien hong kien loan luan nhung oanh sang tuyet "
    "hoai huyen thuy tu".split())

# Chinese: the 100 most common surnames (Wikipedia, "List of common Chinese surnames"),
# simplified and traditional forms, plus common compound surnames.
ZH_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔向汤"
    "張劉陳楊黃趙吳週孫馬羅鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸範賈韋閆龍陶賀顧龔錢湯")
ZH_COMPOUND = ("欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "慕容", "司徒")

# Common given names written in Latin script, by language area (folded). Backs weak cues and
# names written next to a contact.
GIVEN = frozenset("""
john james michael david robert william richard joseph thomas charles christopher daniel paul
mark george kevin brian peter steven andrew edward jason ryan gary eric stephen tony sam ben
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa emma
anna olivia sophia grace alice helen kate laura julia
juan jose luis carlos jorge miguel pedro antonio manuel francisco javier diego alejandro
maria carmen ana lucia rosa isabel elena pilar sofia valentina camila gabriela
joao paulo marcos rafael lucas mateus gabriel tiago ricardo fernanda juliana beatriz
jean pierre michel philippe alain nicolas francois louis jacques marie sophie nathalie
isabelle claire camille
hans peter klaus jurgen wolfgang stefan andreas thomas uwe dieter sabine ursula monika
petra anja katrin
budi agus joko adi andi rudi eko bambang hendra wahyu dedi slamet siti dewi sri rina putri
nur ayu wati yanti fitri ratna indah lestari
ahmad muhammad mohamed ali hassan hussein ibrahim omar yusuf abdul fatima aisha amina zainab
juma baraka hamisi omari mwangi otieno kamau wanjiku akinyi njeri achieng halima neema
chinedu emeka chukwu oluwaseun tunde segun adebayo ngozi chioma funmilayo bola musa sani
kwame kofi kwaku yaw ama akosua
ivan sergei dmitri alexei nikolai olga natalia tatiana irina svetlana
somchai somsak somporn sompong surachai prasert anan malee siriporn
wei jun ming hui li
""".split())

# Given names and surnames that are also ordinary English words: listed, but they alone do not
# make a run a name ("Great White Shark", "King Salmon").
COMMON_WORDS = frozenset("white brown young king hall wright grace rose mark will bill long "
                         "mai ha le ho ly do vu ta cao lam".split())
# Surnames written in Latin script (folded), beside the Vietnamese ones above.
SURNAMES = frozenset("""
smith johnson williams brown jones miller davis wilson taylor anderson thomas jackson white
harris martin thompson moore clark lewis walker hall allen young king wright
garcia rodriguez martinez hernandez lopez gonzalez perez sanchez ramirez torres flores
rivera gomez diaz morales ortiz gutierrez ruiz alvarez romero jimenez moreno
silva santos oliveira souza pereira costa ferreira almeida carvalho ribeiro
dupont durand bernard dubois moreau laurent lefebvre leroy roux fournier girard
muller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch
wijaya santoso susanto gunawan setiawan kusuma hidayat saputra
mwangi otieno kamau ochieng njoroge kariuki mutua wanjiru onyango
okafor okonkwo adeyemi ogunleye abubakar bello okoro eze nwosu mensah owusu boateng asante
ivanov petrov smirnov popov kuznetsov
wang zhang chen liu yang huang zhao zhou
""".split())

# Words that a capitalised run after a cue may hold but that are not names: they end the run
# (a shop, a place, a product or a pronoun follows the cue as often as a person does).
NOT_NAMES = frozenset("""
us me now today here there this that the a an our my your his her their for to at on in of
and or with by from via please pls seller sellers shop store owner admin team office company
sales support info details price prices more now free whatsapp wa zalo line telegram wechat
viber signal facebook fb instagram ig messenger phone tel mobile number email inbox dm pm
street st road rd avenue ave city town district province village market hotel restaurant
north south east west collection item items product products brand model type size color
colour material new used best sale buy sell if you not it is are be we all no yes
species genus family order class fossil newsletter regarding please thanks thank manager pro
hanoi hcm saigon lagos nairobi bangkok jakarta hong kong beijing shanghai guangzhou manila
viet nam vietnam china thailand indonesia kenya nigeria
""".split())
