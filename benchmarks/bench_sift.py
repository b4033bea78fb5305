"""Text sift throughput: language id -> lexicon matching -> relevance, scores stored.

``python benchmarks/bench_sift.py --n 100000 [--model]`` sifts a copy of the study that
bench_import made (made first, in a child process, if missing) and prints one JSON line.
Without ``--model`` relevance uses the rules (a new study); with it, a text model trained by
train_model.py. Targets (issue): >= 10,000 posts/s, peak memory < 1 GB.
"""

from __future__ import annotations

import shutil

from _common import (
    Timer,
    corpus_parser,
    emit,
    fresh_copy,
    profiled,
    run_child,
    study_path,
)
from train_model import TRAINER

from wildsift.sift.pipeline import sift_study
from wildsift.study import Study


def main() -> None:
    parser = corpus_parser(__doc__)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--model", action="store_true", help="use a trained text model")
    args = parser.parse_args()
    imported = study_path(args.n, "imported")
    if not imported.exists():
        run_child("bench_import.py", "--n", str(args.n), "--seed", str(args.seed),
                  "--positive-share", str(args.positive_share))
    root = fresh_copy(imported, study_path(args.n, "sifted"))
    if args.model:
        if not (TRAINER / "models").exists():
            run_child("train_model.py")
        shutil.copytree(TRAINER / "models", root / "models", dirs_exist_ok=True)
    study = Study.open(root)
    with profiled(args.profile), Timer() as timer:
        result = sift_study(study, batch_size=args.batch_size, progress=False)
    study.store.close()
    emit("sift", args.n, timer, target_rate=10_000, target_rss_mb=1024, **result)


if __name__ == "__main__":
    main()
