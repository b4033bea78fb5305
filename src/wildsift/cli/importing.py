"""wildsift import FILE: read an export file into the study (privacy first), with counts.

The format is detected from the file's first bytes unless --format names it
(:mod:`wildsift.sources.files.detect`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from wildsift.cli.common import console, handle_errors, open_study
from wildsift.sources.files.formats import FORMATS, GENERIC

if TYPE_CHECKING:  # the readers and ingest load privacy (phonenumbers) and the store
    from wildsift.sources.ingest import ImportCounts
    from wildsift.sources.local_media import LocalMedia

_PROGRESS_FROM_BYTES = 8 * 1024 * 1024  # smaller files import before a bar is worth drawing


def register(app: typer.Typer) -> None:
    @app.command("import")
    @handle_errors
    def import_command(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Export file to import (CSV, JSON Lines, "
                                                  "twarc2, Zeeschuimer, 4CAT, Telegram).")],
        format: Annotated[str | None, typer.Option(
            "--format", "-f", help=f"One of {', '.join(FORMATS)} (default: detected from "
                                   "the file's first lines).")] = None,
        map_: Annotated[list[str] | None, typer.Option(
            "--map", help="FIELD=COLUMN: read FIELD from COLUMN (repeatable; wins over the "
                          "study's \\[import-map]).")] = None,
        platform: Annotated[str | None, typer.Option(
            help="Platform of posts without a platform column (csv, jsonl, 4cat-csv). "
                 "Default for csv/jsonl: the file's own, file-<hash>, so ids are unique per "
                 "file; give the same NAME to files of one platform.")] = None,
        batch_size: Annotated[int, typer.Option(min=1, help="Posts per database write.")] = 5000,
        workers: Annotated[int | None, typer.Option(
            min=1, help="Processes that parse and protect (default: one per CPU for files of "
                        "4 MB or more, else 1: this process alone).")] = None,
        download_media: Annotated[bool, typer.Option(
            "--download-media", help="Also fetch the image URLs the file names (public "
                                     "addresses only); local image paths are always read.")
        ] = False,
    ) -> None:
        """Import posts from a researcher's export file; bad records are quarantined, not lost."""
        from wildsift.sources.fields import check_mapping, parse_mapping
        from wildsift.sources.files.detect import detect_format, open_import
        from wildsift.sources.local_media import LocalMedia

        study = open_study(ctx)
        try:
            flags = parse_mapping(map_)
            fmt = (format or "").strip().lower() or detect_format(file)
            mapping = flags
            if fmt in GENERIC:
                check_mapping(study.settings.import_map)
                mapping = {**study.settings.import_map, **flags}
            reader = open_import(file, format=fmt, mapping=mapping, platform=platform)
            media = LocalMedia.for_study(study, file, download=download_media)
            counts = _run(study, reader, batch_size, media, workers)
            if counts.videos:  # `wildsift sift` takes their key frames from this folder
                from wildsift.sift.vision.video_roots import remember_root

                remember_root(study.media_dir, media.root)
        finally:
            study.close()
        _report(reader, counts)


def _run(study, reader, batch_size: int, media: LocalMedia | None = None,
         workers: int | None = None) -> ImportCounts:
    from wildsift.sources.ingest import ingest

    if reader.size < _PROGRESS_FROM_BYTES or not console.is_terminal:
        return ingest(study, reader, batch_size=batch_size, media=media, workers=workers)
    columns = (TextColumn("importing {task.description}"), BarColumn(), DownloadColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(reader.path.name, total=reader.size)
        return ingest(study, reader, batch_size=batch_size, media=media, workers=workers,
                      progress=lambda _counts: bar.update(task, completed=reader.bytes_read))


def _report(reader, counts: ImportCounts) -> None:
    summary = (f"read {counts.read}, stored {counts.stored}, duplicates {counts.duplicates}, "
               f"quarantined {counts.quarantined}")
    if counts.labels:
        summary += f", labels {counts.labels}"
    console.print(f"Imported {reader.path.name} ({reader.format}): {summary}", markup=False,
                  highlight=False, soft_wrap=True)
    if counts.images or counts.images_refused or counts.videos or counts.images_missing:
        console.print(f"  images stored {counts.images} (metadata removed), set aside "
                      f"{counts.images_refused}, files not found {counts.images_missing}; local "
                      f"videos {counts.videos} (key frames: 'wildsift sift')", markup=False,
                      highlight=False, soft_wrap=True)
    own = getattr(reader, "file_platform_posts", 0)
    if own:
        console.print(f"  {own} posts name no platform: their ids are taken as unique to this "
                      f"file (platform '{reader.platform}'), so another file's posts with the "
                      "same ids are kept apart, not merged. If files come from one platform, "
                      "import each with --platform NAME so that a post in several is stored "
                      "once.", markup=False, highlight=False, soft_wrap=True)
    for what, count in sorted(getattr(reader, "skipped", {}).items()):
        console.print(f"  skipped {count} {what}", markup=False, highlight=False)
    if reader.unknown_columns:
        console.print(f"  ignored columns: {', '.join(reader.unknown_columns)} "
                      "(use --map FIELD=COLUMN to read one)", markup=False, highlight=False)
    if counts.quarantined or counts.images_refused:
        console.print("  list them, with file:line, field and reason: 'wildsift quarantine'")
