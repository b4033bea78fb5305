"""wildsift label import|export: people's judgements of posts, in and out as CSV."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors, open_study
from wildsift.errors import InputError
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.records import Label

LABEL_COLUMNS = ["post_id", "field", "value", "annotator", "created_at"]


def read_label_csv(path: Path, pseudonyms: Pseudonymizer, default_field: str) -> tuple[
        list[Label], list[str]]:
    """Labels from a CSV; annotator names become pseudonyms. Returns (labels, problems)."""
    labels, problems = [], []
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = {"post_id", "value"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"{path}: line 1: missing column(s) {sorted(missing)}; "
                             f"expected {LABEL_COLUMNS}")
        for line, row in enumerate(reader, start=2):
            post_id, value = (row.get("post_id") or "").strip(), (row.get("value") or "").strip()
            if not post_id or not value:
                problems.append(f"{path}:{line}: field '{'post_id' if not post_id else 'value'}' "
                                "is empty")
                continue
            created = None
            if row.get("created_at"):
                try:
                    created = datetime.fromisoformat(row["created_at"])
                except ValueError:
                    problems.append(f"{path}:{line}: field 'created_at': not an ISO 8601 time")
                    continue
                if created.tzinfo is None:
                    created = created.replace(tzinfo=UTC)
            annotator = (row.get("annotator") or "").strip() or "anonymous"
            if not annotator.startswith("a_"):
                annotator = "a_" + pseudonyms.digest("annotator", annotator.lower())
            labels.append(Label(post_id=post_id, field=(row.get("field") or default_field).strip(),
                                value=value, annotator=annotator, created_at=created))
    return labels, problems


def register(app: typer.Typer) -> None:
    label_app = typer.Typer(help="Import and export labels (post id, field, value, annotator).",
                            no_args_is_help=True)
    app.add_typer(label_app, name="label")

    @label_app.command("import")
    @handle_errors
    def label_import(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="CSV with post_id, field, value, annotator, "
                                                  "created_at.")],
        field: Annotated[str, typer.Option(help="Field when the CSV has no 'field' column.")] =
            "relevant",
    ) -> None:
        """Import labels from a CSV; annotator names are pseudonymised before storing."""
        study = open_study(ctx)
        labels, problems = read_label_csv(file, Pseudonymizer(study.secret), field)
        stored, missing = study.store.add_labels(labels)
        for problem in problems:
            print(f"skipped: {problem}", file=sys.stderr)
        console.print(f"labels read {len(labels) + len(problems)}, stored {stored}, "
                      f"unknown post ids {len(missing)}, malformed {len(problems)}")

    @label_app.command("export")
    @handle_errors
    def label_export(
        ctx: typer.Context,
        out: Annotated[Path | None, typer.Option(help="Output CSV (default: stdout).")] = None,
        field: Annotated[str | None, typer.Option(help="Only this field.")] = None,
    ) -> None:
        """Export labels as CSV: post_id, field, value, annotator (pseudonym), created_at."""
        study = open_study(ctx)
        frame = study.store.labels_frame(field)[LABEL_COLUMNS]
        frame["created_at"] = frame["created_at"].map(
            lambda t: t.isoformat() if hasattr(t, "isoformat") else t)
        if out is None:
            frame.to_csv(sys.stdout, index=False)
        else:
            frame.to_csv(out, index=False)
            console.print(f"wrote {len(frame)} labels to {out}")
