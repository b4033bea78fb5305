"""wildsift lexicon refresh --from gbif|iucn|cites: registry facts into a dated local snapshot.

On demand only: sift and report never reach the network; they read the newest snapshot in the
study's ``registries/`` folder. Tokens come from the environment (IUCN_REDLIST_TOKEN,
SPECIESPLUS_TOKEN), or from the variable named by --token-env; never from a file.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors, open_study
from wildsift.errors import ConfigError


def register_refresh(lex_app: typer.Typer) -> None:
    @lex_app.command("refresh")
    @handle_errors
    def refresh_command(
        ctx: typer.Context,
        source: Annotated[str, typer.Option(
            "--from", help="Registry: gbif (no token), iucn or cites (token in the environment).")],
        taxa: Annotated[list[str] | None, typer.Option(
            "--taxon", help="Only these taxon keys (default: every species of the lexicon).")
        ] = None,
        base_url: Annotated[str | None, typer.Option(
            help="Another address for the registry's API (a mirror, or a test server).")] = None,
        token_env: Annotated[str | None, typer.Option(
            help="Read the token from this environment variable instead of the default.")
        ] = None,
    ) -> None:
        """Ask a registry about the lexicon's species; write registries/<source>-<date>.json."""
        from wildsift.lexicon import Lexicon
        from wildsift.lexicon.registries.refresh import refresh
        from wildsift.lexicon.registries.snapshot import SOURCES

        if source not in SOURCES:
            raise ConfigError(f"--from {source!r}: choose one of {', '.join(SOURCES)}")
        token = None
        if token_env:
            token = os.environ.get(token_env, "").strip()
            if not token:
                raise ConfigError(f"--token-env {token_env}: that variable is not set")
        study = open_study(ctx)
        try:
            lexicon = Lexicon.for_study(study)
            chosen = lexicon.taxa if not taxa else {k: lexicon.taxa[k] for k in taxa
                                                    if k in lexicon.taxa}
            unknown = sorted(set(taxa or ()) - set(chosen))
            if unknown:
                raise ConfigError(f"--taxon {unknown}: not taxon keys of the lexicon")
            names = [t.scientific_name for t in chosen.values()
                     if t.rank in ("species", "subspecies") or source == "cites"]
            path, snapshot = refresh(study.root, source, names, base_url=base_url, token=token)
        finally:
            study.close()
        console.print(f"{source}: {len(snapshot.taxa)} of {len(set(names))} names found, "
                      f"{len(snapshot.missing)} unknown to the registry; wrote {path}",
                      markup=False)
