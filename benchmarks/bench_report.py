"""Report building time: analyses from the store and one offline HTML file.

``python benchmarks/bench_report.py --n 100000`` builds the report of the study bench_sift
sifted (made first, in a child process, if missing) and prints one JSON line.
Target (issue): a report on 1,000,000 posts in under 60 s.
"""

from __future__ import annotations

from _common import OUT, Timer, corpus_parser, emit, profiled, run_child, study_path

from wildsift.report.build import build_report
from wildsift.study import Study


def main() -> None:
    parser = corpus_parser(__doc__)
    args = parser.parse_args()
    root = study_path(args.n, "sifted")
    if not root.exists():
        run_child("bench_sift.py", "--n", str(args.n), "--seed", str(args.seed),
                  "--positive-share", str(args.positive_share))
    study = Study.open(root)
    out = OUT / f"report-n{args.n}.html"
    with profiled(args.profile), Timer() as timer:
        path = build_report(study, out)
    study.store.close()
    emit("report", args.n, timer, target_seconds=60, path=str(path),
         html_mb=round(path.stat().st_size / 1024 ** 2, 2))


if __name__ == "__main__":
    main()
