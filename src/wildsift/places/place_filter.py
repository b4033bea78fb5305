"""A learned filter over the candidate places of a post: is this where the author or item is?

Four blind sets showed that the rules know the *forms* of a place (headers, districts,
divisions, aliases) but not what a post *says* about it (a trip, a purchase, a film, a product,
a memory). This model reads the words around each candidate place and what the rules did with
it, and gives the probability that the post is in that place's country. It is trained on our
labelled multilingual sets (``python -m wildsift.places.train_filter``), chosen out of fold
against the rules alone, and shipped as ``data/place_filter.npz`` (weights of hashed character
n-grams and a few dense features: no vocabulary, a few MB at most).

Features of a candidate: character 2-4-grams of ``WINDOW`` characters left and right of the
mention (apart; the mention's own letters are not a feature, so the model learns contexts, not
names), and dense ones: language, kind (country / first-level division / city), the
geoparser's confidence, locative cue, header flag, position, how many candidates and countries
the post has, whether the country speaks the post's language, population, and (variant
``full``) the rules' stage and whether the candidate's country is the rules' answer.

Decisions: ``argmax`` (the likeliest candidate's country, when its probability passes the
threshold) or ``veto`` (the rules' country, kept only when its best candidate passes it).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from wildsift.places.candidates import STAGES, Candidate, candidates
from wildsift.places.guards import home_countries
from wildsift.places.resolve import Location

MODEL = Path(__file__).with_name("data") / "place_filter.npz"
WINDOW = 40
HASH_FEATURES = 2 ** 18
LANGS = ("de", "en", "es", "fr", "id", "pt", "ru", "sw", "th", "vi", "zh")
KINDS = ("country", "admin1", "city")
DECISIONS = ("argmax", "veto")
DENSE_CLIP = 5.0
HEADER_SHAPE = re.compile(r"^\s*[^\n,:;|\-–—]{2,40}\s*[,:;|\-–—(]")


@lru_cache(maxsize=1)
def _hasher():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer="char", ngram_range=(2, 4), n_features=HASH_FEATURES,
                             alternate_sign=False, norm="l2", dtype=np.float32)


@dataclass(slots=True)
class Scored:
    """One post's candidates and the rules' answer, ready to be scored."""

    text: str
    lang: str | None
    cands: list[Candidate]
    rules: Location | None

    @property
    def rules_country(self) -> str | None:
        return self.rules.country if self.rules else None


def prepare(text: str, lang: str | None) -> Scored:
    cands, rules = candidates(text, lang)
    return Scored(text, lang, cands, rules)


def windows(post: Scored) -> tuple[list[str], list[str]]:
    text = post.text  # cut first: lower() may change a text's length ("İ")
    left = [text[max(0, c.mention.start - WINDOW):c.mention.start].lower() for c in post.cands]
    right = [text[c.mention.end:c.mention.end + WINDOW].lower() for c in post.cands]
    return left, right


def dense(post: Scored, rule_features: bool) -> list[list[float]]:
    n = len(post.cands)
    lang = (post.lang or "").split("-")[0].split("_")[0].lower()
    home = home_countries(lang) or frozenset()
    countries = {c.country for c in post.cands}
    shape = float(bool(HEADER_SHAPE.match(post.text)))
    first_nl = post.text.find("\n")
    first_line_end = first_nl if first_nl >= 0 else len(post.text)
    length = max(1, len(post.text))
    tail = len(post.text.rstrip(" .!\n")) - 1
    rules_country = post.rules_country
    rows = []
    for i, c in enumerate(post.cands):
        m = c.mention
        same = sum(1 for o in post.cands if o.country == c.country)
        same_kept = sum(1 for o in post.cands if o.country == c.country
                        and (o.stage == "kept" or not rule_features))
        row = [1.0 if lang == code else 0.0 for code in LANGS]
        row += [1.0 if m.place.kind == kind else 0.0 for kind in KINDS]
        if rule_features:
            row += [1.0 if c.stage == stage else 0.0 for stage in STAGES]
            row += [float(rules_country == c.country), float(rules_country is None)]
        row += [m.confidence, float(m.cue), float(m.header), m.start / length, float(i == 0),
                float(i == n - 1), math.log1p(n), math.log1p(len(countries)), same / n,
                math.log1p(same_kept), float(c.country in home), float(lang == "en"),
                math.log1p(m.place.population) / 17.0, math.log1p(len(m.alternatives)),
                shape, float(m.start < first_line_end), float(m.start < 3),
                math.log(length) / 7.0, float(post.text[m.start:m.end].isupper()),
                float(m.end >= tail)]
        rows.append(row)
    return rows


def featurize(posts: list[Scored], rule_features: bool) -> tuple[sp.csr_matrix, np.ndarray]:
    """Hashed n-grams of the left and right windows, and the raw dense features, of every
    candidate of ``posts`` in order."""
    left: list[str] = []
    right: list[str] = []
    rows: list[list[float]] = []
    for post in posts:
        lw, rw = windows(post)
        left += lw
        right += rw
        rows += dense(post, rule_features)
    hasher = _hasher()
    grams = sp.hstack([hasher.transform(left), hasher.transform(right)]).tocsr()
    width = len(LANGS) + len(KINDS) + (len(STAGES) + 2 if rule_features else 0) + 20
    return grams, np.asarray(rows, dtype=np.float64).reshape(-1, width)


def scaled(rows: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Standardised dense features, clipped: a value far outside the training range (a name
    with more readings than any seen) must not outweigh the words."""
    return np.clip((rows - mean) / scale, -DENSE_CLIP, DENSE_CLIP)


