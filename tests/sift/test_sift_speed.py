"""The fast paths of sift give the same answers as the simple ones they replace: batch language
id vs py3langid text by text, one-scan cue counts vs per-text regexes, the word hasher vs
scikit-learn's HashingVectorizer, and the worker pool vs in-process scoring."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from wildsift.records import Post
from wildsift.sift.models.hashing import WordNgramHasher
from wildsift.sift.models.text import TextRelevanceModel
from wildsift.sift.pipeline import sift_study
from wildsift.sift.rules import origin, scam
from wildsift.sift.rules.cues import CUE_NAMES, cue_counts, cue_matrix
from wildsift.sift.rules.intent import section_counts
from wildsift.sift.rules.phrasebook import SECTIONS, default_phrasebook
from wildsift.sift.rules.prices import too_good
from wildsift.sift.stages.langid import LanguageStage
from wildsift.sift.stages.lexicon_match import LexiconStage
from wildsift.sift.stages.relevance import RelevanceStage
from wildsift.study import Study

TEXTS = [
    "Rhino horn for sale $500 <PHONE:ab12cd> 2 pcs", "bán sừng tê giác giá 5tr, ship cod",
    "出售象牙手镯 价格2000元 有货", "出售犀牛角 價格請聯繫", "ขายงาช้างแท้ ราคาถูก 300 บาท",
    "jual sisik trenggiling asli 2kg", "ivoire ancien à vendre 150 €", "WTB ivory bangle",
    "SE VENDE MARFIL ANTIGUO", "a beautiful sunset over the lake", "", "   ", "123",
    "للبيع", "продам бивень 3 кг", "hello\x00world sell", "İstanbul ÉTÉ ß straße",
    "pangolin scales available now " * 40, "x" * 30_000,
]


def test_batch_language_id_equals_py3langid_text_by_text():
    for languages in (["en", "zh-Hans", "zh-Hant", "vi", "th", "id", "fr", "es", "pt"], None):
        stage = LanguageStage(languages)
        batch = stage.detect_many(TEXTS)
        for text, (code, confidence) in zip(TEXTS, batch):
            want_code, want_confidence = stage.detect(text)
            assert code == want_code, text[:40]
            assert confidence == pytest.approx(want_confidence, abs=2e-3)


def test_cue_matrix_equals_per_text_counts():
    matrix = cue_matrix(TEXTS + [None])
    want = np.array([[cue_counts(t)[name] for name in CUE_NAMES] for t in TEXTS + [None]])
    assert (matrix == want).all()
    assert matrix[0].sum() >= 3 and cue_matrix([]).shape == (0, len(CUE_NAMES))


def test_shared_scan_gives_what_each_stage_computed_alone():
    """The heads and the relevance signals share one scan of a batch (per-process memo): the
    counts are those of a fresh scan, and a caller changing its copy changes no one else's."""
    first = cue_matrix(TEXTS)
    first[:] = -1
    assert (cue_matrix(list(TEXTS)) == cue_matrix(TEXTS[:] + [])).all()
    assert (cue_matrix(TEXTS) >= 0).all()
    book = default_phrasebook()
    for section in SECTIONS:
        assert (section_counts(section, TEXTS + [None]) == book.counts(section, TEXTS + [None])
                ).all()
    features = np.array([[0, 1, 0, 2], [0, 0, 0, 0], [3, 0, np.nan, 1]], dtype=float)
    assert origin.claim_names(features) == [
        ",".join(n for n, v in zip(origin.CLAIMS, row) if v > 0) for row in features]
    products = [[("elephant", "ivory")], [], [("dragon", "scales")]]
    texts = ["ivory bangle $1", "rhino horn $1", "dragon scales $1"]
    want = [too_good(t, p) for t, p in zip(texts, products)]
    assert scam.scam_features(texts, products, [False] * 3)[:, 1].tolist() == [float(w) for w in want]


@pytest.mark.parametrize("ngram_range,n_features", [((1, 2), 2**18), ((1, 3), 2**6)])
def test_word_hasher_equals_scikit_learn(ngram_range, n_features):
    reference = HashingVectorizer(analyzer="word", ngram_range=ngram_range, lowercase=True,
                                  token_pattern=r"(?u)\b\w+\b", n_features=n_features,
                                  alternate_sign=False, norm=None)
    ours = WordNgramHasher(ngram_range, n_features)
    for _ in range(2):  # second pass uses the memo
        assert abs(ours.transform(TEXTS) - reference.transform(TEXTS)).sum() == 0


