"""A large export with one broken line in the middle loses that line only (issue 10, 2.3).

``python benchmarks/bench_broken_line.py --size-mb 1024 [--format jsonl|csv|both]``: writes a
synthetic export of about SIZE MB (unique ids, short trade-like texts) with one broken line
halfway (JSONL: a line cut short; CSV: an unbalanced quote, the harder case, as it swallows the
lines after it), imports it into a fresh study as ``wildsift import`` does (FileReader, worker
processes, default batch size) and prints one JSON line per format: lines, stored, quarantined
and where, seconds, posts/s, and peak memory of this process and of its workers. The test
tests/sources/test_import_broken_line.py checks the same on a small file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest
from wildsift.study import Study

TEXTS = ("rhino horn for sale, genuine, ship worldwide", "ivory bangle carved by hand, old stock",
         "pangolin scales for medicine, good price", "Jaguar car for sale, low mileage",
         "Rhino 3D software tutorial for beginners", "tiger bone wine, 5 years old")
BROKEN = {"jsonl": b'{"id": "broken", "text": "rhino horn for sa\n',
          "csv": b'broken,"rhino horn for sale, never closed,2024-05-01T10:00:00Z\n'}


def write_export(path: Path, fmt: str, size: int) -> int:
    """About ``size`` bytes of posts, the broken line halfway; returns the number of lines."""
    lines = 0
    half = size // 2
    written = 0
    with path.open("wb", buffering=1 << 20) as out:
        if fmt == "csv":
            written += out.write(b"id,text,created_at\n")
        broken = False
        while written < size:
            text = TEXTS[lines % len(TEXTS)]
            if fmt == "csv":
                line = f'{lines},"{text} #{lines}",2024-05-01T10:00:00Z\n'.encode()
            else:
                line = json.dumps({"id": str(lines), "text": f"{text} #{lines}",
                                   "created_at": "2024-05-01T10:00:00Z"}).encode() + b"\n"
            if not broken and written >= half:
                line, broken = BROKEN[fmt], True
            written += out.write(line)
            lines += 1
    return lines


def bench(fmt: str, size_mb: int, folder: Path) -> dict:
    path = folder / f"export.{fmt}"
    lines = write_export(path, fmt, size_mb * 1024 * 1024)
    study = Study.init(folder / f"study-{fmt}", name="broken line")
    started = time.perf_counter()
    counts = ingest(study, FileReader(path))
    seconds = time.perf_counter() - started
    where = [q.location for q in study.store.quarantine.all()]
    study.close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures = {"format": fmt, "size_mb": round(path.stat().st_size / 2 ** 20, 1),
               "records": lines, "read": counts.read, "stored": counts.stored,
               "duplicates": counts.duplicates, "quarantined": counts.quarantined,
               "quarantined_at": where[:10], "lost_beyond_the_broken_line":
               lines - counts.stored - counts.quarantined, "seconds": round(seconds, 1),
               "posts_per_s": round(counts.read / seconds), "peak_rss_mb": round(own / 1024),
               "peak_worker_rss_mb": round(workers / 1024),
               "machine": f"{platform.machine()} {os.cpu_count()} CPUs, Python "
                          f"{platform.python_version()}, {platform.system()} "
                          f"{platform.release()}"}
    shutil.rmtree(folder / f"study-{fmt}")
    path.unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--format", choices=("jsonl", "csv", "both"), default="both")
    parser.add_argument("--dir", type=Path, default=None, help="scratch folder (default: a "
                        "temporary one; needs about twice the size free)")
    args = parser.parse_args()
    formats = ("jsonl", "csv") if args.format == "both" else (args.format,)
    for fmt in formats:
        with tempfile.TemporaryDirectory(prefix="wildsift-broken-", dir=args.dir) as folder:
            print(json.dumps(bench(fmt, args.size_mb, Path(folder))), flush=True)


if __name__ == "__main__":
    sys.exit(main())
