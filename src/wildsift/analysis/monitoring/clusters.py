"""New seller clusters: a contact token (``<PHONE:ab12cd>``, e-mail, messenger id...) that a
second author starts to use.

Privacy keeps contacts out of the store, but the typed tokens of redaction are keyed hashes: two
posts with one token carry one number, whoever wrote them. When a token first appears under two
or more authors, accounts have started to share a contact, which is how a new seller ring or a
seller's new accounts show up. Only tokens and post ids leave this module, never an author.
"""

from __future__ import annotations

import re

import pandas as pd

TOKEN_RE = re.compile(r"<(PHONE|EMAIL|HANDLE|URL|MESSENGER):([0-9a-f]{6})>")  # privacy/redact.py


def token_uses(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per (post, contact token): post_id, author, created_at, token."""
    rows = []
    for post_id, author, created, text in zip(posts["post_id"], posts["author"],
                                              posts["created_at"], posts["text"], strict=True):
        if not isinstance(text, str) or "<" not in text or not author:
            continue
        for kind, digest in set(TOKEN_RE.findall(text)):
            rows.append((post_id, author, created, f"<{kind}:{digest}>"))
    return pd.DataFrame(rows, columns=["post_id", "author", "created_at", "token"])


def new_shared_tokens(uses: pd.DataFrame, since: pd.Timestamp | None = None,
                      min_authors: int = 2) -> pd.DataFrame:
    """Tokens that reached ``min_authors`` distinct authors on or after ``since``: token,
    first_seen, shared_at (when the last needed author first used it), authors, post_ids."""
    columns = ["token", "first_seen", "shared_at", "authors", "post_ids"]
    if uses.empty:
        return pd.DataFrame(columns=columns)
    uses = uses.dropna(subset=["created_at"]).sort_values("created_at")
    rows = []
    for token, group in uses.groupby("token", sort=False):
        firsts = group.drop_duplicates("author")
        if len(firsts) < min_authors:
            continue
        shared_at = firsts["created_at"].iloc[min_authors - 1]
        if since is not None and shared_at < since:
            continue
        rows.append({"token": token, "first_seen": group["created_at"].iloc[0],
                     "shared_at": shared_at, "authors": len(firsts),
                     "post_ids": list(dict.fromkeys(group["post_id"]))})
    return pd.DataFrame(rows, columns=columns).sort_values("shared_at", ignore_index=True)
