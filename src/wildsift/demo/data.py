"""Write the SYNTHETIC demo corpus to a CSV or JSON Lines file that ``wildsift import`` reads.

Beside the file goes ``<name>.SYNTHETIC.json``: a metadata sidecar that says the data are
invented and how to regenerate them (generator, seed, size, share of trade posts). Every record
also says so itself: its ``source`` column begins with ``demo:synthetic``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from wildsift.demo.corpus import COLUMNS, DEMO_POSITIVE_SHARE, SOURCE, generate_posts
from wildsift.demo.defaults import DEFAULT_DEMO_SIZE
from wildsift.demo.spike import plant_spike


@dataclass(slots=True)
class CorpusInfo:
    """What :func:`write_corpus` wrote."""

    path: Path
    meta_path: Path
    n: int
    positives: int
    seed: int
    positive_share: float


def _format(path: Path, fmt: str | None) -> str:
    if fmt is None:
        fmt = "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "csv"
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown corpus format {fmt!r}: use 'csv' or 'jsonl'")
    return fmt


def meta_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".SYNTHETIC.json")


def write_corpus(path: Path, n: int = DEFAULT_DEMO_SIZE, seed: int = 0,
                 fmt: Literal["csv", "jsonl"] | None = None,
                 positive_share: float | None = None) -> CorpusInfo:
    """Write ``n`` SYNTHETIC posts with the import columns to ``path``.

    ``fmt`` defaults from the suffix (``.jsonl``/``.ndjson`` -> JSON Lines, else CSV). List
    columns are ``|``-joined strings in both formats; missing values are empty (CSV) or null.
    """
    path = Path(path)
    fmt = _format(path, fmt)
    share = DEMO_POSITIVE_SHARE if positive_share is None else positive_share
    path.parent.mkdir(parents=True, exist_ok=True)
    positives = 0
    posts = plant_spike(generate_posts(n, seed, share, include_topic=True))  # demo/spike.py
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for post in posts:
                positives += post["label"] == "1"
                writer.writerow(post)
    else:
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        with path.open("w", encoding="utf-8") as handle:
            buffer: list[str] = []
            for post in posts:
                positives += post["label"] == "1"
                buffer.append(dumps(post))
                if len(buffer) >= 10000:
                    handle.write("\n".join(buffer) + "\n")
                    buffer.clear()
            if buffer:
                handle.write("\n".join(buffer) + "\n")
    info = CorpusInfo(path=path, meta_path=meta_path_for(path), n=n, positives=positives,
                      seed=seed, positive_share=share)
    meta = {"SYNTHETIC": True,
            "note": "Invented posts for demos, tests and benchmarks; no real person or listing.",
            "generator": "wildsift.demo.corpus.generate_posts", "source": SOURCE, "format": fmt,
            "columns": COLUMNS, "label_column": "label", "label_field": "relevant",
            **{k: v for k, v in asdict(info).items() if k not in ("path", "meta_path")}}
    info.meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    return info
