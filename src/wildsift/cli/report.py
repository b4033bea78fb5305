"""wildsift report: write the study's static HTML report and print its path."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wildsift.cli.common import handle_errors, open_study


def register(app: typer.Typer) -> None:
    @app.command("report")
    @handle_errors
    def report_command(
        ctx: typer.Context,
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="HTML file to write (default: reports/report.html in the study).")
        ] = None,
    ) -> None:
        """Write one HTML report (opens offline): trends, countries, taxa, terms, examples."""
        from wildsift.report import build_report

        study = open_study(ctx)
        try:
            path = build_report(study, out)
        finally:
            study.close()
        print(path)
