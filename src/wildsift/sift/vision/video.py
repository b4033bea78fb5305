"""Video key frames: sampled from a post's local video file, cleaned, stored, linked with times.

A video ad shows the goods the way a photo does, so the image stages (OCR, near-duplicates,
faces, the image model) run on a few of its frames. Frames are taken every ``every`` seconds
(spread evenly when that would exceed ``max_frames``) and a frame that looks like the last kept
one (a static shot) is dropped, so a one-minute talking head gives one or two frames and a
slideshow of ten products gives ten. Each frame is re-encoded through
:func:`wildsift.privacy.media.clean_image` (no metadata), stored by its sha256 and linked to the
post as ``post_images(post_pk, sha256, position, frame=1.., frame_time=seconds)``; frame 0 of a
position stays the platform's thumbnail, when one was downloaded. When the platform gives no
file, the thumbnail is all there is (``sources/download.py`` fetches it).

Video files are parsed by FFmpeg (PyAV). Only regular files inside the folders the caller names
are opened, with FFmpeg's ``file`` protocol alone (a playlist cannot make it fetch URLs), and
only the container formats listed in :data:`VIDEO_FORMATS`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
from PIL import Image

from wildsift.errors import ConfigError, RecordError
from wildsift.privacy.faces import FaceDetector, blur_clean_image, make_detector
from wildsift.privacy.media import MediaLimits, MediaStore, clean_image
from wildsift.records import Quarantined

VIDEO_FORMATS = frozenset({"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "flv", "mpegts",
                           "mpeg", "ogg", "gif"})
AV_INSTALL = "pip install av  (or: pip install 'wildsift[images]')"


class VideoRefused(RecordError):
    """A video that cannot or must not be read; its post is kept, its frames are not."""


@dataclass(frozen=True)
class FrameSampling:
    """How frames are chosen from one video."""

    every: float = 2.0  # seconds between samples
    max_frames: int = 16  # per video, whatever its length
    min_change: float = 0.04  # mean |difference| (0..1) of 32x32 greys from the last kept frame
    max_side: int = 1920  # larger frames are scaled down before storing
    max_bytes: int = 2 * 1024 ** 3  # a larger file is refused, not read
    seek_after: float = 60.0  # longer videos: seek to each sample rather than decode it all


@dataclass(frozen=True)
class KeyFrame:
    time: float  # seconds from the start of the video
    image: Image.Image


def _av():
    try:
        import av
    except ImportError:
        raise ConfigError(f"video frames need PyAV: {AV_INSTALL}") from None
    return av


def _targets(duration: float | None, sampling: FrameSampling) -> list[float] | None:
    if duration is None or duration <= 0:
        return None
    count = int(duration // sampling.every) + 1
    if count <= sampling.max_frames:
        return [i * sampling.every for i in range(count)]
    return [i * duration / sampling.max_frames for i in range(sampling.max_frames)]


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L").resize((32, 32), Image.Resampling.BOX),
                      dtype=np.float32) / 255.0


def key_frames(path: Path | str, sampling: FrameSampling = FrameSampling()) -> list[KeyFrame]:
    """Frames of the video at ``path``, in time order, at most ``sampling.max_frames``."""
    av = _av()
    path = Path(path)
    if not path.is_file():
        raise VideoRefused("not a file", location=str(path), field="media")
    if path.stat().st_size > sampling.max_bytes:
        raise VideoRefused(f"{path.stat().st_size} bytes is over the limit of "
                           f"{sampling.max_bytes}", location=str(path), field="media")
    try:
        container = av.open(str(path.resolve()), container_options={"protocol_whitelist": "file"})
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise VideoRefused(f"cannot open the video: {exc}", location=str(path),
                           field="media") from None
    with container:
        if container.format.name not in VIDEO_FORMATS:
            raise VideoRefused(f"container format {container.format.name} is not allowed",
                               location=str(path), field="media")
        if not container.streams.video:
            raise VideoRefused("no video stream", location=str(path), field="media")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        try:
            frames = list(_sample(container, stream, sampling))
        except (av.FFmpegError, OSError, ValueError) as exc:
            raise VideoRefused(f"cannot decode the video: {exc}", location=str(path),
                               field="media") from None
    return frames


def _sample(container, stream, sampling: FrameSampling) -> Iterator[KeyFrame]:
    start = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
    duration = None
    if stream.duration is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / 1_000_000
    targets = _targets(duration, sampling)
    seek = bool(targets) and len(targets) > 1 and duration > sampling.seek_after
    candidates = (_seeking(container, stream, targets, start) if seek
                  else _sequential(container, stream, targets, start, sampling))
    last = None
    kept = 0
    for time, image in candidates:
        grey = _grey(image)
        if last is not None and float(np.abs(grey - last).mean()) < sampling.min_change:
            continue
        last = grey
        if max(image.size) > sampling.max_side:
            image.thumbnail((sampling.max_side, sampling.max_side), Image.Resampling.LANCZOS)
        yield KeyFrame(round(time, 3), image)
        kept += 1
        if kept >= sampling.max_frames:
            return


def _sequential(container, stream, targets, start, sampling) -> Iterator[tuple[float, Image.Image]]:
    """One pass over a short video (or one of unknown length): the first frame at or after each
    target time."""
    wanted = iter(targets) if targets else None
    target = next(wanted) if wanted else 0.0
    for frame in container.decode(stream):
        if frame.time is None:
            continue
        time = frame.time - start
        if time + 1e-6 >= target:
            yield time, frame.to_image()
            if wanted is None:
                target = time + sampling.every
            else:
                target = next(wanted, None)
                if target is None:
                    return


def _seeking(container, stream, targets, start) -> Iterator[tuple[float, Image.Image]]:
    """A long video: seek to the key frame before each target, decode up to the target."""
    previous = None
    for target in targets:
        container.seek(int((target + start) / stream.time_base), stream=stream, backward=True,
                       any_frame=False)
        for frame in container.decode(stream):
            if frame.time is None or frame.time - start + 1e-6 < target:
                continue
            time = frame.time - start
            if previous is None or time > previous:
                previous = time
                yield time, frame.to_image()
            break


def local_files(*roots: Path | str) -> Callable[[dict], Path | None]:
    """A resolver for :func:`index_videos`: a media entry's ``url`` as a file inside one of
    ``roots`` (a plain or ``file://`` path, absolute or relative to a root), else None.
    Nothing outside the roots is opened, whatever a post's URL says."""
    bases = [Path(root).resolve() for root in roots]

    def resolve(media: dict) -> Path | None:
        url = media.get("url") or ""
        parts = urlsplit(url)
        if parts.scheme not in ("", "file"):
            return None
        raw = Path(unquote(parts.path) if parts.scheme == "file" else url)
        for base in bases:
            candidate = (raw if raw.is_absolute() else base / raw).resolve()
            if candidate.is_relative_to(base) and candidate.is_file():
                return candidate
        return None

    return resolve


@dataclass
class VideoIndexRun:
    """What :func:`index_videos` did."""

    videos: int = 0  # videos read now
    frames: int = 0  # frames linked now
    already: int = 0  # videos whose frames were linked before
    no_file: int = 0  # video entries the resolver found no local file for (thumbnail only)
    refused: list[Quarantined] = field(default_factory=list)


def index_videos(study, resolve: Callable[[dict], Path | None], *,
                 sampling: FrameSampling = FrameSampling(), detector: FaceDetector | None = None,
                 batch_size: int = 2000) -> VideoIndexRun:
    """Store and link key frames of every post video that ``resolve`` finds a file for.

    Run it before :func:`~wildsift.sift.stages.image_stage.run_image_stages`, which then processes
    the frames like any image. Videos with frames already linked are skipped, so it resumes.
    With ``[privacy] blur_faces = "always"`` frames are stored with faces blurred (``detector``,
    default Haar). Unreadable videos are quarantined with the reason; their posts are kept.
    """
    store = study.store
    media_store = MediaStore(study.media_dir)
    limits = MediaLimits()
    always = study.settings.privacy.blur_faces == "always"
    if always and detector is None:
        detector = make_detector("haar")
    run = VideoIndexRun()
    for batch in store.posts.iter(("pk", "platform", "post_id", "media"), batch_size=batch_size):
        videos = [(int(pk), platform, post_id, index, item)
                  for pk, platform, post_id, media in batch.itertuples(index=False)
                  if isinstance(media, list)
                  for index, item in enumerate(media)
                  if isinstance(item, dict) and item.get("kind") == "video"]
        if not videos:
            continue
        links = store.images.post_links(post_pks={pk for pk, *_ in videos})
        done = set(zip(links["post_pk"][links["frame"] > 0].astype(int),
                       links["position"][links["frame"] > 0].astype(int)))
        for pk, platform, post_id, index, item in videos:
            if (pk, index) in done:
                run.already += 1
                continue
            path = resolve(item)
            if path is None:
                run.no_file += 1
                continue
            where = f"{platform}:{post_id} media #{index}"
            try:
                frames = key_frames(path, sampling)
                stored = [_store_frame(frame, media_store, limits, detector if always else None,
                                       where) for frame in frames]
            except RecordError as exc:
                run.refused.append(Quarantined(source="video", location=where,
                                               reason=exc.reason, field="media"))
                continue
            store.images.add([{"sha256": image.sha256, "width": image.width,
                               "height": image.height, "format": image.format}
                              for image, _time in stored])
            run.frames += store.images.add_links(
                [{"post_pk": pk, "sha256": image.sha256, "position": index, "frame": number,
                  "frame_time": time} for number, (image, time) in enumerate(stored, start=1)])
            run.videos += 1
    if run.refused:
        store.quarantine.add(run.refused)
    return run


def _store_frame(frame: KeyFrame, media_store: MediaStore, limits: MediaLimits,
                 detector: FaceDetector | None, where: str):
    buffer = io.BytesIO()
    frame.image.convert("RGB").save(buffer, format="JPEG", quality=95)
    image = clean_image(buffer.getvalue(), limits, where=f"{where} at {frame.time:.2f}s")
    if detector is not None:
        image = blur_clean_image(image, detector)
    media_store.put(image)
    return image, frame.time


def frames_of(study, post_pks: Sequence[int] | None = None):
    """The video frames linked to posts: post_pk, sha256, position, frame, frame_time."""
    links = study.store.images.post_links(post_pks)
    return links[links["frame"] > 0].reset_index(drop=True)
