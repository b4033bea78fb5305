"""Words that say where goods go from and to, in ten languages (our own list, see
docs/identify-network.md).

Each cue has a role (``origin`` or ``destination``), a side (``before``: the cue precedes the
place, "ship to Hanoi", "从广州"; ``after``: it follows it, "广州发货") and whether it counts
alone. A bare preposition ("to", "de", "ke", "à", "para", "到", "đến") counts only as the second
half of a pair ("from Lagos to Hanoi", "de Douala à Paris", "dari Medan ke Jakarta"): alone it
is far more often not a route ("welcome to Paris").
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

ORIGIN, DESTINATION = "origin", "destination"


@dataclass(frozen=True, slots=True)
class Cue:
    lang: str
    role: str
    words: tuple[str, ...]
    alone: bool = True  # False: only in a pair with a cue of the other role
    side: str = "before"


CUES: tuple[Cue, ...] = (
    # English
    Cue("en", ORIGIN, ("shipping from", "ships from", "ship from", "shipped from", "sent from",
                       "send from", "sending from", "exported from", "export from",
                       "imported from", "coming from", "comes from", "sourced from",
                       "direct from", "straight from", "dispatched from", "dispatch from",
                       "origin", "from")),
    Cue("en", DESTINATION, ("shipping to", "ships to", "ship to", "shipped to", "shipment to",
                            "deliver to", "delivery to", "delivered to", "delivering to",
                            "send to", "sending to", "sent to", "export to", "exporting to",
                            "exported to", "courier to", "transport to", "bound for",
                            "destined for", "destination", "delivery in", "deliver in")),
    Cue("en", DESTINATION, ("to", "into"), alone=False),
    # Chinese (both scripts)
    Cue("zh", ORIGIN, ("从", "從", "由", "来自", "來自", "产地", "產地", "发自", "發自")),
    Cue("zh", ORIGIN, ("发货", "發貨", "出货", "出貨", "直发", "直發", "寄出", "发出", "發出"),
        side="after"),
    Cue("zh", DESTINATION, ("发货到", "發貨到", "寄到", "运到", "運到", "送到", "发往", "發往",
                            "运往", "運往", "寄往", "销往", "銷往", "出口到", "包邮到", "包郵到",
                            "可发", "可發", "发到", "發到", "寄去", "运去", "運去")),
    Cue("zh", DESTINATION, ("到", "至", "往"), alone=False),
    # Vietnamese
    Cue("vi", ORIGIN, ("gửi từ", "ship từ", "hàng từ", "nhập từ", "xuất từ", "nguồn từ",
                       "chuyển từ", "gui tu", "ship tu", "hang tu", "nhap tu", "từ", "tu")),
    Cue("vi", DESTINATION, ("giao hàng đến", "giao hàng tới", "giao hàng về", "giao đến",
                            "giao tới", "giao về", "gửi đến", "gửi tới", "gửi về", "gửi đi",
                            "gửi sang", "ship đi", "ship đến", "ship tới", "ship về", "ship sang",
                            "chuyển về", "chuyển đến", "chuyển đi", "chuyển sang", "xuất đi",
                            "xuất sang", "giao hang den", "gui ve", "gui di", "ship di",
                            "ship ve", "chuyen ve", "xuat sang")),
    Cue("vi", DESTINATION, ("đến", "tới", "về", "sang", "đi", "den", "toi", "ve"), alone=False),
    # Thai
    Cue("th", ORIGIN, ("ส่งจาก", "นำเข้าจาก", "มาจาก", "จาก")),
    Cue("th", DESTINATION, ("ส่งไปที่", "ส่งไป", "ส่งถึง", "ส่งออกไป", "จัดส่งไป", "ส่งต่อไป")),
    Cue("th", DESTINATION, ("ไป", "ถึง"), alone=False),
    # Indonesian / Malay
    Cue("id", ORIGIN, ("dikirim dari", "kirim dari", "pengiriman dari", "asal", "dari")),
    Cue("id", DESTINATION, ("dikirim ke", "kirim ke", "pengiriman ke", "ekspedisi ke",
                            "bisa kirim ke", "hantar ke", "pos ke", "tujuan")),
    Cue("id", DESTINATION, ("ke",), alone=False),
    # French
    Cue("fr", ORIGIN, ("en provenance de", "en provenance du", "en provenance d", "expédié de",
                       "expédiée de", "expédition de", "envoyé de", "importé de", "importée de", "importés de",
                       "importées de", "expédiés de", "envoyés de",
                       "venant de", "venant du", "provenant de", "provenant du", "depuis")),
    Cue("fr", ORIGIN, ("de", "du", "d"), alone=False),
    Cue("fr", DESTINATION, ("livraison à", "livraison en", "livraison au", "livraison aux",
                            "livrée à", "livré à", "livrons à", "livrons en", "expédition vers",
                            "expédition en", "expédié vers", "expédié à", "expédions vers",
                            "expédions en", "envoi à", "envoi vers", "envoi en", "envoi au",
                            "à destination de", "à destination du", "vers")),
    Cue("fr", DESTINATION, ("à", "au", "aux", "en"), alone=False),
    # Spanish
    Cue("es", ORIGIN, ("procedente de", "enviado desde", "enviamos desde", "importado de",
                       "directo de", "desde")),
    Cue("es", ORIGIN, ("de", "del"), alone=False),
    Cue("es", DESTINATION, ("envío a", "envíos a", "envio a", "envios a", "enviamos a",
                            "enviado a", "con destino a", "entrega en", "entregas en", "hacia")),
    Cue("es", DESTINATION, ("a", "hasta"), alone=False),
    # Portuguese
    Cue("pt", ORIGIN, ("vindo de", "vindo do", "vindo da", "vinda de", "enviado de",
                       "enviado do", "enviado da", "direto de", "direto do", "direto da",
                       "importado de", "importado do", "importado da", "importadas de",
                       "importados de", "desde")),
    Cue("pt", ORIGIN, ("de", "do", "da"), alone=False),
    Cue("pt", DESTINATION, ("envio para", "envios para", "enviamos para", "enviado para",
                            "entrega em", "entregamos em", "entrega no", "entrega na",
                            "com destino a", "com destino ao")),
    Cue("pt", DESTINATION, ("para", "pra", "ao", "a"), alone=False),
    # Swahili
    Cue("sw", ORIGIN, ("kutoka", "toka")),
    Cue("sw", DESTINATION, ("kusafirisha hadi", "tunasafirisha hadi", "tunatuma hadi",
                            "kutuma hadi", "kusafirisha kwenda", "tunatuma", "kwenda")),
    Cue("sw", DESTINATION, ("hadi", "mpaka"), alone=False),
    # German
    Cue("de", ORIGIN, ("versand aus", "versendet aus", "importiert aus", "aus")),
    Cue("de", ORIGIN, ("von",), alone=False),
    Cue("de", DESTINATION, ("versand nach", "lieferung nach", "liefern nach", "versenden nach",
                            "verschickt nach")),
    Cue("de", DESTINATION, ("nach",), alone=False),
)
LANGUAGES = tuple(dict.fromkeys(c.lang for c in CUES))
# between a cue and its place: spaces, a colon, an article ("the", "la", "l'", "o")
FILLER = regex.compile(r"[\s:：,，\-–]*(?:(?:the|la|le|les|l['’]|el|los|o|os|a|as)\s+)?"
                       r"(?:(?:the|la|le|el)\s+)?", regex.IGNORECASE)
# "Lagos -> Hanoi", "HCM → Hà Nội": the left place is the origin, the right one the destination
ARROW = regex.compile(r"\s*(?:->|-->|→|⟶|➡️?|➜|=>|>>|⇒)\s*")
# places listed after one cue share its role: "ship to USA, UK and Canada", "发往香港、台湾"
LIST_JOIN = regex.compile(r"\s*(?:(?:,|、|/|&|;|\+|\band\b|\bor\b|\bet\b|\bou\b|\by\b|\be\b"
                          r"|\bo\b|\bdan\b|\batau\b|\bvà\b|\bhoặc\b|\bund\b|\bna\b|和|或|及|และ"
                          r"|หรือ)\s*(?:,\s*)?(?:(?:la|le|les|l['’]|el|los|las|o|os|a|as|the)\s+)?)?",
                          regex.IGNORECASE)
MAX_LIST_GAP = 12  # characters between listed places
MAX_PAIR_GAP = 80  # characters between the two halves of a pair


def _pattern(word: str) -> str:
    escaped = regex.escape(word).replace(r"\ ", r"\s+")
    if regex.match(r"[\p{Han}\p{Thai}]", word):
        return escaped
    return rf"(?<![\p{{L}}\p{{M}}]){escaped}(?![\p{{L}}\p{{M}}])"


def compiled() -> list[tuple[Cue, regex.Pattern]]:
    """Each cue with one pattern of its words, longest first (so "ship to" wins over "to")."""
    out = []
    for cue in CUES:
        words = sorted(cue.words, key=len, reverse=True)
        if cue.lang in ("fr",) and "d" in words:  # d'Abidjan
            words = [w for w in words if w != "d"]
            out.append((cue, regex.compile(r"(?<![\p{L}\p{M}])d['’](?=\p{Lu})",
                                           regex.IGNORECASE)))
        out.append((cue, regex.compile("|".join(_pattern(w) for w in words),
                                       regex.IGNORECASE)))
    return out
