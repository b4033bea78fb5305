"""Images in the store: linked from posts' downloaded media, updated by stages, scored."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from wildsift.records import Media, Post

A, B = "a" * 64, "b" * 64


def _post(i: int, media: list[Media]) -> Post:
    return Post(platform="x", post_id=f"p{i}", text=f"ivory {i}", author=f"u{i % 2}",
                media=media)


def test_link_media_builds_images_and_links_once(store):
    store.posts.add([_post(1, [Media(url="u1", sha256=A), Media(url="u2")]),
                     _post(2, [Media(url="u3", sha256=A)]),
                     _post(3, [Media(url="u4", sha256=B)])])
    assert store.images.link_media() == 3
    assert store.images.link_media() == 0  # re-running links nothing twice
    links = store.images.post_links()
    assert sorted(links["sha256"].tolist()) == [A, A, B]
    assert sorted(store.images.frame(("sha256",))["sha256"]) == [A, B]
    assert set(store.images.frame(("sha256",), missing="phash")["sha256"]) == {A, B}


def test_update_images_and_scores(store):
    store.images.add([{"sha256": A}, {"sha256": B}])
    store.images.update(pd.DataFrame({"sha256": [A], "phash": ["ff00ff00ff00ff00"],
                                      "faces": [2]}), ["phash", "faces"])
    row = store.images.frame(sha256s=[A]).iloc[0]
    assert row["phash"] == "ff00ff00ff00ff00" and row["faces"] == 2
    assert store.images.frame(("sha256",), missing="phash")["sha256"].tolist() == [B]
    with pytest.raises(ValueError, match="no column"):
        store.images.update(pd.DataFrame({"sha256": [A], "nope": [1]}), ["nope"])
    scores = pd.DataFrame({"sha256": [A, B], "image_relevance": [0.9, 0.1],
                           "imagenet_top": ["tusker", "cup"]})
    store.images.write_scores("image-model", "v1", scores, ["image_relevance", "imagenet_top"])
    latest = store.images.scores_frame().set_index("sha256")
    assert latest.loc[A, "image_relevance"] == pytest.approx(0.9)
    assert latest.loc[B, "imagenet_top"] == "cup"


def test_links_go_with_their_post(store):
    store.posts.add([_post(1, [Media(url="u1", sha256=A)])])
    store.images.link_media()
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM posts"))
    assert store.images.post_links().empty


class _Size:
    """A stage that fills width/height from the file, and one that only scores."""

    name, version, fills, scores, todo_column = "size", "v1", ("width", "height"), (), "width"
    over, reads, adds = "images", ("sha256", "path"), fills

    def __init__(self):
        self.seen = []

    def __call__(self, batch):
        from PIL import Image

        self.seen += batch["sha256"].tolist()
        sizes = [Image.open(path).size for path in batch["path"]]
        return batch.assign(width=[w for w, _ in sizes], height=[h for _, h in sizes])


class _Bright(_Size):
    name, fills, scores, todo_column = "bright", (), ("brightness",), None
    adds = scores

    def __call__(self, batch):
        self.seen += batch["sha256"].tolist()
        return batch.assign(brightness=[0.5] * len(batch))


def test_image_stages_run_once_per_image_and_resume(study):
    import io

    from PIL import Image

    from wildsift.privacy.media import MediaStore, clean_image
    from wildsift.sift.stages.image_stage import run_image_stages

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(buffer, format="PNG")
    image = clean_image(buffer.getvalue())
    MediaStore(study.media_dir).put(image)
    study.store.posts.add([_post(1, [Media(url="u", sha256=image.sha256)]),
                           _post(2, [Media(url="v", sha256=image.sha256)]),  # reused photo
                           _post(3, [Media(url="w", sha256=B)])])  # file not downloaded
    size, bright = _Size(), _Bright()
    runs = run_image_stages(study, [size, bright], batch_size=1)
    assert size.seen == [image.sha256] and bright.seen == [image.sha256]
    assert runs[0].images == 1 and runs[0].missing_files == 1
    row = study.store.images.frame(sha256s=[image.sha256]).iloc[0]
    assert (row["width"], row["height"]) == (30, 20)
    again = run_image_stages(study, [size, bright], batch_size=1)
    assert again[0].images == 0 and again[1].images == 0  # nothing is done twice
