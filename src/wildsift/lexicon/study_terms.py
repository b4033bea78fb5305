"""The study's own lexicon terms: what a person accepted (or rejected) from discovery.

Code words change faster than any packaged lexicon, so a study keeps the terms it adopted in
``lexicon.yaml`` in its folder, beside ``wildsift.toml``::

    # terms accepted with 'wildsift lexicon accept', rejected with 'wildsift lexicon reject'
    terms:
      - term: bạch ngà
        lang: vi
        taxon: elephant          # a taxon key or group of the lexicon
        kind: code_word          # code_word | name | product
        product: ivory           # required for kind product, optional for code words
        accepted_by: a_3f9a1c2b  # the annotator's pseudonym, never a name
        accepted_at: "2026-03-01T10:00:00+00:00"
        score: 5.2               # the evidence (z-score) when it was accepted
        note: ""
    rejected:
      - {term: white gold, rejected_by: a_3f9a1c2b, rejected_at: "2026-03-01T10:05:00+00:00"}
    # taxa the packaged lexicon lacks, added with 'wildsift lexicon add-taxon'
    taxa:
      - key: pardofelis_marmorata
        scientific_name: Pardofelis marmorata
        names: {en: [marbled cat], vi: [mèo gấm]}
        products: {skin: {en: [marbled cat skin]}}
        iucn: NT
        cites: I
        native_range: [VN, LA]
        source: {all: study}    # what the study knows, not checked against a registry
        added_by: a_3f9a1c2b

:func:`add_study_terms` folds the terms into lexicon data (code words, common names, product
terms), so matching and query expansion use them like packaged terms. Errors name the file and
the entry.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wildsift.errors import InputError
from wildsift.lexicon.loading import LexiconData
from wildsift.lexicon.normalize import normalize
from wildsift.lexicon.taxon import CITES_APPENDICES, IUCN_CATEGORIES, Taxon, Term

STUDY_LEXICON_NAME = "lexicon.yaml"
KINDS = ("code_word", "name", "product")
_HEADER = ("# wildsift study lexicon: terms accepted with 'wildsift lexicon accept' and rejected "
           "with\n# 'wildsift lexicon reject'. Edit by hand if you like; see docs/lexicon.md.\n")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StudyTerm(_Strict):
    """One accepted term and the evidence it was accepted on."""

    term: str = Field(min_length=1)
    lang: str = Field(min_length=1)
    taxon: str = Field(min_length=1)
    kind: Literal["code_word", "name", "product"] = "code_word"
    product: str | None = None
    accepted_by: str = "anonymous"
    accepted_at: str | None = None
    score: float | None = None
    note: str = ""


class RejectedTerm(_Strict):
    term: str = Field(min_length=1)
    rejected_by: str = "anonymous"
    rejected_at: str | None = None


class StudyTaxon(_Strict):
    """A taxon the study works on that the packaged lexicon lacks, with what the study knows.

    Its facts are the study's own (``source`` says so), never checked against a registry: a
    study of a local trade often knows its species before any list does.
    """

    key: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    scientific_name: str = Field(min_length=1)
    group: str | None = None  # an existing group to join; by default the taxon is its own group
    rank: str = "species"
    iucn: Literal[IUCN_CATEGORIES] = "NE"  # type: ignore[valid-type]
    cites: Literal[CITES_APPENDICES] = ""  # type: ignore[valid-type]
    native_range: list[str] = Field(default_factory=list)
    names: dict[str, list[str]] = Field(default_factory=dict)
    products: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    source: dict[str, str] = Field(default_factory=lambda: {"all": "study"})
    added_by: str = "anonymous"
    added_at: str | None = None
    note: str = ""

    def to_taxon(self) -> Taxon:
        return Taxon(key=self.key, scientific_name=self.scientific_name,
                     group=self.group or self.key, rank=self.rank,
                     common_names={k: list(v) for k, v in self.names.items()}, iucn=self.iucn,
                     cites=self.cites, native_range=[c.upper() for c in self.native_range],
                     source=dict(self.source))


class StudyTerms(_Strict):
    """The content of a study's ``lexicon.yaml``."""

    terms: list[StudyTerm] = Field(default_factory=list)
    rejected: list[RejectedTerm] = Field(default_factory=list)
    taxa: list[StudyTaxon] = Field(default_factory=list)

    def rejected_keys(self) -> set[str]:
        return {normalize(r.term) for r in self.rejected}

    def find(self, term: str) -> StudyTerm | None:
        key = normalize(term)
        return next((t for t in self.terms if normalize(t.term) == key), None)


