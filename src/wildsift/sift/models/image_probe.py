"""A linear probe on image embeddings, trained from the study's image labels.

Labels are post labels (the labels table is per post) with two fields:

- ``image_relevant`` = 0 | 1: does the picture show wildlife or a wildlife product for sale;
- ``image_product`` = horn | ivory_carving | scales | skin | live_animal | other.

A post label applies to every image of the post. When one picture of a post differs, label it
alone with the field suffixed by its position in the post (``image_relevant:2`` = the post's
third picture, as in ``post_images.position``): that label overrides the post-wide one. An
image shown in several posts gets the majority of its labels (ties count as relevant). A video's
key frames share the label of their media item (same position).

The probe is a class-balanced logistic regression on the standardised embedding, calibrated
(sigmoid, cross-validated) when each class has at least 3 labels, plus a multinomial logistic
regression for the product. Before any labels exist, the image stage falls back on a documented
rule over ImageNet classes (:func:`wildsift.sift.stages.image_model.imagenet_rule`); it is weak.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, balanced_accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from wildsift.errors import ModelError
from wildsift.sift.models.artifact import latest_version, load_model, save_model

IMAGE_PROBE = "image-probe"
RELEVANT, PRODUCT = "image_relevant", "image_product"
PRODUCTS = ("horn", "ivory_carving", "scales", "skin", "live_animal", "other")
MIN_PER_CLASS = 2


def image_labels(store) -> pd.DataFrame:
    """One row per labelled image: sha256, image_relevant (0/1 or NaN), image_product."""
    labels = store.labels.frame()
    labels = labels[labels["field"].str.match(rf"^({RELEVANT}|{PRODUCT})(:\d+)?$")]
    columns = ["sha256", RELEVANT, PRODUCT]
    if labels.empty:
        return pd.DataFrame(columns=columns)
    links = store.images.post_links(labels["post_pk"].unique())
    if links.empty:
        return pd.DataFrame(columns=columns)
    parts = labels["field"].str.split(":", n=1, expand=True).reindex(columns=[0, 1])
    labels = labels.assign(kind=parts[0], position=pd.to_numeric(parts[1], errors="coerce"))
    bad = labels[(labels["kind"] == RELEVANT) & ~labels["value"].isin(["0", "1"])]
    if not bad.empty:
        row = bad.iloc[0]
        raise ModelError(f"post {row['post_id']}: label {row['field']}={row['value']!r} is not "
                         "0 or 1; fix it with 'wildsift label' or the labels CSV")
    bad = labels[(labels["kind"] == PRODUCT) & ~labels["value"].isin(PRODUCTS)]
    if not bad.empty:
        row = bad.iloc[0]
        raise ModelError(f"post {row['post_id']}: {row['field']}={row['value']!r} is not one of "
                         f"{', '.join(PRODUCTS)}")
    merged = labels.merge(links[["post_pk", "sha256", "position"]], on="post_pk",
                          suffixes=("", "_image"))
    specific = merged["position"].notna()
    merged = merged[~specific | (merged["position"] == merged["position_image"])]
    # a label for one picture overrides the post-wide label of the same field and annotator
    merged = merged.assign(specific=specific[merged.index])
    merged = (merged.sort_values("specific")
              .drop_duplicates(["post_pk", "sha256", "kind", "annotator"], keep="last"))
    out = {}
    for (key, kind), values in merged.groupby(["sha256", "kind"])["value"]:
        if kind == RELEVANT:
            out.setdefault(key, {})[RELEVANT] = float(values.astype(int).mean() >= 0.5)
        else:
            out.setdefault(key, {})[PRODUCT] = Counter(values).most_common(1)[0][0]
    frame = pd.DataFrame.from_dict(out, orient="index").rename_axis("sha256").reset_index()
    return frame.reindex(columns=columns)


class ImageProbe:
    """Relevance (calibrated, class-balanced) and product heads over image embeddings."""

    def __init__(self, C: float = 1.0, max_iter: int = 2000):
        self.C = C
        self.max_iter = max_iter

    def _linear(self) -> Pipeline:
        return make_pipeline(StandardScaler(), LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=self.max_iter))

    def fit(self, X: np.ndarray, relevant: np.ndarray, product: np.ndarray | None = None
            ) -> ImageProbe:
        X, y = np.asarray(X, np.float32), np.asarray(relevant).astype(int)
        counts = np.bincount(y, minlength=2)
        if counts.min() < MIN_PER_CLASS:
            raise ModelError(f"the image probe needs at least {MIN_PER_CLASS} images labelled "
                             f"image_relevant=1 and {MIN_PER_CLASS} labelled 0 (has "
                             f"{counts[1]} and {counts[0]}); label more images")
        folds = int(min(5, counts.min()))
        self.metrics_ = {}
        if folds >= 3:
            self.relevance_ = CalibratedClassifierCV(self._linear(), method="sigmoid",
                                                     cv=folds).fit(X, y)
            cv = StratifiedKFold(folds, shuffle=True, random_state=0)
            held_out = cross_val_predict(self._linear(), X, y, cv=cv,
                                         method="predict_proba")[:, 1]
            self.metrics_ = {"roc_auc": float(roc_auc_score(y, held_out)),
                             "average_precision": float(average_precision_score(y, held_out)),
                             "balanced_accuracy": float(balanced_accuracy_score(
                                 y, held_out >= 0.5)), "folds": folds}
        else:  # too few labels to calibrate: the balanced regression's own probabilities
            self.relevance_ = self._linear().fit(X, y)
        self.product_ = None
        if product is not None:
            product = np.asarray(product, dtype=object)
            known = np.array([isinstance(p, str) and p in PRODUCTS for p in product])
            classes = set(product[known])
            if len(classes) >= 2:
                self.product_ = self._linear().fit(X[known], product[known].astype(str))
            elif len(classes) == 1:
                self.product_ = classes.pop()  # one product labelled so far: it is the answer
        self.n_features_in_ = X.shape[1]
        return self

    def predict_relevance(self, X: np.ndarray) -> np.ndarray:
        self._check(X)
        return self.relevance_.predict_proba(np.asarray(X, np.float32))[:, 1]

    def predict_product(self, X: np.ndarray) -> list[str | None]:
        self._check(X)
        if self.product_ is None:
            return [None] * len(X)
        if isinstance(self.product_, str):
            return [self.product_] * len(X)
        return [str(p) for p in self.product_.predict(np.asarray(X, np.float32))]

    def _check(self, X: np.ndarray) -> None:
        if not hasattr(self, "relevance_"):
            raise ModelError("the image probe is not trained; run 'wildsift train' with image "
                             "labels first")
        if np.asarray(X).shape[1] != self.n_features_in_:
            raise ModelError(f"the image probe was trained on {self.n_features_in_}-d "
                             f"embeddings, these are {np.asarray(X).shape[1]}-d: retrain it "
                             "with the image model in use")


def train_image_probe(study, model, cache=None) -> dict:
    """Fit the probe on the study's image labels and save it under models/image-probe/;
    returns the model card. Embeddings come from the cache (computed with ``model`` from the
    cleaned files under media/ when missing)."""
    from wildsift.privacy.media import MediaStore
    from wildsift.sift.vision.image_embeddings import EmbeddingCache

    store, models_dir = study.store, study.models_dir
    cache = cache or EmbeddingCache.for_model(models_dir, model)
    labels = image_labels(store)
    labels = labels[labels[RELEVANT].notna()]
    media = MediaStore(study.media_dir)
    paths = [media.find(key) for key in labels["sha256"]]
    have = [path is not None for path in paths]
    labels, paths = labels[have], [path for path in paths if path is not None]
    if labels.empty:
        raise ModelError("no labelled image is on disk: label posts with image_relevant=0/1 "
                         "after their media were downloaded")
    X = cache.embed(labels["sha256"].tolist(), paths, model.embed)
    probe = ImageProbe().fit(X, labels[RELEVANT].to_numpy(), labels[PRODUCT].to_numpy())
    balance = {str(k): int(v) for k, v in labels[RELEVANT].astype(int).value_counts().items()}
    card = {"data_size": len(labels), "class_balance": balance, "metrics": probe.metrics_,
            "embedding_model": model.version, "embed_dim": int(X.shape[1]),
            "products": {str(k): int(v) for k, v in labels[PRODUCT].value_counts().items()},
            "features": [f"{model.version} embedding ({X.shape[1]}-d), standardised"],
            "params": {"C": probe.C, "class_weight": "balanced",
                       "calibration": "sigmoid" if probe.metrics_ else "none (too few labels)"}}
    return save_model(probe, models_dir, card, name=IMAGE_PROBE)


def load_image_probe(models_dir, model_version: str | None = None
                     ) -> tuple[ImageProbe, dict] | None:
    """(probe, card) of the latest probe, or None before one was trained. A probe trained on
    another image model's embeddings is refused (retrain it)."""
    if latest_version(models_dir, IMAGE_PROBE) is None:
        return None
    loaded = load_model(models_dir, name=IMAGE_PROBE)
    if loaded is None:
        return None
    probe, card = loaded
    if model_version is not None and card.get("embedding_model") != model_version:
        raise ModelError(f"the image probe {card['version']} was trained on embeddings of "
                         f"{card.get('embedding_model')}, the image model now is {model_version}:"
                         " retrain it ('wildsift train')")
    return probe, card
