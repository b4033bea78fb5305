"""Person names written in free text: "ask Nguyen Van Minh", "Pak Budi", "王先生", "คุณสมชาย".

Offline and light: no model, only context cues, capitalisation and the short lists of
:mod:`wildsift.privacy.name_lists`. A name is taken when

1. a **strong cue** (an honorific or a label: ``Mr.``, ``Mrs.``, ``Dr.``, ``Sr.``/``Sra.``,
   ``Herr``/``Frau``, ``M.``/``Mme``, ``Pak``/``Bu``/``Ibu``, ``Bwana``/``Mama``, ``anh``/
   ``chị``/``em``/``ông``/``bà``/``cô``, ``name:``, ``tên:``, ``nama:``) stands right before
   one to three capitalised words;
2. a **weak cue** (a verb: ask, contact, call, liên hệ, hubungi, llamar a, contactez,
   wasiliana na, ...) stands before capitalised words of which one is a listed given name or
   surname (weak cues are followed by shops and places as often as by people);
3. a capitalised run **starts with a common Vietnamese surname** (Nguyễn, Trần, ...) and
   its words are Vietnamese syllables (short); surnames that are also other words (Le, Ho, Do)
   need a Vietnamese middle name after them (Văn, Thị, ...);
4. a capitalised run with a listed name stands **right next to a contact token**
   (``Minh <PHONE:..>``, ``<PHONE:..> (John)``);
5. Chinese: a listed surname before ``先生``/``女士``/``小姐``/``老板``/``师傅``/``总``/``哥``/``姐``,
   or a surname with one or two more characters after ``联系``/``联系人``/``找``/``姓名``;
6. Thai: a name after ``คุณ``/``นาย``/``นาง``/``นางสาว`` (not ``คุณภาพ`` "quality",
   ``นางแอ่น`` "swiftlet", ...), with the surname after a space for the formal titles.

Capitalised runs never extend over words that are shops, places or pronouns
(``name_lists.NOT_NAMES``), and a run followed by "street", "city", ``đường``, ... is a place
named after a person and stays. The honorific and the cue stay in the text; the name becomes
``<NAME:xxxxxx>``, keyed by its folded form, so "Nguyễn Văn Minh" and "Nguyen Van Minh" share a
token.
"""

from __future__ import annotations

import re
import unicodedata

import ahocorasick
import regex

from wildsift.privacy import name_lists as L
from wildsift.privacy import names_cjk_thai as cjk_thai
from wildsift.privacy import names_cyr_ar as cyr_ar
from wildsift.privacy import names_ja_ko as ja_ko

_LIST_NAMES = L.GIVEN | L.SURNAMES | L.VI_SURNAMES | L.VI_GIVEN


