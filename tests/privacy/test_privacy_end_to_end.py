"""Planted identifiers never reach the database file, the logs, the exports or the report.

This is the promise of privacy at ingest: a post is pseudonymised and redacted before the first
write, so no byte of anything wildsift writes can identify the person behind it.
"""

from __future__ import annotations

import csv
import logging

import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.report.assets import plotly_js

runner = CliRunner()

PLANTED = {
    "author": ["ivory_king_88", "Nguyen Van Hung", "pangolin.trader"],
    "phone": ["+84 912 345 678", "0912 345 678", "+86 138 0013 8000", "+66 81 234 5678",
              "+62 812-3456-7890", "+234 803 123 4567", "+254 712 345678", "081 234 5678"],
    "email": ["hung.ivory@example.com", "SCALES.DEALER@mail.example.org"],
    "handle": ["@hornseller_vn", "@ivory_king_88"],
    "messenger": ["wechat: tusk_trader_01", "zalo 0987654321", "line id: rhinohorn99",
                  "WA +27 82 123 4567", "t.me/scales_shop"],
    "profile": ["https://facebook.com/ivory.carvings.hanoi", "https://instagram.com/horn_shop"],
}
TEXTS = [
    "Selling ivory bangles, 2 pieces, 500 USD. Call {phone} or mail {email}",
    "Bán sừng tê giác thật, giá tốt. Liên hệ {phone}, {messenger}",
    "出售象牙手镯 价格 3000元 {messenger} {handle}",
    "ขายเกล็ดลิ่น ราคาถูก โทร {phone} see {profile}",
    "Jual sisik trenggiling asli, hubungi {phone} {email}",
]


def _must_not_contain() -> list[str]:
    values = []
    for items in PLANTED.values():
        for item in items:
            values.append(item)
            # the bare id of messenger/profile/handle strings too
            values.append(item.split(" ")[-1].split("/")[-1].lstrip("@+:"))
    digits_only = ["".join(ch for ch in p if ch.isdigit()) for p in PLANTED["phone"]]
    return sorted({v for v in values + digits_only if len(v) >= 6})


@pytest.fixture
def planted_csv(tmp_path):
    path = tmp_path / "planted.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "created_at", "text", "author", "author_description", "mentions",
                         "reply_to", "lat", "lon", "label"])
        n = 0
        for i, template in enumerate(TEXTS):
            for j in range(len(PLANTED["phone"])):
                text = template.format(
                    phone=PLANTED["phone"][j], email=PLANTED["email"][j % 2],
                    messenger=PLANTED["messenger"][j % 5], handle=PLANTED["handle"][j % 2],
                    profile=PLANTED["profile"][j % 2])
                author = PLANTED["author"][n % 3]
                writer.writerow([f"id{n}", f"2025-0{1 + n % 9}-1{n % 9}T10:00:00Z", text, author,
                                 f"Dealer, WhatsApp {PLANTED['phone'][(j + 1) % 8]}",
                                 PLANTED["author"][(n + 1) % 3], PLANTED["author"][(n + 2) % 3],
                                 "21.03", "105.85", str(i % 2)])
                n += 1
    return path


def test_no_planted_identifier_is_written_anywhere(study, planted_csv, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    base = ["--study", str(study.root)]
    outputs = []
    for args in (["import", str(planted_csv), "--format", "csv"], ["sift"], ["report"],
                 ["export", str(tmp_path / "out.jsonl")], ["label", "export"]):
        result = runner.invoke(app, base + args)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    assert "stored 40" in outputs[0]
    study.close()
    written = {p: p.read_bytes() for p in study.root.rglob("*") if p.is_file()
               and p.name != ".wildsift-secret"}
    written[tmp_path / "out.jsonl"] = (tmp_path / "out.jsonl").read_bytes()
    assert any(p.suffix == ".html" for p in written), "the report was not written"
    # The report inlines plotly.js verbatim; its digit tables ("0123456789") are not a leak.
    vendored = plotly_js().encode()
    written = {p: data.replace(vendored, b"") for p, data in written.items()}
    logs = "\n".join(r.getMessage() for r in caplog.records) + "\n".join(outputs)
    leaks = []
    for value in _must_not_contain():
        needle = value.encode()
        for path, data in written.items():
            if needle in data or needle.lower() in data.lower():
                leaks.append(f"{value!r} in {path.name}")
        if value.lower() in logs.lower():
            leaks.append(f"{value!r} in logs/output")
    assert not leaks, leaks
