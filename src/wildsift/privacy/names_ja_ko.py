"""Person names in Japanese and Korean writing (no capitals: honorifics, cues and lists).

Japanese: a run of kanji or kana right before さん/様/さま/氏/殿/くん/ちゃん is a name when it
starts with a listed surname (田中さん, 田中太郎様, 佐藤 花子さん) or stands right after a cue
(連絡/担当/問い合わせ/出品者 ... : 担当の森下さん); after a label (担当者：, 氏名：, お名前：) a
listed surname, or any kanji run followed by an honorific or the end of the field. Words that
take 様/さん but are not names (お客様, 皆様, 店長さん) and the trade's products (名前：象牙) stay.

Korean: a surname syllable with one or two more (김민준, 남궁민수) before 씨/님/사장님/선생님/
대표님 ..., or before 에게/한테/께 and a contact word (연락, 문의, 전화), or after a label (이름:,
성함:, 판매자:, 담당자:, 예금주:); a surname alone with a title (박 사장님, 김 씨). Words that
start with a surname syllable and take 님 (고객님 "customer", 선배님, 사장님) stay.
"""

from __future__ import annotations

import regex

from wildsift.privacy import name_lists_world as W

# -- Japanese ------------------------------------------------------------------------------
_JA_HON = r"(?:さん|様|さま|サマ|氏|殿|くん|ちゃん|先生)"
_KANA_NAME = r"[\p{Hiragana}\p{Katakana}ー]{2,5}"
# A name run before an honorific: kanji (a surname and a given name, maybe a space between),
# or kana (ゆきさん, マリアさん).
JA_HON_RE = regex.compile(
    rf"(?P<name>\p{{Han}}{{1,4}}(?:[ 　]?(?:\p{{Han}}{{1,3}}|{_KANA_NAME}))?|{_KANA_NAME})"
    rf"[ 　]?(?={_JA_HON})")
_JA_CUES = ("連絡", "担当", "問い合わせ", "問合せ", "お問合せ", "出品者", "売主", "店主", "宛")
_JA_LABEL_RE = regex.compile(
    r"(?:担当者?|氏名|お名前|(?<![品商])名前|出品者|売主|連絡先|問い合わせ先|問合せ先)"
    r"(?:[ 　]*[：:は][ 　]*|[ 　]+)"
    r"(?P<name>\p{Han}{1,4}(?:[ 　]\p{Han}{1,3})?|[\p{Hiragana}\p{Katakana}ー]{2,6}(?=[ 　]?"
    + _JA_HON + r"|[ 　、。\n]|$))(?P<after>[ 　]?" + _JA_HON + r"|[ 　、。,.\n(（]|$)?")
_JA_BOUNDARY = set(" 　、。,.!！?？:：()（）「」『』\n\t/・") | set("はのにへをがとも")


def _ja_start(text: str, start: int, run: str) -> int | None:
    """Where the name of a run before an honorific starts, or None: the run when it stands
    after a boundary or a cue; a listed surname inside a longer run ("象牙販売田中さん")."""
    for size in (3, 2, 1):  # a listed surname anywhere in the run: start there
        for at in range(len(run)):
            if run[at:at + size] in W.JA_SURNAMES:
                return start + at
    before = text[max(0, start - 6):start].rstrip(_PARTICLES)
    if start == 0 or text[start - 1] in _JA_BOUNDARY or before.endswith(_JA_CUES):
        return start if len(run.replace(" ", "").replace("　", "")) <= 5 else None
    return None


_PARTICLES = "はのにをがへとも"


