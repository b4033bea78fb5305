"""The label form, built from the study's ``[[labeling.schema]]``, and the checking of what a
person sends back: only the schema's fields, only its options, a known taxon, bounded text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wildsift.errors import InputError
from wildsift.study import LabelQuestion

RELEVANT = "relevant"
YES_NO = {"yes": "1", "no": "0"}  # yes/no questions are stored as training reads them: 1 / 0
MAX_TEXT = 500
FLAGS = {"urgent": "urgent: live animal", "graphic": "graphic image"}


@dataclass(frozen=True)
class Option:
    key: str  # the number key that picks it
    value: str  # what is stored
    label: str


@dataclass(frozen=True)
class Question:
    name: str
    kind: str
    options: tuple[Option, ...]
    only_if_relevant: bool


def questions(schema: list[LabelQuestion]) -> list[Question]:
    out = []
    for q in schema:
        options = tuple(
            Option(str(i), YES_NO[o] if set(q.options) == set(YES_NO) else o, o)
            for i, o in enumerate(q.options[:9], start=1))
        out.append(Question(q.name, q.kind, options, q.only_if_relevant))
    return out


def country_code(field: str, raw: str) -> str:
    """Where a post is, as the place threshold's training reads it (``read_country``): the code
    of a country the gazetteer knows ("vn" -> "VN"; "UK" -> "GB"), or "none"."""
    from wildsift.sift.learn.places_train import read_country

    if raw.strip() in ("no", "No"):  # "no place", or Norway? Ask: once stored, case is gone
        raise InputError(f"field '{field}': {raw!r} is ambiguous: type none for a post that "
                         "says nowhere it is, or NO for Norway")
    code = read_country(raw)
    if code is None:
        raise InputError(f"field '{field}': {raw!r} is not a country code (such as VN, or none "
                         "for a post that says nowhere it is)")
    return code


def parse(form: Mapping[str, str], schema: list[Question], taxa: set[str],
          redact=lambda text: text) -> dict[str, str]:
    """Field -> value of a submitted label form; raises InputError naming the bad field.

    Questions asked only when relevant are dropped when the answer is no; empty answers are
    not stored; ``redact`` cleans free text (a note may quote a phone number)."""
    relevant = (form.get(RELEVANT) or "").strip()
    values: dict[str, str] = {}
    for q in schema:
        raw = (form.get(q.name) or "").strip()
        if q.only_if_relevant and relevant != "1":
            continue
        if not raw:
            if q.name == RELEVANT:
                raise InputError("field 'relevant': answer it first (1 = yes, 2 = no)")
            continue
        if q.kind == "choice" and raw not in {o.value for o in q.options}:
            raise InputError(f"field '{q.name}': {raw!r} is not one of the options")
        if q.kind == "taxon" and raw not in taxa:
            raise InputError(f"field '{q.name}': {raw!r} is not a taxon of the lexicon")
        if q.kind == "country":
            raw = country_code(q.name, raw)
        if q.kind in ("text", "flag"):
            raw = redact(raw[:MAX_TEXT])
        values[q.name] = raw
    for flag in FLAGS:
        if form.get(flag) == "1":
            values[flag] = "1"
    return values
