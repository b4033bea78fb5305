"""Study queries in each platform's search syntax: lexicon terms packed into OR-queries.

A study query is a taxon or group ("pangolin") or a term the researcher chose. The lexicon expands
it into names, products and code words in the study's languages; platforms that support ``OR``
get as few calls as their query-length limit allows, the others one call per term.
"""

from __future__ import annotations

from wildsift.errors import ConfigError


def lexicon_terms(query: str, languages: list[str], lexicon=None, *,
                  limit: int | None = None) -> list[str]:
    """The query itself, then the lexicon's terms for it, most useful first (deduplicated).

    People write group names and products (rhino horn, sừng tê giác, 犀牛角) and code words, less
    often a species, rarely a Latin binomial or a long phrase: those go last, so a ``limit`` or
    a quota cuts them first.
    """
    if lexicon is None:
        from wildsift.lexicon import Lexicon  # loading reads the packaged data: only when needed

        lexicon = Lexicon.default()
    try:
        expanded = list(lexicon.expand(query, languages))
    except ConfigError:
        expanded = []  # a term the lexicon does not know is searched as it is
    taxa = list(getattr(lexicon, "taxa", {}).values())
    scientific = {name.lower() for taxon in taxa
                  for name in (taxon.scientific_name, *getattr(taxon, "synonyms", []))}
    group_names = {n.lower() for t in taxa if t.key == t.group
                   for names in t.common_names.values() for n in names}
    species_names = {n.lower() for t in taxa if t.key != t.group
                     for names in t.common_names.values() for n in names} - group_names

    def rank(term: str) -> tuple[bool, bool, bool]:
        low = term.lower()
        return low in scientific, low in species_names, len(term.split()) > 3

    seen: set[str] = set()
    terms = []
    for term in [query, *sorted(expanded, key=rank)]:
        key = term.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            terms.append(term.strip())
    return terms[:limit] if limit else terms


def quoted(term: str) -> str:
    """A phrase in double quotes when it has spaces (the syntax of X, Bluesky, YouTube, eBay)."""
    term = term.replace('"', "")
    return f'"{term}"' if any(ch.isspace() for ch in term) else term


def or_queries(terms: list[str], *, max_length: int, joiner: str = " OR ",
               wrap=quoted, suffix: str = "") -> list[str]:
    """Terms joined with ``joiner`` into as few queries as fit ``max_length`` characters each
    (``suffix``, e.g. " -is:retweet lang:vi", is added to every query and counted)."""
    queries: list[str] = []
    current: list[str] = []
    for term in map(wrap, terms):
        candidate = joiner.join([*current, term]) + suffix
        if current and len(candidate) > max_length:
            queries.append(joiner.join(current) + suffix)
            current = [term]
        else:
            current.append(term)
        if len(term) + len(suffix) > max_length:
            raise ConfigError(f"search term {term!r} is longer than the platform's query limit "
                              f"({max_length} characters)")
    if current:
        queries.append(joiner.join(current) + suffix)
    return queries
