"""Command-line interface: one Typer module per verb group; thin over the library."""
