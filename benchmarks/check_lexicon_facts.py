"""Check the packaged lexicon's facts against the shared reference files and print mismatches.

    python benchmarks/check_lexicon_facts.py [/work/shared/reference]

Reads (never copies) the CITES Appendix I checklist (2026), the Species+ Index of CITES species
(2017) and the Mammal Diversity Database (2020) and, for every taxon found there, compares
the CITES appendix, the IUCN category (mammals) and the native range with the YAML. A mismatch
is not always an error: the 2017 index predates CoP18-CoP20 and MDD's statuses are of 2020, so
each line says which file disagrees, and the YAML's ``source`` says which the lexicon followed.
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

from wildsift.lexicon import Lexicon

REFERENCE = Path("/work/shared/reference")
_JOINED = {"SAR", "Province"}  # "Hong Kong, SAR", "Taiwan, Province of China"


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _names(text: str) -> list[str]:
    out: list[str] = []
    for token in (t.strip() for t in text.split(",")):
        if token and out and (token.split()[0] in _JOINED or token[0].islower()):
            out[-1] += ", " + token
        elif token:
            out.append(token)
    return out


def appendix_i(root: Path) -> dict[str, tuple[str, set[str]]]:
    """{scientific name or synonym: (listing, native ISO codes)} of the 2026 Appendix I."""
    folder = root / "cites-appendix-I"
    usages = _tsv(folder / "NameUsage.tsv")
    ids = {u["scientificName"]: u["ID"] for u in usages if u["status"] == "accepted"}
    for u in usages:
        if u["status"] == "synonym":
            ids.setdefault(" ".join(u["scientificName"].split()[:2]), u["parentID"])
    listing = {p["taxonID"]: p["value"] for p in _tsv(folder / "taxon-property.tsv")}
    native: dict[str, set[str]] = {}
    for d in _tsv(folder / "distribution.tsv"):
        if d["establishmentMeans"].startswith("native"):
            native.setdefault(d["taxonID"], set()).add(d["areaID"])
    return {name: (listing.get(i, ""), native.get(i, set())) for name, i in ids.items()}


def index_2017(root: Path) -> dict[str, tuple[str, set[str] | None]]:
    """{full name: (listing, native ISO codes or None when unreadable)} of the 2017 index."""
    out: dict[str, tuple[str, set[str] | None]] = {}
    csv.field_size_limit(10**8)
    path = next((root / "cites-index-2017").glob("*.csv.gz"))
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            codes = [c.strip() for c in row["All_DistributionISOCodes"].split(",") if c.strip()]
            names = _names(row["All_DistributionFullNames"])
            wanted = set(_names(row["NativeDistributionFullNames"]))
            native = ({c for c, n in zip(codes, names, strict=True) if n in wanted}
                      if len(codes) == len(names) else None)
            out.setdefault(row["FullName"], (row["CurrentListing"], native))
    return out


def mdd(root: Path) -> dict[str, str]:
    """{scientific name: IUCN status of 2020} of the Mammal Diversity Database."""
    with (root / "mammal-diversity-2020" / "mdd.csv").open(encoding="utf-8") as fh:
        return {r["sciName"].replace("_", " "): r["iucnStatus"] for r in csv.DictReader(fh)}


def check(lex: Lexicon, root: Path) -> list[str]:
    """Mismatches, one line each."""
    app1, idx, mammals = appendix_i(root), index_2017(root), mdd(root)
    try:  # codes of countries that no longer exist (CS, AN) are not a mismatch
        import pycountry
        valid = {c.alpha_2 for c in pycountry.countries}
    except ImportError:  # pragma: no cover
        valid = None
    out: list[str] = []
    for taxon in lex.taxa.values():
        names = [taxon.scientific_name, *taxon.synonyms]
        a1 = next((app1[n] for n in names if n in app1), None)
        ix = next((idx[n] for n in names if n in idx), None)
        status = next((mammals[n] for n in names if n in mammals), None)
        where = f"{taxon.key} ({taxon.scientific_name})"
        if a1 and a1[0] == "Appendix I" and "I" not in {taxon.cites, *taxon.cites_populations}:
            out.append(f"{where}: CITES {taxon.cites or 'none'} in the YAML, Appendix I in "
                       "cites-appendix-I-2026")
        if taxon.cites == "I" and not taxon.cites_populations and a1 is None and ix \
                and "I" not in ix[0].split("/"):
            out.append(f"{where}: CITES I in the YAML, not in cites-appendix-I-2026; "
                       f"cites-index-2017 says {ix[0]}")
        if ix and not a1 and taxon.cites and taxon.cites not in ix[0].split("/"):
            out.append(f"{where}: CITES {taxon.cites} in the YAML, {ix[0]} in cites-index-2017")
        if status and status not in ("NA", "") and status != taxon.iucn:
            out.append(f"{where}: IUCN {taxon.iucn} in the YAML, {status} in mdd-2020 "
                       f"(source: {taxon.source.get('iucn', '-')})")
        native = (a1[1] if a1 and a1[1] else None) or (ix[1] if ix else None)
        if native and taxon.native_range:
            missing = sorted(c for c in native - set(taxon.native_range)
                             if valid is None or c in valid)
            if missing:
                out.append(f"{where}: native range lacks {', '.join(missing)} listed in the "
                           "reference")
        if not taxon.is_group and not a1 and not ix and not status and \
                not any(v.startswith("knowledge") for v in taxon.source.values()):
            out.append(f"{where}: in no reference file and no fact marked 'knowledge'")
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else REFERENCE
    if not root.exists():
        print(f"{root}: reference data not found", file=sys.stderr)
        return 2
    lex = Lexicon.default()
    lines = check(lex, root)
    print("\n".join(lines) if lines else "no mismatches")
    print(f"checked {len(lex.taxa)} taxa against {root}: {len(lines)} mismatches")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
