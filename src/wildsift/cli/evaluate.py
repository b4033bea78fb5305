"""wildsift evaluate: cross-validate a text model on any labelled CSV (no study needed).

A row is positive when every --label-column holds one of the --positive values (default "1").
The bird-classifieds file's "live non-poultry bird for sale" class is label1 == 0 and label2 == 0:

    wildsift evaluate --data text_w_labels.csv --text-column text_stop_stem \\
        --label-column label1 --label-column label2 --positive 0 --baseline
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from wildsift.cli.common import console, handle_errors

ROWS = ("precision", "recall", "f1", "macro_f1", "mcc", "pr_auc", "roc_auc", "threshold",
        "posts_per_second")
HIGHER_IS_BETTER = set(ROWS) - {"threshold"}


def _cell(result: dict[str, Any], key: str, better: bool) -> str:
    value = result[key]
    text = f"{value:,.0f}" if key == "posts_per_second" else f"{value:.3f}"
    low_high = result.get("ci", {}).get(key)
    if low_high:
        text += f" [{low_high[0]:.3f}, {low_high[1]:.3f}]"
    return f"[bold green]{text} *[/]" if better else text


def metrics_table(result: dict[str, Any]) -> Table:
    """Metric rows; the model (and the baseline, when run) in columns; the better value marked."""
    baseline = result.get("baseline")
    table = Table(title=f"{result['folds']}-fold CV (95% bootstrap CI)")
    table.add_column("metric")
    if baseline is not None:
        table.add_column("baseline (tf-idf + LR)", justify="right")
    table.add_column(result.get("model", "default"), justify="right")
    for key in ROWS:
        if baseline is None:
            table.add_row(key, _cell(result, key, False))
            continue
        compare = key in HIGHER_IS_BETTER
        table.add_row(key, _cell(baseline, key, compare and baseline[key] > result[key]),
                      _cell(result, key, compare and result[key] > baseline[key]))
    return table


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    @handle_errors
    def evaluate_command(
        data: Annotated[Path, typer.Option("--data", help="Labelled CSV file.")],
        text_column: Annotated[list[str], typer.Option(
            "--text-column", help="Text column (repeat: joined, and each one a field too).")],
        label_column: Annotated[list[str], typer.Option(
            "--label-column", help="Label column (repeat: positive when all columns match).")],
        positive: Annotated[list[str] | None, typer.Option(
            "--positive", help="Label value(s) meaning positive (default 1).")] = None,
        folds: Annotated[int, typer.Option(min=2, help="Stratified CV folds.")] = 5,
        model: Annotated[str, typer.Option(
            "--model", help="Model to evaluate (default, baseline, or a registered one).")
        ] = "default",
        baseline: Annotated[bool, typer.Option(
            "--baseline", help="Also run TF-IDF + logistic regression on the same folds.")
        ] = False,
        group_column: Annotated[str | None, typer.Option(
            "--group-column", help="Author/seller column: its rows stay in one fold.")] = None,
        bootstrap: Annotated[int, typer.Option(
            min=0, help="Bootstrap resamples for the 95% CIs (0: none).")] = 1000,
        json_out: Annotated[Path | None, typer.Option(
            "--json", help="Write the metrics as JSON here.")] = None,
    ) -> None:
        """Cross-validate a text model (duplicates removed, folds grouped by author when given):
        precision, recall, F1, MCC, PR-AUC with bootstrap CIs, beside the baseline."""
        from wildsift.sift.evaluate import evaluate_file

        result = evaluate_file(data, text_column, label_column, positive=positive or ["1"],
                               folds=folds, model=model, baseline=baseline,
                               group_column=group_column, resamples=bootstrap)
        console.print(f"{data}: {result['rows']} rows; {result['skipped_missing_label']} "
                      f"skipped for a missing label; {result['rows_recoded']} not UTF-8 "
                      "(decoded as Windows-1252).")
        console.print(f"{result['duplicates_removed']} duplicate texts removed before splitting "
                      f"({result['duplicates_conflicting']} with a different label); "
                      f"{result['n']} posts evaluated ({result['positives']} positive, "
                      f"{result['negatives']} negative).")
        grouped = f", grouped by {group_column}" if group_column else ""
        console.print(f"{result['folds']}-fold stratified CV{grouped}; model '{model}' at the "
                      "threshold it chose inside each training fold"
                      f"{', baseline at 0.5' if baseline else ''}; lexicon features "
                      f"{'on' if result['lexicon_features'] else 'off (lexicon unavailable)'}.")
        console.print(metrics_table(result))
        if json_out is not None:
            json_out.write_text(json.dumps(result, indent=2) + "\n")
            console.print(f"Wrote {json_out}")
