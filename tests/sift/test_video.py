"""Video key frames: sampled with times, cleaned, stored, linked to the post, then processed by
image stages; bounded per video; unreadable or out-of-folder videos never stop the run.

Videos are made here with imageio-ffmpeg (its bundled ffmpeg binary); nothing is downloaded.
"""

from __future__ import annotations

from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from wildsift.privacy.media import MediaStore
from wildsift.records import Media, Post
from wildsift.sift.stages.image_stage import run_image_stages
from wildsift.sift.vision.video import (
    FrameSampling,
    VideoRefused,
    index_videos,
    key_frames,
    local_files,
)

COLOURS = [(230, 30, 30), (30, 200, 30), (30, 30, 230), (230, 230, 30)]


def make_video(path: Path, colours=COLOURS, seconds_each: float = 1.0, fps: int = 10,
               size=(96, 64)) -> Path:
    """One second per colour, a white square moving across: four scenes."""
    width, height = size
    writer = imageio_ffmpeg.write_frames(str(path), size, fps=fps, macro_block_size=1,
                                         output_params=["-loglevel", "error"])
    writer.send(None)
    per = int(seconds_each * fps)
    for i in range(per * len(colours)):
        frame = np.empty((height, width, 3), np.uint8)
        frame[:] = colours[i // per]
        x = (i * 3) % (width - 12)
        frame[26:38, x:x + 12] = 255
        writer.send(frame)
    writer.close()
    return path


def _colour(image: Image.Image) -> int:
    """Which of COLOURS the frame shows (from a corner pixel; video codecs shift values)."""
    pixel = np.array(image.convert("RGB").getpixel((2, 2)), dtype=float)
    return int(np.argmin([np.abs(pixel - np.array(c)).sum() for c in COLOURS]))


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> Path:
    return make_video(tmp_path_factory.mktemp("videos") / "clip.mp4")


def test_one_frame_per_scene_with_increasing_times(video):
    frames = key_frames(video, FrameSampling(every=0.5))
    times = [frame.time for frame in frames]
    assert times == sorted(set(times)) and times[0] == 0.0
    # the moving square alone is not a new scene: one frame per colour, at its start
    assert [_colour(frame.image) for frame in frames] == [0, 1, 2, 3]
    assert times == pytest.approx([0.0, 1.0, 2.0, 3.0], abs=0.11)


def test_seeking_gives_the_same_frames(video):
    sequential = key_frames(video, FrameSampling(every=0.5))
    seeking = key_frames(video, FrameSampling(every=0.5, seek_after=0.0))
    assert [f.time for f in seeking] == [f.time for f in sequential]
    assert [_colour(f.image) for f in seeking] == [0, 1, 2, 3]


def test_frames_are_bounded_per_video(video):
    frames = key_frames(video, FrameSampling(every=0.1, max_frames=3, min_change=0.0))
    assert len(frames) == 3
    assert [f.time for f in frames] == sorted(f.time for f in frames)
    assert frames[-1].time >= 2.0  # spread over the video, not its first three samples


def test_a_static_video_gives_one_frame(tmp_path):
    still = make_video(tmp_path / "still.mp4", colours=[(90, 90, 90)] * 3)
    frames = key_frames(still, FrameSampling(every=0.5, min_change=0.05))
    assert len(frames) == 1


def test_not_a_video_is_refused(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 50)
    with pytest.raises(VideoRefused, match="bad.mp4"):
        key_frames(bad)
    with pytest.raises(VideoRefused, match="over the limit"):
        key_frames(bad, FrameSampling(max_bytes=10))


def test_local_files_stay_inside_their_roots(tmp_path, video):
    inside = tmp_path / "export"
    inside.mkdir()
    (inside / "a.mp4").write_bytes(video.read_bytes())
    resolve = local_files(inside)
    assert resolve({"url": "a.mp4"}) == (inside / "a.mp4").resolve()
    assert resolve({"url": f"file://{inside / 'a.mp4'}"}) == (inside / "a.mp4").resolve()
    assert resolve({"url": str(video)}) is None  # a real file, but outside the root
    assert resolve({"url": "../export/../../etc/passwd"}) is None
    assert resolve({"url": "https://example.org/a.mp4"}) is None
    assert resolve({"url": "missing.mp4"}) is None


class _Colour:
    """A dummy image stage: scores each stored frame with the colour it shows."""

    name, version, fills, scores, todo_column = "colour", "v1", (), ("colour",), None
    over, reads, adds = "images", ("sha256", "path"), scores

    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, batch):
        self.seen += batch["sha256"].tolist()
        return batch.assign(colour=[_colour(Image.open(path)) for path in batch["path"]])


