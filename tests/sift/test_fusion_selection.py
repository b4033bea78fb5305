"""Fusion helps or steps aside (issue 9, item 4): judged out of fold against text-only.

Generated images, a tiny deterministic embedder (the mean colour): (a) the colour carries the
label while the texts say nothing -> fusion is kept, and is better out of fold; (b) the colour is
noise -> fusion steps aside, and scores are exactly the text model's. Both through
``MultimodalModel`` (``wildsift evaluate --image-column``) and through a study
(``wildsift import``, ``sift``, ``train``, ``sift``).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.sift.learn.fusion_judge import judge_fusion, paired_better_share
from wildsift.sift.learn.multimodal import IMAGE_COLUMNS, MultimodalModel, multimodal_frame
from wildsift.sift.models.registry import make_model
from wildsift.sift.models.text import prepare

AMBIGUOUS = ("for sale, DM", "available now, DM me", "price in DM", "selling, message me")
RELEVANT = ("ivory bangle for sale", "carved ivory beads, DM", "rhino horn powder, price in DM",
            "pangolin scales available", "tiger claw pendant for sale")
OTHER = ("nice weather today", "my cat sleeping", "football tonight", "new phone case for sale",
         "lunch with friends")


class MeanColour:
    """A tiny deterministic image model: the mean RGB of a picture (a path or a PIL image),
    with the 'redness' as its relevance rule (the interface ImageModelStage uses)."""

    name = "mean-colour"
    version = "mean-colour-v1"
    device = "cpu"
    embed_dim = 3
    class_names = ["red", "green", "blue"]
    rule_name = "redness-rule"

    def embed(self, images):
        pictures = [im if isinstance(im, Image.Image) else Image.open(im) for im in images]
        return np.array([np.asarray(p.convert("RGB").resize((8, 8)), dtype=float)
                         .reshape(-1, 3).mean(0) / 255 for p in pictures])

    def classify_embeddings(self, embeddings):
        embeddings = np.asarray(embeddings, dtype=float) + 1e-6
        return embeddings / embeddings.sum(axis=1, keepdims=True)

    def rule(self, probabilities):
        return probabilities[:, 0], [None] * len(probabilities)


def make_rows(folder: Path, n: int, *, image_knows: bool, seed: int = 0) -> list[dict]:
    """``n`` posts, a third relevant, each with a 24 px image written to ``folder``.

    image_knows: texts from :data:`AMBIGUOUS` in both classes (with a random reference, so no
    two are equal); images red (relevant) or blue.
    Otherwise: informative texts with a sixth of them swapped to the other class's wording
    (so text-only is good, not perfect) and images of random colours, whatever the label."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        relevant = int(i % 3 == 0)
        if image_knows:
            text = f"{AMBIGUOUS[(i // 3) % len(AMBIGUOUS)]} (ref {rng.integers(1000, 9999)})"
            noise = rng.integers(0, 50, 3)
            colour = (200 + noise[0], noise[1], noise[2]) if relevant else (
                noise[0], noise[1], 200 + noise[2])
        else:
            says = relevant if rng.random() > 1 / 6 else 1 - relevant
            text = (RELEVANT if says else OTHER)[int(rng.integers(0, 5))] + f" #{i % 7}"
            colour = tuple(rng.integers(0, 256, 3))
        Image.new("RGB", (24, 24), tuple(int(c) for c in colour)).save(folder / f"p{i}.png")
        rows.append({"id": str(i), "text": text, "label": relevant, "media": f"p{i}.png",
                     "author": f"user{i}", "platform": "x"})
    return rows


def _frame(folder: Path, rows: list[dict]) -> tuple[pd.DataFrame, np.ndarray]:
    X = prepare(pd.DataFrame({"text": [r["text"] for r in rows]}), use_lexicon=True)
    frame, summary = multimodal_frame(X, [[r["media"]] for r in rows], folder,
                                      image_model=MeanColour())
    assert summary["failed"] == 0
    return frame, np.array([r["label"] for r in rows])


