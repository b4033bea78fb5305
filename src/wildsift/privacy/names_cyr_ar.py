"""Person names in Cyrillic (Russian, Ukrainian) and Arabic writing.

Cyrillic: capitalised words read by their endings. A name is
1. a listed given name next to a patronymic (-ович/-евич/-овна/-евна/-ична/-івна: "Иван
   Петрович") or a surname ending (-ов/-ев/-ин/-ский/-енко/-чук/...: "Иван Петров",
   "Петров Иван Сергеевич"), or a surname with initials ("Петров И. С.");
2. one to three capitalised words after a cue (звоните, пишите, обращаться к, спросить,
   продавец, контактное лицо, дзвоніть, пишіть, ...) of which one is a listed given name, a
   patronymic or a surname ending; after an honorific or label (господин, г-н, пан, пані,
   имя:, ФИО:, ім'я:) any capitalised words.
Cities, animals and adjectives with a surname's ending (Ростов, Дельфин, Уссурийский) stay.

Arabic: an honorific (السيد, الأستاذ, الأخ, الحاج, الشيخ, الدكتور, ...) then one to three
words; a kunya (أبو/أم + a listed given name: أبو أحمد), a theophoric name (عبد الله,
عبدالرحمن) and a nasab (محمد بن سالم) anywhere; a listed given name after a cue (اتصل,
تواصل مع, اسأل عن, راسل, للتواصل, البائع:, الاسم:), with a following name word. A run ends at
prepositions, contact and trade words ("أبو قرن", rhino, is not a name).
"""

from __future__ import annotations

import unicodedata

import regex

from wildsift.privacy import name_lists_world as W

# -- Cyrillic ------------------------------------------------------------------------------
_CW = r"[А-ЯЁІЇЄҐ][а-яёіїєґ'ʼ’]+(?:-[А-ЯЁІЇЄҐ][а-яёіїєґ]+)?"
_CRUN = regex.compile(rf"(?<![\p{{L}}]){_CW}(?:[ \t]+{_CW}){{0,2}}(?![\p{{L}}])")
_INITIALS = r"[А-ЯЁІЇЄ]\.[ ]?(?:[А-ЯЁІЇЄ]\.)?"
CYR_INITIALS_RE = regex.compile(
    rf"(?<![\p{{L}}])(?:(?P<a>{_CW})[ ]+{_INITIALS}|{_INITIALS}[ ]?(?P<b>{_CW}))")
# Endings in every case ("звоните Ивану Петровичу", "спросить Марину Петровну").
_PATRONYMIC = tuple(stem + end for stem in ("ович", "евич", "ьич")
                    for end in ("", "а", "у", "ем", "е")) + tuple(
    stem + end for stem in ("овн", "евн", "ичн", "івн", "ївн")
    for end in ("а", "ы", "е", "у", "ой", "і", "ою"))
_SURNAME_END = tuple(stem + end for stem in ("ов", "ев", "ин", "ын")
                     for end in ("", "а", "у", "ым", "ой", "ым", "е", "ою")) + tuple(
    stem + end for stem in ("ск", "цк", "ськ")
    for end in ("ий", "ая", "ого", "ому", "им", "ой", "ую", "а", "ої", "ій")) + (
    "енко", "чук", "юк", "ук")
_PATRONYMIC = tuple({e.replace("й", "и").replace("ї", "і") for e in _PATRONYMIC})
_SURNAME_END = tuple({e.replace("й", "и").replace("ї", "і") for e in _SURNAME_END})
# Given names in other cases back to the nominative: Ивана, Ивану, Иваном, Марине, Марину.
_CASE_ENDS = (("ом", ""), ("ем", "и"), ("а", ""), ("у", ""), ("е", ""), ("ю", "и"), ("я", "и"),
              ("е", "а"), ("у", "а"), ("ы", "а"), ("и", "а"), ("ой", "а"), ("ей", "я"),
              ("ю", "я"), ("е", "я"), ("и", "я"))


def _given(folded: str) -> bool:
    if folded in W.CYR_GIVEN:
        return True
    return any(folded.endswith(end) and folded[:-len(end)] + base in W.CYR_GIVEN
               for end, base in _CASE_ENDS if len(folded) > len(end) + 2)
