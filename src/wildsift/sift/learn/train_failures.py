"""Remember that ``wildsift train`` failed, so ``wildsift sift`` can say so.

Without this record a failed training leaves no model behind, and the next ``sift`` quietly
scores with the rules, as if nobody had labelled anything (issue 11: 100,000 labels on
PostgreSQL, a traceback in ``train``, then a silent rule-based ``sift``). ``train`` writes
``models/train-failed.json`` (when, which step, the error) before it re-raises, and removes it
after a run that succeeds; ``sift`` reads it and names the cause and what to do.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FAILURE_FILE = "train-failed.json"


def record_failure(models_dir: Path, step: str, error: BaseException) -> None:
    """Write the failure record (never raises: the original error is what the user needs)."""
    try:
        Path(models_dir).mkdir(parents=True, exist_ok=True)
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        (Path(models_dir) / FAILURE_FILE).write_text(json.dumps({
            "at": datetime.now(UTC).isoformat(timespec="seconds"), "step": step,
            "error": f"{type(error).__name__}: {message}"[:500]}, indent=2))
    except OSError:
        pass


def clear_failure(models_dir: Path) -> None:
    (Path(models_dir) / FAILURE_FILE).unlink(missing_ok=True)


def last_failure(models_dir: Path) -> dict[str, Any] | None:
    """The record of the last failed ``train``, or None when the last one succeeded."""
    path = Path(models_dir) / FAILURE_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def failure_message(failure: dict[str, Any], *, fallback: str) -> str:
    """What ``sift`` prints: the cause, what it means now (``fallback``) and what to do."""
    return (f"The last 'wildsift train' ({failure.get('at', '?')}, step "
            f"{failure.get('step', '?')}) failed: {failure.get('error', '?')}. {fallback} "
            "Fix the cause (run 'wildsift train' again to see the whole error) and rerun "
            "'wildsift train', then 'wildsift sift'.")