def decide(post: Scored, probs: np.ndarray, decision: str, threshold: float
           ) -> Location | None:
    """The post's location under ``decision``, from its candidates' probabilities."""
    if not post.cands:
        return None
    if decision == "veto":
        if post.rules is None:
            return None
        best = max((float(p) for c, p in zip(post.cands, probs)
                    if c.country == post.rules.country), default=0.0)
        if best <= threshold:
            return None
        return Location(post.rules.country, "text", round(best, 3), post.rules.place,
                        post.rules.lat, post.rules.lon)
    j = int(np.argmax(probs))
    if float(probs[j]) <= threshold:
        return None
    country = post.cands[j].country
    if post.rules is not None and post.rules.country == country:
        rules = post.rules  # the rules' most precise place of that country
        return Location(country, "text", round(float(probs[j]), 3), rules.place, rules.lat,
                        rules.lon)
    places = [c.mention.place for c in post.cands if c.country == country]
    place = next((p for p in places if p.kind != "country"), places[0])
    return Location(country, "text", round(float(probs[j]), 3),
                    place.name if place.kind != "country" else None, place.lat, place.lon)


@dataclass(slots=True)
class PlaceFilter:
    """The fitted model: n-gram weights, dense weights with their scaling, and the decision
    chosen out of fold."""

    gram_weights: np.ndarray  # 2 * HASH_FEATURES
    dense_weights: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    rule_features: bool
    decision: str
    threshold: float
    meta: dict

    def probabilities(self, posts: list[Scored]) -> list[np.ndarray]:
        """Each post's candidates' probabilities (one call for the whole batch)."""
        with_cands = [p for p in posts if p.cands]
        flat = np.zeros(0)
        if with_cands:
            grams, rows = featurize(with_cands, self.rule_features)
            logits = (grams @ self.gram_weights + scaled(rows, self.mean, self.scale)
                      @ self.dense_weights + self.intercept)
            flat = 1.0 / (1.0 + np.exp(-logits))
        out, k = [], 0
        for post in posts:
            out.append(flat[k:k + len(post.cands)])
            k += len(post.cands)
        return out

    def locate_many(self, texts: list[str], langs: list[str | None]) -> list[Location | None]:
        """The location of each text: its candidates scored, then the chosen decision."""
        posts = [prepare(text, lang) for text, lang in zip(texts, langs)]
        return [decide(post, probs, self.decision, self.threshold)
                for post, probs in zip(posts, self.probabilities(posts))]

    def save(self, path: Path = MODEL) -> Path:
        np.savez_compressed(
            path, gram_weights=self.gram_weights.astype(np.float32),
            dense_weights=self.dense_weights, intercept=np.asarray([self.intercept]),
            mean=self.mean, scale=self.scale,
            meta=np.asarray(json.dumps({**self.meta, "rule_features": self.rule_features,
                                        "decision": self.decision,
                                        "threshold": self.threshold}, ensure_ascii=False)))
        return path

    @classmethod
    def load(cls, path: Path = MODEL) -> PlaceFilter:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            return cls(data["gram_weights"].astype(np.float64), data["dense_weights"],
                       float(data["intercept"][0]), data["mean"], data["scale"],
                       bool(meta["rule_features"]), str(meta["decision"]),
                       float(meta["threshold"]), meta)


@lru_cache(maxsize=1)
def place_filter() -> PlaceFilter | None:
    """The shipped model, or None when the package has none (the rules decide alone)."""
    return PlaceFilter.load() if MODEL.exists() else None


def locate_texts(texts: list[str], langs: list[str | None], *, learned: bool = True
                 ) -> list[Location | None]:
    """The country each text names: the rules' candidates decided by the shipped filter
    (``learned``, when the package has one), else the rules alone (:func:`locate_text`)."""
    model = place_filter() if learned else None
    if model is None:
        from wildsift.places.resolve import locate_text

        return [locate_text(text, lang) for text, lang in zip(texts, langs)]
    return model.locate_many(texts, langs)
