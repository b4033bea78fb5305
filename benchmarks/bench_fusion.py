"""Text-only vs text + images (fusion) on a synthetic labelled set: `evaluate --image-column`.

There is no labelled image dataset here (the marketplace ads in /work/shared name an
``image_path`` but the images are not included), so the ads are made up: the text names the
product in only half of the relevant ads ("ivory bangle ..."; the rest say "for sale, DM", as
do the others), and the photo shows it: cream rings ("bangles") on a background for relevant
ads, random coloured boxes for the others, with ``--swap`` of the photos exchanged (noise).

    python benchmarks/bench_fusion.py --n 300 --image-model default   # EfficientNet-Lite0
    python benchmarks/bench_fusion.py --image-model colour             # mean-RGB stand-in
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw

GENERIC = ["for sale, DM", "available now, DM me", "price in DM", "selling, message me",
           "cheap, fast shipping", "new stock today"]
NAMED = ["ivory bangle for sale, DM", "real ivory bracelet, price in DM",
         "carved ivory bangles, message me"]


def picture(relevant: bool, rng: np.random.Generator, size: int = 224) -> Image.Image:
    background = tuple(int(v) for v in rng.integers(20, 235, 3))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(1, 4))):
        x, y = (int(v) for v in rng.integers(10, size - 90, 2))
        r = int(rng.integers(30, 70))
        if relevant:  # a cream ring: a bangle seen from above
            cream = tuple(int(v) for v in (235, 225, 200) + rng.integers(-15, 15, 3))
            draw.ellipse((x, y, x + r, y + r), outline=cream, width=int(rng.integers(6, 14)))
        else:
            colour = tuple(int(v) for v in rng.integers(0, 255, 3))
            draw.rectangle((x, y, x + r, y + int(rng.integers(20, 70))), fill=colour)
    return image


def make_ads(folder: Path, n: int, swap: float, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        relevant = bool(rng.random() < 0.3)
        named = relevant and rng.random() < 0.5
        text = str(rng.choice(NAMED if named else GENERIC))
        shown = relevant if rng.random() >= swap else not relevant
        picture(shown, rng).save(folder / f"ad{i}.jpg", quality=90)
        rows.append({"text": text, "label": int(relevant), "photo": f"ad{i}.jpg"})
    path = folder / "ads.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


class ColourModel:
    """The mean-RGB stand-in the tests use (no torch)."""

    name = version = "mean-rgb"

    def embed(self, images):
        return np.array([np.asarray(im.resize((8, 8)), dtype=float).reshape(-1, 3).mean(0)
                         for im in images]) / 255


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--swap", type=float, default=0.05)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--image-model", default="default")
    args = parser.parse_args()
    from wildsift.sift.learn.evaluate import evaluate_file
    from wildsift.sift.models.registry import make_image_model

    model = ColourModel() if args.image_model == "colour" else make_image_model(args.image_model)
    with tempfile.TemporaryDirectory() as folder:
        data = make_ads(Path(folder), args.n, args.swap)
        started = time.perf_counter()
        result = evaluate_file(data, ["text"], ["label"], folds=args.folds, resamples=1000,
                               image_columns=["photo"], image_model=model)
        seconds = time.perf_counter() - started
    keys = ("precision", "recall", "f1", "mcc", "pr_auc", "roc_auc")
    report = {"n": result["n"], "positives": result["positives"], "seconds": round(seconds, 1),
              "image_model": result["images"]["image_model"],
              "text_only": {k: round(result[k], 3) for k in keys},
              "text_only_f1_ci": result["ci"].get("f1"),
              "fused": {k: round(result["multimodal"][k], 3) for k in keys},
              "fused_f1_ci": result["multimodal"]["ci"].get("f1")}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
