"""wildsift import FILE: read a CSV/JSONL export into the study (privacy first), with counts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from wildsift.cli.common import console, handle_errors, open_study
from wildsift.sources.fields import check_mapping, parse_mapping
from wildsift.sources.files import FORMATS, FileReader
from wildsift.sources.ingest import ImportCounts, ingest

_PROGRESS_FROM_BYTES = 8 * 1024 * 1024  # smaller files import before a bar is worth drawing


def register(app: typer.Typer) -> None:
    @app.command("import")
    @handle_errors
    def import_command(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="CSV or JSONL export to import.")],
        format: Annotated[str | None, typer.Option(
            "--format", "-f", help=f"One of {', '.join(FORMATS)} (default: from the extension).")
        ] = None,
        map_: Annotated[list[str] | None, typer.Option(
            "--map", help="FIELD=COLUMN: read FIELD from COLUMN (repeatable; wins over the "
                          "study's [import-map]).")] = None,
        platform: Annotated[str | None, typer.Option(
            help="Platform of posts without a platform column (default: import).")] = None,
        batch_size: Annotated[int, typer.Option(min=1, help="Posts per database write.")] = 5000,
    ) -> None:
        """Import posts from a researcher's export file; bad records are quarantined, not lost."""
        study = open_study(ctx)
        try:
            check_mapping(study.settings.import_map)
            mapping = {**study.settings.import_map, **parse_mapping(map_)}
            reader = FileReader(file, format=format, mapping=mapping, platform=platform)
            counts = _run(study, reader, batch_size)
        finally:
            study.close()
        _report(reader, counts)


def _run(study, reader: FileReader, batch_size: int) -> ImportCounts:
    if reader.size < _PROGRESS_FROM_BYTES or not console.is_terminal:
        return ingest(study, reader, batch_size=batch_size)
    columns = (TextColumn("importing {task.description}"), BarColumn(), DownloadColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(reader.path.name, total=reader.size)
        return ingest(study, reader, batch_size=batch_size,
                      progress=lambda _counts: bar.update(task, completed=reader.bytes_read))


def _report(reader: FileReader, counts: ImportCounts) -> None:
    summary = (f"read {counts.read}, stored {counts.stored}, duplicates {counts.duplicates}, "
               f"quarantined {counts.quarantined}")
    if counts.labels:
        summary += f", labels {counts.labels}"
    console.print(f"Imported {reader.path.name} ({reader.format}): {summary}", markup=False,
                  highlight=False, soft_wrap=True)
    if reader.unknown_columns:
        console.print(f"  ignored columns: {', '.join(reader.unknown_columns)} "
                      "(use --map FIELD=COLUMN to read one)", markup=False, highlight=False)
    if counts.quarantined:
        console.print("  list them, with file:line, field and reason: 'wildsift quarantine'")
