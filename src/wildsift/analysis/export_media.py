"""The ``media`` entries of exported posts: what an analyst can use, and no path of this machine.

A stored post's media entry keeps the URL it was read from, which for an imported file is the
absolute path on the machine that imported it ("/home/alice/fieldwork/img_0412.jpg"): that names
a person and a folder layout, and means nothing elsewhere. An exported entry keeps a URL only
when it is a web address (``http(s)://``) and otherwise names the image by its content: the
``file`` that ``wildsift export --media`` writes (``<sha256>.<ext>``), its perceptual hash, its
OCR text (redacted at ingest, like post text), its near-duplicate cluster and its image score.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

REMOTE = re.compile(r"^https?://", re.IGNORECASE)
ENTRY_KEYS = ("kind", "url", "thumbnail", "sha256", "file", "phash", "ocr_text", "cluster",
              "image_score")
IMAGE_SCORE = "image_relevance"  # the image model's probability that a picture shows trade
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}  # as privacy.media.MediaStore names files


def web_address(value: Any) -> str | None:
    """``value`` if it is an http(s) URL, else None (a local path, file://, a bare name)."""
    return value if isinstance(value, str) and REMOTE.match(value.strip()) else None


class MediaFacts:
    """What the store knows of each image (by sha256), read once per export."""

    def __init__(self, store, clusters: pd.DataFrame | None = None):
        images = store.images.frame(("sha256", "format", "phash", "ocr_text"))
        self.images = {row.sha256: row for row in images.itertuples(index=False)}
        scores = store.images.scores_frame((IMAGE_SCORE,))
        self.scores: dict[str, float] = {}
        if not scores.empty and IMAGE_SCORE in scores:
            values = pd.to_numeric(scores[IMAGE_SCORE], errors="coerce")
            self.scores = {s: float(v) for s, v in zip(scores["sha256"], values) if pd.notna(v)}
        self.clusters: Mapping[str, int] = {}
        if clusters is not None and len(clusters):
            self.clusters = dict(zip(clusters["sha256"], clusters["cluster"].astype(int)))
        links = store.images.post_links()
        stills = links[links["frame"] == 0] if len(links) else links
        self.linked = {(int(pk), int(pos)): sha for pk, pos, sha in
                       zip(stills.get("post_pk", []), stills.get("position", []),
                           stills.get("sha256", []))}

    def entry(self, post_pk: int, position: int, item: Any) -> dict[str, Any]:
        item = item if isinstance(item, dict) else {}
        sha256 = item.get("sha256") or self.linked.get((post_pk, position))
        image = self.images.get(sha256) if sha256 else None
        fmt = str(getattr(image, "format", None) or "")
        ext = EXTENSIONS.get(fmt.upper(), fmt.lower()) or None
        return {
            "kind": item.get("kind") or "image",
            "url": web_address(item.get("url")),
            "thumbnail": web_address(item.get("thumbnail")),
            "sha256": sha256,
            "file": f"{sha256}.{ext}" if sha256 and ext else None,
            "phash": getattr(image, "phash", None) or item.get("phash"),
            "ocr_text": getattr(image, "ocr_text", None),
            "cluster": self.clusters.get(sha256) if sha256 else None,
            "image_score": self.scores.get(sha256) if sha256 else None,
        }


def export_media_entries(posts: pd.DataFrame, facts: MediaFacts) -> list[list[dict]]:
    """The exported ``media`` list of each post (``posts``: pk and the stored media)."""
    out = []
    for pk, media in zip(posts["pk"], posts["media"]):
        items = media if isinstance(media, list) else []
        out.append([facts.entry(int(pk), i, item) for i, item in enumerate(items)])
    return out
