"""Dense signals of a post beside its n-grams: lexicon hits by kind (and the matching itself),
emoji, sale cues in the profile, the image stage's score.

Why: n-grams learn words, but a label set of a few hundred posts rarely shows every taxon name,
code word or language the lexicon knows. Counting *kinds* of lexicon hits (a species name, a
product, a trade code word, how many distinct taxa) lets the model generalise to names it never
saw in training. Sellers decorate ads with emoji (💰📦🐘) and put their contact in the profile,
so those are counted too. Every value is a capped ``log1p`` count, so no one post dominates.

Trade is a conjunction: a wildlife term *and* a sale cue. A linear model given the two counts
apart can only add them, so it learns "a price means trade" from the training posts and then
flags every second-hand phone ad, wedding dress or zoo post worded in a way it has not seen.
The interaction signals (a lexicon hit together with each sale cue) give it the conjunction
itself, which carries over to unseen wording and languages the lexicon knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from wildsift.errors import ModelError
from wildsift.sift.rules.cues import CUE_NAMES, _scan, cue_matrix

LEXICON_COLUMNS = ("lexicon_hits", "lex_name", "lex_product", "lex_code_word", "lex_taxa")
_KINDS = ("name", "product", "code_word")

# Emoji blocks (pictographs, symbols, transport, supplemental, dingbats, flags).
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\U00002600-\U000027BF\U0001F1E6-\U0001F1FF]")
_ANIMAL_EMOJI = re.compile("[\U0001F400-\U0001F43F\U0001F98A-\U0001F9AE\U0001F980-\U0001F989"
                           "\U0001F40A\U0001F422\U0001F98F\U0001F418\U0001F9A3]")
_SALE_EMOJI = re.compile("[\U0001F4B0\U0001F4B5\U0001F4B2\U0001F4B8\U0001F4E6\U0001F69A"
                         "\U0001F4DE\U0001F4F2\U0000260E\U00002705\U0001F525\U0001F4E9"
                         "\U0001F6D2\U0001F3F7]")

SIGNAL_NAMES: tuple[str, ...] = (
    *CUE_NAMES, *LEXICON_COLUMNS, "emoji", "animal_emoji", "sale_emoji",
    *(f"profile_{name}" for name in CUE_NAMES), "has_image_score", "image_score",
)
_INTERACTING_CUES = ("price", "sale_word", "contact", "quantity")
INTERACTION_NAMES: tuple[str, ...] = (*(f"lexicon_and_{cue}" for cue in _INTERACTING_CUES),
                                      "lexicon_and_any_sale_cue")


def load_lexicon() -> Any:
    """The packaged default lexicon (wildsift.lexicon.Lexicon.default())."""
    try:
        from wildsift.lexicon import Lexicon
    except ImportError as exc:  # pragma: no cover - only while the lexicon package is missing
        raise ModelError(
            "the lexicon package is not available (wildsift.lexicon.Lexicon); "
            "reinstall wildsift with 'pip install -e .'"
        ) from exc
    return Lexicon.default()


def match_texts(lexicon: Any, texts: Sequence[str]) -> list[list[Any]]:
    """Matches for each text, with the lexicon's batch method when it has one."""
    if hasattr(lexicon, "match_many"):
        return [list(found) for found in lexicon.match_many(list(texts))]
    return [list(lexicon.match(text)) for text in texts]


def lexicon_counts(matches: Iterable[Sequence[Any]]) -> np.ndarray:
    """(n, 5): hits, name hits, product hits, code-word hits, distinct taxa, from the matches of
    each post (lexicon Match objects or the dicts LexiconStage adds)."""
    rows = []
    for found in matches:
        found = list(found) if found is not None else []
        kinds = [m.get("kind") if isinstance(m, dict) else getattr(m, "kind", None)
                 for m in found]
        taxa = {m.get("taxon") if isinstance(m, dict) else getattr(m, "taxon", None)
                for m in found}
        rows.append([len(found), *(kinds.count(k) for k in _KINDS), len(taxa - {None})])
    return np.asarray(rows, dtype=np.float64).reshape(-1, len(LEXICON_COLUMNS))


def emoji_counts(texts: Sequence[str]) -> np.ndarray:
    """(n, 3): all emoji, animal emoji, sale emoji (money, parcel, phone, tick, fire...)."""
    docs = [(t or "").replace("\x00", " ") for t in texts]
    out = np.zeros((len(docs), 3), dtype=np.float64)
    has = np.flatnonzero([not d.isascii() for d in docs])  # emoji are never ASCII
    if len(has):
        sub = [docs[i] for i in has]
        for column, pattern in enumerate((_EMOJI, _ANIMAL_EMOJI, _SALE_EMOJI)):
            out[has, column] = _scan(pattern, sub)
    return out


def interactions(cues: np.ndarray, lexicon_hits: np.ndarray) -> np.ndarray:
    """(n, len(INTERACTION_NAMES)) 0/1: a lexicon hit together with each sale cue, and with any
    of them, from the cue counts (CUE_NAMES order) and the lexicon hit count of each post."""
    has_term = (np.asarray(lexicon_hits, dtype=np.float64) > 0)[:, None]
    columns = [CUE_NAMES.index(cue) for cue in _INTERACTING_CUES]
    present = cues[:, columns] > 0
    both = present & has_term
    return np.hstack([both, both.any(axis=1, keepdims=True)]).astype(np.float64)


def signal_matrix(frame: pd.DataFrame, with_interactions: bool = False) -> np.ndarray:
    """The dense signals (columns in SIGNAL_NAMES order, then INTERACTION_NAMES when
    ``with_interactions``) of a frame made by ``text.prepare``."""
    n = len(frame)
    cues = cue_matrix(frame["text"])
    lexicon = np.column_stack([
        pd.to_numeric(frame[c], errors="coerce").fillna(0).to_numpy(dtype=np.float64)
        if c in frame else np.zeros(n) for c in LEXICON_COLUMNS]) if n else np.zeros((0, 5))
    emoji = emoji_counts(frame["text"].tolist())
    profile = (cue_matrix(frame["author_description"]) if "author_description" in frame
               else np.zeros((n, len(CUE_NAMES))))
    image = (pd.to_numeric(frame["image_score"], errors="coerce").to_numpy(dtype=np.float64)
             if "image_score" in frame else np.full(n, np.nan))
    has_image = ~np.isnan(image)
    counts = np.minimum(np.hstack([cues, np.minimum(lexicon, 10), np.minimum(emoji, 10),
                                   profile]), 10)
    out = np.hstack([np.log1p(counts), has_image[:, None].astype(np.float64),
                     np.where(has_image, np.clip(image, 0, 1), 0.0)[:, None]])
    if with_interactions:
        out = np.hstack([out, interactions(cues, lexicon[:, 0] if n else np.zeros(0))])
    return out
