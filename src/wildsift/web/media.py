"""Images as the web app serves them: only files of the study's content-addressed media
folder (by sha256; never a URL someone gives), faces blurred; for volunteers, and wherever
no face detector is installed, the whole picture blurred."""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from threading import Lock

from PIL import Image, ImageFilter

from wildsift.errors import WildsiftError
from wildsift.privacy.media import MediaStore

SHA256 = re.compile(r"^[0-9a-f]{64}$")
KINDS = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
         "gif": "image/gif"}
_CACHE: OrderedDict = OrderedDict()
_LOCK = Lock()
CACHE_SIZE = 256


def _detector():
    try:
        from wildsift.privacy.faces import make_detector

        return make_detector("haar")
    except (ImportError, WildsiftError, OSError):  # OpenCV is optional ([images]):
        # blur the whole picture instead
        return None


def blur_whole(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGB")
    radius = max(8, max(image.size) // 25)
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(radius)).save(out, format="JPEG", quality=80)
    return out.getvalue()


def served(context, sha256: str, *, whole: bool) -> tuple[bytes | None, str]:
    """(bytes, media type) of a stored image as this viewer may see it; (None, "") when the
    name is not a sha256 or the file is not in the study's media."""
    if not SHA256.match(sha256):
        return None, ""
    key = (context.study.root, sha256, whole)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    path = MediaStore(context.study.media_dir).find(sha256)
    if path is None:
        return None, ""
    data = path.read_bytes()
    kind = KINDS.get(path.suffix.lstrip(".").lower(), "application/octet-stream")
    detector = None if whole else context.cached("face-detector", _detector, ttl=1e9)
    try:
        if detector is None:
            data, kind = blur_whole(data), "image/jpeg"
        else:
            from wildsift.privacy.faces import blur_image_bytes

            data = blur_image_bytes(data, detector).data
    except (OSError, ValueError):  # never let an unchecked image out
        return None, ""
    with _LOCK:
        _CACHE[key] = (data, kind)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return data, kind