def _ja(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in JA_HON_RE.finditer(text):
        run, start = m.group("name"), m.start("name")
        cut = max((i for i, c in enumerate(run[:-2]) if c in _PARTICLES and i > 0
                   and regex.match(r"\p{Han}", run[i - 1])), default=-1)
        if cut >= 0:  # "連絡はゆうこさん": a kanji word and a particle, then the name
            run, start = run[cut + 1:], start + cut + 1
        begin = _ja_start(text, start, run)
        if begin is None:
            continue
        name = text[begin:m.end("name")].strip(" 　")
        if not name or name in W.JA_NOT_NAMES or any(p in name for p in W.JA_PRODUCTS):
            continue
        before = text[max(0, begin - 2):begin]
        if name[-1] in "のにはをがへ" or before.endswith(("お", "ご")) and len(name) <= 2:
            continue  # "お客様", "ご本人様": a word, not a name
        spans.append((begin, begin + len(name)))
    for m in _JA_LABEL_RE.finditer(text):
        name = m.group("name")
        listed = any(name.startswith(s) for s in W.JA_SURNAMES)
        closed = m.group("after") is not None
        if name in W.JA_NOT_NAMES or any(p in name for p in W.JA_PRODUCTS):
            continue
        if listed or closed:
            spans.append((m.start("name"), m.end("name")))
    return spans


# -- Korean --------------------------------------------------------------------------------
_KO_SUR = "|".join(sorted(W.KO_SURNAMES, key=len, reverse=True))
_KO_TITLE = (r"(?:사장님|선생님|대표님|실장님|과장님|부장님|팀장님|"
             r"사장|대표|선생|실장|과장|부장|팀장|"
             r"씨(?=$|[^\p{Hangul}]|에게|께|가|는|한테|의|도))")
_KO_HON = rf"(?:{_KO_TITLE}|님)"
_B = r"(?<![\p{Hangul}])"
# Surname + one or two syllables, then an honorific (김민준 씨, 이영희님, 남궁민수님).
KO_HON_RE = regex.compile(rf"{_B}(?P<name>(?:{_KO_SUR})\p{{Hangul}}{{1,2}})[ ]?(?={_KO_HON})")
# A surname alone with a title (박 사장님, 김 씨): the surname is the name.
KO_TITLE_RE = regex.compile(rf"{_B}(?P<name>{_KO_SUR})[ ]?(?={_KO_TITLE})")
# Name + 에게/한테/께 + a contact word (김민준에게 연락, 이서연 님께 문의).
KO_TO_RE = regex.compile(rf"{_B}(?P<name>(?:{_KO_SUR})\p{{Hangul}}{{1,2}})[ ]?(?:님|씨)?"
                         r"(?:에게|한테|께)[ ]?(?:연락|문의|전화|카톡|문자|메시지|말씀)")
KO_LABEL_RE = regex.compile(
    rf"(?:이름|성함|판매자|담당자|예금주|판매인|연락처|문의)[ ]*[:：][ ]*"
    rf"(?P<name>(?:{_KO_SUR})\p{{Hangul}}{{1,2}})(?![\p{{Hangul}}])")


def _ko(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in (KO_HON_RE, KO_TO_RE, KO_LABEL_RE):
        for m in pattern.finditer(text):
            name = m.group("name")
            if name in W.KO_NOT_NAMES or any(name.startswith(w) for w in W.KO_NOT_NAMES
                                             if len(w) >= 2):
                continue
            if (pattern is KO_HON_RE and len(name) == 2
                    and regex.match(r"[ ]?님", text[m.end("name"):])):
                continue  # two syllables and a bare 님 ("형님", "선배님"): a word as often
            spans.append((m.start("name"), m.end("name")))
    spans += [(m.start("name"), m.end("name")) for m in KO_TITLE_RE.finditer(text)]
    return spans


def find(text: str) -> list[tuple[int, int]]:
    """Spans of Japanese and Korean names in ``text`` (may overlap; the caller merges)."""
    spans = []
    if regex.search(r"[\p{Hangul}]", text):
        spans += _ko(text)
    if regex.search(r"[\p{Hiragana}\p{Katakana}]|様|氏|殿|担当|氏名", text):
        spans += _ja(text)
    return spans
