"""Fusion of text, OCR and image scores; ``wildsift evaluate --image-column``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from sklearn.base import clone
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.errors import ModelError
from wildsift.records import Media, Post
from wildsift.sift.learn.evaluate import REQUIRED_KEYS, evaluate_file
from wildsift.sift.learn.multimodal import load_images
from wildsift.sift.models import registry
from wildsift.sift.models.fusion import W_IMAGE, FusionModel, fusion_rule
from wildsift.sift.stages.fusion import FusionStage
from wildsift.sift.vision.post_images import post_image_features

TEXTS = ("for sale, DM", "available now, DM me", "price in DM", "selling, message me")


class ColourModel:
    """A tiny stand-in for sift/image_model.ImageModel: the mean RGB of the image."""

    name = version = "mean-rgb"
    device = "cpu"
    embed_dim = 3

    def __init__(self):
        self.embedded = 0

    def embed(self, images):
        self.embedded += len(images)
        return np.array([np.asarray(im.convert("RGB").resize((8, 8)), dtype=float)
                         .reshape(-1, 3).mean(0) / 255 for im in images])


def write_ads(folder: Path, n: int = 40) -> Path:
    """Texts that say nothing about the class (each text appears in both classes); images red
    (relevant) or blue (not), with a little noise so no two files are equal."""
    rng = np.random.default_rng(0)
    rows = []
    for i in range(n):
        relevant = i % 2
        noise = [int(v) for v in rng.integers(0, 40, 3)]
        colour = (200 + noise[0], noise[1], noise[2]) if relevant else (noise[0], noise[1],
                                                                        200 + noise[2])
        Image.new("RGB", (24, 24), colour).save(folder / f"ad{i}.png")
        rows.append({"text": TEXTS[(i // 2) % len(TEXTS)], "label": relevant,
                     "photo": f"ad{i}.png"})
    return _csv(folder, rows)


def _csv(folder: Path, rows: list[dict]) -> Path:
    path = folder / "ads.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


# -- the rule before labels ----------------------------------------------------------------
def test_rule_documented_numbers():
    assert fusion_rule(0.2, 0.9)[()] == pytest.approx(0.632)
    assert fusion_rule(0.2, 0.5)[()] == pytest.approx(0.44)
    assert fusion_rule(0.2, np.nan)[()] == pytest.approx(0.2)  # no image score: the text's
    assert fusion_rule(0.0, 0.5 / W_IMAGE)[()] == pytest.approx(0.5)  # image alone: 0.83
    assert fusion_rule(0.05, 0.95, 0.7)[()] == pytest.approx(1 - 0.95 * 0.43 * 0.44)
    grid = np.linspace(0, 1, 11)
    text, image = np.meshgrid(grid, grid)
    assert (fusion_rule(text.ravel(), image.ravel()) >= text.ravel() - 1e-12).all()


# -- the trained model ---------------------------------------------------------------------
def test_fusion_model_learns_the_image_signal_and_follows_estimator_rules():
    rng = np.random.default_rng(1)
    y = np.tile([0, 1], 60)
    features = pd.DataFrame({"text_score": rng.uniform(0.2, 0.4, len(y)),  # text says nothing
                             "image_score": np.where(y == 1, rng.uniform(0.55, 0.9, len(y)),
                                                     rng.uniform(0.1, 0.45, len(y))),
                             "ocr_score": np.nan, "ocr_lexicon_hits": 0})
    features.loc[::7, "image_score"] = np.nan  # some images could not be scored
    model = clone(FusionModel()).fit(features, y)
    scored = ~features["image_score"].isna().to_numpy()
    accuracy = (model.predict(features)[scored] == y[scored]).mean()
    assert accuracy > 0.95 and 0 < model.threshold_ < 1
    assert model.coefficients_["image_score"] > 0
    with pytest.raises(ModelError, match="both classes"):
        FusionModel().fit(features, np.zeros(len(y), dtype=int))


def test_fused_beats_text_only_when_only_the_image_knows(tmp_path):
    data = write_ads(tmp_path)
    colour = ColourModel()
    result = evaluate_file(data, ["text"], ["label"], folds=3, resamples=0,
                           image_columns=["photo"], image_model=colour)
    fused = result["multimodal"]
    for key in REQUIRED_KEYS:
        assert key in fused
    assert result["roc_auc"] < 0.75  # identical texts in both classes: text-only is chance
    assert fused["roc_auc"] > 0.95 and fused["f1"] > 0.9
    assert fused["f1"] > result["f1"] + 0.2
    assert result["images"]["failed"] == 0 and colour.embedded == 40  # once per image


# -- the stage and the study pass ----------------------------------------------------------
def test_fusion_stage_rule_and_posts_without_images():
    batch = pd.DataFrame({"pk": [1, 2, 3], "text_relevance": [0.2, 0.2, 0.7],
                          "text_relevant": [0, 0, 1], "image_score": [0.9, np.nan, np.nan],
                          "n_images": [1, 0, 0], "ocr_text": ["", "", ""]})
    out = FusionStage(lexicon=_NoLexicon())(batch)
    assert out["relevance"].tolist() == pytest.approx([0.632, 0.2, 0.7])
    assert out["relevant"].tolist() == [1, 0, 1]
    assert out["relevance_method"].tolist() == ["fusion:fusion-rule-v1", "text", "text"]


class _NoLexicon:
    def match(self, text):
        return ["ivory"] if "ivory" in text.lower() else []


def _png(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_post_image_features_and_one_pass_fusion(study, fuse):
    from wildsift.engine.local import image_readers, run_images
    from wildsift.privacy.media import MediaStore, clean_image

    red, blue = clean_image(_png("red")), clean_image(_png("blue"))
    study.store.posts.add([
        Post(platform="x", post_id="p1", text="for sale, DM", author="a",
             media=[Media(url="u1", sha256=red.sha256), Media(url="u2", sha256=blue.sha256)]),
        Post(platform="x", post_id="p2", text="price in DM", author="b",
             media=[Media(url="u3", sha256=red.sha256)]),  # the same photo: reused
        Post(platform="x", post_id="p3", text="nice weather", author="c")])
    study.store.images.link_media()
    study.store.images.write_scores("image-model", "v1", pd.DataFrame({
        "sha256": [red.sha256, blue.sha256], "image_relevance": [0.9, 0.1]}),
        ["image_relevance"])
    study.store.images.update(pd.DataFrame({"sha256": [blue.sha256],
                                            "ocr_text": ["ivory bangles <PHONE:ab12cd>"]}),
                              ["ocr_text"])
    pks = study.store.posts.frame(("pk", "post_id")).set_index("post_id")["pk"]
    features = post_image_features(study, pks.tolist()).set_index("post_pk")
    p1, p2, p3 = (features.loc[pks[k]] for k in ("p1", "p2", "p3"))
    assert p1["image_score"] == pytest.approx(0.9) and p1["n_images"] == 2
    assert p1["ocr_text"] == "ivory bangles <PHONE:ab12cd>" and p1["reused"]
    assert p2["reused"] and p2["ocr_text"] == "" and np.isnan(p3["image_score"])
    assert p3["n_images"] == 0 and not p3["reused"]
    # the store serves the same columns to post stages (declared reads)
    served = study.store.images.post_reads(pd.DataFrame({"pk": pks.tolist()}))
    assert served["ocr_text"].tolist() == [p1["ocr_text"], "", ""]
    assert served["n_images"].tolist() == [2, 1, 0]
    assert served["image_score"].iloc[:2].tolist() == pytest.approx([0.9, 0.9])

    said = {pks["p1"]: (0.2, 0), pks["p2"]: (0.2, 0), pks["p3"]: (0.1, 0)}
    stage = FusionStage(lexicon=_NoLexicon())
    done = fuse(study, stage, said)
    assert done.posts == 3 and done.kept == 2
    fused = study.store.scores.latest(("relevance", "relevance_method")).set_index("post_pk")
    assert fused.loc[pks["p3"], "relevance"] == pytest.approx(0.1)
    assert fused.loc[pks["p3"], "relevance_method"] == "rules"
    # p1 has the OCR text too: the lexicon rules read it, so it scores above p2
    assert fused.loc[pks["p1"], "relevance"] > fused.loc[pks["p2"], "relevance"]
    assert fused.loc[pks["p2"], "relevance"] == pytest.approx(0.632)
    assert fuse(study, stage, said).posts == 0  # nothing new: nothing is fused again

    # a picture gets OCR text: the posts showing it are fused again, and only those
    class ReadsText:
        name, version, over = "ocr", "t1", "images"
        reads, fills, scores, todo_column = ("sha256", "path"), ("ocr_text",), (), None
        adds = fills

        def __call__(self, batch):
            return batch.assign(ocr_text=["ivory for sale"] * len(batch))

    for image in (red, blue):
        MediaStore(study.media_dir).put(image)
    [run] = run_images(study.store, [ReadsText()], study.media_dir,
                       readers=image_readers([stage]))
    assert (run.images, run.changed, run.stale_posts) == (2, 2, 2)
    again = fuse(study, stage, said)
    assert again.posts == 2  # p1 and p2 show the picture; p3 keeps its rows
    refused = study.store.scores.latest(("relevance",)).set_index("post_pk")
    # fusion read the text stage's score again, not its own decision (which would ratchet)
    assert refused.loc[pks["p2"], "relevance"] > 0.632
    assert refused.loc[pks["p3"], "relevance"] == pytest.approx(0.1)


def test_train_fusion_from_study_labels_then_the_stage_uses_it(study):
    from wildsift.privacy.media import clean_image
    from wildsift.records import Label
    from wildsift.sift.learn.fusion_train import train_fusion

    images, posts, labels = [], [], []
    for i in range(16):
        image = clean_image(_png((200 + i, 0, 0) if i % 2 else (0, 0, 200 + i)))
        images.append((image.sha256, 0.8 if i % 2 else 0.2))
        posts.append(Post(platform="x", post_id=f"p{i}", text=TEXTS[(i // 2) % 4],
                          author=f"a{i}", media=[Media(url=f"u{i}", sha256=image.sha256)]))
        labels.append(Label(post_id=f"p{i}", field="relevant", value=str(i % 2),
                            annotator="t", platform="x"))
    study.store.posts.add(posts)
    study.store.labels.add(labels)
    study.store.images.link_media()
    study.store.images.write_scores("image-model", "v1", pd.DataFrame(
        images, columns=["sha256", "image_relevance"]), ["image_relevance"])
    card = train_fusion(study, lexicon=_NoLexicon())
    assert card["data_size"] == 16 and card["coefficients"]["image_score"] > 0
    stage = FusionStage.for_models_dir(study.models_dir, lexicon=_NoLexicon())
    assert stage.method == f"fusion:{card['version']}"
    batch = pd.DataFrame({"text_relevance": [0.3, 0.3], "image_score": [0.8, 0.2],
                          "n_images": [1, 1], "ocr_text": ["", ""]})
    assert stage(batch)["relevant"].tolist() == [1, 0]


def test_train_fusion_needs_labelled_posts_with_images(study):
    from wildsift.sift.learn.fusion_train import train_fusion

    with pytest.raises(ModelError, match="too few labelled posts with images"):
        train_fusion(study, lexicon=_NoLexicon())


# -- evaluate --image-column ---------------------------------------------------------------
def test_evaluate_cli_image_column_counts_missing_and_refuses_private_urls(
        tmp_path, monkeypatch, httpserver):
    httpserver.expect_request("/leak.png").respond_with_data(_png("red"),
                                                             content_type="image/png")
    data = write_ads(tmp_path)
    frame = pd.read_csv(data)
    frame.loc[0, "photo"] = "gone.png"  # missing file
    frame.loc[2, "photo"] = httpserver.url_for("/leak.png")  # a loopback address
    (tmp_path / "cut.jpg").write_bytes(_jpeg()[:200])
    frame.loc[4, "photo"] = "cut.jpg"  # truncated: clean_image refuses it
    frame.to_csv(data, index=False)
    monkeypatch.setitem(registry.IMAGE_MODEL_FACTORIES, "colour", ColourModel)
    out = tmp_path / "metrics.json"
    result = CliRunner().invoke(app, [
        "evaluate", "--data", str(data), "--text-column", "text", "--label-column", "label",
        "--image-column", "photo", "--image-model", "colour", "--no-ocr", "--model",
        "baseline", "--folds", "3", "--bootstrap", "0", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "text + images" in result.output and "3 image(s) missing" in result.output
    assert "gone.png" in result.output and "non-public address" in result.output
    assert len(httpserver.log) == 0  # refused before any request was made
    metrics = json.loads(out.read_text())
    assert metrics["images"]["failed"] == 3 and metrics["images"]["distinct_images"] == 37
    assert metrics["image_columns"] == ["photo"]
    assert metrics["multimodal"]["f1"] > metrics["f1"]


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((64, 64), 50).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_load_images_without_a_downloader_and_unknown_image_model(tmp_path):
    loaded = load_images(["https://example.org/a.png"], tmp_path)
    assert loaded.problems and "downloader" in loaded.problems[0][1]
    with pytest.raises(Exception, match="no image model called 'nope'"):
        registry.make_image_model("nope")


def test_the_rule_never_drops_a_post_the_text_stage_kept():
    """Text relevant at its own (trained) threshold stays relevant when images are added."""
    from wildsift.sift.stages.fusion import FusionStage

    stage = FusionStage(threshold=0.3)  # the rule, at the text model's threshold
    batch = pd.DataFrame({"text_relevance": [0.35, 0.2, 0.1], "text_relevant": [1, 0, 0],
                          "image_score": [0.0, 0.9, 0.0], "n_images": [1, 1, 0],
                          "ocr_text": ["", "", ""]})
    out = stage(batch)
    assert out["relevant"].tolist() == [1, 1, 0]
    assert (out["relevance"] >= batch["text_relevance"]).all()