def test_models_saved_with_hashing_vectorizer_load_with_the_fast_hasher():
    texts = [t for t in TEXTS if t.strip()] * 3
    labels = [1 if any(w in t.lower() for w in ("sale", "bán", "出售", "jual", "vend", "ขาย"))
              else 0 for t in texts]
    model = TextRelevanceModel(use_lexicon=False, calibration_folds=2).fit(texts, labels)
    branch = model.features_.transformer_list[1][1]
    branch.steps[1] = ("hash", HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), lowercase=True, token_pattern=r"(?u)\b\w+\b",
        n_features=model.word_features, alternate_sign=False, norm=None))
    before = model.decision_scores(texts)
    loaded = pickle.loads(pickle.dumps(model))
    assert isinstance(loaded.features_.transformer_list[1][1].steps[1][1], WordNgramHasher)
    assert np.array_equal(loaded.decision_scores(texts), before)


class KeywordLexicon:
    version = "kw-1"

    def match_many(self, texts):
        from types import SimpleNamespace

        return [[SimpleNamespace(taxon="rhino", term="rhino", product=None, lang="en",
                                 kind="name")] if "rhino" in (t or "").lower() else []
                for t in texts]


def _sift(tmp_path, name, workers):
    study = Study.init(tmp_path / name)
    texts = [f"rhino horn for sale ${i}" if i % 3 == 0 else f"sunset photo number {i}"
             for i in range(40)]
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=t, lang="en")
                           for i, t in enumerate(texts)])
    stages = [LanguageStage(["en", "fr"]), LexiconStage(KeywordLexicon()), RelevanceStage()]
    result = sift_study(study, batch_size=7, progress=False, stages=stages, workers=workers)
    scores = study.store.scores.latest().sort_values("post_pk").reset_index(drop=True)
    matches = study.store.matches.frame().sort_values("post_pk").reset_index(drop=True)
    again = sift_study(study, batch_size=7, progress=False, stages=stages, workers=workers)
    study.close()
    return result, scores, matches, again


def test_worker_pool_stores_what_in_process_scoring_stores(tmp_path):
    alone, alone_scores, alone_matches, _ = _sift(tmp_path, "one", workers=1)
    pooled, pooled_scores, pooled_matches, again = _sift(tmp_path, "two", workers=2)
    assert pooled == alone
    assert pooled.posts == 40 and pooled.batches == 6 and pooled.relevant == 14
    assert pooled_scores.equals(alone_scores) and pooled_matches.equals(alone_matches)
    assert again.posts == 0


def test_a_failing_stage_in_a_worker_is_raised(tmp_path):
    class Broken(RelevanceStage):
        def __call__(self, batch):
            raise ValueError("broken stage")

    study = Study.init(tmp_path / "s")
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text="rhino") for i in range(20)])
    with pytest.raises(ValueError, match="broken stage"):
        sift_study(study, batch_size=5, progress=False, workers=2,
                   stages=[LanguageStage(["en"]), LexiconStage(KeywordLexicon()), Broken()])
    study.close()


def test_a_workers_score_chunk_stores_the_rows_write_scores_stores(tmp_path, monkeypatch):
    """The pool's path (rows encoded in the worker, merged by the writer) and the row-by-row
    path store the same rows, timestamps included."""
    from datetime import UTC, datetime

    import pandas as pd
    from sqlalchemy import text

    from wildsift.store import Store, scores
    from wildsift.store.scores import encode_scores

    when = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    monkeypatch.setattr(scores, "_now", lambda: when)
    frame = pd.DataFrame({"pk": [1, 2, 3], "score": [0.25, float("nan"), 1.0],
                          "hits": [0, 2, 1], "label": ["a", None, "c"]})
    parts = [("one", "v1", frame, ("score", "label"), {"label": "a"}),
             ("two", "v2", frame.iloc[:0], ("hits",), None), ("three", "v3", frame, ("hits",), None)]
    rows = {}
    for name in ("rows", "chunk"):
        store = Store.open(f"sqlite:///{tmp_path / name}.db")
        store.posts.add([Post(platform="t", post_id=f"p{i}", text="x") for i in range(3)])
        if name == "rows":
            for stage, version, part, fields, defaults in parts:
                store.scores.write(stage, version, part, fields, defaults)
        else:
            assert store.scores.takes_chunks
            assert store.scores.add_chunk(encode_scores(parts)) == 8  # label "a" is the usual one
        with store.engine.connect() as conn:
            rows[name] = (conn.execute(text("SELECT * FROM scores ORDER BY rowid")).all(),
                          conn.execute(text("SELECT * FROM score_defaults")).all())
        store.close()
    assert rows["chunk"] == rows["rows"] and len(rows["rows"][0]) == 8
    assert rows["rows"][1] == [("one", "v1", "label", "score", None, "a")]
