"""The image model: EfficientNet-Lite0 embeddings and ImageNet labels, the embedding cache, the
linear probe trained from image labels, the image-model stage, and the zero-shot backend's
loading code on a tiny randomly initialised open_clip model the test builds."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw

torch = pytest.importorskip("torch", reason="the image model needs the images extra (torch)")
pytest.importorskip("efficientnet_lite_pytorch", reason="needs efficientnet-lite-pytorch")

from wildsift.errors import ModelError
from wildsift.sift.models.image_probe import ImageProbe, image_labels
from wildsift.sift.stages.image_model import WILDLIFE_CLASSES, imagenet_rule
from wildsift.sift.vision.image_embeddings import EmbeddingCache
from wildsift.sift.vision.image_model import (
    EfficientNetLite0,
    ImageModel,
    imagenet_classes,
    pick_device,
)


@pytest.fixture(scope="module")
def model() -> EfficientNetLite0:
    return EfficientNetLite0(device="cpu", batch_size=8, threads=1)  # CI runners are shared


def _drawing(kind: str, seed: int) -> Image.Image:
    """Red stripes or blue dots on a pale background, placed at random: two visual classes."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (96, 96), tuple(int(v) for v in rng.integers(215, 255, 3)))
    draw = ImageDraw.Draw(image)
    if kind == "stripes":
        step, offset = int(rng.integers(10, 16)), int(rng.integers(0, 8))
        for x in range(offset, 96, step):
            draw.rectangle([x, 0, x + step // 2, 95], fill=(int(rng.integers(170, 255)), 20, 20))
    else:
        for _ in range(int(rng.integers(12, 20))):
            x, y, r = (int(v) for v in (rng.integers(0, 96), rng.integers(0, 96),
                                        rng.integers(3, 7)))
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(20, 40, int(rng.integers(170, 255))))
    return image


def test_embedding_and_imagenet_probabilities(model):
    images = [Image.new("RGB", (120, 80), "red"), _drawing("dots", 1)]
    embeddings, probabilities = model.embed_and_classify(images)
    assert isinstance(model, ImageModel)
    assert embeddings.shape == (2, 1280) and embeddings.dtype == np.float32
    assert probabilities.shape == (2, 1000)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert (probabilities >= 0).all()
    labels = model.labels(images, top_k=3)
    assert [len(row) for row in labels] == [3, 3]
    assert labels[0][0][1] >= labels[0][1][1] >= labels[0][2][1]  # most likely first


def test_embeddings_are_deterministic_and_batch_independent(model):
    noise = Image.fromarray(np.random.default_rng(0).integers(0, 255, (90, 140, 3), np.uint8))
    solid = Image.new("RGB", (90, 140), (30, 120, 60))
    batch = model.embed([noise, solid, noise])
    alone = model.embed([solid])
    assert np.array_equal(batch[0], batch[2])  # the same image twice embeds identically
    assert np.allclose(batch[1], alone[0], atol=1e-4)  # its batch does not change an image
    cosine = batch[0] @ batch[1] / np.linalg.norm(batch[0]) / np.linalg.norm(batch[1])
    assert cosine < 0.95  # noise and a solid colour are far apart


def test_imagenet_labels_are_right_on_real_photos(model):
    """The weights, the class order and the normalisation together: a real photo of an
    espresso and of a cat (scikit-image's bundled public-domain samples)."""
    data = pytest.importorskip("skimage.data", reason="needs scikit-image's sample images")
    coffee, cat = model.labels([Image.fromarray(data.coffee()),
                                Image.fromarray(data.chelsea())], top_k=3)
    assert coffee[0][0] == "espresso"
    assert {"tabby", "tiger cat", "Egyptian cat"} & {name for name, _ in cat}


def test_imagenet_class_names_and_the_rule():
    names = imagenet_classes()
    assert len(names) == 1000
    assert (names[101], names[385], names[386]) == ("tusker", "Indian elephant",
                                                    "African elephant")
    assert "pangolin" not in names and "rhinoceros" not in names  # ImageNet-1k has neither
    assert set(WILDLIFE_CLASSES) <= set(names)
    probabilities = np.zeros((3, 1000))
    probabilities[0, names.index("tusker")] = 0.9
    probabilities[0, names.index("cup")] = 0.1
    probabilities[1, names.index("espresso")] = 1.0
    probabilities[2, [names.index("armadillo"), names.index("car wheel")]] = 0.3, 0.7
    relevance, product = imagenet_rule(probabilities)
    assert relevance == pytest.approx([0.9, 0.0, 0.3])
    assert product == ["live_animal", None, None]


def test_device_is_chosen_automatically(monkeypatch):
    monkeypatch.delenv("WILDSIFT_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device() == "cpu"
    with pytest.raises(ModelError, match="no CUDA"):
        pick_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device() == "cuda"
    monkeypatch.setenv("WILDSIFT_DEVICE", "cpu")
    assert pick_device() == "cpu"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU here")
def test_cuda_gives_the_cpu_results(model):
    gpu = EfficientNetLite0(batch_size=8)  # the device chosen automatically
    assert gpu.device == "cuda"
    images = [_drawing("stripes", 3), _drawing("dots", 4)]
    cpu_embeddings, cpu_probabilities = model.embed_and_classify(images)
    gpu_embeddings, gpu_probabilities = gpu.embed_and_classify(images)
    assert np.allclose(gpu_embeddings, cpu_embeddings, atol=1e-2, rtol=1e-2)
    assert (gpu_probabilities.argmax(1) == cpu_probabilities.argmax(1)).all()


def test_embedding_cache_persists_and_survives_a_torn_write(tmp_path):
    cache = EmbeddingCache(tmp_path, dim=4)
    vectors = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    cache.put(["a", "b", "a"], np.vstack([vectors[:2], vectors[2:]]))
    assert len(cache) == 2  # "a" once: the first one wins
    again = EmbeddingCache(tmp_path, dim=4)
    assert np.allclose(again.get(["b", "a"]), vectors[[1, 0]], atol=1e-3)
    with (tmp_path / "vectors.f16").open("ab") as handle:
        handle.write(b"\x00" * 5)  # a row written half, its key never
    trimmed = EmbeddingCache(tmp_path, dim=4)
    assert len(trimmed) == 2 and (tmp_path / "vectors.f16").stat().st_size == 2 * 4 * 2
    calls = []
    out = trimmed.embed(["a", "c"], ["pa", "pc"],
                        lambda paths: calls.append(paths) or np.ones((len(paths), 4)))
    assert calls == [["pc"]] and np.allclose(out[1], 1.0)
    with pytest.raises(ModelError, match="do not fit"):
        trimmed.put(["d"], np.ones((1, 3)))


def _add_images(study, images, first: int = 0):
    """Store cleaned images and one post per image; returns the sha256s."""
    from wildsift.privacy.media import MediaStore, clean_image
    from wildsift.records import Media, Post

    media, keys, posts = MediaStore(study.media_dir), [], []
    for i, image in enumerate(images, start=first):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        clean = clean_image(buffer.getvalue())
        media.put(clean)
        keys.append(clean.sha256)
        posts.append(Post(platform="x", post_id=f"p{i}", text="for sale", author="u",
                          media=[Media(url=f"u{i}", sha256=clean.sha256)]))
    study.store.posts.add(posts)
    return keys


def test_probe_learns_from_labels_and_scores_reach_the_store(study, model):
    from wildsift.records import Label
    from wildsift.sift.models.image_probe import load_image_probe, train_image_probe
    from wildsift.sift.stages.image_model import ImageModelStage
    from wildsift.sift.stages.image_stage import run_image_stages

    train = [_drawing("stripes" if i % 2 == 0 else "dots", seed=i) for i in range(20)]
    _add_images(study, train)
    labels = [Label(f"p{i}", "image_relevant", "1" if i % 2 == 0 else "0", "a", platform="x")
              for i in range(20)]
    labels += [Label(f"p{i}", "image_product", "scales", "a", platform="x")
               for i in range(0, 20, 2)]
    study.store.labels.add(labels)
    study.store.images.link_media()
    assert len(image_labels(study.store)) == 20

    card = train_image_probe(study, model)
    assert card["data_size"] == 20 and card["embedding_model"] == model.version
    assert card["metrics"]["roc_auc"] > 0.9  # cross-validated on the 20 labelled drawings
    probe, _ = load_image_probe(study.models_dir, model.version)
    assert isinstance(probe, ImageProbe)

    test = _add_images(study, [_drawing("stripes", 100), _drawing("dots", 101),
                               _drawing("stripes", 102), _drawing("dots", 103)], first=100)
    stage = ImageModelStage(model, study.models_dir)
    calls = []
    embed = model.embed
    stage.model = type("Counting", (), {})()  # the same model, counting what it embeds
    stage.model.embed = lambda paths: calls.append(len(paths)) or embed(paths)
    stage.model.classify_embeddings = model.classify_embeddings
    runs = run_image_stages(study, [stage], batch_size=16)
    assert runs[0].images == 24
    assert sum(calls) == 4  # the 20 training images came from the cache, not the model
    scores = study.store.images.scores_frame().set_index("sha256")
    assert stage.method.startswith("probe:")
    assert (scores.loc[test, "image_method"] == stage.method).all()
    relevance = scores.loc[test, "image_relevance"].astype(float).to_numpy()
    assert relevance[0] > 0.5 and relevance[2] > 0.5
    assert relevance[1] < 0.5 and relevance[3] < 0.5
    assert scores.loc[test[0], "image_product"] == "scales"
    assert pd.isna(scores.loc[test[1], "image_product"])  # not relevant: no product
    assert scores.loc[test[0], "imagenet_top"].count(",") == 2  # three classes with scores


def test_rule_scores_before_labels_and_position_labels(study, model):
    from wildsift.privacy.media import MediaStore, clean_image
    from wildsift.records import Label, Media, Post
    from wildsift.sift.stages.image_model import ImageModelStage
    from wildsift.sift.stages.image_stage import run_image_stages

    keys = []
    for image in (_drawing("stripes", 7), _drawing("dots", 8)):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        clean = clean_image(buffer.getvalue())
        MediaStore(study.media_dir).put(clean)
        keys.append(clean.sha256)
    study.store.posts.add([Post(platform="x", post_id="two", text="t", author="u",
                                media=[Media(url="a", sha256=keys[0]),
                                       Media(url="b", sha256=keys[1])])])
    # the post is relevant, but its second picture (position 1) is not
    study.store.labels.add([Label("two", "image_relevant", "1", "a", platform="x"),
                            Label("two", "image_relevant:1", "0", "a", platform="x")])
    study.store.images.link_media()
    labels = image_labels(study.store).set_index("sha256")
    assert labels.loc[keys[0], "image_relevant"] == 1 and labels.loc[keys[1],
                                                                     "image_relevant"] == 0
    stage = ImageModelStage(model, study.models_dir)  # no probe trained: the ImageNet rule
    run_image_stages(study, [stage])
    scores = study.store.images.scores_frame().set_index("sha256")
    assert (scores["image_method"] == "imagenet-rule").all()
    assert scores["image_relevance"].between(0, 1).all()


def test_probe_refuses_too_few_labels():
    with pytest.raises(ModelError, match="at least 2"):
        ImageProbe().fit(np.zeros((3, 4)), np.array([1, 1, 0]))


def test_prompts_come_from_the_lexicon():
    from wildsift.lexicon.lexicon import Lexicon
    from wildsift.sift.vision.zeroshot import lexicon_prompts

    prompts = {p.label: p for p in lexicon_prompts(Lexicon.default())}
    assert prompts["pangolin:scales"].text == "a photo of pangolin scales"
    assert prompts["pangolin:scales"].product == "scales"
    assert prompts["rhinoceros:horn"].product == "horn"
    assert prompts["elephant:bangle"].product == "ivory_carving"
    assert prompts["elephant:live"].text == "a photo of a live elephant"
    assert prompts["other:a photo of a car"].product is None


TINY_CLIP = {"embed_dim": 16,
             "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "patch_size": 16,
                            "head_width": 16},
             "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 2,
                          "layers": 1}}


