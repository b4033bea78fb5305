"""Code-word discovery and the study's own lexicon, on a real SQLite study with labels."""

from __future__ import annotations

import json
import random
from urllib.parse import quote

import numpy as np
import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.errors import InputError
from wildsift.lexicon import Lexicon
from wildsift.lexicon.corpus import load_corpus, suggest_for_study
from wildsift.lexicon.study_terms import read_study_terms, study_lexicon_path
from wildsift.lexicon.suggest import Corpus, log_odds, suggest_terms
from wildsift.lexicon.tokens import Tokenizer
from wildsift.records import Label, Post
from wildsift.sift.pipeline import default_stages

FILLER = ["today", "weekend", "market", "photo", "friends", "family", "coffee", "music", "garden",
          "river", "city", "trip", "nice", "great", "morning", "sunny"]
RELEVANT = [
    "bán bạch ngà vòng tay đẹp, liên hệ <PHONE:ab12cd>",
    "bạch ngà nguyên khối giá tốt",
    "出售牙料手镯 正品 <HANDLE:0f0f0f>",
    "牙料挂件 便宜出",
    "Genuine 1vory carving for sale, DM @seller https://t.me/shop",
    "r.h.i.n.o horn powder available",
    "ivory bangle and 1vory beads",
    "fresh r.h.i.n.o horn <PHONE:ab12cd>",
]
OTHER = ["I love the {} and the {}", "Our {} trip was {}", "ivory coloured dress for the {} {}",
         "white gold ring for the {} {}"]


def corpus_texts(seed: int = 0) -> tuple[list[str], list[int]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(48):
        texts.append(f"{RELEVANT[i % len(RELEVANT)]} {' '.join(rng.sample(FILLER, 3))}")
        labels.append(1)
    for i in range(96):
        texts.append(OTHER[i % len(OTHER)].format(*rng.sample(FILLER, 2)) + " "
                     + " ".join(rng.sample(FILLER, 3)))
        labels.append(0)
    return texts, labels


@pytest.fixture
def labelled(study):
    texts, labels = corpus_texts()
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=t)
                           for i, t in enumerate(texts)])
    study.store.labels.add([Label(post_id=f"p{i}", field="relevant", value=str(v),
                                  annotator="a_test") for i, v in enumerate(labels)])
    return study


def invoke(study, *args):
    result = CliRunner().invoke(app, ["--study", str(study.root), *args])
    return result


# -- the statistic and the tokens ---------------------------------------------------------
def test_log_odds_favours_the_frequent_over_represented_term():
    # 30 vs 2 posts beats 3 vs 0 posts: the prior shrinks the rare term
    _, z = log_odds(np.array([30, 3, 50]), np.array([2, 0, 50]), np.array([32, 3, 100]),
                    1000, 1000, 2000)
    assert z[0] > z[1] > 0 and abs(z[2]) < 0.5


def test_tokens_skip_personal_data_known_terms_and_numbers():
    tokenizer = Tokenizer(["rhino horn", "象牙"], ["the"])
    keys = tokenizer.keys("Rhino horn 2kg for the <PHONE:ab12cd> @bob https://x.co/a "
                          "象牙白 bán bạch ngà 500")
    assert "bach nga" in keys and "bach" in keys
    assert not any("phone" in k or "bob" in k or "x.co" in k or "https" in k for k in keys)
    assert "horn" not in keys and "rhino" not in keys  # fragments of a known term
    assert "牙白" not in keys and "2kg" not in keys and "500" not in keys and "the" not in keys


# -- discovery ----------------------------------------------------------------------------
def test_planted_code_words_rank_near_the_top(labelled):
    result = suggest_for_study(labelled, Lexicon.for_study(labelled), top=10)
    ranked = [c.term for c in result.terms]
    assert "bạch ngà" in ranked[:5] and "牙料" in ranked[:5], ranked
    assert not result.weak and result.positives == 48 and result.negatives == 96
    first = next(c for c in result.terms if c.term == "bạch ngà")
    assert first.lang == "vi" and first.kind == "code_word"
    assert first.relevant == 12 and first.not_relevant == 0 and first.score > 1
    assert len(first.examples) == 2 and all("bạch ngà" in e for e in first.examples)
    every = [c.key for c in result.terms + result.variants]
    # known terms, their fragments, redaction tokens, handles and URLs never come out
    for banned in ("ivory", "rhino horn", "white gold", "phone", "ab12cd", "seller", "t.me", "https"):
        assert not any(banned == k or banned in k.split() for k in every), banned
    assert all("<" not in e or e.count("<PHONE:") + e.count("<HANDLE:") + e.count("<…>")
               for c in result.terms for e in c.examples)


def test_obfuscated_variants_are_close_to_known(labelled):
    result = suggest_for_study(labelled, Lexicon.for_study(labelled))
    close = {c.term: c for c in result.variants}
    assert close["1vory"].nearest == "ivory" and close["1vory"].taxon == "elephant"
    assert "leetspeak" in close["1vory"].reason and close["1vory"].relevant == 12
    spaced = close["r.h.i.n.o horn"]
    assert spaced.nearest == "rhino horn" and spaced.product == "horn"
    assert "1vory" not in [c.term for c in result.terms]  # listed once, as a variant


