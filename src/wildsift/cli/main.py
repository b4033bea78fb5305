"""The ``wildsift`` command. Each verb group lives in its own module and registers itself here."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wildsift import __version__
from wildsift.cli import (
    alerts,
    comply,
    demo,
    evaluate,
    export,
    importing,
    init,
    label,
    lexicon,
    mine,
    quarantine,
    report,
    secret,
    sift,
    train,
    users,
    watch,
    web,
)

app = typer.Typer(
    name="wildsift",
    help="Find and analyse wildlife trade online: mine, sift, identify.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"wildsift {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    study: Annotated[Path | None, typer.Option(
        "--study", "-s", help="Study folder (default: the one around the current folder).",
        envvar="WILDSIFT_STUDY")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    ctx.obj = {"study": study}


for module in (init, importing, mine, quarantine, sift, train, evaluate, label, lexicon,
               export, report, demo, comply, secret, users, web, alerts, watch):
    module.register(app)
