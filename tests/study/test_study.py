"""Study folders: creation, validation messages, the secret key."""

from __future__ import annotations

import stat

import pytest

from wildsift.errors import ConfigError, StudyNotFound
from wildsift.study import CONFIG_NAME, SECRET_NAME, Study


def test_init_writes_settings_and_private_secret(tmp_path):
    study = Study.init(tmp_path / "s")
    secret = tmp_path / "s" / SECRET_NAME
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(study.secret) == 32
    assert study.settings.study.taxa == ["rhinoceros", "elephant", "pangolin"]
    assert study.storage_url == f"sqlite:///{tmp_path / 's' / 'wildsift.sqlite'}"
    # the secret never sits in the settings or the database
    assert secret.read_text().strip() not in (tmp_path / "s" / CONFIG_NAME).read_text()


def test_init_refuses_to_overwrite(tmp_path):
    Study.init(tmp_path / "s")
    with pytest.raises(ConfigError, match="already exists"):
        Study.init(tmp_path / "s")


def test_invalid_settings_name_the_file_and_field(tmp_path):
    Study.init(tmp_path / "s")
    config = tmp_path / "s" / CONFIG_NAME
    config.write_text(config.read_text().replace('"vi",', '"vietnamese",'))
    with pytest.raises(ConfigError) as info:
        Study.open(tmp_path / "s")
    message = str(info.value)
    assert str(config) in message and "study.languages" in message and "vietnamese" in message


def test_unknown_key_and_bad_toml_are_reported(tmp_path):
    Study.init(tmp_path / "s")
    config = tmp_path / "s" / CONFIG_NAME
    original = config.read_text()
    config.write_text(original + "\n[sift2]\nx = 1\n")
    with pytest.raises(ConfigError, match="sift2"):
        Study.open(tmp_path / "s")
    config.write_text(original + "\n[broken\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Study.open(tmp_path / "s")


def test_secret_readable_by_others_is_refused(tmp_path):
    study = Study.init(tmp_path / "s")
    (tmp_path / "s" / SECRET_NAME).chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        _ = study.secret


def test_find_walks_up_and_fails_clearly(tmp_path):
    Study.init(tmp_path / "s")
    (tmp_path / "s" / "sub").mkdir()
    assert Study.find(tmp_path / "s" / "sub") == tmp_path / "s"
    with pytest.raises(StudyNotFound, match="wildsift init"):
        Study.open(tmp_path / "elsewhere")
