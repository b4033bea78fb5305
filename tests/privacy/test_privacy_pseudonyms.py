"""Pseudonyms hold without the secret, and a rotated secret unlinks old from new.

An attacker holds every file of a study except its secret. They enumerate phone numbers of a
region and common handles, hash each one every way the code could have without the key, and
look for the results among the tokens (``<PHONE:ab12cd>``), account pseudonyms (``u_<16>``)
and post ids (``p_<24>``) stored in the database. They recover none; the same enumeration
with the secret recovers every planted identifier (so the attack is not blind by
construction). ``benchmarks/bench_pseudonym_attack.py`` runs it over 10^6 numbers.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.rotation import LINKS_NAME, PREVIOUS_NAME, read_links

runner = CliRunner()
PHONES = ["+84912012345", "+84912000417", "+84912049001"]  # inside the enumerated block
HANDLES = ["ivory_king", "hornseller", "pangolin_trader"]
BLOCK = range(0, 50_000)  # +84 912 0xxxxx, national 0912 0xxxxx (the benchmark: 10^6)


def _import(study, tmp_path: Path, name: str = "posts.csv", prefix: str = "a") -> None:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "created_at", "text", "author", "mentions", "platform"])
        for i, phone in enumerate(PHONES * 2):
            national = "0" + phone[3:]
            writer.writerow([f"{prefix}{i}", "2025-01-01T10:00:00Z",
                             f"Ngà voi thật, liên hệ {national} hoặc @{HANDLES[i % 3]}",
                             HANDLES[i % 3], HANDLES[(i + 1) % 3], "facebook"])
    result = runner.invoke(app, ["--study", str(study.root), "import", str(path)])
    assert result.exit_code == 0, result.output


def stored_hashes(database: Path) -> dict[str, set[str]]:
    """What an attacker reads from the database file alone: every token hash, pseudonym and
    hashed post id in any text cell of any table."""
    found: dict[str, set[str]] = {"token": set(), "account": set(), "post": set()}
    with sqlite3.connect(database) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        for table in tables:
            for row in conn.execute(f'select * from "{table}"'):
                for cell in row:
                    if not isinstance(cell, str):
                        continue
                    found["token"] |= set(re.findall(r"<[A-Z]+:([0-9a-f]{6})>", cell))
                    found["account"] |= set(re.findall(r"\bu_([0-9a-f]{16})\b", cell))
                    found["post"] |= set(re.findall(r"\bp_([0-9a-f]{24})\b", cell))
    return found


def candidates(block: Iterable[int]) -> Iterator[tuple[str, list[str]]]:
    """(identifier, the strings the code could have hashed for it) for phones and handles."""
    for n in block:
        e164 = f"+84912{n:06d}"
        national = f"0912{n:06d}"
        yield e164, [f"tel:{e164}", e164, e164[1:], national, f"contact:tel:{e164}"]
    for handle in HANDLES + [f"user{i}" for i in range(2000)] + ["admin", "ivory", "shop"]:
        yield handle, [f"id:{handle}", handle, "@" + handle, f"contact:id:{handle}",
                       f"account:facebook:{handle}", f"facebook:{handle}"]


_KEYLESS = [  # every unkeyed hash, and HMACs with keys an attacker could guess
    lambda s: hashlib.sha256(s).hexdigest(), lambda s: hashlib.sha1(s).hexdigest(),
    lambda s: hashlib.md5(s).hexdigest(), lambda s: hashlib.blake2b(s).hexdigest(),
    lambda s: hashlib.sha512(s).hexdigest(),
    lambda s: hmac.new(b"", s, "sha256").hexdigest(),
    lambda s: hmac.new(b"\0" * 32, s, "sha256").hexdigest(),
    lambda s: hmac.new(b"wildsift", s, "sha256").hexdigest(),
]


def attack(found: dict[str, set[str]], block: Iterable[int],
           hashers: list) -> set[str]:
    """The identifiers whose hash, in any scheme and length, is among the stored ones."""
    recovered = set()
    for identifier, forms in candidates(block):
        for form in forms:
            data = form.encode()
            for hasher in hashers:
                digest = hasher(data)
                if (digest[:6] in found["token"] or digest[:16] in found["account"]
                        or digest[:24] in found["post"]):
                    recovered.add(identifier)
    return recovered


def test_a_dictionary_attack_without_the_secret_recovers_nothing(study, tmp_path):
    _import(study, tmp_path)
    found = stored_hashes(study.root / "wildsift.sqlite")
    assert len(found["token"]) >= 4 and len(found["account"]) == 3
    planted = set(PHONES) | set(HANDLES)
    recovered = attack(found, BLOCK, _KEYLESS)
    # 6 hex digits are 24 bits: a few of the enumerated numbers hash to a stored token by
    # chance (about 0.02 per stored token and scheme here); none is a planted identifier.
    assert not (recovered & planted), recovered & planted
    # Control: the attack with the study's key finds every planted identifier.
    keyed = Pseudonymizer(study.secret)
    hits = attack(found, BLOCK, [lambda s: _keyed(keyed, s)])
    assert planted <= hits, planted - hits


def _keyed(keyed: Pseudonymizer, data: bytes) -> str:
    text = data.decode()
    if text.startswith("contact:"):
        return keyed.digest("contact", text[len("contact:"):], 16)
    if text.startswith("account:facebook:"):
        return keyed.digest("account:facebook", text[len("account:facebook:"):])
    return ""


def test_rotation_unlinks_old_tokens_from_new_ones(study, tmp_path):
    _import(study, tmp_path, "before.csv", "a")
    old_secret = study.secret
    before = stored_hashes(study.root / "wildsift.sqlite")
    result = runner.invoke(app, ["--study", str(study.root), "secret", "rotate"])
    assert result.exit_code == 0, result.output
    assert study.secret != old_secret
    assert (study.root / ".wildsift-secret").stat().st_mode & 0o077 == 0
    assert not (study.root / PREVIOUS_NAME).exists()
    _import(study, tmp_path, "after.csv", "b")  # the same accounts and contacts again
    after = stored_hashes(study.root / "wildsift.sqlite")
    new = {k: after[k] - before[k] for k in after}
    assert len(new["account"]) == 3 and len(new["token"]) >= 4
    # Nothing in the study links them: no old hash reappears, and no link table exists.
    assert not (study.root / LINKS_NAME).exists()
    assert not any(new[k] & before[k] for k in before)
    assert b"\n" not in (study.root / ".wildsift-secret").read_bytes().strip()


def test_rotation_with_keep_link_writes_pairs_of_pseudonyms_only(study, tmp_path):
    _import(study, tmp_path, "before.csv", "a")
    before = stored_hashes(study.root / "wildsift.sqlite")
    result = runner.invoke(app, ["--study", str(study.root), "secret", "rotate", "--keep-link"])
    assert result.exit_code == 0, result.output
    assert (study.root / PREVIOUS_NAME).stat().st_mode & 0o077 == 0
    _import(study, tmp_path, "after.csv", "b")
    links = read_links(study.root)
    accounts = {r["old"]: r["new"] for r in links if r["kind"] == "account"}
    assert {old[2:] for old in accounts} == before["account"]
    after = stored_hashes(study.root / "wildsift.sqlite")
    assert {new[2:] for new in accounts.values()} == after["account"] - before["account"]
    tokens = {r["old"] for r in links if r["kind"] == "phone"}
    assert {t[7:13] for t in tokens} <= before["token"]
    raw = (study.root / LINKS_NAME).read_text()
    for value in PHONES + HANDLES + [p[3:] for p in PHONES]:
        assert value not in raw
    # Rotating again without --keep-link drops the kept secret: no later pair can be made.
    result = runner.invoke(app, ["--study", str(study.root), "secret", "rotate"])
    assert result.exit_code == 0 and "previously kept" in result.output
    assert not (study.root / PREVIOUS_NAME).exists()
