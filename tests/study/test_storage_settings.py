"""[storage]: a server's password comes from the environment, never from wildsift.toml."""

from __future__ import annotations

import pytest

from wildsift.errors import ConfigError
from wildsift.study import Study

SERVER = "postgresql+psycopg://team@db.example.org:5432/wildtrade"


def _point_at_server(study: Study, extra: str = "") -> Study:
    toml = study.root / "wildsift.toml"
    toml.write_text(toml.read_text().replace('url = "sqlite:///wildsift.sqlite"',
                                             f'url = "{SERVER}"{extra}'))
    study.close()
    return Study.open(study.root)


def test_password_env_puts_the_environment_password_in_the_url(study, monkeypatch):
    monkeypatch.delenv("WILDSIFT_STORAGE_URL", raising=False)
    monkeypatch.setenv("TEAM_DB_PASSWORD", "s3cr:t@x")
    opened = _point_at_server(study, '\npassword_env = "TEAM_DB_PASSWORD"')
    assert opened.storage_url == ("postgresql+psycopg://team:s3cr%3At%40x@db.example.org:5432/"
                                  "wildtrade")
    assert "s3cr" not in (study.root / "wildsift.toml").read_text()


def test_an_unset_password_variable_is_named(study, monkeypatch):
    monkeypatch.delenv("WILDSIFT_STORAGE_URL", raising=False)
    monkeypatch.delenv("TEAM_DB_PASSWORD", raising=False)
    opened = _point_at_server(study, '\npassword_env = "TEAM_DB_PASSWORD"')
    with pytest.raises(ConfigError, match="TEAM_DB_PASSWORD, which is not set"):
        _ = opened.storage_url


def test_a_password_written_in_the_file_is_refused(study):
    toml = study.root / "wildsift.toml"
    toml.write_text(toml.read_text().replace(
        'url = "sqlite:///wildsift.sqlite"',
        'url = "postgresql+psycopg://team:hunter2@db.example.org/wildtrade"'))
    study.close()
    with pytest.raises(ConfigError, match="password_env"):
        Study.open(study.root)
