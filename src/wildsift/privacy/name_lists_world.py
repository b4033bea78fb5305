"""Compact lists for person names in Japanese, Korean, Cyrillic and Arabic writing.

Sources and licence as in :mod:`wildsift.privacy.name_lists`: written by hand from public,
aggregate "most common surnames / given names" tables (English Wikipedia articles "List of
most common Japanese surnames", "List of Korean surnames", "Russian name", "Ukrainian name",
"Arabic name", and the national statistics offices' top-name tables they quote; CC BY-SA 4.0
text, a small part of lists of facts), never from records of individuals. The rules of
:mod:`wildsift.privacy.names_ja_ko` and :mod:`wildsift.privacy.names_cyr_ar` find names
outside these lists after an honorific or a cue; the lists back the places where no cue is.
"""

from __future__ import annotations

# Japanese: the most common surnames (about 60% of people), in kanji.
JA_SURNAMES = frozenset("""
佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水
山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本
斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田
上田 原 柴田 酒井 工藤 横山 宮崎 宮本 内田 高木 安藤 島田 谷口 大野 高田 丸山 今井 河野 藤本 村田
武田 上野 杉山 増田 小山 大塚 平野 菅原 久保 松井 千葉 岩崎 桜井 木下 野口 松尾 菊地 野村 新井 渡部
""".split())
# Japanese given names (kanji and kana), the most frequent of recent birth-year tables.
JA_GIVEN = frozenset("""
太郎 一郎 健太 翔太 大輔 拓也 直樹 誠 浩 蓮 陽翔 湊 大翔 悠真 健 隆 博 明 清
花子 陽子 恵子 由美 美咲 さくら 陽菜 結衣 葵 凛 愛 真由美 智子 裕子 直美 久美子 ゆき ひろみ
""".split())
# Words written before さん/様/氏 that are not names ("お客様" customer, "皆様" everyone).
JA_NOT_NAMES = frozenset("""
皆 皆々 お客 客 奥 神 王 仏 お子 子供 店員 業者 生徒 先生 購入者 出品者 落札者 入札者 利用者
会員 担当
お父 お母 お兄 お姉 旦那 社長 店長 大家 相手 みな みんな お店 各位 先方 宛 御中 貴 同 本人
ご本人 お得意
""".split())
# Products and materials of the trade: never a name, even after a label ("名前：象牙").
JA_PRODUCTS = frozenset(
    "象牙 鼈甲 犀角 珊瑚 虎 熊 穿山甲 剥製 毛皮 角 骨 牙 甲羅 標本 根付 置物 印材 胆".split())

# Korean: the surnames of about 95% of people (one syllable; 남궁, 황보, 제갈 are two).
KO_SURNAMES = frozenset(
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 "
    "문 양 손 배 백 허 남 심 노 "
    "하 곽 성 차 주 우 구 민 진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 "
    "위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 가 복 태 목 형 피 두 "
    "감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 서문 남궁 황보 제갈 선우 독고".split())
KO_GIVEN = frozenset(
    "민준 서준 도윤 예준 시우 하준 지호 주원 지후 준우 준서 건우 현우 우진 선우 민재 현준 연우 "
    "서연 서윤 지우 서현 민서 하은 하윤 윤서 지유 지민 채원 수아 지아 지윤 은서 다은 예은 수빈 "
    "영희 철수 영수 영호 정희 순자 미경 미숙 경희 영미 성민 동현 상훈 재원 지훈 혜진 은지".split())
# Words that start with a surname syllable and take 님/씨 but are not names.
KO_NOT_NAMES = frozenset(
    "고객 손 형 이웃 주인 선배 후배 동생 친구 원장 기사 사장 선생 대표 판매자 구매자 이모 삼촌 "
    "언니 오빠 누나 부모 아버 어머 할머 할아버 사모 여사 교수 박사 회원 관리자 운영자 주최자 작가 "
    "기자 의사 변호사 여러분 구독자 이용자 문의 연락 가격 상품 제품 주세요 주시면 바랍니다 가능 "
    "사항 전화 환영 부탁 감사 정품 진품 상태 택배 배송 직거래 이상 이하 정도 하나 두개 세트 "
    "상아 호랑이 곰 천산갑 뿔 가죽 박제 표본 산호 거북 고양이 강아지 앵무새 도마뱀".split())

# Russian and Ukrainian given names (folded: lower case, й -> и, ё -> е, ї -> і).
CYR_GIVEN = frozenset("""
александр алексеи андреи антон артем борис вадим валерии василии виктор виталии владимир
владислав вячеслав геннадии георгии григории дмитрии денис евгении егор иван игорь илья кирилл
константин леонид максим михаил никита николаи олег павел петр роман руслан сергеи станислав
степан тимур федор юрии ярослав богдан тарас остап олександр андріи сергіи миколаи
александра алена алина алла анастасия анна валентина валерия вера виктория галина дарья
евгения екатерина елена елизавета жанна зоя ирина карина кристина ксения лариса лидия любовь
людмила марина мария надежда наталья нина оксана ольга полина светлана софия тамара татьяна
юлия яна олена оксана наталія тетяна ганна
""".split())
# Common surnames without one of the suffixes the rule reads (-ов, -ин, -енко, ...).
CYR_SURNAMES = frozenset("сидоренко шевченко бондаренко коваленко ткаченко кравченко мельник "
                         "лысенко бойко ковальчук гончар руденко морозов волков соколов".split())
# Capitalised words with a surname's ending that are places, animals or products.
CYR_NOT_NAMES = frozenset("""
ростов саратов псков азов тамбов киров иваново королев львов харьков чернигов киев київ
пушкин кемерово орехово бердянск абакан тюмень берлин лондон пекин
дельфин павлин пингвин тамарин мандарин кабан сурок бурундук соболь сокол лосось осетр
уссурииский амурскии камчатскии сибирскии дальневосточныи красныи черныи белыи
россия украина казахстан китаи москва санкт
""".split())

# Arabic given names (folded: no diacritics, أ/إ/آ -> ا, ة -> ه, ى -> ي).
AR_GIVEN = frozenset("""
محمد احمد علي حسن حسين عمر خالد عبدالله يوسف ابراهيم مصطفي سعيد سالم سعد فهد ناصر فيصل
طارق ماجد حمد حمزه زياد كريم وليد عادل سامي هاني رامي ياسر بلال جمال كمال مراد رشيد منصور
نبيل عماد اسامه ايمن مازن عثمان مالك انس زيد صالح جاسم راشد سلطان سلمان بدر عيسي موسي
فاطمه عائشه مريم زينب خديجه نور سارة ساره ليلي هدي امل سلمي رنا ريم دينا منى مني سميره
""".split())
# Words that end a name run in Arabic (prepositions, contact words, trade words).
AR_STOP = frozenset("""
على في من الى إلى عن مع او أو و رقم هاتف جوال واتساب واتس تلفون تليفون للبيع للتواصل
متوفر متوفره سعر بسعر ريال درهم دينار جنيه دولار فقط الان الآن حاليا عاجل اصلي أصلي جديد
متجر محل شركة مؤسسة مكتب معرض مزرعة الصيد
بيع شراء عاج قرن جلد ريش صقر صقور طائر طيور ببغاء غزال سلحفاه
""".split())
