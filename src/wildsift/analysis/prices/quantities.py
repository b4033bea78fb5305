"""Quantities in a post's text: '2 kg', '500 gram', '3 lạng', '2 cân', '5公斤', '两斤',
'10 ekor', '3 ตัว', '2 pcs', '1 cặp'. Mass units are normalised to kilograms; counts keep their
kind (piece, animal, pair). A unit after '/' or 'per' belongs to a price ('5tr/kg'), not to the
quantity offered, and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wildsift.analysis.prices import vocab
from wildsift.analysis.prices.numbers import CJK_NUMBER, ascii_digits, parse_cjk, parse_number

CANONICAL_MASS = {1.0: "kg", 0.001: "g", 0.5: "jin", 0.05: "liang", 0.1: "100 g",
                  1000.0: "t", 0.45359: "lb", 0.028350: "oz", 1.633: "viss"}


def _alt(keys) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_UNIT = _alt({**vocab.MASS, **vocab.COUNT})
_QUANTITY = re.compile(
    rf"(?P<num>\d+(?:[.,]\d+)?|{CJK_NUMBER})\s?(?P<unit>{_UNIT})(?!{vocab.LATIN_LETTER})",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity offered: its number, canonical unit, and kilograms when the unit is a mass."""

    value: float
    unit: str  # kg, g, jin, ..., piece, animal, pair
    mass_kg: float | None
    start: int


def canonical_unit(unit: str) -> str:
    """'公斤' -> 'kg', '克' -> 'g', 'ekor' -> 'animal', 'cặp' -> 'pair'."""
    key = unit.lower()
    if key in vocab.MASS:
        return CANONICAL_MASS.get(vocab.MASS[key], key)
    return vocab.COUNT.get(key, key)


def kg_per(unit: str | None) -> float | None:
    """Kilograms in one ``unit`` (None for a count or no unit)."""
    return vocab.MASS.get(unit.lower()) if unit else None


def find_quantities(text: str | None) -> list[Quantity]:
    """Every quantity in ``text`` that is not the 'per' unit of a price."""
    if not text:
        return []
    norm = ascii_digits(text)
    out = []
    for m in _QUANTITY.finditer(norm):
        start = m.start()
        before = norm[max(0, start - 5):start].lower()
        if before.rstrip().endswith(("/", "per", "每", "mỗi", "ละ")):
            continue
        if start and (norm[start - 1].isascii() and norm[start - 1].isalpha()
                      and m.group("num")[0].isdigit()):
            continue  # 'A4 g' or a code such as 'X2pcs'
        if start and norm[start - 1].isdigit():
            continue
        raw = m.group("num")
        try:
            value = parse_cjk(raw) if not raw[0].isdigit() else parse_number(raw)
        except ValueError:
            continue
        unit = m.group("unit")
        if unit == "两" and not raw[0].isdigit():
            continue  # '两' after a Chinese numeral is 'two', not the liang
        per_kg = kg_per(unit)
        out.append(Quantity(value, canonical_unit(unit),
                            value * per_kg if per_kg is not None else None, start))
    return out


def offered_quantity(quantities: list[Quantity]) -> Quantity | None:
    """The quantity a post offers: the first mass if any, else the first count."""
    for quantity in quantities:
        if quantity.mass_kg is not None:
            return quantity
    return quantities[0] if quantities else None
