"""The typed seams (``[tool.mypy] files`` in pyproject.toml) pass the type checker: a change
that breaks a signature the rest of wildsift relies on fails here, not at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_typed_seams_type_check(tmp_path, monkeypatch):
    api = pytest.importorskip("mypy.api", reason="mypy is in the test extra")
    monkeypatch.chdir(ROOT)  # the configured files are relative to the project
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                "--cache-dir", str(tmp_path / "mypy-cache"), "--no-pretty"])
    assert status == 0, out + err
