"""Code-word discovery: rank candidate new lexicon terms for a person to accept or reject.

Two lists come out of a study's posts, split into relevant and not relevant (people's labels,
field "relevant"; with too few labels, the relevance model's decisions as weak labels, and the
result says so):

* **over-represented terms** — words, word pairs and (for scripts without spaces) character
  n-grams ranked by the weighted log-odds ratio with an informative Dirichlet prior (Monroe,
  Colaresi & Quinn 2008, "Fightin' words", eq. 16-22): for a term w with document counts
  y_r, y_n in n_r, n_n relevant / not relevant documents' term totals and prior
  a_w = its count in both (a_0 their sum),

      delta_w = log((y_r+a_w)/(n_r+a_0-y_r-a_w)) - log((y_n+a_w)/(n_n+a_0-y_n-a_w))
      z_w = delta_w / sqrt(1/(y_r+a_w) + 1/(y_n+a_w))

  The prior shrinks rare terms towards no difference, so a word seen in three posts does not
  outrank one seen in thirty. Counts are of posts, not occurrences (a spammer repeating a word
  is one post). Known terms, their fragments, stop words, numbers, rejected terms, redaction
  tokens, URLs and handles never become candidates.
* **terms close to known ones** — disguises of lexicon terms (:mod:`wildsift.lexicon.variants`).

Each candidate carries a language and kind guess, the nearest known term (the lexicon term most
often found in the same relevant posts), its counts and two short, redacted example snippets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import stopwordsiso
from sklearn.feature_extraction.text import CountVectorizer

from wildsift.lexicon.matcher import Matcher
from wildsift.lexicon.normalize import normalize
from wildsift.lexicon.taxon import Term
from wildsift.lexicon.tokens import Tokenizer, snippet
from wildsift.lexicon.variants import VariantFinder

_SCRIPT_LANGS = [(r"\p{Hiragana}|\p{Katakana}", "ja"), (r"\p{Han}", "zh-Hans"),
                 (r"\p{Hangul}", "ko"), (r"\p{Thai}", "th"), (r"\p{Lao}", "lo"),
                 (r"\p{Khmer}", "km"), (r"\p{Myanmar}", "my"), (r"\p{Arabic}", "ar"),
                 (r"\p{Cyrillic}", "ru"), ("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                                           "vi")]


@dataclass(slots=True)
class Corpus:
    """Texts with a 0/1 relevance each; ``basis`` says where the labels came from."""

    texts: list[str]
    relevant: np.ndarray
    langs: list[str | None] = field(default_factory=list)
    basis: str = "labels"
    weak: bool = False

    def __post_init__(self) -> None:
        self.relevant = np.asarray(self.relevant, dtype=int)
        if not self.langs:
            self.langs = [None] * len(self.texts)


@dataclass(slots=True)
class Candidate:
    """One suggested term and the evidence for it."""

    term: str
    key: str
    lang: str
    kind: str
    reason: str
    score: float
    log_odds: float
    relevant: int
    not_relevant: int
    nearest: str | None = None
    taxon: str | None = None
    product: str | None = None
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Suggestions:
    basis: str
    weak: bool
    positives: int
    negatives: int
    terms: list[Candidate]
    variants: list[Candidate]

    def to_dict(self) -> dict:
        return asdict(self)


def stop_words(languages: Sequence[str]) -> set[str]:
    """Stop words (stopwords-iso) of the study's languages, e.g. zh-Hans -> zh."""
    codes = {lang.split("-")[0].lower() for lang in languages}
    return set(stopwordsiso.stopwords([c for c in codes if stopwordsiso.has_lang(c)]))


