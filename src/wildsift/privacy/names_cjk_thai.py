"""Person names in Chinese and Thai writing (no capitals: cues and lists only).

Chinese: a listed surname before an honorific (王先生, 李小姐, 张总), any one character before
先生/女士/小姐/老板/师傅/经理 right after a cue or a break (请找佘小姐), or a surname and one or two
characters after 联系人/联系/姓名/名字/致电 (联系人：张伟), stopping at characters that start the
next words (电话, 微信, 方式, ...). Thai: the name after คุณ/นาย/นาง/นางสาว, cut before the
particles and verbs that follow it without a space (คุณสมชายโทร..), with the surname after a
space; words that merely start with a title (คุณภาพ "quality", ขอบคุณ "thanks", นางแอ่น
"swiftlet") are not names. See :mod:`wildsift.privacy.names` for the rest of the rule.
"""

from __future__ import annotations

import re

import regex

from wildsift.privacy import name_lists as L

# Chinese
_ZH_SUR = rf"(?:{'|'.join(L.ZH_COMPOUND)}|[{''.join(sorted(L.ZH_SURNAMES))}])"
_ZH_HONORIFIC = r"先生|女士|小姐|老板|老闆|师傅|師傅|老师|老師|经理|經理|总|總|哥|姐"
ZH_HON_RE = regex.compile(rf"{_ZH_SUR}(?=(?:{_ZH_HONORIFIC}))")
_ZH_STOP = "式法先女小老师師电電话話微信手机機号號码碼方式我你他她的了吗嗎呢吧购購买買卖賣看货貨价價要请請在或和及与與、，。：:！!？?"
ZH_CUE_RE = regex.compile(
    rf"(?:联系人|聯繫人|联络人|聯絡人|姓名|名字|联系|聯繫|联络|聯絡|致电|致電)[：: ]?"
    rf"(?P<name>{_ZH_SUR}(?:[^\P{{Han}}{_ZH_STOP}]{{1,2}}|(?!\p{{Han}})))")
# Any one character before "先生"/"小姐"/"女士" right after a cue or a break ("请找佘小姐").
ZH_ANY_RE = regex.compile(r"(?:联系|聯繫|联络|聯絡|找|问|問|请|請|致电|致電|[：:，,。 \n]|^)"
                          r"(?P<name>\p{Han})(?=先生|女士|小姐|老板|老闆|师傅|師傅|经理|經理)")
_ZH_GATE = ("先生", "女士", "小姐", "老板", "老闆", "师傅", "師傅", "老师", "老師", "经理", "經理",
            "总", "總", "哥", "姐", "联系", "聯繫", "联络", "聯絡", "姓名", "名字", "找", "问", "問",
            "致电", "致電")

# Thai
_TH_TITLE = r"นางสาว|น\.ส\.|นาย|นาง|คุณ|ด\.ช\.|ด\.ญ\."
_TH_NOT_AFTER = (  # words that start with a title but are not one, or a title used as "you"
    "ภาพ", "สมบัติ", "ค่า", "ประโยชน์", "ลักษณะ", "แม่", "พ่อ", "ธรรม", "วุฒิ", "ครับ", "ค่ะ", "คะ",
    "จะ", "ได้", "สามารถ", "ต้อง", "เป็น", "มี", "ชอบ", "ก็", "ไม่", "อยาก", "ลูกค้า", "เอง", "ที่",
    "หน้า", "ทุน", "จ้าง", "กรัฐ", "กฯ", "กเทศ", "พราน", "ท่า", "ด่าน", "ทหาร", "ตำรวจ", "ฟ้า", "แบบ", "พญา", "งาม",
    "นวล", "แอ่น", "รม", "เงือก", "กวัก", "สาว", "ใน", "และ", "หรือ",
)
_TH_NOT_BEFORE = ("ขอบ", "พระ", "บุญ", "มี", "ท")
_TH_STOP = ("ครับ", "ค่ะ", "คะ", "นะ", "จ้า", "ที่", "โทร", "เบอร์", "ไลน์", "ได้", "จะ", "และ",
            "หรือ", "ขาย", "ซื้อ", "ราคา", "ติดต่อ", "สอบถาม", "ด้วย", "เลย", "เท่านั้น", "มี", "ค่า")
TH_RE = regex.compile(rf"(?P<title>{_TH_TITLE})[ \t]?(?P<given>[\u0e01-\u0e4e]{{2,20}})"
                      rf"(?:[ \t](?P<family>[\u0e01-\u0e4e]{{3,20}}))?")

# One search of literals says whether a CJK or Thai cue is there at all.
NONLATIN_GATE = re.compile("|".join(_ZH_GATE) + r"|คุณ|นาย|นาง|น\.ส\.")


def find(text: str) -> list[tuple[int, int]]:
    """Spans of Chinese and Thai names in ``text`` (may overlap; the caller merges them)."""
    spans = [(m.start(), m.end()) for m in ZH_HON_RE.finditer(text)]
    spans += [(m.start("name"), m.end("name")) for m in ZH_CUE_RE.finditer(text)]
    spans += [(m.start("name"), m.end("name")) for m in ZH_ANY_RE.finditer(text)]
    for m in TH_RE.finditer(text):
        span = _thai(text, m)
        if span:
            spans.append(span)
    return spans


def _thai_cut(run: str) -> int:
    """Length of a Thai name run up to the first stop word (Thai is written without spaces:
    "คุณสมชายโทร" is "สมชาย" and "โทร")."""
    cut = len(run)
    for stop in _TH_STOP:
        at = run.find(stop, 2)
        if 0 < at < cut:
            cut = at
    return cut


def _thai(text: str, m: regex.Match) -> tuple[int, int] | None:
    before = text[max(0, m.start() - 3):m.start()]
    given = m.group("given")
    if any(before.endswith(x) for x in _TH_NOT_BEFORE):
        return None
    if any(given.startswith(x) for x in _TH_NOT_AFTER):
        return None
    cut = _thai_cut(given)
    start, end = m.start("given"), m.start("given") + cut
    family = m.group("family")
    if (family and cut == len(given)
            and not any(family.startswith(x) for x in _TH_STOP + _TH_NOT_AFTER)):
        end = m.start("family") + _thai_cut(family)
    return start, end
