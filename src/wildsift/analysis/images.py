"""The study's images in numbers: stored, hashed, read (OCR), faces, image-model scores, frames.

Every figure is a count over the ``images``, ``post_images`` and ``image_scores`` tables (and the
latest post scores), so it can be recomputed from the store. Nothing here returns pixels: the
report stays text-only (a picture may show a face; see ``privacy/faces.py``). OCR snippets are
the stored OCR text, which the OCR stage redacted before storing it (phone numbers, handles ...
are tokens), cut short.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wildsift.study import Study

UNREADABLE_FACES = -1  # images.faces of a stored file the faces stage could not open
RELEVANCE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0000001)
_LABEL = re.compile(r"\s*(.+?)\s+([01](?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class ImagesOverview:
    """Headline counts of the report's "Images" section."""

    images: int  # distinct stored images (photos and video frames), by sha256
    posts_with_images: int
    hashed: int  # phash stage done
    ocr_read: int  # OCR stage done without error
    ocr_errors: int
    ocr_with_text: int
    ocr_engines: list[str]
    faces_checked: int  # faces stage done (readable files)
    with_faces: int  # images where the detector found at least one face
    faces: int  # faces found in all
    scored: int  # images with an image-model score (image_relevance)
    image_methods: list[str]  # image_method values: probe:<v>, imagenet-rule, zeroshot-rule-..
    frames: int  # video key frames linked to posts
    videos: int  # videos (post, position) with frames


def images_overview(study: Study) -> ImagesOverview:
    store = study.store
    images = store.images.frame(("sha256", "phash", "ocr_text", "ocr_engine", "faces"))
    links = store.images.post_links()
    engines = images["ocr_engine"].dropna().astype(str)
    errors = engines.str.contains(" error: ", regex=False)
    faces = pd.to_numeric(images["faces"], errors="coerce")
    checked = faces[faces.notna() & (faces != UNREADABLE_FACES)]
    scores = store.images.scores_frame(("image_relevance", "image_method"))
    scored = (pd.to_numeric(scores["image_relevance"], errors="coerce").notna().sum()
              if "image_relevance" in scores else 0)
    methods = (sorted(scores["image_method"].dropna().astype(str).unique())
               if "image_method" in scores else [])
    frames = links[links["frame"] > 0]
    return ImagesOverview(
        images=len(images), posts_with_images=int(links["post_pk"].nunique()),
        hashed=int(images["phash"].notna().sum()),
        ocr_read=int((~errors).sum()), ocr_errors=int(errors.sum()),
        ocr_with_text=int(images.loc[images["ocr_engine"].notna(), "ocr_text"]
                          .fillna("").astype(str).str.strip().ne("").sum()),
        ocr_engines=sorted(set(engines[~errors])),
        faces_checked=len(checked), with_faces=int((checked > 0).sum()),
        faces=int(checked.sum()), scored=int(scored), image_methods=methods,
        frames=len(frames),
        videos=len(frames[["post_pk", "position"]].drop_duplicates()))


def ocr_snippets(study: Study, post_pks: Iterable[int], *, limit: int = 5,
                 chars: int = 160) -> pd.DataFrame:
    """A few posts among ``post_pks`` (e.g. the relevant ones) whose images have OCR text:
    post_pk, sha256, text (redacted when stored, cut to ``chars``); distinct texts only."""
    columns = ["post_pk", "sha256", "text"]
    pks = {int(pk) for pk in post_pks}
    if not pks:
        return pd.DataFrame(columns=columns)
    images = study.store.images.frame(("sha256", "ocr_text"))
    images = images[images["ocr_text"].fillna("").astype(str).str.strip() != ""]
    if images.empty:
        return pd.DataFrame(columns=columns)
    links = study.store.images.post_links()
    links = links[links["post_pk"].isin(pks)].merge(images, on="sha256")
    links = links.drop_duplicates("ocr_text").head(limit)
    text = links["ocr_text"].astype(str).str.split().str.join(" ")
    cut = text.where(text.str.len() <= chars, text.str[:chars] + " …")
    return pd.DataFrame({"post_pk": links["post_pk"].astype(int), "sha256": links["sha256"],
                         "text": cut})[columns].reset_index(drop=True)


@dataclass
class ImageScores:
    """The image model's scores: over all scored images, and the labels of relevant posts."""

    histogram: list[dict] = field(default_factory=list)  # bin, images
    top_labels: list[dict] = field(default_factory=list)  # label, images (relevant posts)
    products: list[dict] = field(default_factory=list)  # product, images (relevant posts)
    relevant_images: int = 0  # scored images shown in relevant posts