def log_odds(y_rel: np.ndarray, y_not: np.ndarray, prior: np.ndarray, n_rel: float,
             n_not: float, a0: float) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds ratios and their z-scores (Monroe et al. 2008, informative prior)."""
    y_rel, y_not, a = (np.asarray(v, dtype=float) for v in (y_rel, y_not, prior))
    delta = (np.log((y_rel + a) / (n_rel + a0 - y_rel - a))
             - np.log((y_not + a) / (n_not + a0 - y_not - a)))
    return delta, delta / np.sqrt(1.0 / (y_rel + a) + 1.0 / (y_not + a))


def guess_language(term: str, langs: Sequence[str | None] = ()) -> str:
    """The commonest language of the posts using ``term``, else one read from its script."""
    import regex

    seen = Counter(lang for lang in langs if lang and lang != "und")
    if seen:
        return seen.most_common(1)[0][0]
    for pattern, lang in _SCRIPT_LANGS:
        if regex.search(pattern, term.casefold()):
            return lang
    return "en"


def suggest_terms(corpus: Corpus, lexicon, *, languages: Sequence[str] = ("en",),
                  rejected: set[str] | frozenset[str] = frozenset(), top: int = 30,
                  min_count: int = 3, min_variant_count: int = 2,
                  examples: int = 2) -> Suggestions:
    """Rank candidate terms in ``corpus`` (pure: no store, no files)."""
    y = corpus.relevant
    if not y.any() or y.all():
        raise ValueError("discovery needs both relevant and not relevant posts")
    terms: list[Term] = [t for t in lexicon.terms()]
    stops = stop_words(languages)
    tokenizer = Tokenizer([t.text for t in terms], stops)
    vectorizer = CountVectorizer(analyzer=tokenizer.keys, binary=True, min_df=1, dtype=np.int32)
    X = vectorizer.fit_transform(corpus.texts).tocsc()
    vocab = vectorizer.get_feature_names_out()
    y_rel = np.asarray(X[y == 1].sum(axis=0)).ravel()
    y_not = np.asarray(X[y == 0].sum(axis=0)).ravel()
    prior = y_rel + y_not
    totals = (float(y_rel.sum()), float(y_not.sum()), float(prior.sum()))
    delta, z = log_odds(y_rel, y_not, prior, *totals)
    rel_docs = np.flatnonzero(y == 1)
    matches = dict(zip(rel_docs.tolist(), lexicon.match_many([corpus.texts[i] for i in rel_docs]),
                       strict=True))
    context = _Context(corpus, matches, tokenizer, examples)

    finder = VariantFinder(terms, stops)
    seen_vocab = [str(vocab[j]) for j in np.flatnonzero(y_rel >= min_variant_count)]
    variants = finder.in_texts([corpus.texts[i] for i in rel_docs]) + finder.spelling(seen_vocab)
    variants = [v for v in variants if normalize(v.surface) not in rejected
                and not lexicon.match(v.surface)]
    by_doc = Matcher(Term(v.surface, str(i), "und", "code_word")
                     for i, v in enumerate(variants)).match_many(corpus.texts)
    docs_of: dict[int, list[int]] = {}
    for doc, found_here in enumerate(by_doc):
        for m in found_here:
            docs_of.setdefault(int(m.taxon), []).append(doc)
    close: dict[str, Candidate] = {}
    for i, variant in enumerate(variants):
        docs = np.asarray(docs_of.get(i, []), dtype=int)
        r, n = int(y[docs].sum()) if len(docs) else 0, int(len(docs) - y[docs].sum())
        if r < min_variant_count:
            continue
        d, zz = log_odds(np.array([r]), np.array([n]), np.array([r + n]), *totals)
        if zz[0] <= 0:
            continue
        cand = context.candidate(normalize(variant.surface), variant, variant.reason, docs,
                                 float(zz[0]), float(d[0]), r, n)
        close.setdefault(cand.key, cand)
    ranked = sorted(close.values(), key=lambda c: (-c.relevant, -c.score))[:top]
    order = [j for j in np.argsort(-z) if y_rel[j] >= min_count and z[j] > 0]
    found: list[Candidate] = []
    for j in order:
        key = str(vocab[j])
        if key in rejected or any(_contains(key, k) for k in close) or lexicon.match(key):
            continue
        docs = X[:, j].nonzero()[0]
        found.append(context.candidate(key, None, "over-represented in relevant posts", docs,
                                       float(z[j]), float(delta[j]), int(y_rel[j]),
                                       int(y_not[j])))
        if len(found) >= 4 * top:
            break
    found = _drop_fragments(found)[:top]

    return Suggestions(corpus.basis, corpus.weak, int(y.sum()), int((y == 0).sum()), found,
                       ranked)


class _Context:
    """What building a candidate needs: the texts, lexicon matches, surfaces and snippets."""

    def __init__(self, corpus: Corpus, matches: dict, tokenizer: Tokenizer, examples: int):
        self.corpus, self.matches, self.tokenizer, self.examples = (
            corpus, matches, tokenizer, examples)

    def candidate(self, key: str, variant, reason: str, docs: np.ndarray, score: float,
                  delta: float, rel: int, not_rel: int) -> Candidate:
        corpus = self.corpus
        rel_docs = [int(d) for d in docs if corpus.relevant[d] == 1]
        if variant is not None:
            surface = variant.surface
        else:
            surfaces = Counter(s for d in rel_docs[:20] for k, s in
                               self.tokenizer.pairs(corpus.texts[d]) if k == key)
            surface = surfaces.most_common(1)[0][0] if surfaces else key
        near = Counter((m.term, m.taxon, m.product) for d in rel_docs
                       for m in self.matches.get(d, []))
        nearest, taxon, product = near.most_common(1)[0][0] if near else (None, None, None)
        kind, lang = "code_word", guess_language(surface, [corpus.langs[d] for d in rel_docs])
        if variant is not None:
            nearest, taxon = variant.known.text, variant.known.taxon
            product = variant.known.product if variant.known.kind != "name" else product
            kind = variant.known.kind if variant.known.kind != "negative" else "code_word"
            if variant.known.lang not in ("und", "la"):
                lang = variant.known.lang
        return Candidate(surface, key, lang, kind, reason, round(score, 3), round(delta, 4),
                         rel, not_rel, nearest, taxon, product,
                         [snippet(corpus.texts[d], surface) for d in rel_docs[:self.examples]])


def _drop_fragments(found: list[Candidate]) -> list[Candidate]:
    """Drop a candidate when a longer one containing it occurs in nearly all of its posts
    ("bạch" when "bạch ngà" is there in as many relevant posts)."""
    out = []
    for cand in found:
        longer = [o for o in found if o is not cand and len(o.key) > len(cand.key)
                  and _contains(o.key, cand.key) and o.relevant >= 0.8 * cand.relevant]
        if not longer:
            out.append(cand)
    return out


def _contains(longer: str, shorter: str) -> bool:
    if longer == shorter:
        return True
    if " " in longer or " " in shorter:
        return f" {shorter} " in f" {longer} "
    return shorter in longer and not longer.isascii()
