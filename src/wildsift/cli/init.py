"""wildsift init DIR: create a study folder with settings and a secret key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors


def register(app: typer.Typer) -> None:
    @app.command("init")
    @handle_errors
    def init_command(
        folder: Annotated[Path, typer.Argument(help="Folder of the new study.")],
        name: Annotated[str | None, typer.Option(help="Study name.")] = None,
        force: Annotated[bool, typer.Option(help="Overwrite an existing wildsift.toml.")] = False,
    ) -> None:
        """Create a study: wildsift.toml (validated settings) and a secret key for pseudonyms."""
        from wildsift.study import CONFIG_NAME, SECRET_NAME, Study

        study = Study.init(folder, name=name, force=force)
        console.print(f"Created study [bold]{study.settings.study.name}[/] in {study.root}")
        console.print(f"  settings: {study.root / CONFIG_NAME}")
        console.print(f"  secret:   {study.root / SECRET_NAME} (mode 0600; back it up, never share it)")
        console.print(f"  store:    {study.storage_url.split('@')[-1]}")
