"""wildsift sift: score the study's new posts (language, lexicon matches, relevance)."""

from __future__ import annotations

from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors, open_study


def register(app: typer.Typer) -> None:
    @app.command("sift")
    @handle_errors
    def sift_command(
        ctx: typer.Context,
        batch_size: Annotated[int | None, typer.Option(
            "--batch-size", min=1, help="Posts per batch (default: sift.batch_size of the study).")
        ] = None,
        progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
        workers: Annotated[int | None, typer.Option(
            min=1, help="Worker processes (default: one per CPU; 1 = in this process).")] = None,
    ) -> None:
        """Score posts not yet scored by the current relevance model (or the rules)."""
        from wildsift.sift.pipeline import sift_study

        study = open_study(ctx)
        result = sift_study(study, batch_size=batch_size, progress=progress, workers=workers)
        if result["method"] == "rules":
            console.print("Relevance is rule-based (lexicon hits + sale cues) because no model is "
                          "trained yet; label posts and run 'wildsift train'.")
        else:
            console.print(f"Relevance from the trained text model {result['model_version']}.")
        if result["posts"] == 0:
            console.print("Nothing new to score: every post is scored by this model version.")
        else:
            console.print(f"Scored {result['posts']} posts in {result['batches']} batches; "
                          f"{result['relevant']} relevant at threshold "
                          f"{result['threshold']:.2f}.")
