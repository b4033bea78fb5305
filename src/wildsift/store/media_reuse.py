"""Media seen in posts of different authors: the "reused image" scam cue.

A seller who posts someone else's photographs (stolen from another ad, a news story or a zoo) is a
classic sign of a non-delivery scam. Media are content-addressed at ingest (``sha256`` of the file,
a perceptual hash ``phash``), so the same picture posted by two authors has the same key. Posts are
read in keyset batches, so memory grows with the number of media, not of posts.

Only content hashes count: a shared URL says nothing about the picture, and equal perceptual
hashes are exact matches here (near-duplicate search by Hamming distance belongs to the image
stage). Posts without an author pseudonym cannot show reuse *across* authors and are skipped.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from sqlalchemy import Text, cast, select

from wildsift.store import schema
from wildsift.store.repository import Repository


def media_keys(media: object) -> list[str]:
    """The content keys of a post's stored media: 'sha256:<hex>', else 'phash:<hex>'."""
    keys = []
    for item in media if isinstance(media, list) else []:
        if not isinstance(item, dict):
            continue
        if item.get("sha256"):
            keys.append(f"sha256:{item['sha256']}")
        elif item.get("phash"):
            keys.append(f"phash:{item['phash']}")
    return list(dict.fromkeys(keys))


class Media(Repository):
    """The media posts show: which are shown by several authors, which must stay on disk."""

    def reused(self, min_authors: int = 2, batch_size: int = 20000) -> pd.DataFrame:
        """Posts whose media also appear in posts of other authors.

        Columns: post_pk, media_key, authors (distinct authors who posted that media); one row
        per post and reused key, keys seen with at least ``min_authors`` authors.
        """
        p = schema.posts.c
        authors: dict[str, set[str]] = defaultdict(set)
        posts: dict[str, list[int]] = defaultdict(list)
        last = 0
        while True:
            # posts without media ("[]": most of them) hold no key: not read, not decoded
            query = (select(p.pk, p.author, p.media)
                     .where(p.pk > last, p.author.is_not(None), p.media.is_not(None),
                            cast(p.media, Text) != "[]")
                     .order_by(p.pk).limit(batch_size))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                break
            last = int(rows[-1][0])
            for pk, author, media in rows:
                for key in media_keys(media):
                    authors[key].add(author)
                    posts[key].append(int(pk))
        out = [(pk, key, len(authors[key])) for key, pks in posts.items()
               if len(authors[key]) >= min_authors for pk in pks]
        frame = pd.DataFrame(out, columns=["post_pk", "media_key", "authors"])
        return frame.sort_values(["post_pk", "media_key"]).reset_index(drop=True)

    def reused_pks(self, min_authors: int = 2) -> set[int]:
        """The pks of posts with at least one media seen in posts of ``min_authors`` authors."""
        return set(self.reused(min_authors)["post_pk"].astype(int).tolist())

    def referenced(self, batch_size: int = 20000) -> set[str]:
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