def image_scores_summary(study: Study, post_pks: Iterable[int], *, top: int = 10
                         ) -> ImageScores:
    """Distribution of ``image_relevance`` over every scored image; the ImageNet (or prompt)
    labels most often first in ``imagenet_top`` and the ``image_product`` values of the images
    shown in ``post_pks``."""
    scores = study.store.images.scores_frame(("image_relevance", "imagenet_top",
                                             "image_product"))
    out = ImageScores()
    if scores.empty or "image_relevance" not in scores:
        return out
    values = pd.to_numeric(scores["image_relevance"], errors="coerce").dropna().to_numpy()
    counts, _ = np.histogram(np.clip(values, 0, 1), bins=RELEVANCE_BINS)
    out.histogram = [{"bin": f"{lo:.1f}–{min(hi, 1.0):.1f}", "images": int(n)}
                     for lo, hi, n in zip(RELEVANCE_BINS, RELEVANCE_BINS[1:], counts)]
    links = study.store.images.post_links()
    shown = set(links.loc[links["post_pk"].isin({int(pk) for pk in post_pks}), "sha256"])
    mine = scores[scores["sha256"].isin(shown)]
    out.relevant_images = len(mine)
    if "imagenet_top" in mine:
        labels = Counter(_first_label(text) for text in mine["imagenet_top"].dropna())
        labels.pop(None, None)
        out.top_labels = [{"label": k, "images": v} for k, v in labels.most_common(top)]
    if "image_product" in mine:
        products = mine["image_product"].dropna().astype(str)
        out.products = [{"product": k, "images": int(v)}
                        for k, v in products[products != ""].value_counts().items()]
    return out


def _first_label(text: object) -> str | None:
    """The most likely class of an ``imagenet_top`` value ("tusker 0.61, ...")."""
    first = str(text).split(", ")[0]
    match = _LABEL.match(first)
    return match.group(1) if match else (first.strip() or None)


@dataclass(frozen=True)
class FusionCounts:
    """Text-only decisions against the final ones (``relevant``, after fusion:
    ``sift/stages/fusion.py``), per post."""

    fused: int  # posts with a text and a final decision, once fusion has run
    with_images: int  # of which posts with images
    text_relevant: int  # relevant by the text model (among fused posts)
    fused_relevant: int  # relevant by the final decision (``relevant``)
    added: int  # relevant only once images counted
    removed: int  # relevant by text, not after fusion (a trained fusion model can veto)
    methods: list[str]  # how image evidence decided ("fusion:<version>")


def fusion_counts(study: Study) -> FusionCounts | None:
    """None when fusion has not run on this study.

    The text decision is ``text_relevant`` and the final one ``relevant``; a study fused before
    they were merged has the text decision as ``relevant`` and the final one as
    ``fused_relevant`` (``fusion_method``) until ``wildsift sift`` re-fuses it."""
    store = study.store
    if not any(stage == "fusion" for stage, _ in store.scores.versions()):
        return None
    scores = store.scores.latest(["relevant", "relevance_method", "text_relevant",
                                  "fused_relevant", "fusion_method"])

    def column(name: str) -> pd.Series:
        return scores[name] if name in scores else pd.Series(None, index=scores.index,
                                                             dtype=object)

    current = column("text_relevant").notna()
    legacy = ~current & column("fused_relevant").notna()
    scores = scores[current | legacy]
    current, legacy = current[scores.index], legacy[scores.index]

    def flag(values: pd.Series) -> pd.Series:
        return pd.to_numeric(values, errors="coerce").fillna(0) > 0

    text = flag(column("text_relevant").where(current, column("relevant")))
    final = flag(column("relevant").where(current, column("fused_relevant")))
    method = column("relevance_method").where(current, column("fusion_method")).astype(str)
    linked = set(store.images.post_links()["post_pk"].astype(int).tolist())
    images = scores["post_pk"].astype(int).isin(linked)
    by_fusion = method.str.startswith("fusion:") | (legacy & (method != "text"))
    return FusionCounts(
        fused=len(scores), with_images=int(images.sum()),
        text_relevant=int(text.sum()), fused_relevant=int(final.sum()),
        added=int((final & ~text).sum()), removed=int((text & ~final).sum()),
        methods=sorted(set(method[by_fusion])))
