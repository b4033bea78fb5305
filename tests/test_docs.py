"""Docs that fail when they drift: the README's two commands and every command in docs/cli.md."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

import typer

from wildsift.cli.main import app

ROOT = Path(__file__).resolve().parents[1]


def _command_names(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (c.name or c.callback.__name__) for c in group.registered_commands]
    for sub in group.registered_groups:
        names += _command_names(sub.typer_instance, prefix + sub.name + " ")
    return names


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", readme, re.DOTALL)
    assert block and readme.index("```bash") < readme.index("\n## ")
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "wildsift demo" in commands[0] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_every_command_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text()
    names = _command_names(app)
    assert len(names) >= 11
    missing = [name for name in names if f"`wildsift {name}" not in doc]
    assert not missing, f"commands missing from docs/cli.md: {missing}"


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [((*prefix, c.name or c.callback.__name__), c) for c in group.registered_commands]
    for sub in group.registered_groups:
        found += _commands(sub.typer_instance, (*prefix, sub.name))
    return found


def test_help_shows_bracketed_names_as_written():
    """Rich reads "[import-map]" as markup and drops it from --help: every bracketed name in a
    help text (a wildsift.toml section such as [privacy], [[sources]]) must reach the user."""
    from typer.testing import CliRunner

    bracketed = re.compile(r"(?:\\?\[)+[a-z][a-z_.-]*\]+")
    for words, command in _commands(app):
        texts = [command.callback.__doc__ or ""]
        for hint in typing.get_type_hints(command.callback, include_extras=True).values():
            texts += [str(getattr(meta, "help", "") or "")
                      for meta in getattr(hint, "__metadata__", ())]
        expected = {token.replace("\\", "") for text in texts for token in bracketed.findall(text)}
        if not expected:
            continue
        output = CliRunner().invoke(app, [*words, "--help"], terminal_width=200).output
        for token in expected:
            assert token in output, f"wildsift {' '.join(words)} --help drops {token!r}"
