"""wildsift secret rotate: a new study secret; old pseudonyms stay unlinkable unless asked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors, open_study


def register(app: typer.Typer) -> None:
    secret_app = typer.Typer(help="The study secret (the key of every pseudonym).",
                             no_args_is_help=True)
    app.add_typer(secret_app, name="secret")

    @secret_app.command("rotate")
    @handle_errors
    def rotate_command(
        ctx: typer.Context,
        keep_link: Annotated[bool, typer.Option(
            "--keep-link", help="Keep the old secret so that later imports write the "
            "old->new pseudonym table (pseudonym-links.csv).")] = False,
    ) -> None:
        """Replace the study secret with a new random one. Posts imported from now on get
        new pseudonyms and tokens; those already stored keep theirs, and nothing links the
        two unless --keep-link is given."""
        from wildsift.privacy.rotation import LINKS_NAME, PREVIOUS_NAME, rotate_secret
        from wildsift.study import SECRET_ENV, SECRET_NAME

        study = open_study(ctx)
        study.secret  # noqa: B018 - refuses a missing or world-readable secret first
        path = Path(os.environ.get(SECRET_ENV) or study.root / SECRET_NAME)
        done = rotate_secret(study.root, path, keep_link=keep_link)
        console.print(f"New secret written to {done.secret_path} (mode 0600; back it up, "
                      f"never share it); rotation {done.rotation}.", markup=False)
        if keep_link:
            console.print(f"The old secret is kept in {study.root / PREVIOUS_NAME}: later "
                          f"imports write old->new pairs of pseudonyms and tokens (never raw "
                          f"ids) to {study.root / LINKS_NAME}. Rotate again without "
                          "--keep-link to drop it.", markup=False)
        else:
            dropped = " (and the previously kept one)" if done.dropped_previous else ""
            console.print(f"The old secret is gone{dropped}: pseudonyms and tokens already "
                          "stored cannot be linked to new ones, unless you kept a copy.",
                          markup=False)
