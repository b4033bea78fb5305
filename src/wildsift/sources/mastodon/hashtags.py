"""Turn a study query (a taxon or group such as "rhinoceros") into Mastodon hashtags.

Terms come from the lexicon, most useful first (:func:`wildsift.sources.query.lexicon_terms`). Mastodon hashtags
cannot hold spaces or punctuation, so "rhino horn" becomes ``rhinohorn`` and terms that still are
not valid hashtags are skipped. Word characters follow Mastodon's own rule (letters, marks,
digits, '_', and the middle dot / ZWNJ some scripts need), so Thai or Vietnamese terms survive.
"""

from __future__ import annotations

import unicodedata

from wildsift.sources.query import lexicon_terms

MAX_TAGS_PER_QUERY = 20
_JOINERS = {"_", "\u00b7", "\u200c"}
_DROP = {" ", "-", "'", "\u2019", ".", "\u00a0", "\u200b"}


def to_hashtag(term: str) -> str | None:
    """The hashtag form of ``term`` (lower case, no '#'), or None when it cannot be one."""
    tag = "".join(ch for ch in unicodedata.normalize("NFC", term.strip().lstrip("#"))
                  if ch not in _DROP)
    if not tag or len(tag) > 100:
        return None
    if not all(unicodedata.category(ch)[0] in "LMN" or ch in _JOINERS for ch in tag):
        return None
    if not any(unicodedata.category(ch)[0] in "LM" for ch in tag):
        return None  # Mastodon needs at least one non-digit
    return tag.lower()


def expand_query(query: str, languages: list[str], *, lexicon=None,
                 limit: int = MAX_TAGS_PER_QUERY) -> list[str]:
    """Hashtags for ``query``: the query itself first, then lexicon terms, at most ``limit``.

    People tag group names and products (#rhinohorn, #sừngtêgiác, #犀牛角), less often a
    species, rarely a Latin binomial or a long phrase, so those go last and are the first cut
    by ``limit``. A query the lexicon does not know is used as it is (it may be a hashtag the
    researcher chose).
    """
    terms = lexicon_terms(query, languages, lexicon)
    tags: list[str] = []
    for term in terms:
        tag = to_hashtag(term)
        if tag and tag not in tags:
            tags.append(tag)
        if len(tags) >= limit:
            break
    return tags
