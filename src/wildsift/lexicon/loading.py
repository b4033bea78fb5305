"""Read lexicon YAML files into plain records, with errors that name the file and field.

A lexicon is a folder with a ``lexicon.yaml`` manifest (or any YAML file). Every file may hold:
``version``, ``date``, ``languages``, ``sources``, ``files`` (more files to read, relative),
``extends: default`` (start from the lexicon shipped with wildsift), ``group`` (the group of the
taxa, products and code words in this file), ``review_needed`` (languages of the group whose names
await a native speaker), ``source`` (where the facts of the file's taxa come from: a default that
each taxon's own ``source`` refines), ``taxa``, ``products``, ``code_words``, ``negatives``, and
``groups``: a list of sections with the keys ``group``, ``review_needed``, ``source``, ``taxa``,
``products`` and ``code_words``, so that one file holds a family of related groups (big cats).
A taxon whose key already exists is merged: names are added, scalar fields replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wildsift.errors import InputError
from wildsift.lexicon.taxon import CITES_APPENDICES, IUCN_CATEGORIES, SCIENTIFIC, Taxon, Term

DATA_DIR = Path(__file__).parent / "data"
# libyaml's safe loader when PyYAML has it: the same rules as yaml.safe_load, ~10x faster, and
# every worker process loads the 5,000-term lexicon once
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SECTION_KEYS = {"group", "review_needed", "source", "taxa", "products", "code_words"}
_FILE_KEYS = _SECTION_KEYS | {"version", "date", "languages", "sources", "files", "extends",
                              "negatives", "groups"}


@dataclass
class LexiconData:
    """Everything read from the files: taxa, group products, code words, negative phrases."""

    taxa: dict[str, Taxon] = field(default_factory=dict)
    products: dict[str, dict[str, dict[str, list[str]]]] = field(default_factory=dict)
    code_words: list[Term] = field(default_factory=list)
    negatives: list[Term] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def terms(self) -> list[Term]:
        """Every searchable term: names, scientific names, products, code words, negatives."""
        out: list[Term] = []
        for taxon in self.taxa.values():
            for name in [taxon.scientific_name, *taxon.synonyms]:
                out.append(Term(name, taxon.key, SCIENTIFIC, "name"))
            for lang, names in taxon.common_names.items():
                out.extend(Term(n, taxon.key, lang, "name") for n in names)
        for group, products in self.products.items():
            for product, by_lang in products.items():
                for lang, words in by_lang.items():
                    out.extend(Term(w, group, lang, "product", product) for w in words)
        return out + self.code_words + self.negatives


def read_lexicon(path: Path, data: LexiconData | None = None) -> LexiconData:
    """Read a lexicon folder or file (following ``files`` and ``extends``) into ``data``."""
    data = data if data is not None else LexiconData()
    path = Path(path)
    if path.is_dir():
        manifest = path / "lexicon.yaml"
        files = [manifest] if manifest.exists() else sorted(
            [*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise InputError(f"{path}: no lexicon.yaml or other YAML file in this folder")
        for file in files:
            read_lexicon(file, data)
        return data
    if not path.exists():
        raise InputError(f"{path}: lexicon file not found; give a lexicon folder or YAML file")
    _read_file(path, data)
    _finish(data)
    return data


def _read_file(path: Path, data: LexiconData) -> None:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid UTF-8 YAML ({exc}); fix the syntax") from exc
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a mapping with keys such as 'taxa' or 'products'")
    unknown = set(doc) - _FILE_KEYS
    if unknown:
        raise InputError(f"{path}: unknown keys {sorted(unknown)}; allowed: {sorted(_FILE_KEYS)}")
    if doc.get("extends") is not None:
        if doc["extends"] != "default":
            raise InputError(f"{path}: field 'extends' must be 'default' (the shipped lexicon)")
        read_lexicon(DATA_DIR, data)
    for key in ("version", "date", "languages", "sources"):
        if key in doc:
            base = data.meta.get(key) if doc.get("extends") else None
            data.meta[key] = f"{base}+{doc[key]}" if key == "version" and base else doc[key]
    _read_section(doc, path, data, str(path), {})
    for i, section in enumerate(doc.get("groups") or []):
        where = f"{path}: groups[{i}]"
        section = _mapping(section, where)
        unknown = set(section) - _SECTION_KEYS
        if unknown:
            raise InputError(f"{where}: unknown keys {sorted(unknown)}; "
                             f"allowed: {sorted(_SECTION_KEYS)}")
        if not section.get("group"):
            raise InputError(f"{where}: field 'group' is required")
        _read_section(section, path, data, where,
                      _source(doc.get("source"), f"{path}: source"))
    for lang, words in _mapping(doc.get("negatives") or {}, f"{path}: negatives").items():
        for word in _strings(words, f"{path}: negatives.{lang}"):
            data.negatives.append(Term(word, "", str(lang), "negative"))
    for name in doc.get("files") or []:
        _read_file(path.parent / str(name), data)


def _read_section(doc: dict, path: Path, data: LexiconData, where: str,
                  inherited: dict[str, str]) -> None:
    """Taxa, products and code words of one group: a whole file, or an entry of ``groups``."""
    group = doc.get("group")
    source = {**inherited, **_source(doc.get("source"), f"{where}: source")}
    review = _strings(doc.get("review_needed") or [], f"{where}: review_needed")
    for i, raw in enumerate(doc.get("taxa") or []):
        _add_taxon(data, _taxon(raw, group, f"{where}: taxa[{i}]", source, review))
    if doc.get("products"):
        if not group:
            raise InputError(f"{where}: field 'group' is required when a file has 'products'")
        target = data.products.setdefault(group, {})
        for product, by_lang in _mapping(doc["products"], f"{where}: products").items():
            merged = target.setdefault(str(product), {})
            for lang, words in _mapping(by_lang, f"{where}: products.{product}").items():
                _extend(merged.setdefault(str(lang), []),
                        _strings(words, f"{where}: {product}.{lang}"))
    for i, raw in enumerate(doc.get("code_words") or []):
        at = f"{where}: code_words[{i}]"
        raw = _mapping(raw, at)
        taxon = raw.get("taxon") or group
        for req, value in (("term", raw.get("term")), ("lang", raw.get("lang")), ("group", taxon)):
            if not value:
                raise InputError(f"{at}: field '{req}' is required")
        data.code_words.append(Term(str(raw["term"]), str(taxon), str(raw["lang"]), "code_word",
                                    raw.get("product"), str(raw.get("note", ""))))


def _taxon(raw: Any, group: str | None, where: str, source: dict[str, str] | None = None,
           review: list[str] | None = None) -> Taxon:
    raw = _mapping(raw, where)
    for req in ("key", "scientific_name", "rank", "iucn", "cites"):
        if raw.get(req) is None or (raw[req] == "" and req != "cites"):  # "" = not listed
            raise InputError(f"{where}: field '{req}' is required")
    group = raw.get("group") or group
    if not group:
        raise InputError(f"{where}: field 'group' is required (in the taxon or the file)")
    iucn, cites = str(raw["iucn"]), str(raw["cites"])
    if iucn not in IUCN_CATEGORIES:
        raise InputError(f"{where}: field 'iucn' is {iucn!r}; use one of {IUCN_CATEGORIES}")
    if cites not in CITES_APPENDICES:
        raise InputError(f"{where}: field 'cites' is {cites!r}; use one of I, II, III")
    names = {str(lang): _strings(v, f"{where}.names.{lang}")
             for lang, v in _mapping(raw.get("names") or {}, f"{where}.names").items()}
    populations = {str(k): [str(c).upper() for c in _strings(v, f"{where}.cites_populations")]
                   for k, v in _mapping(raw.get("cites_populations") or {}, where).items()}
    return Taxon(
        key=str(raw["key"]), scientific_name=str(raw["scientific_name"]), group=str(group),
        rank=str(raw["rank"]), common_names=names, iucn=iucn, cites=cites,
        native_range=[str(c).upper() for c in _strings(raw.get("native_range") or [], where)],
        synonyms=_strings(raw.get("synonyms") or [], f"{where}.synonyms"),
        cites_populations=populations,
        source={**(source or {}), **_source(raw.get("source"), f"{where}.source")},
        review=sorted({*(review or []), *_strings(raw.get("review") or [], f"{where}.review")}),
    )


def _add_taxon(data: LexiconData, new: Taxon) -> None:
    old = data.taxa.get(new.key)
    if old is None:
        data.taxa[new.key] = new
        return
    for lang, names in new.common_names.items():
        _extend(old.common_names.setdefault(lang, []), names)
    _extend(old.synonyms, new.synonyms)
    old.scientific_name, old.rank, old.iucn, old.cites = (
        new.scientific_name, new.rank, new.iucn, new.cites)
    if new.native_range:
        old.native_range = new.native_range
    old.cites_populations.update(new.cites_populations)
    old.source.update(new.source)
    _extend(old.review, new.review)


def _finish(data: LexiconData) -> None:
    """A group-level taxon without its own range gets the union of its species' ranges."""
    for taxon in data.taxa.values():
        if taxon.is_group and not taxon.native_range:
            codes = {c for t in data.taxa.values() if t.group == taxon.group for c in t.native_range}
            taxon.native_range = sorted(codes)
            if codes:
                taxon.source.setdefault("range", "union of its species' ranges")


def _source(value: Any, where: str) -> dict[str, str]:
    """``{fact: where it comes from}``; a bare string applies to every fact (key ``all``)."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"all": value}
    return {str(k): str(v) for k, v in _mapping(value, where).items()}


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise InputError(f"{where}: expected a list of strings")
    if any(isinstance(v, bool) for v in value):
        raise InputError(f"{where}: YAML read a code such as NO or ON as true/false; quote it")
    return [str(v) for v in value]


def _extend(target: list[str], items: list[str]) -> None:
    target.extend(i for i in items if i not in target)