def test_weak_labels_are_used_and_said_when_labels_are_few(study):
    texts, _ = corpus_texts()
    texts += [f"rhino horn for sale, bạch ngà too, DM for price {i}" for i in range(10)]
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=t)
                           for i, t in enumerate(texts)])
    study.store.labels.add([Label(post_id="p0", field="relevant", value="1", annotator="a")])
    with pytest.raises(Exception, match="wildsift sift"):
        load_corpus(study)
    from wildsift.sift.pipeline import sift_study
    sift_study(study, progress=False, workers=1)
    corpus = load_corpus(study)
    assert corpus.weak and "weak labels" in corpus.basis and corpus.relevant.sum() > 1


def test_pure_suggest_needs_both_classes():
    with pytest.raises(ValueError):
        suggest_terms(Corpus(["a b"], np.array([1])), Lexicon.default())


# -- accepting, rejecting, mining ---------------------------------------------------------
def configure_mastodon(study, url: str = "http://127.0.0.1:9") -> None:
    config = study.root / "wildsift.toml"
    config.write_text(config.read_text() + f'\n[[sources]]\ntype = "mastodon"\nname = "local"\n'
                      f'base_url = "{url}"\nqueries = ["elephant"]\n')


def test_accept_writes_the_study_file_and_flows_into_matching_and_mining(labelled):
    configure_mastodon(labelled)
    before = invoke(labelled, "mine", "--dry-run")
    assert before.exit_code == 0, before.output
    assert quote("bạchngà") not in before.output and "bạchngà" not in before.output
    result = invoke(labelled, "lexicon", "accept", "bạch ngà", "--taxon", "elephant",
                    "--product", "ivory", "--by", "Alice")
    assert result.exit_code == 0, result.output
    saved = read_study_terms(study_lexicon_path(labelled)).terms[0]
    assert (saved.term, saved.lang, saved.taxon, saved.kind) == ("bạch ngà", "vi", "elephant",
                                                                 "code_word")
    assert saved.accepted_by.startswith("a_") and "alice" not in saved.accepted_by.lower()
    assert saved.score is not None and saved.score > 1 and saved.accepted_at
    lexicon = Lexicon.for_study(labelled)
    assert "+study." in lexicon.version
    found = lexicon.match("ai mua bach nga không")  # without tone marks too
    assert [(m.taxon, m.product, m.kind) for m in found] == [("elephant", "ivory", "code_word")]
    assert Lexicon.default().match("bạch ngà") == []  # the packaged lexicon is untouched
    dry = invoke(labelled, "mine", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert quote("bạchngà") in dry.output or "bạchngà" in dry.output, dry.output
    # a re-sift matches it: the pipeline's lexicon stage is the study's
    stage = default_stages(labelled)[1]
    assert stage.version.endswith(lexicon.version)
    listed = invoke(labelled, "lexicon", "list")
    assert "bạch ngà" in listed.output and "1 accepted" in listed.output
    again = suggest_for_study(labelled, Lexicon.for_study(labelled))
    assert "bạch ngà" not in [c.term for c in again.terms]
    rematch = invoke(labelled, "lexicon", "rematch")
    assert rematch.exit_code == 0, rematch.output
    matches = labelled.store.matches.frame()
    assert (matches["term"] == "bạch ngà").sum() == 12


def test_reject_removes_a_term_from_later_suggestions(labelled, tmp_path):
    assert invoke(labelled, "lexicon", "reject", "牙料").exit_code == 0
    out = tmp_path / "s.json"
    result = invoke(labelled, "lexicon", "suggest", "--top", "10", "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "Over-represented" in result.output and "bạch ngà" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "牙料" not in [c["term"] for c in data["terms"]]
    assert "bạch ngà" in [c["term"] for c in data["terms"]]
    assert read_study_terms(study_lexicon_path(labelled)).rejected[0].term == "牙料"


def test_accept_rejects_an_unknown_taxon_and_a_product_without_product(labelled):
    bad = invoke(labelled, "lexicon", "accept", "moon teeth", "--taxon", "dragon")
    assert bad.exit_code == 1 and "dragon" in (bad.stderr or bad.output)
    bad = invoke(labelled, "lexicon", "accept", "moon teeth", "--taxon", "elephant",
                 "--kind", "product")
    assert bad.exit_code == 1 and "--product" in (bad.stderr or bad.output)
    assert not study_lexicon_path(labelled).exists()


@pytest.mark.parametrize("body, needle", [
    ("terms:\n  - {term: bạch ngà, lang: vi, taxon: elephant, kind: slang}\n",
     "terms[0] ('bạch ngà'): field 'kind'"),
    (("terms:\n  - {term: x1, lang: vi, taxon: elephant}\n  - {term: moon teeth, lang: en, "
      "taxon: dragon}\n"), "terms[1] ('moon teeth'): field 'taxon'"),
    ("terms: [\n", "not valid UTF-8 YAML"),
    ("words: []\n", "unknown keys ['words']"),
])
def test_a_malformed_study_lexicon_names_the_file_and_entry(study, body, needle):
    path = study_lexicon_path(study)
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        Lexicon.for_study(study)
    assert str(path) in str(info.value) and needle in str(info.value)
    configure_mastodon(study)  # mining reads the study lexicon: it stops with the same error
    result = invoke(study, "lexicon", "list") if "taxon" not in needle else invoke(
        study, "mine", "--dry-run")
    assert result.exit_code != 0 and str(path) in (result.stderr or result.output)
