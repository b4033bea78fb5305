"""A study's own country labels choose its place filter's threshold (``wildsift train``), and
the location stage uses it only when it beat the shipped one out of fold."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from wildsift.errors import ModelError
from wildsift.places.place_filter import decide, place_filter, prepare
from wildsift.records import Label, Post
from wildsift.sift.learn.places_train import MIN_LABELS, country_labels, train_places
from wildsift.sift.stages.location import LocationStage, card_path, model_fingerprint
from wildsift.study import Study

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "places"


def _fixture_posts() -> list[tuple[str, str]]:
    rows = [json.loads(line) for name in ("holdout_4", "holdout_5", "train_h")
            for line in (FIXTURES / f"multilingual_{name}.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]
    return [(row["text"], row["lang"]) for row in rows]


def _labelled_study(study, posts: list[tuple[str, str, str]]) -> None:
    """Posts (text, lang, country label) stored with one annotator's label each."""
    study.store.posts.add([Post(platform="t", post_id=f"p{i}", text=text, lang=lang)
                           for i, (text, lang, _) in enumerate(posts)])
    study.store.labels.add([Label(post_id=f"p{i}", field="country", value=country,
                                  annotator="ana") for i, (_, _, country) in enumerate(posts)])


def _unsure_and_sure(model) -> tuple[list, list]:
    """Fixture posts whose best candidate the shipped filter scores just under its threshold
    (its answer dropped), and posts it answers or that have no candidate at all."""
    unsure, sure = [], []
    texts = _fixture_posts()
    posts = [prepare(text, lang) for text, lang in texts]
    for (text, lang), post, probs in zip(texts, posts, model.probabilities(posts)):
        if len(probs) and model.threshold - 0.4 < probs.max() <= model.threshold:
            unsure.append((text, lang, post.cands[int(probs.argmax())].country))
        elif len(probs) == 0 or probs.max() > model.threshold:
            found = decide(post, probs, model.decision, model.threshold)
            sure.append((text, lang, found.country if found else "none"))
    return unsure, sure


def test_country_labels_take_country_codes_and_none_and_list_the_rest():
    labels = pd.DataFrame({
        "post_pk": [1, 2, 3, 4, 4, 4, 5, 6, 7], "field": "country",
        "annotator": list("aaaabcaaa"), "created_at": None,
        "value": ["VN", "none", "Vietnam", "th", "TH", "KE", "NO", "uk", "XX"]})
    countries, unreadable = country_labels(labels)
    # two of three people say TH; "NO" is Norway, "uk" the United Kingdom's usual code
    assert countries.to_dict() == {1: "VN", 2: None, 4: "TH", 5: "NO", 6: "GB"}
    assert unreadable == ["vietnam", "xx"]
    # a researcher's decision where people differed wins over their consensus
    decided = pd.DataFrame({"post_pk": [4], "field": "adjudicated_country", "value": ["KE"],
                            "annotator": "res", "created_at": None})
    assert country_labels(labels, decided)[0][4] == "KE"
    # two spellings of one answer agree: "-" and "none", "uk" and "GB"
    spelled = pd.DataFrame({"post_pk": [1, 1, 2, 2], "field": "country", "created_at": None,
                            "annotator": list("abab"), "value": ["-", "none", "uk", "GB"]})
    assert country_labels(spelled)[0].to_dict() == {1: None, 2: "GB"}