def test_index_videos_links_frames_and_image_stages_run_on_them(study, tmp_path, video):
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "clip.mp4").write_bytes(video.read_bytes())
    (folder / "broken.mp4").write_bytes(b"not a video at all")
    study.store.posts.add([
        Post(platform="telegram", post_id="1", text="rhino horn video", author="a",
             media=[Media(url="photo.jpg"), Media(url="clip.mp4", kind="video")]),
        Post(platform="telegram", post_id="2", text="ivory", author="b",
             media=[Media(url="broken.mp4", kind="video")]),
        Post(platform="telegram", post_id="3", text="pangolin", author="c",
             media=[Media(url="https://cdn.example/v.mp4", kind="video",
                          thumbnail="https://cdn.example/v.jpg")]),
    ])
    run = index_videos(study, local_files(folder), sampling=FrameSampling(every=0.5))
    assert (run.videos, run.frames, run.no_file) == (1, 4, 1)
    assert len(run.refused) == 1 and "media #0" in run.refused[0].location
    assert any("media #0" in q.location for q in study.store.quarantine.all())
    assert len(study.store.posts.frame(("pk",))) == 3  # the broken video's post is kept

    links = study.store.images.post_links()
    assert links["position"].tolist() == [1, 1, 1, 1]  # the video is the post's second media
    assert links["frame"].tolist() == [1, 2, 3, 4]
    times = links["frame_time"].tolist()
    assert times == sorted(times) and times[0] == 0.0 and times[-1] == pytest.approx(3.0, abs=0.11)
    media = MediaStore(study.media_dir)
    assert all(media.find(key) is not None for key in links["sha256"])
    assert [_colour(Image.open(media.find(key))) for key in links["sha256"]] == [0, 1, 2, 3]

    again = index_videos(study, local_files(folder), sampling=FrameSampling(every=0.5))
    assert (again.videos, again.frames, again.already) == (0, 0, 1)

    stage = _Colour()
    runs = run_image_stages(study, [stage])
    assert sorted(stage.seen) == sorted(links["sha256"]) and runs[0].images == 4
    scores = study.store.images.scores_frame(["colour"]).set_index("sha256")["colour"]
    assert [scores[key] for key in links["sha256"]] == [0, 1, 2, 3]
    sizes = study.store.images.frame(("sha256", "width", "height", "format"))
    assert set(zip(sizes["width"], sizes["height"], sizes["format"])) == {(96, 64, "JPEG")}


def test_always_blur_stores_frames_with_faces_blurred(study, tmp_path):
    from skimage import data as skdata

    from wildsift.privacy.faces import HaarFaceDetector

    config = study.root / "wildsift.toml"
    config.write_text(config.read_text().replace('blur_faces = "exports"',
                                                 'blur_faces = "always"'))
    from wildsift.study import Study

    study = Study.open(study.root)
    face = np.asarray(Image.fromarray(skdata.astronaut()).resize((320, 320)))
    path = tmp_path / "face.mp4"
    writer = imageio_ffmpeg.write_frames(str(path), (320, 320), fps=2, macro_block_size=1,
                                         output_params=["-loglevel", "error"])
    writer.send(None)
    writer.send(np.ascontiguousarray(face))
    writer.close()
    study.store.posts.add([Post(platform="x", post_id="1", text="t", author="a",
                                media=[Media(url="face.mp4", kind="video")])])
    detector = HaarFaceDetector()
    run = index_videos(study, local_files(tmp_path), detector=detector)
    assert run.frames == 1
    (key,) = study.store.images.post_links()["sha256"]
    stored = np.asarray(Image.open(MediaStore(study.media_dir).find(key)), dtype=np.float32)
    region = (slice(40, 102), slice(109, 171))  # the face
    assert np.abs(stored[region] - face[region].astype(np.float32)).mean() > 15
    study.close()