# -- the judgement itself -------------------------------------------------------------------
def test_judge_fusion_must_be_better_beyond_noise_and_not_worse():
    rng = np.random.default_rng(0)
    y = (np.arange(80) % 4 == 0).astype(int)
    text = np.clip(0.3 * y + rng.uniform(0, 0.7, len(y)), 0, 1)  # informative, imperfect
    perfect = 0.2 + 0.6 * y
    better = judge_fusion(y, text, perfect)
    assert better.kept and better.fused["pr_auc"] == 1.0 > better.text["pr_auc"]
    assert "higher out-of-fold PR-AUC" in better.reason
    assert better.better_share["pr_auc"] >= 0.9
    tie = judge_fusion(y, text, text.copy())
    assert not tie.kept and "a tie goes to text-only" in tie.reason and tie.text == tie.fused
    assert tie.better_share == {"pr_auc": 0.0, "mcc": 0.0}
    worse = judge_fusion(y, perfect, text)
    assert not worse.kept and "lower out-of-fold PR-AUC" in worse.reason
    # a little noise on the text scores: a gain (or loss) the size of the noise is a tie
    jitter = np.clip(text + rng.normal(0, 0.02, len(y)), 0, 1)
    assert not judge_fusion(y, text, jitter).kept
    # rows that keep the text decision (posts without images) are the same on both sides
    fixed = judge_fusion(y, text, perfect, text_rows=np.arange(80) < 40)
    assert fixed.with_images == 40 and fixed.rows == 80
    assert fixed.as_dict()["text_only"] == better.as_dict()["text_only"]
    assert fixed.text["pr_auc"] < fixed.fused["pr_auc"] < 1.0


def test_paired_bootstrap_matches_sklearn_on_whole_rows():
    from sklearn.metrics import average_precision_score, matthews_corrcoef

    from wildsift.sift.learn.fusion_judge import _weighted_average_precision, _weighted_mcc

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 150)
    scores = np.round(rng.random(150), 1) + 0.2 * y  # ties, as calibrated scores have
    weights = rng.integers(0, 3, (4, 150)).astype(float)
    expected = [average_precision_score(y, scores, sample_weight=w) for w in weights]
    assert _weighted_average_precision(y, scores, weights) == pytest.approx(expected)
    predicted = scores > 0.6
    expected = [matthews_corrcoef(y, predicted, sample_weight=w) for w in weights]
    assert _weighted_mcc(y, predicted, weights) == pytest.approx(expected)
    share = paired_better_share(y, (scores, scores), (predicted, predicted))
    assert share == {"pr_auc": 0.0, "mcc": 0.0}


# -- MultimodalModel (wildsift evaluate --image-column) -------------------------------------
def _fast_text_model():
    return make_model("baseline")


def test_multimodal_keeps_fusion_when_the_image_carries_the_label(tmp_path):
    rows = make_rows(tmp_path, 60, image_knows=True)
    X, y = _frame(tmp_path, rows)
    model = MultimodalModel(make_text_model=_fast_text_model).fit(X, y)
    judged = model.judgement_
    assert model.use_fusion_ and judged["kept"]
    assert judged["fused"]["pr_auc"] > judged["text_only"]["pr_auc"] + 0.3
    assert judged["fused"]["mcc"] > judged["text_only"]["mcc"] + 0.5
    assert judged["rows"] == 60 and judged["rows_with_images"] == 60
    assert (model.predict(X) == y).mean() > 0.95


def test_multimodal_steps_aside_on_noise_images_and_scores_exactly_as_text(tmp_path):
    rows = make_rows(tmp_path, 60, image_knows=False)
    X, y = _frame(tmp_path, rows)
    model = MultimodalModel(make_text_model=_fast_text_model).fit(X, y)
    assert not model.use_fusion_ and not model.judgement_["kept"]
    assert "stepped aside" in model.judgement_["why"]
    text_X = X.drop(columns=list(IMAGE_COLUMNS))
    text_only = _fast_text_model().fit(text_X, y)
    assert np.array_equal(model.decision_scores(X), text_only.decision_scores(text_X))
    assert np.array_equal(model.predict(X), text_only.predict(text_X))
    assert model.threshold_ == text_only.threshold_


def test_evaluate_image_column_is_never_below_text_only(tmp_path):
    """Through ``evaluate_file`` (the CLI's ``--image-column``) with the default text model:
    noise images give exactly the text-only figures, telling images raise them."""
    from wildsift.sift.learn.evaluate import evaluate_file

    results = {}
    for knows in (True, False):
        folder = tmp_path / str(knows)
        folder.mkdir()
        rows = make_rows(folder, 90, image_knows=knows, seed=1)
        path = folder / "ads.csv"
        pd.DataFrame(rows).to_csv(path, index=False)
        results[knows] = evaluate_file(path, ["text"], ["label"], folds=3, resamples=0,
                                       image_columns=["media"], image_model=MeanColour())
    noise = results[False]
    for key in ("mcc", "pr_auc", "f1", "precision", "recall"):
        assert noise["multimodal"][key] == pytest.approx(noise[key], abs=1e-12), key
    telling = results[True]
    assert telling["multimodal"]["mcc"] > telling["mcc"] + 0.5
    assert telling["multimodal"]["pr_auc"] > telling["pr_auc"]


