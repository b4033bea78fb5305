"""Images in, safely: opened with limits, re-encoded without metadata, stored by content hash.

Why re-encode rather than delete EXIF tags: photos carry GPS positions, camera serial numbers,
owner names and thumbnails (which keep the unedited picture) in EXIF, XMP, IPTC and ICC blocks;
writing only the pixels drops every one of them. The orientation is applied to the pixels first,
so a portrait photo stays upright without its EXIF tag.

Limits are checked on the header, before any pixel is decoded: a 40,000 x 40,000 PNG of a few
kilobytes (a decompression bomb) is refused without allocating its 4.8 GB.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from wildsift.errors import RecordError

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"})
_OUTPUT = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "WEBP": ("WEBP", "webp")}


class MediaRefused(RecordError):
    """An image that is too large, not an allowed format, truncated, or not an image at all."""


@dataclass(frozen=True)
class MediaLimits:
    """What an image may be. Defaults fit marketplace and social-media photos with room."""

    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 40_000_000
    formats: frozenset[str] = field(default=ALLOWED_FORMATS)


@dataclass(frozen=True)
class CleanImage:
    """An image re-encoded without metadata, and the sha256 of those bytes (its name)."""

    data: bytes
    format: str  # JPEG | PNG | WEBP
    width: int
    height: int
    sha256: str

    @property
    def extension(self) -> str:
        return _OUTPUT[self.format][1]


def clean_image(data: bytes, limits: MediaLimits = MediaLimits(), *, where: str = "") -> CleanImage:
    """``data`` re-encoded without EXIF/XMP/IPTC/ICC, or :class:`MediaRefused` with the reason.

    Only the decoders of ``limits.formats`` are tried (a file that claims to be an image never
    reaches Pillow's other parsers, e.g. EPS, which runs Ghostscript), and any failure of the
    decoder on hostile bytes is a refusal of this one image, never an error of the batch.
    """
    if len(data) > limits.max_bytes:
        raise MediaRefused(f"{len(data)} bytes is over the limit of {limits.max_bytes}",
                           location=where, field="media")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(limits.formats))
            width, height = image.size
            if width * height > limits.max_pixels:
                raise MediaRefused(f"{width}x{height} pixels is over the limit of "
                                   f"{limits.max_pixels} (a decompression bomb?)",
                                   location=where, field="media")
            image.load()
            return _reencode(image)
    except MediaRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaRefused(f"refused as a decompression bomb: {exc}", location=where,
                           field="media") from None
    except UnidentifiedImageError:
        raise MediaRefused(f"not an image in an allowed format "
                           f"({', '.join(sorted(limits.formats))})", location=where,
                           field="media") from None
    except MemoryError:
        raise MediaRefused("too large to decode in memory", location=where,
                           field="media") from None
    except Exception as exc:  # noqa: BLE001 - truncated or corrupt data: any decoder error
        raise MediaRefused(f"cannot decode the image ({type(exc).__name__}: "
                           f"{str(exc)[:120]})", location=where, field="media") from None


def _reencode(image: Image.Image) -> CleanImage:
    """The pixels alone, upright, in a fresh image written to a fresh buffer."""
    source_format = image.format
    image = ImageOps.exif_transpose(image)  # keep it upright once the EXIF tag is gone
    out_format = source_format if source_format in _OUTPUT else "PNG"
    if out_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif out_format != "JPEG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    pixels = Image.new(image.mode, image.size)  # a fresh image: no info dict, no metadata
    pixels.paste(image)
    buffer = io.BytesIO()
    options = {"quality": 92} if out_format in ("JPEG", "WEBP") else {"optimize": True}
    pixels.save(buffer, format=_OUTPUT[out_format][0], **options)
    clean = buffer.getvalue()
    return CleanImage(clean, out_format, pixels.width, pixels.height,
                      hashlib.sha256(clean).hexdigest())


class MediaStore:
    """Content-addressed files under a study's ``media/``: ``ab/abcdef...jpg``.

    Writing is atomic (temporary file ``<sha256>.tmp<pid>``, then rename), so an interrupted
    download never leaves half a file under a hash name; the same image downloaded twice is
    stored once. A process killed while writing (SIGKILL runs no cleanup) leaves its temporary
    file: :meth:`find` never returns one, and ``wildsift comply`` sweeps them.
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str, extension: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.{extension}"

    def put(self, image: CleanImage) -> Path:
        target = self.path(image.sha256, image.extension)
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".tmp{os.getpid()}")
        try:
            temporary.write_bytes(image.data)
            os.replace(temporary, target)
        except BaseException:  # a full disk: leave no half-written file behind
            temporary.unlink(missing_ok=True)
            raise
        return target

    def find(self, sha256: str) -> Path | None:
        """The stored file of ``sha256``; never a temporary file a killed writer left (its
        name sorts before ``.webp``)."""
        folder = self.root / sha256[:2]
        matches = sorted(path for path in folder.glob(f"{sha256}.*")
                         if not is_temporary(path)) if folder.exists() else []
        return matches[0] if matches else None


def is_temporary(path: Path) -> bool:
    """A file :meth:`MediaStore.put` was writing (``<sha256>.tmp<pid>``), not a stored image."""
    return path.suffix.startswith(".tmp")
