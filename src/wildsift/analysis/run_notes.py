"""Why an image step did not run, as the last recorded ``wildsift sift`` said, for the report.

Whether faces, OCR or the image model could run is a fact about the machine and the settings that
sifted, which the engine records with each run (the store's ``runs`` table, ``engine/runs.py``);
it is not a fact about the machine that builds the report. Reading the record keeps a report built
elsewhere (a laptop reading a team's study) truthful, and loads no image package to find out.
"""

from __future__ import annotations

from typing import Any

IMAGE_STEPS = ("phash", "faces", "ocr", "image-model", "video frames")
ALL_IMAGE_STAGES = "image stages"  # what the plan records when no image stage was planned
SETTING = "["  # a reason naming a wildsift.toml setting ("[images] ocr = false") turned it off


def _why(reason: str) -> str:
    return f"turned off ({reason})" if reason.startswith(SETTING) else reason


def unavailable_steps(study: Any, command: str = "sift") -> dict[str, str | None]:
    """Each image step -> why the last recorded ``command`` run could not do it, or None (it ran,
    or no run was recorded yet: the report then says to run ``wildsift sift``)."""
    latest = next((run for run in study.store.runs.list() if run.command == command), None)
    out: dict[str, str | None] = dict.fromkeys(IMAGE_STEPS)
    if latest is None:
        return out
    missing = {item.what: item.why for item in latest.unavailable}
    if ALL_IMAGE_STAGES in missing and not any(step in missing for step in IMAGE_STEPS[1:]):
        return dict.fromkeys(IMAGE_STEPS, _why(missing[ALL_IMAGE_STAGES]))
    out.update({step: _why(missing[step]) for step in IMAGE_STEPS if step in missing})
    return out
