"""Task heads: multilingual intent / origin / scam rules, media reuse, training, stage, report."""

from __future__ import annotations

import pandas as pd
import pytest

from wildsift.analysis.trade import load_trade_frame, summarise_trade
from wildsift.engine.local import run_local
from wildsift.records import Label, Media, Post
from wildsift.report import build_report
from wildsift.sift.learn.heads_train import normalise, train_heads
from wildsift.sift.models.artifact import load_model
from wildsift.sift.rules.intent import rule_intents
from wildsift.sift.rules.origin import claim_names, origin_features, origin_scores
from wildsift.sift.rules.prices import find_prices, too_good
from wildsift.sift.rules.scam import cue_names, scam_features, scam_scores
from wildsift.sift.stages.heads import TaskHeadsStage, heads_models_dir, score_heads
from wildsift.sift.stages.lexicon_match import LexiconStage
from wildsift.sift.stages.relevance import RelevanceStage

OFFERS = [
    "Selling rhino horn, 2 pcs, $9000 each. WhatsApp <PHONE:ab12cd>",          # en
    "Bán vòng ngà voi giá 5tr, ship COD toàn quốc. Zalo <PHONE:ab12cd>",        # vi
    "出售象牙手镯，价格¥3000，包邮",                                              # zh
    "ขายนอแรดแท้ ราคา 90000 บาท",                                                # th
    "Jual sisik trenggiling 3 kg, harga Rp 5.000.000",                           # id
    "Vends bracelet en ivoire, prix 400 €",                                      # fr
    "Vendo colmillo de elefante, precio 2000 €",                                 # es
    "Verkaufe Elfenbein Armreif, Versand möglich",                               # de
    "Продам бивень слона, доставка",                                             # ru
]
WANTED = [
    "WTB rhino horn, paying good price",                                          # en
    "Cần mua vảy tê tê số lượng lớn",                                            # vi
    "求购犀牛角",                                                                 # zh
    "รับซื้องาช้าง ให้ราคาดี",                                                    # th
    "Cari gading gajah asli",                                                     # id
    "Je cherche une défense d'éléphant",                                          # fr
    "Busco cuerno de rinoceronte",                                                # es
    "Procuro escamas de pangolim",                                                # pt
    "Suche Elfenbein",                                                            # de
    "Natafuta pembe za ndovu",                                                    # sw
    "Куплю рог носорога",                                                         # ru
]
NEWS = [
    "Police seized 2 tonnes of ivory at the port; three smugglers arrested",     # en
    "Hải quan thu giữ 100 kg vảy tê tê, bắt giữ hai đối tượng",                   # vi
    "海关查获象牙制品，没有买卖就没有杀害",                                      # zh
    "Saisie record d'écailles de pangolin au port, deux braconniers arrêtés",    # fr
    "Decomiso de marfil en el aeropuerto",                                        # es
    "Sema hapana kwa ujangili wa tembo",                                          # sw
    "Таможня изъяли рога носорога, браконьеры задержаны",                         # ru
]


@pytest.mark.parametrize(("texts", "intent"), [(OFFERS, "offer"), (WANTED, "wanted"),
                                               (NEWS, "news_awareness")])
def test_rule_intent_in_many_languages(texts, intent):
    got = rule_intents(texts)
    assert [t for t, g in zip(texts, got) if g != intent] == []


def test_everyday_chatter_has_no_trade_intent():
    assert rule_intents(["Beautiful morning, coffee first", "", "Chiều nay trời đẹp quá"]) == [
        "other", "other", "other"]


def test_origin_claims_in_many_languages():
    texts = ["Captive bred baby pangolin, CITES certificate included",
             "Rùa nuôi nhốt, có giấy tờ đầy đủ", "人工繁育，证件齐全", "Nachzucht mit Papieren",
             "Criado em cativeiro, com documentação", "Loro criado en cautividad",
             "nuoi nhot, co giay to",  # Vietnamese typed without diacritics
             "Rhino horn for sale"]
    features = origin_features(texts)
    scores = origin_scores(features)
    assert (scores[:-1] >= 0.8).all() and scores[-1] == 0.0
    assert claim_names(features)[0] == "captive_bred,cites_certificate"
    assert scores[0] > 0.9  # two kinds of claim


