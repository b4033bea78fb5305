#!/usr/bin/env bash
# Run every benchmark, one process each, one after the other; one JSON line per benchmark.
#   benchmarks/run_all.sh            # 100,000 posts
#   N=1000000 benchmarks/run_all.sh  # the issue's scale
#   MODEL=1 benchmarks/run_all.sh    # sift with a trained text model instead of the rules
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-100000}"
SHARE="${SHARE:-0.02}"
PY="${PYTHON:-python}"
OUT=benchmarks/out
mkdir -p "$OUT"
CORPUS="$OUT/posts-n${N}-s0-p${SHARE}.jsonl"
[ -f "$CORPUS" ] || "$PY" benchmarks/generate_corpus.py --n "$N" --positive-share "$SHARE" --out "$CORPUS"
"$PY" benchmarks/bench_import.py --n "$N" --positive-share "$SHARE"
if [ -n "${MODEL:-}" ]; then
  "$PY" benchmarks/bench_sift.py --n "$N" --positive-share "$SHARE" --model
else
  "$PY" benchmarks/bench_sift.py --n "$N" --positive-share "$SHARE"
fi
"$PY" benchmarks/bench_report.py --n "$N" --positive-share "$SHARE"
