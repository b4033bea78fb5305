"""wildsift mine: collect new posts from every configured live source, incrementally."""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from wildsift.cli.common import console, handle_errors, open_study

if TYPE_CHECKING:
    from wildsift.sources.run import QueryResult

_COLUMNS = ("query", "terms", "pages", "read", "stored", "duplicates", "quarantined")


def register(app: typer.Typer) -> None:
    @app.command("mine")
    @handle_errors
    def mine_command(
        ctx: typer.Context,
        source: Annotated[str | None, typer.Option(
            "--source", help="Only this source (its name in wildsift.toml).")] = None,
        dry_run: Annotated[bool, typer.Option(
            "--dry-run", help="List the API calls it would make; fetch nothing.")] = False,
    ) -> None:
        """Fetch what is new from each \\[\\[sources]] entry, query by query (privacy first)."""
        from wildsift.sources.run import mine_source, selected_sources

        study = open_study(ctx)
        try:
            for settings in selected_sources(study, source):
                busy = not dry_run and console.is_terminal
                with console.status(f"mining {settings.name}") if busy else nullcontext():
                    results = mine_source(study, settings, dry_run=dry_run)
                if dry_run:
                    _print_plan(settings.name, results)
                else:
                    _print_counts(f"{settings.name} ({settings.base_url or settings.type})", results)
        finally:
            study.close()


def _print_plan(name: str, results: list[QueryResult]) -> None:
    console.print(f"[bold]{name}[/] would call:")
    for result in results:
        console.print(f"  {result.query}:", markup=False)
        for call in result.calls:
            console.print(f"    {call}", markup=False, highlight=False, soft_wrap=True)
        console.print(f"    quota: {result.quota} {result.unit}(s)", markup=False)


def _print_counts(title: str, results: list[QueryResult]) -> None:
    table = Table(title=title)
    for column in _COLUMNS:
        table.add_column(column, justify="left" if column == "query" else "right")
    for r in results:
        c = r.counts
        table.add_row(r.query, str(len(r.terms)), str(r.pages), str(c.read), str(c.stored),
                      str(c.duplicates), str(c.quarantined))
    console.print(table)