_CYR_STRONG = ("господин", "госпожа", "г-н", "г-жа", "пан", "пані", "пани", "имя", "ім'я",
               "імя", "фио", "піб", "контактное лицо", "контактна особа")
_CYR_WEAK = ("звоните", "звонить", "позвоните", "пишите", "писать", "напишите", "обращаться",
             "обращайтесь", "спросить", "спрашивайте", "спросите", "контакт", "продавец",
             "менеджер", "владелец", "хозяин", "дзвоніть", "телефонуйте", "пишіть",
             "звертайтеся", "звертатися", "питайте", "продавець", "власник")
_CYR_SKIP = regex.compile(r"[ \t]*(?:(?:к|ко|до|у|в)[ \t]+)?[:,—–-]?[ \t]*")
CYR_CUE_RE = regex.compile(
    r"(?<![\p{L}])(?P<cue>" + "|".join(regex.escape(c) for c in _CYR_STRONG + _CYR_WEAK)
    + r")\.?(?![\p{L}])", regex.IGNORECASE)


def cyr_fold(word: str) -> str:
    word = word.lower().replace("ё", "е").replace("й", "и").replace("ї", "і")
    return word.replace("'", "").replace("’", "").replace("ʼ", "")


def _kind(word: str) -> str:
    """"given", "patronymic", "surname" or "" for a capitalised Cyrillic word."""
    folded = cyr_fold(word)
    if folded in W.CYR_NOT_NAMES:
        return ""
    if _given(folded):
        return "given"
    if folded.endswith(_PATRONYMIC) and len(folded) > 6:
        return "patronymic"
    if folded in W.CYR_SURNAMES or (folded.endswith(_SURNAME_END) and len(folded) > 4):
        return "surname"
    return ""


