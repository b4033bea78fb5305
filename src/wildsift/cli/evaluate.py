"""wildsift evaluate: cross-validate the default text model on any labelled CSV (no study needed).

A row is positive when every --label-column holds one of the --positive values (default "1").
The bird-classifieds file's "live non-poultry bird for sale" class is label1 == 0 and label2 == 0:

    wildsift evaluate --data text_w_labels.csv --text-column text_stop_stem \\
        --label-column label1 --label-column label2 --positive 0
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    @handle_errors
    def evaluate_command(
        data: Annotated[Path, typer.Option("--data", help="Labelled CSV file.")],
        text_column: Annotated[list[str], typer.Option(
            "--text-column", help="Text column (repeat to join several, e.g. title and body).")],
        label_column: Annotated[list[str], typer.Option(
            "--label-column", help="Label column (repeat: positive when all columns match).")],
        positive: Annotated[list[str] | None, typer.Option(
            "--positive", help="Label value(s) meaning positive (default 1).")] = None,
        folds: Annotated[int, typer.Option(min=2, help="Stratified CV folds.")] = 5,
        json_out: Annotated[Path | None, typer.Option(
            "--json", help="Write the metrics as JSON here.")] = None,
    ) -> None:
        """Stratified k-fold CV of the default text model: precision, recall, F1, MCC, PR-AUC."""
        from wildsift.sift.evaluate import evaluate_file

        result = evaluate_file(data, text_column, label_column, positive=positive or ["1"],
                               folds=folds)
        console.print(f"{data}: {result['n']} labelled rows ({result['positives']} positive, "
                      f"{result['negatives']} negative); {result['skipped_missing_label']} "
                      f"skipped for a missing label; {result['rows_recoded']} not UTF-8 "
                      "(decoded as Windows-1252).")
        console.print(f"{result['folds']}-fold CV, threshold 0.5, lexicon features "
                      f"{'on' if result['lexicon_features'] else 'off (lexicon unavailable)'}:")
        for key in ("precision", "recall", "f1", "macro_f1", "mcc", "pr_auc", "roc_auc"):
            console.print(f"  {key:<10} {result[key]:.3f}")
        console.print(f"  scoring    {result['posts_per_second']:,.0f} posts/s")
        if json_out is not None:
            json_out.write_text(json.dumps(result, indent=2) + "\n")
            console.print(f"Wrote {json_out}")
