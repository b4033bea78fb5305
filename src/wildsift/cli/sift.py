"""wildsift sift: score the study's new posts (images first, then language, lexicon, relevance)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from wildsift.cli.common import console, handle_errors, open_study

if TYPE_CHECKING:
    from wildsift.engine.choice import EngineChoice
    from wildsift.engine.plan import Plan


@contextmanager
def _image_progress(show: bool) -> Iterator[Callable[[str, int], None] | None]:
    """One line per image stage, counting the images it has done."""
    if not show:
        yield None
        return
    with Progress(SpinnerColumn(), TextColumn("[bold]image stage {task.description}"),
                  TextColumn("{task.completed} images"), TimeElapsedColumn(), console=console,
                  transient=False) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.update(tasks[stage], completed=done)

        yield update


def _print_plan(plan: Plan, store, engine: EngineChoice) -> None:
    """The plan as a table: what runs, over what, reading and adding which columns, at which
    version, and how many posts or images each stage has still to do."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="wildsift sift plan (stale: not yet done at this version)")
    for column in ("stage", "over", "reads", "adds", "version", "stale"):
        table.add_column(column, justify="right" if column == "stale" else "left",
                         overflow="fold")
    for row in plan.explain(store):
        cells = (row.stage, row.over, ", ".join(row.reads), ", ".join(row.adds), row.version)
        table.add_row(*(escape(cell) for cell in cells), str(row.stale))  # [optional] reads
    console.print(table)
    for item in plan.unavailable:
        console.print(f"not planned: {item.what}: {item.why}", markup=False, highlight=False)
    console.print(engine.describe(), markup=False, highlight=False)
    console.print("[optional reads in brackets]; nothing was run.", markup=False)


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
        no_images: Annotated[bool, typer.Option(
            "--no-images", help="Skip the image stages this time (phash, faces, OCR, image "
                                "model, video frames).")] = False,
        engine: Annotated[str | None, typer.Option(
            "--engine", help="Where the post stages run: local or ray (pip install "
                             "'wildsift\\[ray]'); wins over WILDSIFT_ENGINE and the study's "
                             "\\[engine] kind (default local).")] = None,
        explain: Annotated[bool, typer.Option(
            "--explain", help="Print the plan (stage, over, reads, adds, version, stale count) "
                              "and exit without running anything.")] = False,
    ) -> None:
        """Run the image stages, then score posts not yet scored by the current relevance
        model (or the rules); fuse text and image evidence per post."""
        from wildsift.engine.choice import resolve_engine
        from wildsift.sift.learn.train_failures import failure_message, last_failure
        from wildsift.sift.plan import plan_for_study, sift_recorded
        from wildsift.store.locks import exclusive

        study = open_study(ctx)
        images = study.settings.images.enabled and not no_images
        why = "--no-images" if no_images else "[images] enabled = false in wildsift.toml"
        choice = resolve_engine(engine, study.settings.engine)
        plan = plan_for_study(study, images=images, images_why=why)
        if explain:
            _print_plan(plan, study.store, choice)
            return
        if choice.kind == "ray":
            from wildsift.engine.ray import import_ray

            import_ray()  # a missing extra is said now, before any image stage runs
        with (exclusive(study.store, "sift"),  # two at once would score each post twice
              _image_progress(progress and images and console.is_terminal) as image_progress):
            result = sift_recorded(study, plan, images=images, batch_size=batch_size,
                                   progress=progress, workers=workers,
                                   image_progress=image_progress, engine=choice)
        if result.images is not None:
            for line in result.images.lines():
                console.print(line, markup=False, highlight=False, soft_wrap=True)
        elif not study.settings.images.enabled:
            console.print("Image stages off ([images] enabled = false in wildsift.toml).")
        else:
            console.print("Image stages skipped (--no-images).")
        failure = last_failure(study.models_dir)
        if result.method == "rules" and failure:
            console.print(failure_message(failure, fallback="No text model was saved, so "
                                          "relevance is rule-based (lexicon hits + sale cues)."),
                          markup=False, style="bold red")
        elif result.method == "rules":
            console.print("Relevance is rule-based (lexicon hits + sale cues) because no model is "
                          "trained yet; label posts and run 'wildsift train'.")
        else:
            console.print(f"Relevance from the trained text model {result.model_version}.")
            if failure:
                console.print(failure_message(failure, fallback="This is the model an earlier "
                                              "run saved, not one from your latest labels."),
                              markup=False, style="bold red")
        if result.images is not None and result.images.stale_posts:
            console.print(f"{result.images.changed} images got OCR text or a score: the posts "
                          f"showing them ({result.images.stale_posts}) were scored again by the "
                          "stages that read them.")
        if result.posts == 0:
            console.print("Nothing new to score: every post is scored by this model version.")
        else:
            console.print(f"Scored {result.posts} posts in {result.batches} batches; "
                          f"{result.relevant} relevant at threshold {result.threshold:.2f}"
                          + (f" (fused text and image evidence: {result.fused_by})."
                             if result.fused_by else "."))
