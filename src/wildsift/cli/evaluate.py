"""wildsift evaluate: cross-validate a text model on any labelled CSV (no study needed).

With ``--image-column`` the same folds also score text + images (``sift/learn/multimodal.py``), and
the table shows both side by side.

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
from wildsift.errors import WildsiftError

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
    """Metric rows; the model (and the baseline and text + images, when run) in columns; the
    best value marked (only when it beats every other column)."""
    columns = []
    if result.get("baseline") is not None:
        columns.append(("baseline (tuned tf-idf + LR)", result["baseline"]))
    columns.append((result.get("model", "default"), result))
    if result.get("multimodal") is not None:
        columns.append(("text + images (fused)", result["multimodal"]))
    table = Table(title=f"{result['folds']}-fold CV (95% bootstrap CI)")
    table.add_column("metric")
    for title, _ in columns:
        table.add_column(title, justify="right")
    for key in ROWS:
        values = [metrics[key] for _, metrics in columns]
        cells = []
        for index, (_, metrics) in enumerate(columns):
            others = values[:index] + values[index + 1:]
            best = (key in HIGHER_IS_BETTER and bool(others)
                    and all(metrics[key] > other for other in others))
            cells.append(_cell(metrics, key, best))
        table.add_row(key, *cells)
    return table


def _ocr_engine(languages: list[str] | None, enabled: bool) -> tuple[Any, str]:
    """Tesseract with these languages when installed (None and why not otherwise)."""
    if not enabled:
        return None, "OCR off (--no-ocr)"
    try:
        from wildsift.sift.vision.tesseract_ocr import TesseractOcr

        engine = TesseractOcr(languages or ["en"])
    except ImportError:
        return None, "OCR off: pytesseract is not installed (pip install 'wildsift[images]')"
    except WildsiftError as error:
        return None, f"OCR off: {error}"
    return engine, f"OCR with {engine.describe}"


def _image_report(result: dict[str, Any], ocr_note: str) -> None:
    images = result["images"]
    console.print(f"Images: {images['references']} references, {images['distinct_images']} "
                  f"distinct images embedded by {images['image_model']}, "
                  f"{images['rows_with_images']} evaluated posts with images; {ocr_note}"
                  f" ({images['ocr_texts']} posts with OCR text).")
    if images["failed"]:
        console.print(f"[yellow]{images['failed']} image(s) missing, unreadable or refused "
                      "(those rows are evaluated without them):[/]")
        for problem in images["problems"]:
            console.print(f"  {problem}", markup=False, highlight=False)


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
            "--baseline", help="Also run the tuned TF-IDF + logistic regression (C and "
            "threshold by inner CV) on the same folds.")
        ] = False,
        group_column: Annotated[str | None, typer.Option(
            "--group-column", help="Author/seller column: its rows stay in one fold.")] = None,
        bootstrap: Annotated[int, typer.Option(
            min=0, help="Bootstrap resamples for the 95% CIs (0: none).")] = 1000,
        json_out: Annotated[Path | None, typer.Option(
            "--json", help="Write the metrics as JSON here.")] = None,
        image_column: Annotated[list[str] | None, typer.Option(
            "--image-column", help="Image column (repeat): paths relative to the CSV or "
            "http(s) URLs; also cross-validates text + images on the same folds.")] = None,
        image_model: Annotated[str, typer.Option(
            "--image-model", help="Image model for --image-column (names from "
            "wildsift.sift.models.registry.IMAGE_MODEL_FACTORIES).")] = "default",
        ocr_language: Annotated[list[str] | None, typer.Option(
            "--ocr-language", help="OCR language of the images (repeat; default en).")] = None,
        ocr: Annotated[bool, typer.Option(
            "--ocr/--no-ocr", help="Read text in the images when Tesseract is installed.")
        ] = True,
    ) -> None:
        """Cross-validate a text model (duplicates removed, folds grouped by author when given):
        precision, recall, F1, MCC, PR-AUC with bootstrap CIs, beside the baseline."""
        from wildsift.sift.learn.evaluate import evaluate_file

        extra: dict[str, Any] = {}
        ocr_note = ""
        downloader = None
        if image_column:
            from wildsift.sources.download import MediaDownloader

            downloader = MediaDownloader()
            engine, ocr_note = _ocr_engine(ocr_language, ocr)
            extra = {"image_columns": image_column, "image_model": image_model,
                     "fetch": downloader.fetch, "ocr": engine}
        try:
            result = evaluate_file(data, text_column, label_column, positive=positive or ["1"],
                                   folds=folds, model=model, baseline=baseline,
                                   group_column=group_column, resamples=bootstrap, **extra)
        finally:
            if downloader is not None:
                downloader.close()
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
                      f"{' (the baseline too)' if baseline else ''}; lexicon features "
                      f"{'on' if result['lexicon_features'] else 'off (lexicon unavailable)'}.")
        for title, block in (("", result), ("text + images: ", result.get("multimodal") or {})):
            if block.get("winners"):
                counts = {w: block["winners"].count(w) for w in sorted(set(block["winners"]))}
                console.print(f"{title}Candidate chosen inside each training fold (out of fold "
                              "on its training posts): "
                              + ", ".join(f"{w} x{n}" for w, n in counts.items()))
        if "images" in result:
            _image_report(result, ocr_note)
        console.print(metrics_table(result))
        if json_out is not None:
            json_out.write_text(json.dumps(result, indent=2) + "\n")
            console.print(f"Wrote {json_out}")
