"""Erasing posts that were deleted at the source, with an audit trail that holds nothing personal.

A mixin of :class:`wildsift.store.Store`. Platforms publish deletions (Bluesky Jetstream delete
events, X compliance jobs, Reddit): what their users deleted must leave the study too. A post's
scores, lexicon matches and labels go with it: every table with a foreign key to ``posts.pk`` is
cleared explicitly (then the post), so erasure does not depend on ``ON DELETE CASCADE`` being
enforced (SQLite enforces it only with ``PRAGMA foreign_keys=ON``, which the store sets too).

Each erased post leaves one row in ``erasures``: the platform, a SHA-256 of the stored post id,
the reason and the time. The stored id is already a keyed pseudonym unless the study keeps source
ids; either way the audit row lets one check that a given post was erased, and nothing more.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, delete, select

from wildsift.store import schema
from wildsift.store.rows import frame_of as _frame
from wildsift.store.rows import now as _now

_CHUNK = 500  # ids per statement: well under SQLite's 32,766 bound parameters


def erasure_hash(platform: str, post_id: str) -> str:
    """What the audit trail keeps of an erased post: a hash of its stored id."""
    return hashlib.sha256(f"wildsift-erasure:{platform}:{post_id}".encode()).hexdigest()


def _children() -> list:
    """Tables that reference posts (scores, matches, labels, and any later one)."""
    return [table for table in schema.metadata.sorted_tables
            if any(fk.column is schema.posts.c.pk for fk in table.foreign_keys)]


class Erasure:
    """Erase posts by their stored id; mixed into Store."""

    engine: Engine

    def erase_posts(self, platform: str, post_ids: Sequence[str], reason: str) -> int:
        """Delete the posts of ``platform`` with these stored ids (and all that hangs on them);
        returns how many were found and erased. Ids not in the store are ignored."""
        ids = list(dict.fromkeys(str(i) for i in post_ids if i))
        if not ids:
            return 0
        p = schema.posts.c
        children = _children()
        erased = 0
        with self.engine.begin() as conn:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                found = conn.execute(select(p.pk, p.post_id).where(
                    p.platform == platform, p.post_id.in_(chunk))).all()
                if not found:
                    continue
                pks = [row[0] for row in found]
                for table in children:
                    for fk in table.foreign_keys:
                        if fk.column is schema.posts.c.pk:
                            conn.execute(delete(table).where(fk.parent.in_(pks)))
                conn.execute(delete(schema.posts).where(p.pk.in_(pks)))
                now = _now()
                conn.execute(schema.erasures.insert(), [
                    {"platform": platform, "post_hash": erasure_hash(platform, row[1]),
                     "reason": reason[:256], "erased_at": now} for row in found])
                erased += len(found)
        return erased

    def erasures_frame(self) -> pd.DataFrame:
        """The audit trail: platform, post_hash, reason, erased_at (oldest first)."""
        e = schema.erasures.c
        columns = ["platform", "post_hash", "reason", "erased_at"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*[e[c] for c in columns]).order_by(e.id)).all()
        return _frame(rows, columns)
