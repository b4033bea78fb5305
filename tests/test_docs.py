"""Docs that fail when they drift: the README's two commands and every command in docs/cli.md."""

from __future__ import annotations

import re
from pathlib import Path

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
