"""Near-duplicate images: perceptual hashing speed, and search among a million hashes.

    python benchmarks/bench_images_hash.py [--images 1000] [--hashes 1000000] [--queries 1000]
        [--bktree 1000000] [--pairs 100000]

1. Hashing: ``--images`` generated 640x480 JPEGs (photo-like shapes, quality 85; made before the
   clock starts) hashed by the ``phash`` stage (phash + dhash + size + format), one thread and
   the default threads, against plain ``imagehash`` on a full decode. Images/s by wall clock
   and by CPU time of this process.
2. Search: ``--hashes`` random 64-bit hashes plus ``--queries`` planted near-copies (each a
   stored hash with 0-8 bits flipped); index build time and size, then per-query latency
   (median, p95; wall and thread CPU) of the multi-index hash index at distance 8, of a
   brute-force numpy scan and of a BK-tree (pure Python, the usual alternative). Every planted
   copy must be found and the answers must equal the brute-force scan.
3. All pairs within 8 bits (what clustering runs on) among ``--pairs`` random hashes.
Peak resident memory of the process at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from wildsift.hamming import HashIndex, popcount
from wildsift.sift.vision.phash import PerceptualHash

MAX_DISTANCE = 8


def make_jpegs(folder: Path, count: int, seed: int = 0) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for k in range(count):
        image = Image.new("RGB", (640, 480), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(25):
            x, y = rng.randrange(640), rng.randrange(480)
            box = [x, y, x + rng.randint(30, 200), y + rng.randint(30, 200)]
            colour = tuple(rng.randrange(256) for _ in range(3))
            (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        path = folder / f"{k:05d}.jpg"
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def bench_hashing(count: int) -> None:
    import imagehash
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        paths = make_jpegs(Path(tmp), count)
        batch = pd.DataFrame({"sha256": [p.stem for p in paths], "path": paths})
        for threads in (1, PerceptualHash().threads):
            stage = PerceptualHash(threads=threads)
            out, wall, cpu = timed(lambda stage=stage: stage(batch))
            assert out["phash"].notna().all()
            print(f"phash stage, {threads} thread(s): {count / wall:,.0f} images/s wall, "
                  f"{count / cpu:,.0f} images/s per CPU-second")

        def naive():
            for path in paths:
                with Image.open(path) as image:
                    imagehash.phash(image), imagehash.dhash(image)

        _, wall, cpu = timed(naive)
        print(f"plain imagehash (full decode), 1 thread: {count / wall:,.0f} images/s wall, "
              f"{count / cpu:,.0f} images/s per CPU-second")


def planted(n: int, queries: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**64 - 1, size=n, dtype=np.uint64, endpoint=True)
    targets = rng.integers(0, n, size=queries)
    probes = values[targets].copy()
    for q in range(queries):
        for bit in rng.choice(64, size=int(rng.integers(0, MAX_DISTANCE + 1)), replace=False):
            probes[q] ^= np.uint64(1) << np.uint64(int(bit))
    return values, targets, probes


def latency(fn, probes) -> tuple[np.ndarray, np.ndarray, list]:
    walls, cpus, answers = [], [], []
    for probe in probes:
        wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
        answers.append(fn(probe))
        cpus.append(time.thread_time_ns() - cpu)
        walls.append(time.perf_counter_ns() - wall)
    return np.array(walls) / 1e6, np.array(cpus) / 1e6, answers


def show(name: str, walls: np.ndarray, cpus: np.ndarray) -> None:
    print(f"{name}: median {np.median(walls):.3f} ms, p95 {np.percentile(walls, 95):.3f} ms "
          f"wall; median {np.median(cpus):.3f} ms, p95 {np.percentile(cpus, 95):.3f} ms CPU "
          f"({len(walls)} queries)")


class BKTree:
    """A plain BK-tree over ints (Hamming distance), the textbook alternative."""

    def __init__(self, values):
        it = iter(values)
        self.root = (next(it), {})
        for value in it:
            node = self.root
            while True:
                d = (value ^ node[0]).bit_count()
                child = node[1].get(d)
                if child is None:
                    node[1][d] = (value, {})
                    break
                node = child

    def query(self, value: int, limit: int) -> list[int]:
        found, stack = [], [self.root]
        while stack:
            node_value, children = stack.pop()
            d = (value ^ node_value).bit_count()
            if d <= limit:
                found.append(node_value)
            stack.extend(child for k, child in children.items() if d - limit <= k <= d + limit)
        return found


def bench_search(n: int, queries: int, bktree_n: int) -> None:
    values, targets, probes = planted(n, queries)
    index, wall, _ = timed(lambda: HashIndex(values))
    print(f"index of {n:,} hashes: built in {wall:.2f} s, {index.nbytes / 2**20:.1f} MiB")
    walls, cpus, answers = latency(lambda p: index.query(int(p), MAX_DISTANCE)[0], probes)
    show("multi-index hashing (4 x 16 bits)", walls, cpus)
    assert all(t in set(a.tolist()) for t, a in zip(targets, answers)), "a planted copy missed"
    for probe, answer in zip(probes[:100], answers[:100]):
        expected = np.flatnonzero(popcount(values ^ probe) <= MAX_DISTANCE)
        assert sorted(answer.tolist()) == expected.tolist(), "differs from brute force"
    print("every planted copy found; the first 100 answers equal the brute-force scan")
    walls, cpus, _ = latency(lambda p: np.flatnonzero(popcount(values ^ p) <= MAX_DISTANCE),
                             probes[:100])
    show("brute-force numpy scan", walls, cpus)
    if bktree_n:
        items = [int(v) for v in values[:bktree_n]]
        tree, wall, _ = timed(lambda: BKTree(items))
        print(f"BK-tree of {bktree_n:,} hashes: built in {wall:.1f} s")
        sample = [int(items[int(t) % bktree_n]) ^ 0b111 for t in targets[:30]]
        walls, cpus, _ = latency(lambda p: tree.query(p, MAX_DISTANCE), sample)
        show("BK-tree (pure Python)", walls, cpus)
        del tree, items


def bench_pairs(n: int) -> None:
    values, _, _ = planted(n, 1, seed=1)
    values = np.concatenate([values, values[: n // 100] ^ np.uint64(0b101)])  # 1% near-copies
    pairs, wall, cpu = timed(lambda: HashIndex(values, chunks=3 if n > 200_000 else 4
                                               ).pairs(MAX_DISTANCE))
    print(f"all pairs within {MAX_DISTANCE} bits among {len(values):,} hashes: {len(pairs):,} "
          f"pairs in {wall:.1f} s wall, {cpu:.1f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--hashes", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--bktree", type=int, default=1_000_000, help="0: skip the BK-tree")
    parser.add_argument("--pairs", type=int, default=100_000, help="0: skip all pairs")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}, numpy {np.__version__}")
    if args.images:
        bench_hashing(args.images)
    if args.hashes:
        bench_search(args.hashes, args.queries, min(args.bktree, args.hashes))
    if args.pairs:
        bench_pairs(args.pairs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:,.0f} MiB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