def test_advance_payment_scam_text():
    texts = ["Rhino horn, payment before delivery via Western Union only",
             "Sừng tê, chuyển khoản trước, không ship COD", "象牙手镯，先款后货",
             "Nur Vorkasse, Versand weltweit", "Предоплата 100%",
             "Ivory bangle, cash on delivery"]
    features = scam_features(texts, [[]] * len(texts), [False] * len(texts))
    names = cue_names(features)
    assert names[:-1] == ["advance_payment_only"] * 5 and names[-1] == ""
    assert scam_scores(features)[0] == pytest.approx(0.6)


def test_prices_convert_and_too_good_needs_a_known_product():
    assert find_prices("giá 5tr/kg")[0].per_kg
    assert find_prices("Rp 5.000.000")[0].usd == pytest.approx(310.0)
    assert find_prices("price 500k") == []  # no currency: not a price
    horn = [("rhinoceros", "horn")]
    assert too_good("Whole rhino horn only $50", horn)
    assert not too_good("Whole rhino horn $25,000", horn)
    assert not too_good("rhino horn 2 kg $9000", horn)  # 4500 USD/kg is not too good
    assert too_good("rhino horn 2 kg $900", horn)
    assert not too_good("Whole rhino horn only $50", [])  # no product: no judgement


def _media(sha: str) -> list[Media]:
    return [Media(url=None, sha256=sha)]


def test_reused_image_across_two_authors(study):
    store = study.store
    store.posts.add([
        Post(platform="t", post_id="a", text="Rhino horn for sale", author="alice",
             media=_media("f" * 64)),
        Post(platform="t", post_id="b", text="Rhino horn for sale", author="bob",
             media=_media("f" * 64)),
        Post(platform="t", post_id="c", text="my cat", author="alice", media=_media("e" * 64)),
        Post(platform="t", post_id="d", text="my cat again", author="alice",
             media=_media("e" * 64)),  # the same author twice is not reuse
    ])
    reused = store.media.reused()
    assert sorted(reused["post_pk"]) == [1, 2]
    assert set(reused["authors"]) == {2}
    stage = TaskHeadsStage.for_study(study)
    out = LexiconStage()(store.posts.frame(["pk", "text"]))
    out = stage(out)
    assert out["scam_cues"].tolist()[:2] == ["reused_image", "reused_image"]
    assert out["scam_cues"].tolist()[2:] == ["", ""]


def _labelled_study(study):
    offers = ["Selling ivory bangle $300 call <PHONE:ab12cd>", "rhino horn for sale, DM",
              "WTS pangolin scales 2kg", "ivory carving available now $500"]
    wanted = ["WTB rhino horn", "looking for ivory bangle", "who has pangolin scales?",
              "need ivory urgently"]
    news = ["ivory seized at port, smugglers arrested", "rangers stop rhino poachers",
            "conservation news: pangolin census", "zoo elephants doing well"]
    texts = [t + f" #{i}" for i in range(3) for t in offers + wanted + news]
    intents = ["offer"] * 4 + ["wanted"] * 4 + ["news"] * 4
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=t)
                           for i, t in enumerate(texts)])
    labels = [Label(post_id=f"p{i}", field="intent", value=intents[i % 12], annotator="a")
              for i in range(len(texts))]
    labels.append(Label(post_id="p0", field="intent", value="dunno", annotator="b"))
    labels += [Label(post_id=f"p{i}", field="scam", value="1", annotator="a") for i in range(2)]
    study.store.labels.add(labels)
    return texts


