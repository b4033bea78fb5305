"""Erasing posts that were deleted at the source, with an audit trail that holds nothing personal.

A mixin of :class:`wildsift.store.Store`. Platforms publish deletions (Bluesky Jetstream delete
events, X compliance jobs, Reddit): what their users deleted must leave the study too. A post's
scores, lexicon matches, labels and image links go with it: every table with a foreign key to
``posts.pk`` is cleared explicitly (then the post), so erasure does not depend on ``ON DELETE
CASCADE`` being enforced (SQLite enforces it only with ``PRAGMA foreign_keys=ON``, which the
store sets too). Images (content-addressed, shared between posts) go when no remaining post
shows them: their row, OCR text and image scores, in the same transaction, so an erasure is
complete or absent. The files under ``media/`` and the recorded exports are the caller's (they
are not in the database): :meth:`Erasure.referenced_media` and :meth:`Erasure.present_post_keys`
tell it what may stay, and :meth:`Erasure.vacuum` removes what deleted rows leave in the files.

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
from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy import Engine, Text, cast, delete, or_, select, text

from wildsift.store import schema
from wildsift.store.media_reuse import media_keys
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


class Erasure:
    """Erase posts by their stored id; mixed into Store."""

    engine: Engine

    def erase_posts(self, platform: str, post_ids: Sequence[str], reason: str, *,
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

    def erasures_frame(self) -> pd.DataFrame:
        """The audit trail: platform, post_hash, reason, erased_at (oldest first)."""
        e = schema.erasures.c
        columns = ["platform", "post_hash", "reason", "erased_at"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*[e[c] for c in columns]).order_by(e.id)).all()
        return _frame(rows, columns)

    def referenced_media(self, batch_size: int = 20000) -> set[str]:
        """The sha256 of every image a stored post shows (its media list or an image link):
        the media files that must stay. Memory grows with the number of images, not posts."""
        p, pi, im = schema.posts.c, schema.post_images.c, schema.images.c
        found: set[str] = set()
        with self.engine.connect() as conn:
            found.update(row[0] for row in conn.execute(select(pi.sha256).distinct()))
            found.update(row[0] for row in conn.execute(select(im.sha256)))
        last = 0
        while True:
            query = (select(p.pk, p.media).where(p.pk > last, p.media.is_not(None),
                                                 cast(p.media, Text) != "[]")
                     .order_by(p.pk).limit(batch_size))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return found
            last = int(rows[-1][0])
            found.update(k.split(":", 1)[1] for _pk, media in rows for k in media_keys(media)
                         if k.startswith("sha256:"))

    def present_post_keys(self, keys: Iterable[tuple[str | None, str]]) -> set[tuple]:
        """Which of these (platform, post_id) keys are stored; a key whose platform is None
        (a label file names none) is present when any platform has that post id."""
        wanted = list(dict.fromkeys((pl, str(pid)) for pl, pid in keys))
        p = schema.posts.c
        present: set[tuple] = set()
        ids = sorted({pid for _pl, pid in wanted})
        stored: set[tuple[str, str]] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), _CHUNK):
                stored.update((r[0], r[1]) for r in conn.execute(select(p.platform, p.post_id)
                              .where(p.post_id.in_(ids[start:start + _CHUNK]))))
        any_platform = {pid for _pl, pid in stored}
        for platform, pid in wanted:
            if (platform, pid) in stored or (platform is None and pid in any_platform):
                present.add((platform, pid))
        return present

    def vacuum(self) -> None:
        """Remove what deleted rows leave in the database files.

        SQLite: checkpoint the WAL into the database, VACUUM (rebuilds the file from live rows
        only: no free page keeps old content), and checkpoint again with TRUNCATE (VACUUM goes
        through the WAL), so the ``-wal`` file is empty. PostgreSQL: VACUUM FULL of the tables an
        erasure touches (rewritten without dead tuples); the server's WAL segments and any
        archive or replica still hold the old rows until they are recycled (docs/privacy.md).
        """
        from wildsift.store.faults import translated

        if self.engine.dialect.name == "sqlite":
            with translated(self.engine), self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                raw.commit()  # no transaction open: VACUUM cannot run inside one
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.execute("VACUUM")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM FULL " + ", ".join(ERASURE_TABLES)))


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