def _cyr(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _CRUN.finditer(text):  # rule 1: no cue needed
        words = list(regex.finditer(_CW, m.group(0)))
        kinds = [_kind(w.group(0)) for w in words]
        if "given" in kinds and ("patronymic" in kinds or "surname" in kinds):
            named = [w for w, k in zip(words, kinds, strict=True) if k]
            spans.append((m.start() + named[0].start(), m.start() + named[-1].end()))
    for m in CYR_INITIALS_RE.finditer(text):
        word = m.group("a") or m.group("b")
        if _kind(word) == "surname":
            spans.append((m.start(), m.end()))
    for m in CYR_CUE_RE.finditer(text):  # rule 2: after a cue
        cue = m.group("cue").lower()
        at = _CYR_SKIP.match(text, m.end()).end()
        run = _CRUN.match(text, at)
        if run is None:
            continue
        words = list(regex.finditer(_CW, run.group(0)))
        kinds = [_kind(w.group(0)) for w in words]
        if any(cyr_fold(w.group(0)) in W.CYR_NOT_NAMES for w in words[:1]):
            continue
        if cue in _CYR_STRONG:
            spans.append((run.start(), run.end()))
        elif any(kinds):
            last = max(i for i, k in enumerate(kinds) if k)
            spans.append((run.start(), run.start() + words[last].end()))
    return spans


# -- Arabic --------------------------------------------------------------------------------
_AW = r"[\u0621-\u063A\u0641-\u064A\u0671-\u06D3][\u0621-\u063A\u0640-\u065F\u0670-\u06D3]*"
_AWORD = regex.compile(_AW)
_AR_HON = ("السيد", "السيده", "السيدة", "الأستاذ", "الاستاذ", "الأستاذة", "الاستاذه", "الأخ",
           "الاخ", "الأخت", "الاخت", "الحاج", "الحاجة", "الحاجه", "الشيخ", "الدكتور", "د.",
           "المهندس", "م.", "أ.")
_AR_CUES = ("اتصل", "اتصلوا", "اتصال", "تواصل", "تواصلوا", "للتواصل", "اسأل", "اسألوا", "اسال",
            "راسل", "راسلوا", "كلم", "كلموا", "البائع", "المعلن", "الاسم", "اسم", "للاستفسار",
            "المالك")
_AR_LABELS = ("الاسم", "اسم", "البائع", "المعلن", "المالك")
_AR_KUNYA = ("أبو", "ابو", "أبي", "ابي", "أم", "ام")
_AR_NASAB = ("بن", "ابن", "بنت")
_AR_NOT_AFTER_CUE = frozenset("بنا لنا علينا بي لي هنا فورا مباشرة حالا خاص بالخاص معنا معي "
                              "عبر للحجز للطلب للاستفسار".split())
_HARAKAT = regex.compile(r"[\u064B-\u065F\u0670\u0640]")
_AR_LINK = regex.compile(r"[ \t]*(?:مع|على|عن|بـ|ب(?=[ \t])|إلى|الى)?[ \t]*[:：]?[ \t]*")


def ar_fold(word: str) -> str:
    """Arabic folded for list lookups: no diacritics or tatweel, one alif, ه for ة, ي for ى."""
    word = _HARAKAT.sub("", unicodedata.normalize("NFC", word))
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي")):
        word = word.replace(a, b)
    return word


def _plain(word: str) -> str:
    return _HARAKAT.sub("", word)


def _listed(word: str) -> bool:
    folded = ar_fold(word)
    return folded in W.AR_GIVEN or (folded.startswith(("ب", "ل")) and folded[1:] in W.AR_GIVEN)


def _words_from(text: str, at: int, most: int = 3) -> list[regex.Match]:
    """Up to ``most`` name words from ``at``: each right after the other, none a stop word,
    a nasab (بن) always followed by one more word."""
    out: list[regex.Match] = []
    pos = at
    while len(out) < most:
        m = regex.compile(rf"[ \t]*(?P<w>{_AW})").match(text, pos)
        if m is None or _plain(m.group("w")) in W.AR_STOP:
            break
        word = m.group("w")
        if out and word.startswith("ال") and _plain(word) in _AR_HON:
            break
        out.append(m)
        pos = m.end()
    while out and _plain(out[-1].group("w")) in _AR_NASAB + _AR_KUNYA:
        out.pop()
    return out


def _span(words: list[regex.Match]) -> tuple[int, int]:
    return words[0].start("w"), words[-1].end("w")


def _ar(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _AWORD.finditer(text):
        word = _plain(m.group(0))
        nxt = _words_from(text, m.end(), 3)
        if word in _AR_HON and nxt:  # السيد محمد العلي: the honorific stays
            if not nxt[0].group("w").startswith("ال") or _listed(nxt[0].group("w")[2:]):
                spans.append(_span(nxt))
        elif word in _AR_KUNYA and nxt and _listed(nxt[0].group("w")):  # أبو أحمد
            spans.append((m.start(), nxt[0].end("w")))
        elif word == "عبد" and nxt and nxt[0].group("w").startswith("ال"):  # عبد الله
            spans.append((m.start(), _span(nxt)[1]))
        elif word.startswith("عبدال") and len(word) > 6:  # عبدالرحمن
            spans.append((m.start(), _span(nxt)[1] if nxt else m.end()))
        elif (word in _AR_NASAB and m.start() > 0 and nxt
              and _plain(nxt[0].group("w")) not in W.AR_STOP):  # محمد بن سالم
            before = regex.search(rf"(?P<w>{_AW})[ \t]+$", text[:m.start()])
            if before and (_listed(before.group("w")) or _listed(nxt[0].group("w"))):
                spans.append((before.start("w"), nxt[0].end("w")))
        elif word in _AR_CUES:
            link = _AR_LINK.match(text, m.end())
            names = _words_from(text, link.end(), 3)
            if not names:
                continue
            first = names[0].group("w")
            strong = word in _AR_LABELS and ":" in link.group(0)
            # After a cue any word that is not an article's noun, a stop word or "us".
            free = not first.startswith("ال") and _plain(first) not in _AR_NOT_AFTER_CUE
            if _listed(first) or (free and (strong or word not in _AR_LABELS)):
                prefixed = (ar_fold(first) not in W.AR_GIVEN and first.startswith(("ب", "ل")))
                start = names[0].start("w") + (1 if prefixed else 0)
                spans.append((start, _span(names)[1]))
    return spans


def find(text: str) -> list[tuple[int, int]]:
    """Spans of Cyrillic and Arabic names in ``text`` (may overlap; the caller merges)."""
    spans = []
    if regex.search(r"[А-ЯЁІЇЄҐ]", text):
        spans += _cyr(text)
    if regex.search(r"[\u0621-\u064A]", text):
        spans += _ar(text)
    return spans
