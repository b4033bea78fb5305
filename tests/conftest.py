"""Shared fixtures: a fresh study, the PostgreSQL URL when CI started a server, and a store on
each backend (SQLite, and a fresh PostgreSQL database when there is a server)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from wildsift.store import Store
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


@pytest.fixture(params=["sqlite", "postgresql"])
def crash_backend(request):
    """Where a kill -9 test's studies live (``crash_harness.Backend``): SQLite, then a fresh
    PostgreSQL database (skipped when WILDSIFT_TEST_PG_URL is not set)."""
    from crash_harness import Backend

    if request.param == "sqlite":
        return Backend()
    return Backend("postgresql", request.getfixturevalue("pg_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """A new, migrated store: a SQLite file, then a fresh PostgreSQL database (skipped when
    WILDSIFT_TEST_PG_URL is not set)."""
    if request.param == "sqlite":
        opened = Store.open(f"sqlite:///{tmp_path / 'w.sqlite'}")
    else:
        base = request.getfixturevalue("pg_url")
        admin = Store.open(base).engine
        name = "t_" + uuid.uuid4().hex[:10]
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        opened = Store.open(base.rsplit("/", 1)[0] + "/" + name)
    yield opened
    opened.close()
