"""Erasing posts that were deleted at the source, with an audit trail that holds nothing personal.

Platforms publish deletions (Bluesky Jetstream delete
events, X compliance jobs, Reddit): what their users deleted must leave the study too. A post's
scores, lexicon matches, labels and image links go with it: every table with a foreign key to
``posts.pk`` is cleared explicitly (then the post), so erasure does not depend on ``ON DELETE
CASCADE`` being enforced (SQLite enforces it only with ``PRAGMA foreign_keys=ON``, which the
store sets too). Images (content-addressed, shared between posts) go when no remaining post
shows them: their row, OCR text and image scores, in the same transaction, so an erasure is
complete or absent. The files under ``media/`` and the recorded exports are the caller's (they
are not in the database): :meth:`Media.referenced <wildsift.store.media_reuse.Media.referenced>` and
:meth:`Posts.present_keys <wildsift.store.posts.Posts.present_keys>` tell it what may stay, and
:meth:`Store.vacuum <wildsift.store.store.Store.vacuum>` removes what deleted rows leave in the
files.

Each erased post leaves one row in ``erasures``: the platform, a hash of the stored post id,
the reason and the time. With a key (``wildsift comply`` passes one derived from the study
secret) the hash is an HMAC: even when the study keeps source ids, the audit row cannot be
matched against candidate ids by someone without the secret. Without a key it is a SHA-256
(what stores written before the key kept). Either way the audit row lets the study's owner
check that a given post was erased, and nothing more.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Text, cast, delete, or_, select

from wildsift.store import schema
from wildsift.store.media_reuse import media_keys
from wildsift.store.repository import Repository
from wildsift.store.rows import frame_of as _frame
from wildsift.store.rows import now as _now

_CHUNK = 500  # ids per statement: well under SQLite's 32,766 bound parameters

# What an erasure may touch; VACUUM FULL on PostgreSQL rewrites exactly these.
ERASURE_TABLES = ("posts", "scores", "matches", "labels", "post_images", "images",
                  "image_scores", "erasures")


def erasure_hash(platform: str, post_id: str, key: bytes | None = None) -> str:
    """What the audit trail keeps of an erased post: a (keyed) hash of its stored id."""
    message = f"wildsift-erasure:{platform}:{post_id}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _children() -> list:
    """Tables that reference posts (scores, matches, labels, image links, any later one)."""
    return [table for table in schema.metadata.sorted_tables
            if any(fk.column is schema.posts.c.pk for fk in table.foreign_keys)]


class Erasures(Repository):
    """Erase posts by their stored id, and the audit trail of what was erased."""

    def erase(self, platform: str, post_ids: Sequence[str], reason: str, *,
                    key: bytes | None = None, unshown: set[str] | None = None) -> int:
        """Delete the posts of ``platform`` with these stored ids (and all that hangs on them,
        images no other post shows included), in one transaction; returns how many were found
        and erased. Ids not in the store are ignored. ``key``: see :func:`erasure_hash`;
        ``unshown``, when given, receives the sha256 of the images no post shows any more
        (their files under ``media/`` are the caller's to delete)."""
        ids = list(dict.fromkeys(str(i) for i in post_ids if i))
        if not ids:
            return 0
        p = schema.posts.c
        children = _children()
        erased = 0
        with self.engine.begin() as conn:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                found = conn.execute(select(p.pk, p.post_id, p.media).where(
                    p.platform == platform, p.post_id.in_(chunk))).all()
                if not found:
                    continue
                pks = [row[0] for row in found]
                images = {k.split(":", 1)[1] for row in found for k in media_keys(row[2])
                          if k.startswith("sha256:")}
                pi = schema.post_images.c
                images |= {row[0] for row in conn.execute(
                    select(pi.sha256).where(pi.post_pk.in_(pks)).distinct())}
                for table in children:
                    for fk in table.foreign_keys:
                        if fk.column is schema.posts.c.pk:
                            conn.execute(delete(table).where(fk.parent.in_(pks)))
                conn.execute(delete(schema.posts).where(p.pk.in_(pks)))
                dropped = _drop_unshown_images(conn, sorted(images))
                if unshown is not None:
                    unshown.update(dropped)
                now = _now()
                conn.execute(schema.erasures.insert(), [
                    {"platform": platform, "post_hash": erasure_hash(platform, row[1], key),
                     "reason": reason[:256], "erased_at": now} for row in found])
                erased += len(found)
        return erased

    def frame(self) -> pd.DataFrame:
        """The audit trail: platform, post_hash, reason, erased_at (oldest first)."""
        e = schema.erasures.c
        columns = ["platform", "post_hash", "reason", "erased_at"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*[e[c] for c in columns]).order_by(e.id)).all()
        return _frame(rows, columns)


def _drop_unshown_images(conn, sha256s: list[str]) -> list[str]:
    """Delete the image rows (OCR text, hashes) and image scores of these images when no
    remaining post shows them (no link, no media entry naming them)."""
    p, pi, im, isc = (schema.posts.c, schema.post_images.c, schema.images.c,
                      schema.image_scores.c)
    dropped: list[str] = []
    for start in range(0, len(sha256s), _CHUNK):
        chunk = sha256s[start:start + _CHUNK]
        linked = {r[0] for r in conn.execute(
            select(pi.sha256).where(pi.sha256.in_(chunk)).distinct())}
        candidates = [sha for sha in chunk if sha not in linked]
        named: set[str] = set()
        if candidates:  # one scan for the chunk: media lists that name any candidate
            media = cast(p.media, Text)
            for (listed,) in conn.execute(select(media).where(
                    or_(*[media.contains(sha) for sha in candidates]))):
                named.update(sha for sha in candidates if sha in (listed or ""))
        unshown = [sha for sha in candidates if sha not in named]
        if unshown:
            conn.execute(delete(schema.image_scores).where(isc.sha256.in_(unshown)))
            conn.execute(delete(schema.images).where(im.sha256.in_(unshown)))
            dropped += unshown
    return dropped
