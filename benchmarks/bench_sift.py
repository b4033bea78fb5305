"""Text sift throughput: language id -> lexicon matching -> relevance, scores stored.

``python benchmarks/bench_sift.py --n 100000 [--model]`` sifts a copy of the study that
bench_import made (made first, in a child process, if missing) and prints one JSON line.
Without ``--model`` relevance uses the rules (a new study); with it, a text model trained by
train_model.py. Targets (issue): >= 10,000 posts/s, peak memory < 1 GB.
"""

from __future__ import annotations

import os
import resource
import shutil
import time

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
    parser.add_argument("--workers", type=int, default=None,
                        help="scoring processes (default: one per CPU; 1 = in this process)")
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
    load_before = os.getloadavg()
    cpu_before, children_before = time.process_time(), _children_cpu()
    with profiled(args.profile), Timer() as timer:
        result = sift_study(study, batch_size=args.batch_size, progress=False,
                            workers=args.workers)
    cpu_main = time.process_time() - cpu_before
    cpu_workers = _children_cpu() - children_before
    study.store.close()
    done = {k: v for k, v in vars(result).items() if k != "images"}
    emit("sift", args.n, timer, target_rate=10_000, target_rss_mb=1024, **done,
         cpu_main_s=round(cpu_main, 2), cpu_workers_s=round(cpu_workers, 2),
         cpu_us_per_post=round(1e6 * (cpu_main + cpu_workers) / args.n, 1),
         posts_per_cpu_s=round(args.n / (cpu_main + cpu_workers)) if cpu_main else None,
         peak_rss_worker_mb=round(
             resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
         loadavg_before=load_before, loadavg_after=os.getloadavg())


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children: the worker pool's."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
