"""CPU time per post of each import stage, in one process: robust to a shared, loaded machine.

Wall-clock posts/s on a machine shared with other jobs varies several-fold with the load; the
CPU seconds a stage uses (``time.process_time``) vary far less. This script runs the stages
``wildsift import`` runs, one after the other on each chunk, and sums each one's CPU time:

- ``read``: cutting the file into chunks (main process in a real import);
- ``parse``: JSON + the format mapping to RawPost (worker);
- ``protect``: privacy, ``Protector.protect`` (worker);
- ``encode``: ``encode_chunk`` of the protected posts (worker);
- ``merge``: ``Store.posts.add_chunk`` into a fresh SQLite study (main process).

``python benchmarks/bench_import_cpu.py --file benchmarks/out/twarc2-20mb-s0.jsonl`` (any file
``wildsift import`` detects) or ``--n 100000`` (the SYNTHETIC generic corpus). Prints one JSON
line with CPU seconds per 100,000 posts per stage, and the implied ceiling on 2 cores:
workers = parse + protect + encode, main = read + merge.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import corpus_parser, ensure_corpus, machine, profiled, study_path

from wildsift.privacy.ingest import Protector
from wildsift.sources.files.detect import detect_format, open_import
from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import LABEL_ANNOTATOR, LABEL_FIELD, _protect, _unique
from wildsift.store.sqlite_bulk import encode_chunk
from wildsift.study import Study

STAGES = ("read", "parse", "protect", "encode", "merge")


def main() -> None:
    parser = corpus_parser(__doc__)
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()
    path = args.file or ensure_corpus(args.n, args.seed, args.positive_share)
    reader = FileReader(path) if args.file is None else open_import(
        path, format=detect_format(path))
    root = study_path(0, "import-cpu")
    if root.exists():
        shutil.rmtree(root)
    study = Study.init(root, name="benchmark")
    privacy = study.settings.privacy
    protector = Protector(study.secret, keep_source_ids=privacy.keep_source_ids,
                          phone_regions=privacy.phone_regions, redact=privacy.redact)
    cpu = dict.fromkeys(STAGES, 0.0)
    posts_n = read_n = 0
    wall = time.perf_counter()
    with profiled(args.profile):
        chunks = iter(reader.chunks(args.batch_size))
        while True:
            t = time.process_time()
            chunk = next(chunks, None)
            cpu["read"] += time.process_time() - t
            if chunk is None:
                break
            t = time.process_time()
            records = reader.parse(chunk)
            t1 = time.process_time()
            cpu["parse"] += t1 - t
            posts, _quarantined, read = _protect(protector, records)
            t2 = time.process_time()
            cpu["protect"] += t2 - t1
            unique = _unique(posts)
            labels = [(p.platform, p.post_id, LABEL_FIELD, p.label, LABEL_ANNOTATOR)
                      for p in unique if p.label is not None]
            payload = encode_chunk(unique, labels, datetime.now(UTC))
            t3 = time.process_time()
            cpu["encode"] += t3 - t2
            study.store.posts.add_chunk(payload)
            cpu["merge"] += time.process_time() - t3
            posts_n += len(posts)
            read_n += read
    wall = time.perf_counter() - wall
    study.store.close()
    per = {k: round(v / posts_n * 100_000, 2) for k, v in cpu.items()}
    worker = per["parse"] + per["protect"] + per["encode"]
    main_s = per["read"] + per["merge"]
    print(json.dumps({
        "bench": "import-cpu", "file": str(path), "posts": posts_n, "records": read_n,
        "cpu_s_per_100k": per, "worker_cpu_s_per_100k": round(worker, 2),
        "main_cpu_s_per_100k": round(main_s, 2),
        # two workers, each on its own core, the main process sharing them
        "ceiling_posts_per_s_2_cores": round(2 * 100_000 / (worker + main_s)),
        "wall_s_single_process": round(wall, 2), "machine": machine(),
    }), flush=True)


if __name__ == "__main__":
    main()
