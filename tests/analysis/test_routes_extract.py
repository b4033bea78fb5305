"""Routes stated in texts: our labelled phrases in ten languages, and the rules one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from wildsift.analysis.routes.extract import RouteExtractor

LABELLED = Path(__file__).with_name("routes_labelled.tsv")
HOLDOUT = Path(__file__).with_name("routes_holdout.tsv")  # written after the cues, measured once


@pytest.fixture(scope="module")
def extractor() -> RouteExtractor:
    return RouteExtractor()


def _labelled(path: Path = LABELLED) -> list[tuple[str, str, set[tuple[str, str]]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        lang, text, *rest = line.split("\t")
        gold = {tuple(pair.split(">")) for pair in (rest[0] if rest else "").split(";") if pair}
        rows.append((lang, text, gold))
    return rows


def _pairs(extractor, text, lang) -> set[tuple[str, str]]:
    return {(o or "", d or "") for o, d in (r.countries for r in extractor.routes(text, lang))}


def _scores(extractor, rows) -> tuple[float, float]:
    tp = fp = fn = 0
    for lang, text, gold in rows:
        got = _pairs(extractor, text, lang)
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    return tp / (tp + fp), tp / (tp + fn)


def test_labelled_phrases_precision_and_recall(extractor):
    rows = _labelled()
    assert len(rows) >= 100 and len({lang for lang, _, _ in rows}) >= 8
    precision, recall = _scores(extractor, rows)
    # measured 0.958 / 0.948 (docs/identify-network.md); the set was used while writing the cues
    assert precision >= 0.93 and recall >= 0.92, (precision, recall)


def test_held_out_phrases_precision_and_recall(extractor):
    rows = _labelled(HOLDOUT)
    assert len(rows) >= 40 and len({lang for lang, _, _ in rows}) >= 8
    precision, recall = _scores(extractor, rows)
    assert precision >= 0.9 and recall >= 0.85, (precision, recall)  # measured 0.972 / 0.921


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Shipping from Lagos to Hanoi", "en", {("NG", "VN")}),
    ("Welcome to Paris", "en", set()),  # a bare "to" needs an origin before it
    ("de Douala à Paris", "fr", {("CM", "FR")}),  # ... and so does a bare "à"
    ("Bienvenue à Paris", "fr", set()),
    ("ship to USA, UK and Canada", "en", {("", "US"), ("", "GB"), ("", "CA")}),
    ("Nairobi -> Guangzhou weekly", "en", {("KE", "CN")}),
    ("广州发货，可寄到台湾", "zh", {("CN", "TW")}),  # an "after" cue, then a destination
    ("销往日本韩国", "zh", {("", "JP"), ("", "KR")}),  # unspaced names listed without a comma
    ("ship to vietnam", "en", {("", "VN")}),  # lower case after a cue
    ("ship to sale", "en", set()),  # a common word is not a place, even after a cue
    ("ส่งจากลาวไปกรุงเทพ", "th", {("LA", "TH")}),
])
def test_rules(extractor, text, lang, expected):
    assert _pairs(extractor, text, lang) == expected