# -- a study: import, sift, train, sift -----------------------------------------------------
def _study_with_images(tmp_path: Path, monkeypatch, *, image_knows: bool
                       ) -> tuple[Path, str]:
    """A study run as a user would: import posts with local images and labels, sift (the
    image stages with :class:`MeanColour` as the image model, OCR off), train, sift again.
    Returns the study folder and what ``wildsift train`` printed."""
    from wildsift.sift import image_pipeline
    from wildsift.sift.stages.image_model import ImageModelStage

    data = tmp_path / "export"
    data.mkdir()
    rows = make_rows(data, 45, image_knows=image_knows, seed=2)
    with (data / "posts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    root = tmp_path / "study"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    config = root / "wildsift.toml"
    text = config.read_text()
    for option in ("ocr", "faces", "videos"):
        text = re.sub(rf"(?m)^{option} = true", f"{option} = false", text, count=1)
    config.write_text(text)
    monkeypatch.setattr(image_pipeline, "_model_stage",
                        lambda study, spec: ImageModelStage(MeanColour(), study.models_dir))
    result = runner.invoke(app, ["--study", str(root), "import", str(data / "posts.csv")])
    assert result.exit_code == 0, result.output
    printed = {}
    for command in (["sift", "--no-progress", "--workers", "1"], ["train"],
                    ["sift", "--no-progress", "--workers", "1"]):
        result = runner.invoke(app, ["--study", str(root), *command])
        assert result.exit_code == 0, result.output
        printed[command[0]] = result.output
    return root, printed["train"]


def _fused(root: Path) -> tuple[pd.DataFrame, dict]:
    from wildsift.sift.models.artifact import load_model
    from wildsift.study import Study

    study = Study.open(root)
    try:
        scores = study.store.scores.latest(("text_relevance", "text_relevant",
                                            "text_relevance_method", "relevance", "relevant",
                                            "relevance_method"))
        card = load_model(study.models_dir, name="fusion")[1]
    finally:
        study.close()
    return scores, card


def test_study_keeps_fusion_when_images_carry_the_label(tmp_path, monkeypatch):
    root, trained = _study_with_images(tmp_path, monkeypatch, image_knows=True)
    scores, card = _fused(root)
    assert f"fusion: model:{card['version']} (fusion kept" in trained
    judged = card["judgement"]
    assert card["kept"] is True and judged["fused"]["pr_auc"] > judged["text_only"]["pr_auc"]
    assert len(scores) == 45
    assert (scores["relevance_method"] == f"fusion:{card['version']}").all()
    assert scores["relevance"].notna().all()


def test_study_fusion_steps_aside_on_noise_images(tmp_path, monkeypatch):
    root, trained = _study_with_images(tmp_path, monkeypatch, image_knows=False)
    scores, card = _fused(root)
    assert f"fusion: stepped aside, {card['version']}" in trained
    assert card["kept"] is False and "stepped aside" in card["why"]
    assert set(card["judgement"]) >= {"text_only", "fused", "why"}
    assert len(scores) == 45
    # the text decision, and its method, pass through unchanged
    assert (scores["relevance_method"] == scores["text_relevance_method"]).all()
    assert scores["relevance_method"].str.startswith("model:").all()
    relevance = pd.to_numeric(scores["text_relevance"]).to_numpy()
    assert np.array_equal(pd.to_numeric(scores["relevance"]).to_numpy(), relevance)
    assert np.array_equal(pd.to_numeric(scores["relevant"]).to_numpy(),
                          pd.to_numeric(scores["text_relevant"]).to_numpy())


def test_a_stage_that_stepped_aside_passes_the_text_decision_through():
    from wildsift.sift.stages.fusion import FusionStage

    stage = FusionStage(object(), "v1", threshold=0.4, stepped_aside=True)
    assert stage.model is None and stage.method == "text (fusion stepped aside: v1)"
    batch = pd.DataFrame({"text_relevance": [0.45, 0.2, 0.3],
                          "image_score": [0.0, 0.99, np.nan],
                          "n_images": [1, 1, 0], "ocr_text": ["", "ivory", ""]})
    out = stage(batch)
    assert out["relevance"].tolist() == [0.45, 0.2, 0.3]
    assert out["relevant"].tolist() == [1, 0, 0]  # the text model's threshold, 0.4
    assert out["relevance_method"].tolist() == ["text", "text", "text"]  # no method in batch
    with_decision = stage(batch.assign(text_relevant=[0, 1, 1],
                                       text_relevance_method="model:t1"))
    assert with_decision["relevant"].tolist() == [0, 1, 1]  # the text stage's, as stored
    assert with_decision["relevance_method"].tolist() == ["model:t1"] * 3