def test_zeroshot_loads_a_local_model_the_test_builds(tmp_path):
    """open_clip needs torchvision, which PyPI cannot install beside the CPU torch the test
    extra pins: this runs where open_clip imports (see docs/images.md), skips elsewhere."""
    try:
        import open_clip
    except (ImportError, RuntimeError, OSError) as error:  # or torchvision broken here
        pytest.skip(f"open_clip does not import here ({type(error).__name__}: {error}); "
                    "install the zeroshot extra with a matching torch/torchvision")
    from wildsift.sift.vision.zeroshot import OpenClipZeroShot, Prompt

    folder = tmp_path / "tiny-clip"
    folder.mkdir()
    (folder / "open_clip_config.json").write_text(json.dumps({"model_cfg": TINY_CLIP}))
    torch.manual_seed(0)
    built = open_clip.create_model(f"local-dir:{folder}", load_weights=False)  # random init
    torch.save(built.state_dict(), folder / "open_clip_pytorch_model.bin")

    prompts = [Prompt("pangolin:scales", "a photo of pangolin scales", "scales"),
               Prompt("other:car", "a photo of a car", None)]
    zeroshot = OpenClipZeroShot(str(folder), prompts=prompts, device="cpu")
    assert isinstance(zeroshot, ImageModel)
    images = [_drawing("stripes", 1), _drawing("dots", 2)]
    embeddings = zeroshot.embed(images)
    assert embeddings.shape == (2, 16) and zeroshot.embed_dim == 16
    assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-5)
    pixels = torch.stack([zeroshot._preprocess(image) for image in images])
    with torch.inference_mode():  # the weights loaded are the ones the test saved
        expected = built.eval().encode_image(pixels, normalize=True).numpy()
    assert np.allclose(embeddings, expected, atol=1e-5)
    labels = zeroshot.labels(images, top_k=2)
    assert {name for name, _ in labels[0]} == {"pangolin:scales", "other:car"}
    assert sum(p for _, p in labels[0]) == pytest.approx(1.0, abs=1e-5)
    relevance, _ = zeroshot.rule(zeroshot.classify_embeddings(embeddings))
    assert ((relevance >= 0) & (relevance <= 1)).all()
    with pytest.raises(ModelError, match="open_clip_config.json"):
        OpenClipZeroShot(str(tmp_path), prompts=prompts, device="cpu")