def test_training_from_labels_switches_intent_from_rules_to_model(study):
    texts = _labelled_study(study)
    before = TaskHeadsStage.for_models_dir(study.models_dir)
    assert before.method("intent") == "rules" and before.version == "heads-heads-rules-v1"
    result = train_heads(study, folds=3)
    assert result["intent"]["method"].startswith("model:")
    assert result["intent"]["ignored_labels"] == {"dunno": 1}
    card = result["intent"]["card"]
    assert card["class_balance"] == {"news_awareness": 12, "offer": 12, "wanted": 12}
    assert 0.0 <= card["metrics"]["macro_f1"] <= 1.0 and card["metrics"]["folds"] == 3
    # Too few labels: the head stays rule-based and says why.
    assert result["scam"]["method"] == "rules" and "too few labels" in result["scam"]["reason"]
    assert result["captive_bred"]["method"] == "rules"
    assert load_model(heads_models_dir(study.models_dir), name="intent") is not None
    assert load_model(study.models_dir) is None  # the relevance model is untouched
    after = TaskHeadsStage.for_models_dir(study.models_dir)
    assert after.method("intent") == result["intent"]["method"]
    assert after.method("scam") == "rules" and after.version != before.version
    assert len(after.version) <= 64
    out = after(LexiconStage()(pd.DataFrame({"pk": [1, 2], "text": [texts[0], texts[4]]})))
    assert out["intent"].tolist() == ["offer", "wanted"]
    assert out["intent_method"].tolist() == [result["intent"]["method"]] * 2


def test_label_values_are_normalised():
    assert normalise("intent", "Sell") == "offer" and normalise("intent", "news") == (
        "news_awareness")
    assert normalise("intent", "maybe") is None
    assert normalise("scam", "yes") == 1 and normalise("captive_bred", "0") == 0


def test_stage_columns_reach_the_store_and_the_report(study):
    store = study.store
    store.posts.add([
        Post(platform="facebook", post_id="1",
             text="Selling rhino horn, captive bred, CITES certificate. Payment first, Western "
                  "Union only. $50 WhatsApp <PHONE:ab12cd>"),
        Post(platform="facebook", post_id="2", text="WTB ivory bangle, rhino horn, pay well"),
        Post(platform="mastodon", post_id="3", text="Rangers seized rhino horn, poachers arrested"),
        Post(platform="mastodon", post_id="4", text="sunset at the beach"),
    ])
    heads = TaskHeadsStage.for_study(study)
    relevance = RelevanceStage()
    stages = [LexiconStage(), heads, relevance]
    for column in heads.adds:
        assert column in stages[1](stages[0](store.posts.frame(["pk", "text"]))).columns
    run_local(store, stages, select_by=relevance, progress=False, workers=1)
    scores = store.scores.latest(list(heads.stores)).set_index("post_pk")
    assert scores.loc[1, "intent"] == "offer" and scores.loc[2, "intent"] == "wanted"
    assert scores.loc[3, "intent"] == "news_awareness" and scores.loc[4, "intent"] == "other"
    assert scores.loc[1, "captive_bred"] >= 0.9
    assert scores.loc[1, "origin_claims"] == "captive_bred,cites_certificate"
    assert scores.loc[1, "scam_cues"] == "advance_payment_only,too_good_price"
    assert scores.loc[1, "scam_method"] == "rules"
    frame = load_trade_frame(study)
    summary = summarise_trade(frame, store.media.reused_pks())
    relevant = int(pd.to_numeric(frame["relevant"]).sum())
    assert summary.scored == relevant >= 2
    assert summary.scam == 1 and summary.captive_bred == 1
    html = build_report(study).read_text(encoding="utf-8")
    assert 'id="trade"' in html and 'id="trade-scam">1<' in html
    assert "advance_payment_only" in html and "Every head is rule-based" in html


def test_report_without_head_scores_says_so(study):
    study.store.posts.add([Post(platform="t", post_id="1", text="rhino horn for sale")])
    html = build_report(study).read_text(encoding="utf-8")
    assert 'id="trade"' in html and "have not scored these" in html


def test_score_heads_rescores_when_only_a_head_model_changed(study):
    _labelled_study(study)
    assert score_heads(study, workers=1) == 36
    assert score_heads(study, workers=1) == 0  # nothing new at this version
    train_heads(study, folds=3)
    assert score_heads(study, workers=1) == 36  # a new intent model: every post again
    methods = study.store.scores.latest(["intent_method"])["intent_method"]
    assert methods.str.startswith("model:").all()
