"""The lexicon terms that matched most often, per language of the term.

Counts are distinct posts (a post that repeats 'ivory' five times counts once), so the numbers
compare with the post totals elsewhere in a report.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["lang", "term", "kind", "posts"]


def top_terms(matches: pd.DataFrame, kept: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Top ``n`` terms per language among the ``kept`` posts; languages with most posts first."""
    if matches.empty or kept.empty:
        return pd.DataFrame(columns=COLUMNS)
    found = matches.loc[matches["post_pk"].isin(kept["pk"]), ["post_pk", "lang", "term", "kind"]]
    found = found.assign(lang=found["lang"].fillna("und"), kind=found["kind"].fillna(""))
    found = found.drop_duplicates(["post_pk", "lang", "term"])
    counts = (found.groupby(["lang", "term"]).agg(posts=("post_pk", "size"),
                                                  kind=("kind", "first"))
              .reset_index())
    lang_total = found.groupby("lang")["post_pk"].nunique()
    counts["lang_total"] = counts["lang"].map(lang_total)
    counts = counts.sort_values(["lang_total", "lang", "posts", "term"],
                                ascending=[False, True, False, True])
    counts = counts.groupby("lang", sort=False).head(n)
    return counts[COLUMNS].reset_index(drop=True)
