"""Start-up: every command imports the CLI, so the CLI module must not load the heavy libraries.

``wildsift --help`` took about 3 s and 243 MB when scikit-learn, pandas, SQLAlchemy and Plotly
were imported for every command. The check is on what is imported (a behaviour), not on time,
so that it holds on a loaded machine.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "sklearn", "sqlalchemy", "plotly", "numpy", "scipy", "pyarrow", "PIL",
         "phonenumbers")


def _imported_after(statement: str) -> set[str]:
    """Top-level packages in sys.modules after running ``statement`` in a fresh interpreter."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return {name.split(".")[0] for name in json.loads(out.strip().splitlines()[-1])}


def test_cli_main_imports_no_heavy_library():
    loaded = _imported_after("import wildsift.cli.main")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_help_of_every_command_imports_no_heavy_library():
    """The option help texts (formats, demo size, IUCN categories) come from light modules."""
    statement = (
        "from typer.main import get_command\n"
        "from wildsift.cli.main import app\n"
        "group = get_command(app)\n"
        "import click\n"
        "ctx = click.Context(group)\n"
        "def walk(cmd, ctx):\n"
        "    cmd.get_help(ctx)\n"
        "    for name in getattr(cmd, 'commands', {}):\n"
        "        sub = cmd.commands[name]\n"
        "        walk(sub, click.Context(sub, parent=ctx, info_name=name))\n"
        "walk(group, ctx)"
    )
    loaded = _imported_after(statement)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_light_constants_match_their_old_homes():
    """The constants moved out of heavy modules stay importable under their old names."""
    from wildsift.analysis import export, formats
    from wildsift.sources.files import detect
    from wildsift.sources.files import formats as source_formats

    assert export.FORMATS is formats.FORMATS
    assert detect.FORMATS is source_formats.FORMATS and detect.GENERIC == ("csv", "jsonl")