def test_labels_that_find_the_filter_too_cautious_lower_its_threshold_for_the_stage(study):
    model = place_filter("learned")
    unsure, sure = _unsure_and_sure(model)
    assert len(unsure) >= 20, "the fixture set has posts the filter is unsure of"
    # people say the filter's dropped answers were right: a lower threshold finds them
    _labelled_study(study, unsure[:30] + sure[:30])
    card = train_places(study)
    assert card["kept"] and card["threshold"] < model.threshold
    assert card["out_of_fold"]["recall"] > card["shipped"]["recall"]
    assert json.loads(card_path(study).read_text(encoding="utf-8"))["threshold"] == \
        card["threshold"]
    stage = LocationStage.for_study(study)
    assert stage.threshold == card["threshold"]
    assert stage.version.endswith(f"-t{card['threshold']}")  # its posts are located again
    text, lang, country = unsure[0]
    batch = pd.DataFrame([{"pk": 1, "text": text, "lang": lang}])
    assert pd.isna(LocationStage()(batch).loc[0, "location_country"])
    assert stage(batch).loc[0, "location_country"] == country


def test_labels_that_agree_with_the_shipped_threshold_leave_it_alone(study):
    model = place_filter("learned")
    _, sure = _unsure_and_sure(model)
    _labelled_study(study, sure[:60])  # exactly what the shipped threshold answers
    card = train_places(study)
    assert not card["kept"] and "stays" in card["why"]
    stage = LocationStage.for_study(study)
    assert stage.threshold is None and stage.version == LocationStage().version


def test_too_few_country_labels_say_how_many_and_what_to_label(study):
    _labelled_study(study, [("Vendo loro en Lima", "es", "PE")] * 3 + [("", "es", "PE")] * 40)
    with pytest.raises(ModelError, match=rf"too few country labels.*: 3 posts with text, 3 of "
                                         rf"them with a country; label at least {MIN_LABELS}"):
        train_places(study)  # the 40 posts without text do not count
    assert not card_path(study).exists()
    assert LocationStage.for_study(study).threshold is None


def test_labels_with_too_few_countries_say_so(study):
    _labelled_study(study, [("Selling a sofa, cash only", "en", "none")] * 35
                    + [("Vendo loro en Lima", "es", "PE")] * 5)
    with pytest.raises(ModelError, match=r": 40 posts with text, 5 of them with a country"):
        train_places(study)


def test_a_card_for_another_model_or_an_unreadable_one_leaves_the_shipped_threshold(study):
    unsure, sure = _unsure_and_sure(place_filter("learned"))
    _labelled_study(study, unsure[:30] + sure[:30])
    card = train_places(study)
    assert card["kept"] and card["model"] == model_fingerprint("learned")
    assert LocationStage.for_study(study).threshold == card["threshold"]
    # the filter was refitted since: its probabilities are not the ones the threshold fits
    card_path(study).write_text(json.dumps({**card, "model": "0" * 16}), encoding="utf-8")
    assert LocationStage.for_study(study).threshold is None
    card_path(study).write_text("{not json", encoding="utf-8")
    assert LocationStage.for_study(study).threshold is None


def test_methods_without_a_threshold_are_refused(study):
    with pytest.raises(ValueError, match="'cascade' has no threshold"):
        LocationStage("cascade", 0.5)
    config = study.root / "wildsift.toml"
    config.write_text(config.read_text().replace('text_places = "learned"',
                                                 'text_places = "cascade"'))
    reopened = Study.open(study.root)
    try:
        with pytest.raises(ModelError, match="'cascade' has no threshold to fit"):
            train_places(reopened)
    finally:
        reopened.close()


def test_wildsift_train_fits_the_threshold_and_says_so(study):
    from typer.testing import CliRunner

    from wildsift.cli.main import app

    unsure, sure = _unsure_and_sure(place_filter("learned"))
    posts = unsure[:30] + sure[:30]
    _labelled_study(study, posts)
    study.store.labels.add([Label(post_id=f"p{i}", field="relevant", value=str(i % 2),
                                  annotator="ana") for i in range(len(posts))])
    result = CliRunner().invoke(app, ["--study", str(study.root), "train", "--folds", "2"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    card = json.loads(card_path(study).read_text(encoding="utf-8"))
    assert f"places: learned at threshold {card['threshold']} kept on 60 labelled posts" in said
    assert card["folds"] == 2  # --folds reaches the place step
