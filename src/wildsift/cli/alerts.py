"""wildsift alerts: spikes and change points in the study's trade series, collection effort
that jumped or stopped, and contacts newly shared by sellers (analysis/monitoring/)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wildsift.cli.common import console, handle_errors, open_study


def register(app: typer.Typer) -> None:
    @app.command("alerts")
    @handle_errors
    def alerts_command(
        ctx: typer.Context,
        json_out: Annotated[Path | None, typer.Option(
            "--json", help="Write one JSON object per alert (JSON Lines) to this file; '-' for "
                           "standard output.")] = None,
        since: Annotated[str | None, typer.Option(
            "--since", help="Only alerts from this date on (YYYY-MM-DD); earlier periods "
                            "still make the baselines.")] = None,
        freq: Annotated[str | None, typer.Option(
            "--freq", help="week or day (default: \\[alerts] freq, week).")] = None,
    ) -> None:
        """List alerts: kind, series (taxon | country | platform), window, observed, expected,
        score, pseudonymous post ids. Settings in \\[alerts] of wildsift.toml."""
        from wildsift.analysis.export_records import record_export
        from wildsift.analysis.monitoring.alerts import detect_settings, study_alerts

        study = open_study(ctx)
        try:
            settings = study.settings.alerts
            alerts = study_alerts(study, detect_settings(settings), freq=freq or settings.freq,
                                  since=since)
        finally:
            study.close()
        rows = [a.to_dict() for a in alerts]
        if json_out is not None:
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
            if str(json_out) == "-":
                sys.stdout.write(text)
                return
            json_out.write_text(text, encoding="utf-8")
            record_export(study.root, json_out, "alerts", "jsonl")  # `comply` rewrites it
            console.print(f"wrote {len(rows)} alerts to {json_out}")
        print_alerts(rows)


def print_alerts(rows: list[dict]) -> None:
    if not rows:
        console.print("No alerts.")
        return
    table = Table(title=f"{len(rows)} alerts")
    for column in ("kind", "series", "window", "observed", "expected", "score", "posts"):
        table.add_column(column, justify="right" if column in ("observed", "expected",
                                                                "score", "posts") else "left")
    for r in rows:
        kind = r["kind"] + (f" {r['direction']}" if r["kind"] != "new_cluster" else "")
        table.add_row(kind, r["series"], f"{r['window'][0]}..{r['window'][1]}",
                      f"{r['observed']:g}", "" if r["expected"] is None else f"{r['expected']:g}",
                      f"{r['score']:g}", str(len(r["posts"])))
    console.print(table)


def export_alerts(ctx: typer.Context, out: Path, fmt: str | None) -> None:
    """``wildsift export FILE --what alerts``: every alert, and FILE.dictionary.md / .json."""
    from wildsift.analysis.export_records import record_export
    from wildsift.analysis.monitoring.alerts import detect_settings, study_alerts
    from wildsift.analysis.monitoring.export import (
        alert_format,
        write_alerts,
        write_alerts_dictionary,
    )
    from wildsift.errors import ConfigError

    try:
        fmt = alert_format(out, fmt)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    study = open_study(ctx)
    try:
        settings = study.settings.alerts
        rows = [a.to_dict() for a in study_alerts(study, detect_settings(settings),
                                                  freq=settings.freq)]
        write_alerts(rows, out, fmt)
        record_export(study.root, out, "alerts", fmt)  # `comply` rewrites it
    finally:
        study.close()
    md = write_alerts_dictionary(out, fmt, len(rows))
    console.print(f"wrote {len(rows)} alerts to {out} ({fmt}); columns described in {md.name}")
