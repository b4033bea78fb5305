"""wildsift train: fit the study's text relevance model from its labels."""

from __future__ import annotations

from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors, open_study


def register(app: typer.Typer) -> None:
    @app.command("train")
    @handle_errors
    def train_command(
        ctx: typer.Context,
        folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds.")] = 5,
    ) -> None:
        """Train the text model on the study's relevance labels; save it with a model card."""
        from wildsift.sift.train import train_study

        study = open_study(ctx)
        card = train_study(study, folds=folds)
        m = card["metrics"]
        balance = card["class_balance"]
        console.print(f"Trained text-relevance {card['version']} on {card['data_size']} posts "
                      f"({balance['relevant']} relevant, {balance['not_relevant']} not).")
        console.print(f"  {m['folds']}-fold CV: precision {m['precision']:.3f}  recall "
                      f"{m['recall']:.3f}  F1 {m['f1']:.3f}  macro-F1 {m['macro_f1']:.3f}  "
                      f"MCC {m['mcc']:.3f}  PR-AUC {m['pr_auc']:.3f}")
        console.print(f"  card: {study.models_dir / 'text-relevance' / card['version'] / 'card.md'}")
        console.print("Run 'wildsift sift' to rescore posts with it.")
