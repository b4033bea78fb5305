"""``wildsift export FILE --what alerts``: every alert of the study as CSV, JSON or JSON Lines,
with a data dictionary beside it like the other exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

ALERT_FORMATS = ("csv", "json", "jsonl")
ALERTS_DICTIONARY: dict[str, tuple[str, str]] = {
    "kind": (("spike (one period far above its baseline), change_point (a sustained shift over "
             "several periods), effort (collection jumped or stopped), new_cluster (a contact "
             "token newly shared by several authors)"), "string"),
    "series": (("taxon | country | platform for trade series; platform | all posts for effort by "
                "creation week; platform | query | collected for effort by collection day; "
                "contact <TOKEN> for clusters"), "string"),
    "window": ("first and last day of the period(s) the alert is about", "list of 2 ISO dates"),
    "observed": ("posts observed in the window (authors, for new_cluster)", "number"),
    "expected": ("posts expected from the baseline periods, scaled by collection effort",
                 "number or null"),
    "score": (("-log10 of the Benjamini-Hochberg q-value (spike, change_point); -log10 of "
               "the tail of the move (effort by week); days without collection, or a new "
               "query's first posts (effort by collection day); authors (new_cluster)"),
              "number"),
    "posts": (("pseudonymous ids (platform:post_id, keyed hashes) of the posts behind it, at most "
              "50"), "list of string"),
    "direction": ("up or down", "string"),
    "note": ("what else to know (e.g. 'nothing collected')", "string"),
    "key": (("stable identity of the alert (kind|series|start|direction): what watch remembers "
            "as sent"), "string"),
}


def alert_format(out: Path, fmt: str | None) -> str:
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    fmt = {"ndjson": "jsonl"}.get(fmt, fmt)
    if fmt not in ALERT_FORMATS:
        raise ValueError(f"unknown format '{fmt}' for --what alerts: name the file "
                         f".{' or .'.join(ALERT_FORMATS)}, or give --format")
    return fmt


def write_alerts(alerts: list[dict[str, Any]], out: Path, fmt: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        out.write_text(json.dumps(alerts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    elif fmt == "jsonl":
        out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in alerts),
                       encoding="utf-8")
    else:
        frame = pd.DataFrame(alerts, columns=list(ALERTS_DICTIONARY))
        for column in ("window", "posts"):
            frame[column] = frame[column].map(lambda v: "|".join(map(str, v)) if v else "")
        frame.to_csv(out, index=False)


def write_alerts_dictionary(out: Path, fmt: str, rows: int) -> Path:
    md = out.with_name(out.name + ".dictionary.md")
    lines = [f"# Data dictionary: {out.name}", "",
             f"wildsift export, what: alerts, format: {fmt}, rows: {rows}."
             + (" In CSV, list columns (window, posts) are '|'-joined." if fmt == "csv" else ""),
             "", "| column | meaning | type |", "|---|---|---|"]
    lines += [f"| {name} | {meaning} | {kind} |"
              for name, (meaning, kind) in ALERTS_DICTIONARY.items()]
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.with_name(out.name + ".dictionary.json").write_text(json.dumps(
        {"file": out.name, "what": "alerts", "format": fmt, "rows": rows,
         "columns": [{"column": n, "meaning": m, "type": k}
                     for n, (m, k) in ALERTS_DICTIONARY.items()]}, indent=1) + "\n",
        encoding="utf-8")
    return md
