"""Planted identifiers everywhere: none of them, in any written form, in any file of the study.

Posts with planted phone numbers (valid, possible-only, obfuscated), e-mails, messenger ids,
handles, profile links, person names and the post's own account names and ids go through the
real command line into a SQLite study: ``import`` (one malformed row goes to quarantine),
``sift``, ``train``, ``report``, ``export``, ``label export``. Then every file in the study
folder (database, WAL, models, reports, exports, label files) and the commands' output and
logs are searched for every planted value in each of its written forms (as written, lower
case, digits only, E.164, national, without diacritics). Model artifacts are compressed
(joblib): they are loaded and their whole object graph is pickled again, uncompressed, and
searched (strings as UTF-8 and as the UTF-32 of NumPy string arrays).

Run with ``-s`` to print the recall per kind (the table in docs/benchmarks.md).
"""

from __future__ import annotations

import csv
import logging
import pickle
import re
import unicodedata
from pathlib import Path

import joblib
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.report.assets import plotly_js

runner = CliRunner()

# kind: [(as written in the post, extra written forms that must not appear either)]
PLANTED: dict[str, list[tuple[str, list[str]]]] = {
    "phone, valid": [
        ("+84 912 345 678", ["84912345678", "0912345678", "912345678", "912 345 678"]),
        ("+86 138 0013 8000", ["8613800138000", "13800138000"]),
        ("+234 803 123 4567", ["2348031234567", "08031234567", "8031234567"]),
    ],
    "phone, possible only": [
        ("+44 7700 900123", ["447700900123", "07700900123", "7700900123", "7700 900123"]),
        ("+1 208 052 5380", ["12080525380", "2080525380", "052 5380"]),
    ],
    "phone, obfuscated": [
        ("zero nine zero three one one two two three three", ["0903112233", "903112233"]),
        ("０９７６ ５５４ ３２１", ["0976554321", "976554321", "０９７６５５４３２１"]),
        ("0915 246\n813", ["0915246813", "915246813"]),
        ("+84-9I2-77I-888".replace("I", "1"), ["84912771888", "0912771888", "912771888"]),
    ],
    "e-mail": [
        ("hung.ivory@example.com", ["hung.ivory"]),
        ("scales.dealer [at] mail [dot] com", ["scales.dealer"]),
    ],
    "messenger id": [
        ("wechat: tusk_trader_01", ["tusk_trader_01"]),
        ("line id: rhinohorn99", ["rhinohorn99"]),
        ("zalo 0987 123 456", ["0987123456", "987123456"]),
    ],
    "handle": [
        ("@hornseller_vn", ["hornseller_vn"]),
        ("@scale.queen@mastodon.social", ["scale.queen"]),
    ],
    "profile link": [
        ("https://facebook.com/ivory.carvings.hanoi", ["ivory.carvings.hanoi"]),
        ("instagram.com/horn_shop_77", ["horn_shop_77"]),
        ("t.me/scales_shop", ["scales_shop"]),
    ],
    "person name": [
        ("Nguyen Van Minh", ["Nguyễn Văn Minh", "nguyen van minh"]),
        ("Trần Thị Lan", ["Tran Thi Lan"]),
        ("Trevor Blackwood", ["Blackwood"]),
        ("Budi Santoso", ["Santoso"]),
        ("张伟", []),
        ("สมชาย", []),
        ("Gottfried Brenner", ["Brenner"]),
    ],
    "own account name or id": [
        ("ivory_king_88", []),
        ("pangolin.trader", []),
        ("100004567891234", []),
    ],
}
# Each planted value in a sentence a seller would write (the names after their usual cue).
SENTENCES = {
    "Nguyen Van Minh": "ask Nguyen Van Minh at the shop on Hang Bac street",
    "Trần Thị Lan": "liên hệ chị Trần Thị Lan",
    "Trevor Blackwood": "contact Mr. Trevor Blackwood",
    "Budi Santoso": "hubungi Pak Budi Santoso",
    "张伟": "联系人：张伟",
    "สมชาย": "ติดต่อคุณสมชายค่ะ",
    "Gottfried Brenner": "fragen Sie nach Herr Gottfried Brenner",
    "zero nine zero three one one two two three three":
        "call zero nine zero three one one two two three three",
    "０９７６ ５５４ ３２１": "call ０９７６ ５５４ ３２１",
    "+84-912-771-888": "WA +84-912-771-888",
    "ivory_king_88": "ivory_king_88 ships daily",
    "pangolin.trader": "orders via pangolin.trader",
    "100004567891234": "",
}
RELEVANT = ["Genuine rhino horn for sale, {0}. Price 5000 USD",
            "Bán sừng tê giác thật, {0}, giao toàn quốc",
            "出售象牙手镯 包邮 {0}",
            "Jual sisik trenggiling asli, {0}"]
OTHER = ["Lovely sunset over the lake today, {0}",
         "Selling my old bicycle, good condition, {0}",
         "Recipe for mango cake, ask me, {0}",
         "Football match tonight at 8pm, {0}"]
AUTHORS = ["ivory_king_88", "pangolin.trader", "100004567891234"]


def _values() -> list[tuple[str, str]]:
    return [(kind, written) for kind, items in PLANTED.items() for written, _ in items]


def _forms(written: str, extra: list[str]) -> set[str]:
    folded = "".join(c for c in unicodedata.normalize("NFD", written)
                     if unicodedata.category(c) != "Mn")
    forms = {written, written.lower(), folded, folded.lower(), *extra}
    forms |= {f.replace("\n", " ") for f in forms}
    return {f for f in forms if len(f.replace(" ", "")) >= (2 if not f.isascii() else 6)}


