"""wildsift quarantine: the records set aside at import or mining, with where and why."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wildsift.cli.common import console, handle_errors, open_study

COLUMNS = ("source", "location", "field", "reason")


def register(app: typer.Typer) -> None:
    @app.command("quarantine")
    @handle_errors
    def quarantine_command(
        ctx: typer.Context,
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="Write every quarantined record to this CSV.")] = None,
        limit: Annotated[int, typer.Option(min=0, help="Rows to show on screen.")] = 20,
    ) -> None:
        """List quarantined records: source, file:line, field and reason (nothing is dropped)."""
        study = open_study(ctx)
        items = study.store.quarantine.all()
        if out is not None:
            with out.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(COLUMNS)
                writer.writerows([getattr(item, c) or "" for c in COLUMNS] for item in items)
            print(f"wrote {len(items)} quarantined records to {out}", file=sys.stderr)
        console.print(f"{len(items)} records quarantined")
        if not items:
            return
        by_field = Counter(item.field or "(record)" for item in items)
        console.print("by field: " + ", ".join(f"{k} {v}" for k, v in by_field.most_common()))
        table = Table(*COLUMNS, show_lines=False)
        for item in items[:limit]:
            table.add_row(*[getattr(item, c) or "" for c in COLUMNS])
        console.print(table)
        if len(items) > limit:
            console.print(f"... {len(items) - limit} more (--out FILE.csv writes them all)")
