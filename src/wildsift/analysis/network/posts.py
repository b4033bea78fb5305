"""The kept posts with what routes and the people network read: author, replies, reposts,
mentions, contact tokens, language, country and trade intent.

Everything here is already pseudonymous in the store: authors, reply and repost targets and
mentions are keyed hashes per platform, and contacts are typed tokens of keyed hashes (``<PHONE:ab12cd>``).
Only the token *kinds* that name a way to reach a seller link accounts (phone, e-mail, messenger
id, profile link); handles are mentions already and person names are too ambiguous.
"""

from __future__ import annotations

import pandas as pd

from wildsift.analysis.geo import UNKNOWN
from wildsift.privacy.redact import tokens

CONTACT_KINDS = frozenset({"PHONE", "EMAIL", "MESSENGER", "URL"})
TEXT_BATCH = 20_000
NOT_A_COUNTRY = frozenset({"", "nan", "None", "none", "unknown"})  # as stored when no country
COLUMNS = ("pk", "platform", "created_at", "author", "reply_to", "repost_of", "mentions", "text",
           "lang")


def people_posts(store, kept: pd.DataFrame, located: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """One row per kept post: :data:`COLUMNS`, ``contacts`` (the hashes of its contact tokens),
    ``country`` and ``country_from`` (from ``located``, index of ``kept``), ``intent`` (heads
    stage or None)."""
    pks = [int(pk) for pk in kept["pk"]] if len(kept) else []
    parts = [store.posts.frame(COLUMNS, pks=pks[i:i + TEXT_BATCH])
             for i in range(0, len(pks), TEXT_BATCH)]
    frame = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=list(COLUMNS)))
    frame["mentions"] = frame["mentions"].map(lambda v: list(v) if isinstance(v, list) else [])
    # keyed by the hash alone: one number is <PHONE:..> in one ad and <MESSENGER:..> in another
    frame["contacts"] = frame["text"].map(
        lambda t: sorted({h for k, h in tokens(t) if k in CONTACT_KINDS}))
    for column in ("reply_to", "repost_of"):
        frame[column] = frame[column].where(frame[column].map(_named), None)
    frame["author"] = frame["author"].where(frame["author"].map(_named), None)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, errors="coerce")
    if located is not None and len(kept):
        where = located.set_axis(kept["pk"].astype(int))
        country = frame["pk"].map(where["country"]).astype(object)
        missing = country.isna() | country.astype(str).isin(NOT_A_COUNTRY)
        frame["country"] = country.where(~missing, UNKNOWN)
        frame["country_from"] = frame["pk"].map(where["country_from"]).where(~missing, "none")
    else:
        frame["country"], frame["country_from"] = UNKNOWN, "none"
    frame["intent"] = _intents(store, frame["pk"])
    return frame


def _named(value) -> bool:
    return isinstance(value, str) and bool(value)


def _intents(store, pks: pd.Series) -> pd.Series:
    if pks.empty:
        return pd.Series([], dtype=object)
    scores = store.scores.latest(["intent"])
    if scores.empty or "intent" not in scores:
        return pd.Series([None] * len(pks), index=pks.index, dtype=object)
    by_pk = scores.set_index("post_pk")["intent"]
    return pks.map(by_pk).where(lambda v: v.notna(), None)


def author_countries(posts: pd.DataFrame, *, skip_text: bool = False) -> pd.Series:
    """Each author's most frequent known country over their posts (``skip_text``: leave out
    countries found in the text, which may name a destination rather than where they are)."""
    known = posts[posts["country"].ne(UNKNOWN) & posts["author"].notna()]
    if skip_text:
        known = known[known["country_from"].ne("text")]
    if known.empty:
        return pd.Series(dtype=object)
    counts = known.groupby(["author", "country"]).size().rename("n").reset_index()
    counts = counts.sort_values(["author", "n", "country"], ascending=[True, False, True])
    return counts.drop_duplicates("author").set_index("author")["country"]


def sellers(posts: pd.DataFrame) -> set[str]:
    """Authors who offer: an ``offer`` post by the heads stage; without heads, the authors
    others reply to."""
    offers = posts[posts["intent"].eq("offer") & posts["author"].notna()]
    if len(offers):
        return set(offers["author"])
    return set(posts["reply_to"].dropna())


def kept_and_located(study) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kept posts (the report's) and their locations, for exports that run without a
    report."""
    from wildsift.analysis.data import load_report_data
    from wildsift.analysis.places.located import post_locations

    kept = load_report_data(study).kept
    return kept, post_locations(study.store, kept)