def study_lexicon_path(study_or_root: Any) -> Path:
    """``lexicon.yaml`` of a study (a Study or its folder)."""
    root = getattr(study_or_root, "root", study_or_root)
    return Path(root) / STUDY_LEXICON_NAME


def read_study_terms(path: Path) -> StudyTerms:
    """The study's terms; an empty set when the file does not exist yet."""
    if not path.exists():
        return StudyTerms()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid UTF-8 YAML ({exc}); fix the syntax") from exc
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a mapping with the keys 'terms', 'rejected', 'taxa'")
    unknown = set(doc) - {"terms", "rejected", "taxa"}
    if unknown:
        raise InputError(f"{path}: unknown keys {sorted(unknown)}; allowed: rejected, taxa, terms")
    for key in ("terms", "rejected", "taxa"):
        if doc.get(key) is not None and not isinstance(doc[key], list):
            raise InputError(f"{path}: '{key}' must be a list of entries")
    try:
        return StudyTerms.model_validate(
            {k: doc.get(k) or [] for k in ("terms", "rejected", "taxa")})
    except ValidationError as exc:
        raise InputError(_describe(exc, path, doc)) from None


def _describe(error: ValidationError, path: Path, doc: dict) -> str:
    lines = []
    for item in error.errors():
        loc = list(item["loc"])
        where = f"{loc[0]}[{loc[1]}]" if len(loc) > 1 else str(loc[0])
        entry = doc.get(loc[0]) if loc else None
        name = ""
        if isinstance(entry, list) and len(loc) > 1 and isinstance(loc[1], int):
            raw = entry[loc[1]]
            if isinstance(raw, dict) and raw.get("term"):
                name = f" ({raw['term']!r})"
        field = f"field '{loc[2]}': " if len(loc) > 2 else ""
        lines.append(f"{path}: {where}{name}: {field}{item['msg']}")
    return "\n".join(lines) + "\nfix the entry or remove it ('wildsift lexicon list' shows them)"


def write_study_terms(path: Path, terms: StudyTerms) -> None:
    """Write atomically (a temporary file renamed over the old one)."""
    body = yaml.safe_dump(terms.model_dump(exclude_none=True), allow_unicode=True,
                          sort_keys=False, width=100)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(_HEADER + body, encoding="utf-8")
    tmp.replace(path)


def digest(path: Path) -> str:
    """A short hash of the file, so the lexicon version changes when the terms change."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8] if path.exists() else "none"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def add_study_terms(data: LexiconData, terms: StudyTerms, path: Path) -> None:
    """Fold the study's taxa and accepted terms into ``data``; an unknown taxon or a product term
    without a product is an error naming the file and entry."""
    for i, new in enumerate(terms.taxa):
        where = f"{path}: taxa[{i}] ({new.scientific_name!r})"
        groups = {t.group for t in data.taxa.values()}
        if new.group and new.group not in groups and new.group != new.key:
            raise InputError(f"{where}: field 'group': {new.group!r} is not a group of the "
                             f"lexicon; leave it out to make the taxon its own group")
        if new.key in data.taxa:
            raise InputError(f"{where}: field 'key': {new.key!r} is already a taxon of the "
                             "packaged lexicon; add names with 'wildsift lexicon accept'")
        data.taxa[new.key] = new.to_taxon()
        for product, by_lang in new.products.items():
            target = data.products.setdefault(new.group or new.key, {}).setdefault(product, {})
            for lang, words in by_lang.items():
                target.setdefault(lang, []).extend(
                    w for w in words if w not in target.get(lang, []))
    groups = {t.group for t in data.taxa.values()}
    for i, item in enumerate(terms.terms):
        where = f"{path}: terms[{i}] ({item.term!r})"
        taxon = data.taxa.get(item.taxon)
        if taxon is None:
            raise InputError(f"{where}: field 'taxon': {item.taxon!r} is not a taxon key or group "
                             f"of the lexicon; use one of {sorted(groups)} or a species key")
        if item.kind == "code_word":
            data.code_words.append(Term(item.term, taxon.key, item.lang, "code_word",
                                        item.product, item.note or "accepted by the study"))
        elif item.kind == "name":
            names = taxon.common_names.setdefault(item.lang, [])
            if item.term not in names:
                names.append(item.term)
        else:
            if not item.product:
                raise InputError(f"{where}: field 'product' is required for kind 'product' "
                                 f"(e.g. {sorted(data.products.get(taxon.group, {}))})")
            words = data.products.setdefault(taxon.group, {}).setdefault(
                item.product, {}).setdefault(item.lang, [])
            if item.term not in words:
                words.append(item.term)
