"""Throughput of the image model (EfficientNet-Lite0): images/s embedded and classified.

    python benchmarks/bench_image_model.py [--n 64] [--batch-sizes 1,16] [--threads 0]
                                           [--device cpu|cuda] [--json out.json]

Each image is a 640x480 JPEG file (random shapes on noise, so decoding costs what a photo
costs), read from disk, decoded (JPEG draft at reduced size), resized and centre-cropped,
and run through the network: the whole path of the image stage, cache aside. Reports wall
images/s, CPU images/s of this process (the fairer figure on a shared machine), and peak
resident memory. ``--threads 0`` = torch's threads set to the cores (the default).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


def make_images(folder: Path, n: int) -> list[Path]:
    rng = np.random.default_rng(0)
    paths = []
    for i in range(n):
        image = Image.fromarray(rng.integers(0, 255, (480, 640, 3), np.uint8))
        draw = ImageDraw.Draw(image)
        for _ in range(8):
            x, y = int(rng.integers(0, 600)), int(rng.integers(0, 440))
            draw.ellipse([x, y, x + 80, y + 60], fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
        path = folder / f"{i:05d}.jpg"
        image.save(path, quality=90)
        paths.append(path)
    return paths


def measure(model, paths: list[Path], batch_size: int, sync) -> dict:
    model.batch_size = batch_size
    model.embed_and_classify(paths[:batch_size])  # warm-up: kernels chosen, caches filled
    sync()
    wall, cpu = time.perf_counter(), time.process_time()
    model.embed_and_classify(paths)
    sync()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"batch_size": batch_size, "images": len(paths),
            "images_per_s_wall": len(paths) / wall, "images_per_s_cpu": len(paths) / cpu,
            "ms_per_image_wall": 1000 * wall / len(paths)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--batch-sizes", default="1,16")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--device", default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    import torch

    from wildsift.sift.vision.image_model import EfficientNetLite0

    started = time.perf_counter()
    model = EfficientNetLite0(device=args.device, threads=args.threads or None)
    load_s = time.perf_counter() - started
    sync = torch.cuda.synchronize if model.device.startswith("cuda") else (lambda: None)
    with tempfile.TemporaryDirectory() as folder:
        paths = make_images(Path(folder), args.n)
        rows = [measure(model, paths, int(b), sync) for b in args.batch_sizes.split(",")]
    result = {"model": model.version, "device": model.device,
              "device_name": torch.cuda.get_device_name() if model.device.startswith("cuda")
              else platform.processor() or platform.machine(),
              "torch": torch.__version__, "threads": torch.get_num_threads(),
              "load_s": load_s, "peak_rss_mb": resource.getrusage(
                  resource.RUSAGE_SELF).ru_maxrss / 1024, "runs": rows}
    if model.device.startswith("cuda"):
        result["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
    print(f"{model.version} on {result['device']} ({result['device_name']}), torch "
          f"{result['torch']}, {result['threads']} threads, load {load_s:.1f} s, "
          f"peak RSS {result['peak_rss_mb']:.0f} MB")
    for row in rows:
        print(f"  batch {row['batch_size']:>3}: {row['images_per_s_wall']:7.1f} images/s wall, "
              f"{row['images_per_s_cpu']:7.1f} images/s per CPU-second, "
              f"{row['ms_per_image_wall']:.1f} ms/image")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
