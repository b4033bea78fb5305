"""Import throughput with privacy: FileReader -> Protector (pseudonyms, redaction) -> store.

``python benchmarks/bench_import.py --n 100000``: imports the SYNTHETIC corpus (made first, in a
child process, if missing) into a fresh study and prints one JSON line.
Targets (issue): >= 20,000 posts/s, peak memory < 1 GB.
"""

from __future__ import annotations

import shutil

from _common import (
    Timer,
    corpus_parser,
    emit,
    ensure_corpus,
    profiled,
    study_path,
)

from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest
from wildsift.study import Study


def main() -> None:
    parser = corpus_parser(__doc__)
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()
    corpus = ensure_corpus(args.n, args.seed, args.positive_share)
    root = study_path(args.n, "imported")
    if root.exists():
        shutil.rmtree(root)
    study = Study.init(root, name="benchmark")
    with profiled(args.profile), Timer() as timer:
        counts = ingest(study, FileReader(corpus), batch_size=args.batch_size)
    study.store.close()
    emit("import", args.n, timer, target_rate=20_000, target_rss_mb=1024,
         stored=counts.stored, quarantined=counts.quarantined, labels=counts.labels,
         study=str(root))


if __name__ == "__main__":
    main()
