"""Images named by an imported file: cleaned and stored at import, before the post is written.

A researcher's export often sits beside a folder of the pictures it names (``media`` column:
``img/bangles_003.jpg|img/bangles_004.jpg``). At import each such path is resolved against the
folder of the imported file, read, re-encoded without metadata
(:func:`wildsift.privacy.media.clean_image`: EXIF/GPS gone, bombs and truncated files refused),
faces blurred first when the study says ``[privacy] blur_faces = "always"``, and stored by its
sha256 under the study's ``media/``; the post's :class:`~wildsift.records.Media` gets that sha256
before the post is written, so the image stages find it (``Store.images.link_media``).

Which paths are read: only regular files INSIDE the imported file's folder, after resolving
``..`` and symbolic links (the rule of :func:`wildsift.sift.vision.video.local_files`), so a shared
export cannot make wildsift read ``/etc/passwd`` or ``../../secrets``. A path that escapes, is
missing or is not a readable image becomes a quarantine entry naming ``file:line`` and the
reason; the post itself is kept. A path with no file at all (an export shared without its media
folder) is only counted: the import's summary says how many. Videos are not read here (key frames are taken by ``wildsift
sift``); the import command remembers their folder
(:func:`wildsift.sift.vision.video_roots.remember_root`) so that step can find them. URLs are fetched only on request (``download=True``: ``wildsift import
--download-media``), through :class:`~wildsift.sources.download.MediaDownloader`'s SSRF rules.

A :class:`LocalMedia` pickles (paths and flags only): ingest's worker processes each build their
own detector and downloader on first use, so the cost stays where the images are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from wildsift.errors import RecordError
from wildsift.privacy.faces import blur_at_ingest
from wildsift.privacy.media import MediaLimits, MediaStore, clean_image
from wildsift.records import Post, Quarantined, RawPost


class LocalMediaRefused(RecordError):
    """A media path of an imported file that is not read: outside the folder, missing, ..."""


@dataclass
class MediaCounts:
    """What the media step did for a batch (summed over worker processes)."""

    stored: int = 0  # images cleaned and stored (a file named by many posts counts each time)
    refused: int = 0  # images set aside with a quarantine entry
    videos: int = 0  # local video files found (frames are taken by `wildsift sift`)
    missing: int = 0  # paths with no file (an export shared without its media folder)

    def add(self, other: MediaCounts) -> None:
        self.stored += other.stored
        self.refused += other.refused
        self.videos += other.videos
        self.missing += other.missing


@dataclass
class LocalMedia:
    """The media step of one import: ``root`` is the imported file's folder."""

    root: Path
    media_dir: Path
    blur_faces: str = "exports"
    download: bool = False
    limits: MediaLimits = field(default_factory=MediaLimits)
    counts: MediaCounts = field(default_factory=MediaCounts)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self._state: dict = {}

    @classmethod
    def for_study(cls, study, imported_file: Path | str, *, download: bool = False
                  ) -> LocalMedia:
        return cls(Path(imported_file).resolve().parent, study.media_dir,
                   study.settings.privacy.blur_faces, download)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_state"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._state = {}

    def take_counts(self) -> MediaCounts:
        """The counts since the last call (a worker sends them back with each chunk)."""
        counts, self.counts = self.counts, MediaCounts()
        return counts

    # -- per post ---------------------------------------------------------------------------
    def attach(self, raw: RawPost, post: Post) -> list[Quarantined]:
        """Store the images ``raw`` names and set their sha256 on ``post.media`` (aligned with
        ``raw.media``); returns the quarantine entries of those that were refused."""
        refused: list[Quarantined] = []
        for index, (source, media) in enumerate(zip(raw.media, post.media)):
            url = source.url or ""
            try:
                if _is_remote(url):
                    if self.download and media.kind == "image":
                        self._downloader().save(media, self._store())
                        self.counts.stored += 1
                    continue
                path = self.resolve(url)
                if path is None:
                    self.counts.missing += 1
                    continue
                if media.kind == "video":
                    self.counts.videos += 1
                    continue
                image = clean_image(_read(path, self.limits.max_bytes), self.limits,
                                    where=f"{raw.location} media #{index}")
                transform = self._transform()
                if transform is not None:
                    image = transform(image)
                self._store().put(image)
                media.sha256 = image.sha256
                self.counts.stored += 1
            except RecordError as exc:
                self.counts.refused += 1
                shown = media.url or "(a redacted path)"  # the protected URL, never the raw one
                refused.append(Quarantined(
                    source=raw.source or "import", location=raw.location,
                    reason=f"media #{index} {shown}: {exc.reason}", field="media"))
        return refused

    def resolve(self, url: str) -> Path | None:
        """The file ``url`` names inside :attr:`root`; None when there is no such file (counted,
        not quarantined: exports are often shared without their media folder);
        :class:`LocalMediaRefused` when the path leads outside the folder."""
        parts = urlsplit(url)
        raw = Path(unquote(parts.path) if parts.scheme == "file" else url)
        candidate = (raw if raw.is_absolute() else self.root / raw).resolve()
        if not candidate.is_relative_to(self.root):
            raise LocalMediaRefused("the path leads outside the imported file's folder "
                                    f"({self.root.name}/); only files inside it are read",
                                    field="media")
        if not candidate.exists():
            return None
        if not candidate.is_file():
            raise LocalMediaRefused("not a regular file", field="media")
        return candidate

    # -- lazily built, per process -----------------------------------------------------------
    def _store(self) -> MediaStore:
        if "store" not in self._state:
            self._state["store"] = MediaStore(self.media_dir)
        return self._state["store"]

    def _transform(self):
        if "transform" not in self._state:
            self._state["transform"] = blur_at_ingest(self.blur_faces)
        return self._state["transform"]

    def _downloader(self):
        if "downloader" not in self._state:
            from wildsift.sources.download import MediaDownloader

            self._state["downloader"] = MediaDownloader(self.limits,
                                                        transform=self._transform())
        return self._state["downloader"]


def _is_remote(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return scheme not in ("", "file") and not (len(scheme) == 1 and url[1:3] in (":\\", ":/"))


def _read(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise LocalMediaRefused(f"{size} bytes is over the limit of {max_bytes}", field="media")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LocalMediaRefused(f"cannot read the file: {exc.strerror or exc}",
                                field="media") from None

