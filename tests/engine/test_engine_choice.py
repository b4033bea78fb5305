"""Which engine a sift uses (flag > environment > wildsift.toml > local), what --explain says of
it, and the error when the Ray extra is missing. None of these needs Ray installed."""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.engine.choice import ADDRESS_ENV, ENGINE_ENV, resolve_engine
from wildsift.errors import ConfigError
from wildsift.study import EngineSettings, Study

runner = CliRunner()


def test_the_flag_wins_over_the_environment_which_wins_over_the_study_file():
    ray_file = EngineSettings(kind="ray", address="auto", concurrency=3)
    assert resolve_engine(None, None, {}).kind == "local"
    assert resolve_engine(None, EngineSettings(), {}).source == "[engine] kind in wildsift.toml"
    from_file = resolve_engine(None, ray_file, {})
    assert (from_file.kind, from_file.address, from_file.concurrency) == ("ray", "auto", 3)
    from_env = resolve_engine(None, ray_file, {ENGINE_ENV: "local"})
    assert (from_env.kind, from_env.source) == ("local", ENGINE_ENV)
    from_flag = resolve_engine("ray", EngineSettings(), {ENGINE_ENV: "local"})
    assert (from_flag.kind, from_flag.source) == ("ray", "--engine")
    address = resolve_engine("ray", ray_file, {ADDRESS_ENV: "ray://head:10001"}).address
    assert address == "ray://head:10001"


def test_an_unknown_engine_is_refused_naming_where_it_came_from():
    with pytest.raises(ConfigError, match=ENGINE_ENV):
        resolve_engine(None, None, {ENGINE_ENV: "spark"})
    with pytest.raises(ConfigError, match="--engine"):
        resolve_engine("dask", None, {})


def test_the_study_file_section_is_validated(tmp_path):
    study = Study.init(tmp_path / "s")
    path = study.root / "wildsift.toml"
    assert '[engine]\nkind = "local"' in path.read_text()  # a new study says the default
    path.write_text(path.read_text().replace('[engine]\nkind = "local"',
                                             '[engine]\nkind = "ray"\naddress = "auto"'))
    assert Study.open(study.root).settings.engine.kind == "ray"
    path.write_text(path.read_text().replace('kind = "ray"', 'kind = "spark"'))
    with pytest.raises(ConfigError, match="engine.kind"):
        Study.open(study.root)


def test_explain_shows_the_engine(study, monkeypatch):
    monkeypatch.delenv(ENGINE_ENV, raising=False)
    monkeypatch.delenv(ADDRESS_ENV, raising=False)
    base = ["--study", str(study.root), "sift", "--no-images", "--explain"]
    local = runner.invoke(app, base, env={"COLUMNS": "400"})
    assert local.exit_code == 0, local.output
    assert "engine: local" in local.output
    ray = runner.invoke(app, [*base, "--engine", "ray"], env={"COLUMNS": "400"})
    assert ray.exit_code == 0, ray.output
    assert "engine: ray (address a local Ray started for this run" in ray.output
    assert "from --engine" in ray.output


def test_without_ray_the_error_names_the_extra(study, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails, as when not installed
    from wildsift.engine.ray import RayUnavailable, import_ray

    with pytest.raises(RayUnavailable, match=r"pip install 'wildsift\[ray\]'"):
        import_ray()
    result = runner.invoke(app, ["--study", str(study.root), "sift", "--no-images",
                                 "--engine", "ray", "--no-progress"])
    assert result.exit_code != 0
    assert "wildsift[ray]" in result.output
