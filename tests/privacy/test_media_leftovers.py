"""A temporary media file left by a writer killed mid-write (SIGKILL runs no cleanup) is never
taken for the image, and ``comply`` sweeps it (issue 10, 2.1; tests/reliability/test_mine_crash.py).

``MediaStore.put`` writes ``<sha256>.tmp<pid>`` and renames it. Before, ``find`` returned the
first ``<sha256>.*`` by name, and ``.tmp<pid>`` sorts before ``.webp``: once the rerun stored the
WEBP image, the half-written leftover was what the web app, sift and exports read. And
``sweep_media`` kept every file whose sha256 a post shows, the leftover included, for good.
"""

from __future__ import annotations

import io
import os
import time
from datetime import UTC, datetime

import pytest
from PIL import Image, features

from wildsift.privacy.media import MediaStore, clean_image
from wildsift.records import Media, Post
from wildsift.sources.compliance import sweep_media


def _webp():
    if not features.check("webp"):
        pytest.skip("Pillow without WEBP")
    buffer = io.BytesIO()
    Image.new("RGB", (20, 12), (10, 200, 30)).save(buffer, format="WEBP")
    image = clean_image(buffer.getvalue())
    assert image.extension == "webp"
    return image


def _leftover(store: MediaStore, image) -> os.PathLike:
    path = store.path(image.sha256, image.extension).with_suffix(".tmp4242")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(image.data[: len(image.data) // 2])  # killed half-way
    return path


def test_find_never_returns_a_killed_writers_temporary_file(tmp_path):
    image = _webp()
    store = MediaStore(tmp_path / "media")
    _leftover(store, image)
    assert store.find(image.sha256) is None  # only the leftover: no image stored
    stored = store.put(image)  # the rerun downloads it again
    assert store.find(image.sha256) == stored
    assert store.find(image.sha256).read_bytes() == image.data


def test_comply_sweeps_a_leftover_beside_a_shown_image(study):
    image = _webp()
    store = MediaStore(study.media_dir)
    stored = store.put(image)
    leftover = _leftover(store, image)
    study.store.posts.add([Post(platform="mastodon", post_id="p1", text="x",
                                created_at=datetime(2025, 1, 1, tzinfo=UTC), author="u",
                                media=[Media(url=None, sha256=image.sha256)])])
    assert sweep_media(study) == 0  # younger than the grace period: a writer may be at work
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    os.utime(stored, (old, old))
    assert sweep_media(study) == 1
    assert not leftover.exists() and stored.exists()
