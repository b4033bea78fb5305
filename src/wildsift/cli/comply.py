"""wildsift comply: erase from the study what was deleted at the source."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors, open_study
from wildsift.errors import ConfigError

# The platform names the connectors and importers store posts under: facebook and instagram
# from the Meta Content Library and CrowdTangle (sources/meta, sources/files/crowdtangle.py),
# weibo from the Weibo crawlers' files and the web API (sources/weibo).
_PLATFORMS = ("bluesky", "x", "reddit", "mastodon", "ebay", "flickr", "youtube", "telegram", "vk",
              "facebook", "instagram", "weibo")


def register(app: typer.Typer) -> None:
    @app.command("comply")
    @handle_errors
    def comply_command(
        ctx: typer.Context,
        jetstream: Annotated[bool, typer.Option(
            "--jetstream", help="Read Bluesky's delete events from Jetstream up to now.")] = False,
        deleted_ids: Annotated[Path | None, typer.Option(
            "--deleted-ids", help="A file of deleted source ids, one per line.",
            exists=True, dir_okay=False)] = None,
        platform: Annotated[str | None, typer.Option(
            "--platform", help="The platform of the ids in --deleted-ids: "
                               f"{', '.join(_PLATFORMS)}.")] = None,
        source: Annotated[str | None, typer.Option(
            "--source", help="With --jetstream: the Jetstream source to use (its name).")] = None,
    ) -> None:
        """Erase posts deleted at the source (Jetstream delete events, or an id list)."""
        from wildsift.sources.compliance import (
            comply_jetstream,
            erase_listed,
            jetstream_settings,
            read_deleted_ids,
        )

        if not jetstream and deleted_ids is None:
            raise ConfigError("say what to apply: --jetstream, or --deleted-ids FILE "
                              "--platform NAME")
        if deleted_ids is not None and platform not in _PLATFORMS:
            raise ConfigError(f"--deleted-ids needs --platform, one of {', '.join(_PLATFORMS)}")
        study = open_study(ctx)
        unshown: set[str] = set()
        try:
            if deleted_ids is not None:
                listed = read_deleted_ids(deleted_ids, platform)
                for problem in listed.problems[:20]:
                    console.print(f"skipped {problem}", markup=False, highlight=False)
                if len(listed.problems) > 20:
                    console.print(f"... and {len(listed.problems) - 20} more lines skipped")
                unique = list(dict.fromkeys(listed.ids))
                erased = erase_listed(study, platform, unique,
                                      f"deleted at the source ({platform} id list)", unshown)
                console.print(f"{platform}: {len(unique)} ids listed, {erased} erased, "
                              f"{len(unique) - erased} not found in the study, "
                              f"{len(listed.problems)} lines skipped", markup=False)
            if jetstream:
                settings = jetstream_settings(study, source)
                counts, deletions = comply_jetstream(study, settings)
                console.print(f"{settings.name}: {deletions} deletions read, {counts.erased} "
                              f"erased, {deletions - counts.erased} not found in the study, "
                              f"{counts.quarantined} events quarantined", markup=False)
            _clean_up(study, unshown)
        finally:
            study.close()


def _clean_up(study, unshown: set[str]) -> None:
    """What an erasure leaves outside its transaction: media files, recorded exports, and the
    deleted rows' bytes in the database files. Each step is idempotent, so a run killed
    half-way is finished by the next ``wildsift comply`` (docs/privacy.md, Deletion)."""
    from wildsift.analysis.export_records import purge_exports
    from wildsift.sources.compliance import sweep_media

    removed = sweep_media(study, unshown)
    purged = purge_exports(study.root, study.store)
    study.store.vacuum()
    for line in purged.rewritten:
        console.print(f"export rewritten without erased posts: {line}", markup=False)
    for line in purged.deleted:
        console.print(f"export deleted: {line}", markup=False)
    for line in purged.gone:
        console.print(f"recorded export no longer there (forgotten): {line}", markup=False)
    reports = sorted(study.root.glob("reports/*.html"))
    console.print(f"media files removed {removed + purged.media_removed}; store vacuumed"
                  + ("; reports written before may show erased posts: run 'wildsift report'"
                     if reports else "") + ("; models trained before were trained on them: "
                                            "run 'wildsift train'"
                                            if any(study.root.glob("models/*")) else ""),
                  markup=False)
