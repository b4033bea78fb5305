"""wildsift demo: a whole study, offline, on the embedded SYNTHETIC corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from wildsift.cli.common import console, handle_errors
from wildsift.demo.defaults import DEFAULT_DEMO_SIZE


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @handle_errors
    def demo_command(
        folder: Annotated[Path, typer.Argument(help="Folder of the demo study.")] =
            Path("demo-study"),
        posts: Annotated[int, typer.Option(min=100, help="Posts to generate.")] =
            DEFAULT_DEMO_SIZE,
        seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 0,
        progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
    ) -> None:
        """Generate a SYNTHETIC corpus, import, sift, train, sift again and write the report."""
        from wildsift.demo.study import run_demo

        result = run_demo(folder, posts=posts, seed=seed, progress=progress,
                          say=lambda line: console.print(f"[bold]{escape(line)}[/]"))
        counts, metrics = result.imported, result.card["metrics"]
        console.print(
            f"imported: read {counts.read}, stored {counts.stored}, duplicates "
            f"{counts.duplicates}, quarantined {counts.quarantined}")
        console.print(
            f"rules: {result.rules_sift.relevant} of {result.rules_sift.posts} newly scored "
            f"posts relevant; model {result.card['version']}: {result.model_sift.relevant} of "
            f"{result.model_sift.posts} relevant")
        console.print(
            f"model card (cross-validated on {result.card['data_size']} labels): "
            + ", ".join(f"{k} {metrics[k]:.3f}" for k in ("precision", "recall", "f1", "mcc")
                        if k in metrics))
        console.print("This demo uses SYNTHETIC posts: no real person or trade is shown.")
        console.print(f"report: {result.report}")
