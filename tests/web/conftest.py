"""The web tests' backend: each test that takes ``db_url`` runs on the study's SQLite file
and on a fresh PostgreSQL database (skipped when WILDSIFT_TEST_PG_URL is not set)."""

from __future__ import annotations

import uuid

import pytest
from pg_admin import drop_database
from sqlalchemy import create_engine, text


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    """None (the study's own SQLite file), or the URL of a new PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    base = request.getfixturevalue("pg_url")
    name = "web_" + uuid.uuid4().hex[:10]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield base.rsplit("/", 1)[0] + "/" + name
    drop_database(admin, name)
    admin.dispose()
