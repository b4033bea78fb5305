"""The languages of the posts that show each picture: a read the store serves to image stages.

OCR reads a picture in the languages of the posts showing it (``zh-Hans`` -> chi_sim + eng)
rather than all of the study's: fewer packs read faster and mistake less. The engine adds this
as the ``languages`` column of an image batch for a stage that declares it among its reads
(``engine.local.image_batches``), so the stage needs no store and runs in any process, a Ray
actor included.
"""

from __future__ import annotations

from collections.abc import Sequence

PICTURE_READS = ("languages",)  # what image stages may read besides sha256 and path


class PictureLanguages:
    """The languages of the posts that show each picture (a reused photo may have several).

    The picture-to-post links are read once (a million fit in memory); each batch then reads
    only its posts' languages."""

    def __init__(self, store):
        self.store = store
        self._posts: dict[str, list[int]] | None = None

    def __call__(self, sha256s: Sequence[str]) -> dict[str, list[str]]:
        if self._posts is None:
            links = self.store.images.post_links()
            self._posts = {}
            for sha, pk in zip(links["sha256"], links["post_pk"]):
                self._posts.setdefault(sha, []).append(int(pk))
        pks = sorted({pk for sha in sha256s for pk in self._posts.get(sha, ())})
        if not pks:
            return {}
        posts = self.store.posts.frame(("pk", "lang"), pks=pks)
        lang = {int(pk): code for pk, code in zip(posts["pk"], posts["lang"])
                if isinstance(code, str) and code}
        out: dict[str, list[str]] = {}
        for sha in sha256s:
            codes = list(dict.fromkeys(lang[pk] for pk in self._posts.get(sha, ()) if pk in lang))
            if codes:
                out[sha] = codes
        return out

    def column(self, sha256s: Sequence[str]) -> list[list[str] | None]:
        """The ``languages`` column of a batch of pictures (None: no post language known)."""
        found = self(sha256s)
        return [found.get(key) or None for key in sha256s]