def _write_posts(path: Path) -> int:
    values = _values()
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "created_at", "text", "author", "author_description", "mentions",
                         "reply_to", "lat", "lon", "label"])
        for i in range(64):
            kind, written = values[i % len(values)]
            other_kind, other = values[(i * 7 + 3) % len(values)]
            planted = [SENTENCES.get(written, written), SENTENCES.get(other, other)]
            if kind == "own account name or id":
                planted[0] = SENTENCES[written]
            template = (RELEVANT if i % 2 == 0 else OTHER)[(i // 2) % 4]
            text = template.format(", ".join(p for p in planted if p))
            writer.writerow([f"id{i}", f"2025-0{1 + i % 9}-1{i % 9}T10:00:00Z", text,
                             AUTHORS[i % 3], f"Dealer, contact Mr. Trevor Blackwood, "
                             f"WhatsApp +44 7700 900123", AUTHORS[(i + 1) % 3],
                             AUTHORS[(i + 2) % 3], "21.03", "105.85", str(1 - i % 2)])
            rows += 1
        # A malformed row (its date column holds a phone number): quarantined, not stored.
        writer.writerow(["bad1", "+84 912 345 678", "ask Nguyen Van Minh hung.ivory@example.com",
                         "ivory_king_88", "", "", "", "21.0", "105.8", "1"])
    return rows


def _model_bytes(path: Path) -> bytes:
    """A model artifact's object graph, pickled again without compression."""
    data = pickle.dumps(joblib.load(path), protocol=4)
    return data


def _search(root: Path, extra: dict[Path, bytes], logs: str) -> dict[str, list[str]]:
    written = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()
               and p.name != ".wildsift-secret"}
    for path in [p for p in written if p.suffix == ".joblib"]:
        written[path.with_suffix(".joblib.unpickled")] = _model_bytes(path)
    written |= extra
    vendored = plotly_js().encode()  # inlined verbatim in the report: not ours to search
    written = {p: data.replace(vendored, b"").lower() for p, data in written.items()}
    logs = logs.lower()
    leaks: dict[str, list[str]] = {kind: [] for kind in PLANTED}
    for kind, items in PLANTED.items():
        for written_form, extra_forms in items:
            for form in _forms(written_form, extra_forms):
                needles = {form.lower().encode(), form.lower().encode("utf-32-le")}
                for path, data in written.items():
                    if any(n in data for n in needles):
                        leaks[kind].append(f"{form!r} in {path.name}")
                if form.lower() in logs:
                    leaks[kind].append(f"{form!r} in logs/output")
    return leaks


def test_no_planted_identifier_in_any_file_of_the_study(study, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    posts = tmp_path / "planted.csv"
    n = _write_posts(posts)
    base = ["--study", str(study.root)]
    out_export, out_labels = study.root / "exports" / "posts.jsonl", study.root / "labels.csv"
    out_export.parent.mkdir(exist_ok=True)
    outputs = []
    for args in (["import", str(posts), "--format", "csv"], ["sift"], ["train", "--folds", "2"],
                 ["sift"], ["report"], ["export", str(out_export)],
                 ["label", "export", "--out", str(out_labels)]):
        result = runner.invoke(app, base + args)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    assert f"stored {n}" in outputs[0]
    assert study.store.quarantine.all(), "the malformed row was not quarantined"
    models = list(study.root.rglob("*.joblib"))
    assert models, "train wrote no model artifact"
    assert any(p.suffix == ".html" for p in study.root.rglob("*")), "no report"
    assert out_export.stat().st_size > 0 and out_labels.stat().st_size > 0
    # The tokens are there instead: the check is not passing because nothing was imported.
    exported = out_export.read_text(encoding="utf-8")
    for token in ("<PHONE:", "<EMAIL:", "<MESSENGER:", "<HANDLE:", "<URL:", "<NAME:"):
        assert token in exported, token
    wal = {p: p.read_bytes() for p in study.root.glob("*-wal")}  # before close checkpoints it
    study.close()
    logs = "\n".join(r.getMessage() for r in caplog.records) + "\n".join(outputs)
    leaks = _search(study.root, wal, logs)
    print("\n| kind | planted values | written forms searched | found in the study | recall |")
    print("|---|---|---|---|---|")
    for kind, items in PLANTED.items():
        forms = sum(len(_forms(w, e)) for w, e in items)
        found = {leak.split(" in ")[0] for leak in leaks[kind]}
        print(f"| {kind} | {len(items)} | {forms} | {len(found)} | "
              f"{1 - len(found) / forms:.3f} |")
    assert not any(leaks.values()), leaks


def test_the_search_finds_what_is_not_redacted(study, tmp_path):
    """Control: with person names and phones left out of ``privacy.redact``, the same search
    finds them in the database (so a pass above is not a search that cannot find)."""
    config = study.root / "wildsift.toml"
    text, count = re.subn(r"redact = \[[^\]]*\]", 'redact = ["email", "handle", "url", "messenger"]',
                          config.read_text())
    assert count == 1
    config.write_text(text)
    posts = tmp_path / "planted.csv"
    _write_posts(posts)
    result = runner.invoke(app, ["--study", str(study.root), "import", str(posts),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    study.close()
    leaks = _search(study.root, {}, "")
    assert leaks["person name"] and leaks["phone, valid"] and leaks["phone, possible only"]
    assert not leaks["e-mail"] and not leaks["handle"]
