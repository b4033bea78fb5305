"""Shared fixtures: a fresh study, and the PostgreSQL URL when CI started a server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wildsift.study import Study

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def study(tmp_path: Path) -> Study:
    created = Study.init(tmp_path / "study", name="test study")
    yield created
    created.close()


@pytest.fixture
def pg_url() -> str:
    url = os.environ.get("WILDSIFT_TEST_PG_URL")
    if not url:
        pytest.skip("WILDSIFT_TEST_PG_URL is not set (.ci/run starts PostgreSQL and sets it)")
    return url