def fold(text: str) -> str:
    """Lower case without diacritics (``Nguyễn Văn`` -> ``nguyen van``, Arabic without its
    vowel marks); CJK, Thai, Hangul and kana (voicing marks kept) unchanged but for case."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    kept = "".join(c for c in text
                   if unicodedata.category(c) != "Mn" or c in _KANA_VOICING).lower()
    return " ".join(unicodedata.normalize("NFC", kept).split())


_KANA_VOICING = "\u3099\u309a"
# Japanese, Korean, Cyrillic and Arabic letters: the other scripts' pass may find a name.
_WORLD_GATE = re.compile(
    "[\u0400-\u04ff\u0600-\u06ff\u3040-\u30ff\uac00-\ud7af様氏殿]|担当|氏名|名前")


_W = r"(?:\p{Lu}[\p{Ll}\p{M}]*(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*|\p{Lu}{2,}(?![\p{Ll}]))"
_RUN = rf"(?<![<\p{{L}}\p{{M}}\p{{N}}_@#]){_W}(?:[ \t]+{_W}){{0,3}}(?![\p{{L}}\p{{M}}\p{{N}}_])"
_RUN_RE = regex.compile(_RUN)

# Cue words (lower case). A cue of several words is found by its last word ("liên hệ" by
# "hệ", "llamar a" by "llamar" and the skippable "a").
STRONG = frozenset("""
mr mrs ms mx miss mister dr prof sir madam madame mme mlle sr sra srta señor señora senor
senora don doña dona senhor senhora sig signor signora herr herrn frau hr fr pak bapak bu ibu mas mbak kak bang
tuan puan encik haji hj bwana mama mzee bi dada kaka alhaji chief
anh chị em ông bà cô chú bác cậu dì thầy
""".split())
_LOWER_ONLY = frozenset("chi ong co chu bac".split())  # Vietnamese without diacritics
_HONORIFICS = STRONG | _LOWER_ONLY | {"m", "cau", "di", "thay", "ba", "senor", "senora"}
LABELS = frozenset("name tên nama nombre nom nome jina person bán".split())  # then ':' (strong)
WEAK = frozenset("""
ask contact call text message msg talk speak whatsapp dm pm meet
hệ lh hỏi gặp gọi nhắn hubungi tanya kontak cari
contacta contactar llamar llame llama pregunta preguntar contactez appelez demandez demander
kontaktieren kontakt anrufen fragen wasiliana piga uliza muulize contate ligue falar procure
seller owner penjual vendedor vendeur verkäufer
""".split())
_SKIP = frozenset("a à na para for with to cho ke por sie nach kwa simu bei com".split())
_CUES = STRONG | _LOWER_ONLY | LABELS | WEAK
_FIELD_END = re.compile(r"[ \t]*(?:[,.;)\n]|$)")
_AFTER_TIME = re.compile(r"\d[ \t]*$")
_PREV_WORD = re.compile(r"([^\W\d_]+)[ \t]*$")
_PERSON_QUALIFIERS = frozenset(
    "full contact seller sellers owner owners my first last real họ lengkap penjual người"
    .split())
_LABEL_SEP = re.compile(r"[ \t]*[:：=][ \t]*")
_SKIP_RE = re.compile(r"[ \t]+([^\W\d_]+)")
_GAP_RE = re.compile(r"[ \t]*[:：,-]?[ \t]*")
_PLACE_AFTER = regex.compile(
    r"[ \t]*(?i:street|st\b|road|rd\b|avenue|ave\b|boulevard|city|district|province|town|"
    r"village|market|lake|river|bay|island|mountain|park|airport|station|bridge|"
    r"jalan|calle|rue|straße|strasse)")
_PLACE_BEFORE = regex.compile(
    r"(?<![\p{L}\p{M}])(?i:đường|phố|phường|quận|huyện|tỉnh|thành phố|tp\.?|jalan|jl\.?|"
    r"calle|avenida|rue|av\.?|street|road|on)[ \t]+$")
# "Bà Rịa", "Cô Tô", "Ba Vì": places whose first word is also a Vietnamese honorific.
_PLACE_PAIRS = frozenset({"ba ria", "ba den", "co to", "ba vi", "ong lanh", "ba chieu", "ba na",
                          "ba be", "ba dinh", "ba tri", "ba to", "co loa", "ba lat"})
# A capitalised run right before a contact token ("Minh: <PHONE:..>") or right after it
# ("<PHONE:..> (John)").
_CONTACT_TOKEN = re.compile(r"<(?:PHONE|MESSENGER|EMAIL):[0-9a-f]{6}>")
_RUN_BEFORE = regex.compile(rf"(?P<run>{_RUN})[ \t]*[:(\-–]?[ \t]*$")
_RUN_AFTER = regex.compile(rf"[ \t]*[(\-–,]?[ \t]*(?P<run>{_RUN})")
# In lower-case writing, only an honorific and one listed name right before a contact token.
_LOWER_BEFORE = regex.compile(r"(?<![\p{L}\p{M}])(?P<cue>\p{Ll}+)\.?[ \t]+"
                              r"(?P<run>\p{Ll}[\p{Ll}\p{M}]*)$")
_NONSPACE = re.compile(r"\S+")
_ANY_TOKEN = re.compile(r"<[A-Z]+:[0-9a-f]{6}>")

# Vietnamese surnames as written (with and without diacritics), capitalised or in capitals.
_VI_SURNAME_SET = L.VI_SURNAMES | {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "võ", "vũ", "đặng", "bùi", "đỗ", "hồ",
    "ngô", "dương", "lý", "đinh", "trịnh", "trương", "lâm", "lương", "hà", "tạ"}
_VI_FORMS = sorted({f for w in _VI_SURNAME_SET for f in (w.capitalize(), w.upper())},
                   key=len, reverse=True)
VI_RE = regex.compile(rf"(?<![<\p{{L}}\p{{M}}\p{{N}}_@#])(?:{'|'.join(_VI_FORMS)})"
                      rf"(?:[ \t]+{_W}){{1,3}}(?![\p{{L}}\p{{M}}\p{{N}}_])")

_VI_SURNAME_LOWER = frozenset(w.lower() for w in _VI_SURNAME_SET)
_GATE_WORDS = re.compile(r"[^\W\d_]+")
_SCAN = ahocorasick.Automaton()
for _word in _CUES | _VI_SURNAME_LOWER:  # at word starts only: after a space or a '('
    _SCAN.add_word(" " + _word, _word)
    _SCAN.add_word("(" + _word, _word)
_SCAN.make_automaton()
# After a cue: a capitalised word, maybe after a '.', a ':' and the words a cue takes.
_CAPITAL_NEXT = re.compile(
    r"\.?(?:[ \t]+(?:" + "|".join(sorted(_SKIP)) + r"))*[ \t]*[:：=,-]?[ \t]*"
    r"[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽƠƯẠ-Ỹ"
    r"А-Я]")


def maybe(text: str) -> bool:
    """Cheap test: could :func:`find_names` find anything? (It makes the same test itself.)"""
    return bool(_passes(text)[0])


def _passes(text: str) -> tuple[str, set[str]]:
    """Which passes of :func:`find_names` may find something in ``text``: "c" (a cue word),
    "v" (a Vietnamese surname), "t" (a contact token), "n" (a CJK or Thai cue); "" for most
    posts. Latin names need a capital letter, so an all-lower-case text needs no pass."""
    passes = "n" if not text.isascii() and cjk_thai.NONLATIN_GATE.search(text) else ""
    if not text.isascii() and _WORLD_GATE.search(text):
        passes += "s"
    if text.islower():
        return passes, set()
    if "<PHONE:" in text or "<MESSENGER:" in text or "<EMAIL:" in text:
        passes += "t"
    # Cue words and Vietnamese surnames found by one Aho-Corasick scan of the lower-cased
    # text (C speed); a cue counts only when a capitalised word follows it.
    lowered = text.lower()
    if len(lowered) != len(text):  # a case fold that changes length (rare): no shortcut
        words = set(_GATE_WORDS.findall(lowered))
        return passes + "cv", words & _CUES
    cues: set[str] = set()
    surname = False
    spaced = " " + lowered.replace("\n", " ").replace("\t", " ")
    for last, word in _SCAN.iter(spaced):
        start, end = last - len(word), last  # in ``text`` (``spaced`` has one more character)
        if end < len(lowered) and (lowered[end].isalnum() or lowered[end] in "'’"):
            continue
        if word in _VI_SURNAME_LOWER and text[start].isupper():
            surname = True
        if word in _CUES and _CAPITAL_NEXT.match(text, end):
            cues.add(word)
    if "M. " in text:
        passes += "c"
    elif cues:
        passes += "c"
    if surname:
        passes += "v"
    return passes, cues


def _trim(text: str, start: int, run: str) -> tuple[int, int] | None:
    """The name part of a capitalised run at ``start``: leading honorifics skipped ("hubungi
    Pak Budi": "Pak" stays), up to the first word that is not a name (a shop, a place, a
    pronoun); ``None`` when nothing is left or a place word follows ("Le Loi street")."""
    first = end = None
    kind = False
    for word in _NONSPACE.finditer(run):
        folded = fold(word.group(0))
        if first is None and word.group(0).lower().rstrip(".") in _HONORIFICS:
            continue
        if folded in L.NOT_NAMES:
            break
        caps = word.group(0).isupper() and len(word.group(0)) > 1
        if first is None:
            kind = caps
        elif caps != kind:  # "DR. GORDON HUBBELL COLLECTION Modern": the case changes
            break
        if first is None:
            first = start + word.start()
        end = start + word.end()
    if first is None or end is None or _PLACE_AFTER.match(text, end):
        return None
    return first, end


def _cues(text: str, words: set[str]) -> list[tuple[int, str, str, int]]:
    """Where a name may start after a cue word, with the cue's strength ("strong", "weak",
    "label"), the cue and where the cue starts. ``words``: the cue words the text holds (each found by ``str.find``, not by
    a loop over every word). Skips the words a cue takes before a name ("llamar a",
    "wasiliana na", "ask for")."""
    found = []
    lowered = text.lower()
    starts = []
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            end = at + len(word)
            if ((at == 0 or not lowered[at - 1].isalnum())
                    and (end == len(lowered) or not (lowered[end].isalnum()
                                                     or lowered[end] in "'’"))):
                starts.append((at, end, word))
            at = lowered.find(word, end)
    at = text.find("M. ")
    while at >= 0:
        if at == 0 or not text[at - 1].isalpha():
            starts.append((at, at + 2, "m"))
        at = text.find("M. ", at + 3)
    for at, pos, word in sorted(starts):
        if word in _LOWER_ONLY and not text[at:pos].islower():
            continue
        if word in LABELS:
            sep = _LABEL_SEP.match(text, pos)
            if sep is not None and sep.end() > pos:
                # "Name: .." on its own is as often a product's ("Product Name:", "Common
                # Name:", "Specifications: Name: ..") as a person's: weak unless qualified.
                before = _PREV_WORD.search(lowered, 0, at)
                qualified = before is not None and before.group(1) in _PERSON_QUALIFIERS
                if before is not None and not qualified:
                    continue  # "Product Name:", "Common Name:", "Fabric name:"
                found.append((sep.end(), "strong" if qualified else "label", word, at))
            continue
        if pos < len(text) and text[pos] == ".":
            pos += 1
        if word in ("pm", "am") and _AFTER_TIME.search(text, 0, at):
            continue  # "3:00 pm Eastern Standard Time"
        strength = "weak" if word in WEAK else "strong"
        for _ in range(2):
            nxt = _SKIP_RE.match(text, pos)
            if nxt is None or nxt.group(1).lower() not in _SKIP:
                break
            pos = nxt.end()
        gap = _GAP_RE.match(text, pos)
        if gap is not None and (strength == "weak" or gap.end() > pos):
            found.append((gap.end(), strength, word, at))
    return found


def _listed(text: str, start: int, end: int) -> bool:
    """Whether a run holds a listed given name or surname (not one that is also a common
    word elsewhere: "Le", "Do", "Ho")."""
    return any(len(f) >= 3 and f in _LIST_NAMES and f not in L.COMMON_WORDS
               for f in (fold(w) for w in text[start:end].split()))


def _title_case(text: str, at: int, taken: list[tuple[int, int]]) -> bool:
    """Whether capitals say nothing before a cue at ``at``: most of the six words before it
    are capitalised (an eBay title, a menu "Seller Profile Feedback Save this seller ...").
    Names already taken and redaction tokens do not count."""
    start = max(0, at - 60)
    skip = taken + [(m.start(), m.end()) for m in _ANY_TOKEN.finditer(text, start, at)]
    words = [m.group(0) for m in _GATE_WORDS.finditer(text, start, at)
             if len(m.group(0)) >= 3 and not any(s <= m.start() < e for s, e in skip)][-6:]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _accept(text: str, span: tuple[int, int], strength: str, cue: int,
            taken: list[tuple[int, int]]) -> bool:
    """A run after a cue is a name when it holds a listed name; otherwise when the cue is
    strong (an honorific), or a verb ("ask", "llamar a") and two or more capitalised words
    follow. Capitals say nothing in a run written in capitals or after title-case words, nor
    after a bare "Name:" (a product's as often as a person's): those need a listed name."""
    if _listed(text, *span):
        return True
    written = text[span[0]:span[1]]
    if written.isupper() or _title_case(text, cue, taken):
        return False
    if strength == "label":  # "Name: Trevor Blackwood, Nairobi", not "Name: Otodus Diet: .."
        return 2 <= len(written.split()) <= 3 and _FIELD_END.match(text, span[1]) is not None
    return strength == "strong" or len(written.split()) >= 2


def _vietnamese(run: str) -> bool:
    words = [fold(w) for w in run.split()]
    if len(words) < 2 or words[0] not in L.VI_SURNAMES:
        return False
    if any(len(w) > 7 for w in words):
        return False
    if words[0] in L.VI_AMBIGUOUS and words[1] not in L.VI_MIDDLE:
        return False
    return True


def find_names(text: str) -> list[tuple[int, int]]:
    """Spans of person names in ``text``, sorted, not overlapping, outside any ``<KIND:..>``."""
    passes, cue_words = _passes(text)
    if not passes:
        return []
    spans: list[tuple[int, int]] = []

    def add(span: tuple[int, int] | None) -> None:
        if span and span[1] > span[0]:
            spans.append(span)

    for cue, strength, word, cue_at in _cues(text, cue_words) if "c" in passes else ():
        run = _RUN_RE.match(text, cue)
        if run is None or fold(f"{word} {run.group(0).split()[0]}") in _PLACE_PAIRS:
            continue
        span = _trim(text, run.start(), run.group(0))
        if span and _accept(text, span, strength, cue_at, spans):
            add(span)
    for run in VI_RE.finditer(text) if "v" in passes else ():
        if _vietnamese(run.group(0)) and not _PLACE_BEFORE.search(text, 0, run.start()):
            add(_trim(text, run.start(), run.group(0)))
    if "t" in passes:
        for token in _CONTACT_TOKEN.finditer(text):
            window = max(0, token.start() - 60)
            head = text[window:token.start()].rstrip(" \t:(-–")
            words = head.split()
            before = (_RUN_BEFORE.search(head) if words and words[-1][0].isupper()
                      and words[-1][-1].isalpha() else None)
            runs = [(window + before.start(), before.group("run"))] if before else []
            after = _RUN_AFTER.match(text, token.end())
            if after:
                runs.append((after.start("run"), after.group("run")))
            for start, run in runs:
                span = _trim(text, start, run)
                if span and _listed(text, *span):
                    add(span)
            lower = (_LOWER_BEFORE.search(head) if len(words) >= 2  # "lh anh tuấn 0912.."
                     and words[-2].rstrip(".") in _HONORIFICS else None)
            if (lower and lower.group("cue") in _HONORIFICS
                    and fold(lower.group("run")) in _LIST_NAMES - L.COMMON_WORDS):
                add((window + lower.start("run"), window + lower.end("run")))
    if "n" in passes:
        for span in cjk_thai.find(text):
            add(span)
    if "s" in passes:
        for span in ja_ko.find(text) + cyr_ar.find(text):
            add(span)
    return _merge(text, spans)


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined; spans that touch a redaction token dropped."""
    tokens = [(t.start(), t.end()) for t in _ANY_TOKEN.finditer(text)] if "<" in text else []
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if any(s < end and start < e for s, e in tokens):
            continue
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
