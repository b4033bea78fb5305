"""Near-duplicate images: perceptual hashes, the multi-index hash index, clusters, the report."""

from __future__ import annotations

import io
import random
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageEnhance

from wildsift.analysis.image_clusters import image_clusters
from wildsift.errors import ConfigError, InputError
from wildsift.hamming import HashIndex, cluster_hashes, popcount, to_hex, to_uint64
from wildsift.records import Media, Post
from wildsift.sift.vision.image_reuse import reused_image_pks
from wildsift.sift.vision.phash import PerceptualHash, hash_image


def scene(seed: int, size=(640, 480)) -> Image.Image:
    """A photo-like picture: coloured shapes on a background, different for each seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randint(30, 200), rng.randint(30, 200)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape([x, y, x + w, y + h], fill=tuple(rng.randrange(256) for _ in range(3)))
    return image


def encode(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def variants(seed: int) -> dict[str, bytes]:
    """An original (PNG), four altered copies of it, and an unrelated picture."""
    base = scene(seed)
    return {
        "original": encode(base, "PNG"),
        "reencoded": encode(base, "JPEG", quality=35),
        "resized": encode(base.resize((320, 240)), "JPEG", quality=85),
        "cropped": encode(base.crop((6, 5, 634, 475)), "JPEG", quality=90),
        "brightened": encode(ImageEnhance.Brightness(base).enhance(1.25), "JPEG", quality=90),
        "unrelated": encode(scene(seed + 1000), "JPEG", quality=90),
    }


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_altered_copies_are_near_and_the_unrelated_picture_is_not(tmp_path, seed):
    files = {}
    for name, data in variants(seed).items():
        path = tmp_path / f"{name}.img"
        path.write_bytes(data)
        files[name] = path
    stage = PerceptualHash(threads=2)
    out = stage(pd.DataFrame({"sha256": list(files), "path": list(files.values())}))
    found = out.set_index("sha256")
    assert out["error"].isna().all()
    assert (found.loc["original", ["width", "height", "format"]].tolist() == [640, 480, "PNG"])
    # The JPEG is hashed from a reduced decode, but its size is the full one from the header.
    assert found.loc["resized", ["width", "height", "format"]].tolist() == [320, 240, "JPEG"]
    original = found.loc["original", "phash"]
    for name in ("reencoded", "resized", "cropped", "brightened"):
        assert distance(original, found.loc[name, "phash"]) <= 8, name
    assert distance(original, found.loc["unrelated", "phash"]) > 16

    index = HashIndex(to_uint64(found["phash"].tolist()))
    positions, distances = index.query(original, max_distance=8)
    near = {found.index[p] for p in positions}
    assert near == {"original", "reencoded", "resized", "cropped", "brightened"}
    assert distances[0] == 0 and list(distances) == sorted(distances)

    clusters = cluster_hashes(found.index.tolist(), found["phash"].tolist(), 8, min_size=1)
    groups = clusters.groupby("cluster")["key"].apply(set).tolist()
    assert {"original", "reencoded", "resized", "cropped", "brightened"} in groups
    assert {"unrelated"} in groups


def test_unreadable_file_is_reported_not_dropped(tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    good = tmp_path / "good.png"
    good.write_bytes(encode(scene(5), "PNG"))
    stage = PerceptualHash(threads=1)
    out = stage(pd.DataFrame({"sha256": ["bad", "good"], "path": [bad, good]})).set_index("sha256")
    assert out.loc["bad", list(stage.fills)].isna().all()  # left empty: retried next run
    assert len(out.loc["good", "phash"]) == 16
    # the reason comes back for the engine to count (a stage in a Ray actor keeps no tally)
    assert out.loc["bad", "error"].startswith("OSError")
    assert pd.isna(out.loc["good", "error"])


def test_hash_conversion_and_bad_input():
    values = np.array([0, 1, 2**63, 2**64 - 1], dtype=np.uint64)
    assert np.array_equal(to_uint64(to_hex(values)), values)
    assert hash_image(scene(1)).phash == hash_image(scene(1)).phash
    with pytest.raises(InputError, match="16 hex digits"):
        to_uint64(["abc"])
    with pytest.raises(InputError, match="not hexadecimal"):
        to_uint64(["zzzzzzzzzzzzzzzz"])
    with pytest.raises(ConfigError, match="chunks"):
        HashIndex(values, chunks=2)
    with pytest.raises(ConfigError, match="max_distance"):
        HashIndex(values).query(0, max_distance=64)


def _planted(seed: int, n: int, flips: int) -> np.ndarray:
    """``n`` hashes around a few centres, so near pairs exist at every distance."""
    rng = np.random.default_rng(seed)
    centres = rng.integers(0, 2**64 - 1, size=max(1, n // 8), dtype=np.uint64, endpoint=True)
    values = centres[rng.integers(len(centres), size=n)]
    for _ in range(flips):
        bit = rng.integers(0, 64, size=n).astype(np.uint64)
        values = values ^ np.where(rng.random(n) < 0.5, np.uint64(1) << bit, np.uint64(0))
    return values


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300), flips=st.integers(0, 10),
       max_distance=st.integers(0, 14), chunks=st.integers(3, 8))
def test_index_answers_exactly_what_brute_force_does(seed, n, flips, max_distance, chunks):
    values = _planted(seed, n, flips)
    index = HashIndex(values, chunks=chunks)
    table = popcount(values[:, None] ^ values[None, :])
    for q in range(min(n, 5)):
        positions, distances = index.query(int(values[q]), max_distance)
        expected = np.flatnonzero(table[q] <= max_distance)
        assert sorted(positions.tolist()) == expected.tolist()
        assert np.array_equal(distances, table[q, positions])
    pairs = index.pairs(max_distance)
    i, j = np.nonzero(np.triu(table <= max_distance, k=1))
    assert sorted(zip(pairs["i"], pairs["j"])) == sorted(zip(i.tolist(), j.tolist()))
    assert np.array_equal(pairs["distance"].to_numpy(), table[pairs["i"], pairs["j"]])


def test_clusters_join_near_copies_of_near_copies():
    a = 0x0F0F0F0F0F0F0F0F
    b = a ^ 0b1111111  # 7 bits from a
    c = b ^ (0b1111111 << 20)  # 7 bits from b, 14 from a
    far = ~a & (2**64 - 1)
    keys = ["k1", "k2", "k3", "k4", "k5"]
    hashes = to_hex(np.array([a, b, c, far, a], dtype=np.uint64))
    found = cluster_hashes(keys, hashes, max_distance=8)
    assert found["key"].tolist() == ["k1", "k2", "k3", "k5"]  # 'far' is alone: left out
    assert found["cluster"].unique().tolist() == [1] and (found["cluster_size"] == 4).all()
    assert cluster_hashes([], [], 8).empty


def _store_image(study, data: bytes) -> str:
    from wildsift.privacy.media import MediaStore, clean_image

    image = clean_image(data)
    MediaStore(study.media_dir).put(image)
    return image.sha256


def _reuse_study(study) -> dict[str, int]:
    """A seller's photo on X, a scammer's resized copy on Mastodon, an unrelated photo."""
    pictures = variants(7)
    original = _store_image(study, pictures["original"])
    copy = _store_image(study, pictures["resized"])
    other = _store_image(study, pictures["unrelated"])
    posts = [("x", "p1", "seller", original, 1), ("mastodon", "p2", "scammer", copy, 3),
             ("x", "p3", "seller", other, 5), ("x", "p4", "someone", other, 6)]
    study.store.posts.add([
        Post(platform=platform, post_id=pid, text="ivory bangles for sale", author=author,
             created_at=datetime(2024, 5, day), media=[Media(url=f"u{pid}", sha256=key)])
        for platform, pid, author, key, day in posts])
    pks = study.store.posts.frame(["pk", "post_id"]).set_index("post_id")["pk"]
    study.store.scores.write("relevance", "text-1", pd.DataFrame(
        {"pk": [pks["p1"], pks["p2"]], "relevance": [0.9, 0.3], "relevant": [1, 0]}),
        ["relevance", "relevant"])
    from wildsift.sift.stages.image_stage import run_image_stages

    runs = run_image_stages(study, [PerceptualHash(threads=1)])
    assert runs[0].images == 3
    return {name: int(pk) for name, pk in pks.items()}


def test_clusters_span_two_authors_on_two_platforms(study):
    from wildsift.analysis.reuse import cluster_posts, reuse_summary

    pks = _reuse_study(study)
    clusters = image_clusters(study, 8)
    assert len(clusters) == 2 and clusters["cluster"].nunique() == 1  # the photo and its copy
    summary = reuse_summary(study, image_clusters(study, 8, min_size=1))
    top = summary.iloc[0]
    assert (top["images"], top["posts"], top["authors"], top["platforms"]) == (2, 2, 2, 2)
    assert top["platform_names"] == "mastodon, x" and top["relevant_posts"] == 1
    assert top["first_seen"] == pd.Timestamp(2024, 5, 1)
    assert top["last_seen"] == pd.Timestamp(2024, 5, 3)
    second = summary.iloc[1]  # the same unrelated file posted by two authors on one platform
    assert (second["images"], second["posts"], second["authors"], second["platforms"]) == (
        1, 2, 2, 1)
    assert len(cluster_posts(study, clusters)) == 2
    assert reused_image_pks(study) == {pks["p1"], pks["p2"], pks["p3"], pks["p4"]}
    assert reused_image_pks(study, min_authors=3) == set()
    # The exact-hash cue cannot see the resized copy (another file): only the shared file.
    assert study.store.media.reused_pks() == {pks["p3"], pks["p4"]}


def test_report_shows_reused_images(study):
    from wildsift.report import build_report

    _reuse_study(study)
    html = build_report(study).read_text(encoding="utf-8")
    section = html[html.index('<section id="reuse">'):]
    section = section[:section.index("</section>")]
    assert "Reused images" in section and 'id="reuse-table"' in section
    assert '<div class="v" id="reuse-authors">2</div>' in section
    assert '<div class="v" id="reuse-platforms">1</div>' in section
    assert "mastodon, x" in section and "<img" not in section
    assert "3 of 3 images" in section


def test_report_says_when_nothing_is_hashed(study):
    from wildsift.report import build_report

    html = build_report(study).read_text(encoding="utf-8")
    assert "No image has a perceptual hash yet" in html
