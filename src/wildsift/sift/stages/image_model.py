"""The "image-model" image stage: relevance and product of each picture, with their evidence.

Scores per image (``image_scores``; run with
:func:`wildsift.engine.local.run_images`):

- ``image_relevance`` 0-1: the study's probe (sift/models/image_probe.py) when one was trained on
  this image model's embeddings, else the rule below;
- ``image_method``: ``probe:<version>`` or ``imagenet-rule`` (or ``zeroshot-rule``);
- ``imagenet_top``: the three most likely classes with their probabilities, for people;
- ``image_product``: horn | ivory_carving | scales | skin | live_animal | other, or empty.

The rule before labels (weak, and said so in the report): the probability the model gives to
ImageNet classes of traded live animals (:data:`WILDLIFE_CLASSES`: elephants and the tusker,
armadillo as the nearest look-alike of a pangolin, big cats, bears, great apes, monkeys,
parrots, hornbill, tortoises, crocodiles, lizards, pythons ...), summed. ImageNet-1k has no
pangolin, rhinoceros, ivory, horn, scale or skin class: the rule cannot see a carved bangle or a
pile of scales at all, and product is only ever ``live_animal``. Label images and train the
probe; with the zero-shot backend the prompts from the lexicon name the products directly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wildsift.sift.models.image_probe import load_image_probe
from wildsift.sift.vision.image_embeddings import EmbeddingCache
from wildsift.sift.vision.image_model import imagenet_classes, top_labels

# ImageNet-1k classes (names as in sift/vision/data/imagenet_classes.tsv) of animals traded
# alive or for parts. Tested to exist, so a typo fails the tests instead of silently weakening
# the rule.
WILDLIFE_CLASSES = (
    "tusker", "Indian elephant", "African elephant", "armadillo",
    "leopard", "snow leopard", "jaguar", "lion", "tiger", "cheetah", "cougar", "lynx",
    "brown bear", "American black bear", "ice bear", "sloth bear", "giant panda", "lesser panda",
    "orangutan", "gorilla", "chimpanzee", "gibbon", "siamang", "macaque", "langur",
    "proboscis monkey", "marmoset", "capuchin", "spider monkey", "squirrel monkey",
    "Madagascar cat", "indri", "three-toed sloth", "otter",
    "African grey", "macaw", "sulphur-crested cockatoo", "lorikeet", "hornbill", "toucan",
    "peacock", "loggerhead", "leatherback turtle", "mud turtle", "terrapin", "box turtle",
    "banded gecko", "common iguana", "American chameleon", "African chameleon", "Komodo dragon",
    "frilled lizard", "agama", "African crocodile", "American alligator", "boa constrictor",
    "rock python", "Indian cobra", "king snake", "green mamba",
)
IMAGENET_RULE = "imagenet-rule"
SCORES = ("image_relevance", "image_method", "imagenet_top", "image_product")


def imagenet_rule(probabilities: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    """(relevance, product) from ImageNet probabilities; see the module docstring."""
    names = imagenet_classes()
    wanted = [names.index(name) for name in WILDLIFE_CLASSES]
    relevance = np.clip(probabilities[:, wanted].sum(axis=1), 0.0, 1.0)
    return relevance, ["live_animal" if r >= 0.5 else None for r in relevance]


class ImageModelStage:
    """An image stage (``engine/stage.py``, over pictures) over an image model and its probe."""

    name = "image-model"
    fills: tuple[str, ...] = ()
    scores = SCORES
    todo_column = None  # scores-only: re-run when the model or the probe changes (version)
    over = "images"
    reads = ("sha256", "path")
    adds = SCORES
    uses_gpu = True  # on Ray, an actor asks for a GPU when the cluster has one

    def __init__(self, model, models_dir, *, probe=None, probe_version: str | None = None):
        """``probe``: a trained ImageProbe (default: the study's latest for this model, if
        any). Embeddings are cached under ``models_dir``/cache/image-embeddings/."""
        self.model = model
        self.cache = EmbeddingCache.for_model(models_dir, model)
        if probe is None:
            loaded = load_image_probe(models_dir, model.version)
            if loaded is not None:
                probe, card = loaded
                probe_version = card["version"]
        self.probe = probe
        self.method = f"probe:{probe_version or 'unversioned'}" if probe is not None else (
            getattr(model, "rule_name", IMAGENET_RULE))
        self.version = f"{model.version}+{self.method}"

    def __getstate__(self) -> dict:
        """What a Ray actor gets: the model and probe, not the embedding cache, a file of this
        machine that actors on other nodes cannot share and that two writers would corrupt;
        an actor embeds its pictures itself (a new probe version re-embeds them there)."""
        return {**self.__dict__, "cache": None}

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        keys = batch["sha256"].tolist()
        paths = batch["path"].tolist()
        embeddings = (self.model.embed(paths) if self.cache is None
                      else self.cache.embed(keys, paths, self.model.embed))
        probabilities = self.model.classify_embeddings(embeddings)
        names = getattr(self.model, "class_names", None) or imagenet_classes()  # test doubles
        top = [", ".join(f"{name} {p:.2f}" for name, p in row)
               for row in top_labels(probabilities, names, 3)]
        if self.probe is not None:
            relevance = self.probe.predict_relevance(embeddings)
            product = self.probe.predict_product(embeddings)
            product = [p if r >= 0.5 else None for p, r in zip(product, relevance)]
        elif hasattr(self.model, "rule"):
            relevance, product = self.model.rule(probabilities)
        else:
            relevance, product = imagenet_rule(probabilities)
        return pd.DataFrame({"sha256": keys, "image_relevance": np.asarray(relevance, float),
                             "image_method": self.method, "imagenet_top": top,
                             "image_product": pd.Series(product, dtype=object)})
