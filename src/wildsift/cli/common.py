"""What every command shares: finding the study, printing, turning errors into exit codes."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from wildsift.errors import WildsiftError

if TYPE_CHECKING:  # a study loads pydantic; 'wildsift --help' must not
    from wildsift.study import Study

console = Console(stderr=False)
err_console = Console(stderr=True)


def open_study(ctx: typer.Context) -> Study:
    """The study named by --study, else the one around the current folder."""
    from wildsift.study import Study

    root: Path | None = (ctx.obj or {}).get("study") if ctx else None
    return Study.open(root)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line reason on stderr and exit non-zero."""
    first_line = message.strip().splitlines()[0] if message.strip() else "failed"
    print(f"wildsift: error: {first_line}", file=sys.stderr)
    rest = message.strip().splitlines()[1:]
    for line in rest:
        print(line, file=sys.stderr)
    raise typer.Exit(code)


_DISK_ERRNOS = {28: "the disk is full", 122: "the disk quota is exceeded",
                5: "the disk failed (an I/O error)", 30: "the file system is read-only"}


def disk_failure(exc: OSError) -> str | None:
    """The clear message for a write that a full or failing disk refused (None for other
    errors): what happened, to which file, that the batch was not committed, how to go on."""
    what = _DISK_ERRNOS.get(exc.errno or 0)
    if what is None:
        return None
    where = f" writing {exc.filename}" if exc.filename else ""
    return (f"{what}{where} ({exc.strerror or exc}). The batch being written was not committed; "
            "everything committed before it is intact. Free some space (or fix the disk) and "
            "run the same command again: it goes on where it stopped.")


def handle_errors(func):
    """Turn WildsiftError into a clean message and exit status 1 (no traceback); Ctrl-C into
    exit status 130 with a word on resuming (every command commits batch by batch)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except WildsiftError as exc:
            fail(str(exc))
        except OSError as exc:  # a full or failing disk under a file (media, an export)
            message = disk_failure(exc)
            if message is None:
                raise
            fail(message)
        except KeyboardInterrupt:
            fail("interrupted; what was committed is kept: run the same command again to resume",
                 code=130)

    return wrapper
