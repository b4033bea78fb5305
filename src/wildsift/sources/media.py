"""Attach downloaded images to protected posts, for sources with ``download_media = true``.

Runs after privacy and before the page is committed, so a stored post already names the sha256
of its cleaned image. An image that cannot or must not be fetched is set aside as a quarantine
entry naming the post and the reason; the post itself is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from wildsift.errors import RecordError
from wildsift.privacy.media import MediaStore
from wildsift.records import Post, Quarantined
from wildsift.sources.download import MediaDownloader


def attach_media(posts: Sequence[Post], downloader: MediaDownloader, store: MediaStore, *,
                 source: str) -> list[Quarantined]:
    """Download each post's images (and video thumbnails) in place; returns what was refused."""
    refused: list[Quarantined] = []
    for post in posts:
        for index, media in enumerate(post.media):
            try:
                downloader.save(media, store)
            except RecordError as exc:
                refused.append(Quarantined(source=source,
                                           location=f"{post.platform}:{post.post_id} media "
                                                    f"#{index}",
                                           reason=exc.reason, field="media"))
    return refused
