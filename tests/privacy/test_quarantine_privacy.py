"""A quarantined record's reason must not carry the personal data of the record it describes.

When a CSV row is shifted (a missing comma), a phone number or a name lands in the date or
coordinate column; the reason stored for that row must point to file, line and field without
repeating the value.
"""

from __future__ import annotations

from typer.testing import CliRunner

from wildsift.cli.main import app

runner = CliRunner()


def test_reasons_do_not_repeat_the_offending_values(study, tmp_path):
    path = tmp_path / "shifted.csv"
    path.write_text(
        "id,created_at,text,author,lat,lon,label,country,platform\n"
        "1,Nguyen Van Hung,ivory for sale,seller1,21.0,105.8,1,VN,facebook\n"
        "2,2025-01-01,ivory for sale,seller2,+84 912 345 678,105.8,1,VN,facebook\n"
        "3,2025-01-01,ivory for sale,seller3,21.0,105.8,hung.ivory@example.com,VN,facebook\n"
        "4,2025-01-01,ivory for sale,seller4,21.0,105.8,1,Tran Thi Mai,facebook\n"
        "5,2025-01-01,ivory for sale,seller5,21.0,105.8,1,VN,wa.me/84912345678\n"
    )
    result = runner.invoke(app, ["--study", str(study.root), "import", str(path)])
    assert result.exit_code == 0, result.output
    items = study.store.quarantine.all()
    assert [(q.location, q.field) for q in items] == [
        ("shifted.csv:2", "created_at"), ("shifted.csv:3", "lat"), ("shifted.csv:4", "label"),
        ("shifted.csv:5", "country"), ("shifted.csv:6", "platform")]
    stored = " ".join(f"{q.reason} {q.location}" for q in items)
    for value in ("Nguyen", "912 345 678", "hung.ivory", "Tran Thi Mai", "84912345678"):
        assert value not in stored
        assert value not in result.output
