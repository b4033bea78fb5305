"""The task-heads stage: trade intent, captive-bred / legal-origin claims and scam cues.

Adds, for every post it scores:

- ``intent``: offer | wanted | news_awareness | other, and ``intent_method``;
- ``captive_bred`` (0-1): the post claims a captive-bred, farmed or legal origin ("CITES
  certificate", "with papers"); ``origin_claims`` names the kinds found; ``captive_bred_method``;
- ``scam`` (0-1) and ``scam_cues`` (comma-joined: advance_payment_only, too_good_price,
  reused_image); ``scam_method``.

Each head is a trained model (:mod:`wildsift.sift.models.head_model`, saved under
``models/heads/<head>/``) once ``wildsift train`` found enough labels of its field (``intent``,
``captive_bred``, ``scam``), else the documented rules of :mod:`.intent`, :mod:`.origin` and
:mod:`.scam`; the ``*_method`` field says which ("model:<version>" or "rules"). Cue names come
from the rules in both cases, so a reader always sees why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wildsift.sift.models.artifact import load_model
from wildsift.sift.models.head_model import frame_of, rule_matrix
from wildsift.sift.rules import intent, origin, scam
from wildsift.sift.rules.phrasebook import default_phrasebook

HEADS = ("intent", "captive_bred", "scam")
HEADS_DIR = "heads"  # models/heads/<head>/<version>/, beside models/text-relevance/
RULES = "rules"


def heads_models_dir(models_dir: Path) -> Path:
    return Path(models_dir) / HEADS_DIR


def taxon_groups() -> dict[str, str]:
    from wildsift.lexicon import Lexicon

    return {key: taxon.group for key, taxon in Lexicon.default().taxa.items()}


class TaskHeadsStage:
    """Intent, origin-claim and scam heads over a batch (see the module docstring)."""

    name = "heads"
    reads = ("pk", "text", "lexicon_matches")
    adds = ("intent", "intent_method", "captive_bred", "captive_bred_method", "origin_claims",
            "scam", "scam_cues", "scam_method")
    stores = adds

    def __init__(self, models: Mapping[str, tuple[Any, str]] | None = None,
                 reused_pks: Collection[int] = (), group_of: Mapping[str, str] | None = None):
        self.models = dict(models or {})
        self.reused_pks = frozenset(int(pk) for pk in reused_pks)
        self.group_of = dict(group_of) if group_of is not None else None

    @classmethod
    def for_models_dir(cls, models_dir: Path, reused_pks: Collection[int] = ()
                       ) -> TaskHeadsStage:
        """The latest trained model of each head in ``models_dir/heads``, else its rules.

        ``reused_pks``: posts whose media appear in posts of other authors
        (``Store.media.reused_pks()``), for the reused_image cue.
        """
        models = {}
        for head in HEADS:
            loaded = load_model(heads_models_dir(models_dir), name=head)
            if loaded is not None:
                models[head] = (loaded[0], str(loaded[1]["version"]))
        return cls(models, reused_pks)

    @classmethod
    def for_study(cls, study: Any) -> TaskHeadsStage:
        """:meth:`for_models_dir` of the study, with media reuse read from its store now: the
        same file (sha256) or a near-copy (perceptual hash, once the phash stage has run)."""
        from wildsift.sift.vision.image_reuse import reused_image_pks

        return cls.for_models_dir(study.models_dir,
                                  study.store.media.reused_pks() | reused_image_pks(study))

    def method(self, head: str) -> str:
        return f"model:{self.models[head][1]}" if head in self.models else RULES

    @property
    def defaults(self) -> dict[str, str]:
        """Usual values, stored once per version (engine.local.stored_defaults): each head's
        method, and no claim or cue (99.6-99.96% of posts of a 100,000-post corpus)."""
        return {**{f"{head}_method": self.method(head) for head in HEADS},
                "captive_bred": 0.0, "scam": 0.0, "origin_claims": "", "scam_cues": ""}

    @property
    def version(self) -> str:
        """The rules' version, plus a digest of the model versions in use (fits 64 chars)."""
        base = f"heads-{default_phrasebook().version}"
        if not self.models:
            return base
        used = ";".join(f"{head}={self.models[head][1]}" for head in HEADS if head in self.models)
        return f"{base}+{hashlib.sha256(used.encode()).hexdigest()[:12]}"

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        if self.group_of is None:
            self.group_of = taxon_groups()
        texts = ["" if t is None else str(t) for t in batch["text"].tolist()]
        matches = batch["lexicon_matches"] if "lexicon_matches" in batch else [None] * len(batch)
        products = [scam.products_of(m, self.group_of) for m in matches]
        reused = scam.reused_flags(batch["pk"].tolist(), self.reused_pks)
        matrix = rule_matrix(texts, products, reused)
        X = frame_of(texts, matrix) if self.models else None  # the models' input
        ends = np.cumsum([len(intent.FEATURE_NAMES), len(origin.FEATURE_NAMES)])
        intent_matrix, origin_matrix, scam_matrix = np.split(matrix, ends, axis=1)
        out = batch.copy()
        if "intent" in self.models:
            out["intent"] = [str(v) for v in self.models["intent"][0].predict(X)]
        else:
            out["intent"] = intent.intents_from_features(intent_matrix)
        out["captive_bred"] = self._binary("captive_bred", X, origin.origin_scores(origin_matrix))
        out["origin_claims"] = origin.claim_names(origin_matrix)
        out["scam"] = self._binary("scam", X, scam.scam_scores(scam_matrix))
        out["scam_cues"] = scam.cue_names(scam_matrix)
        for head in HEADS:
            out[f"{head}_method"] = self.method(head)
        return out

    def _binary(self, head: str, X: pd.DataFrame | None, rules: np.ndarray) -> np.ndarray:
        if head in self.models:
            return np.asarray(self.models[head][0].positive_proba(X), dtype=np.float64)
        return np.asarray(rules, dtype=np.float64)


def score_heads(study: Any, stage: TaskHeadsStage | None = None, *, lexicon: Any | None = None,
                batch_size: int | None = None, progress: bool = False,
                workers: int | None = None) -> int:
    """Score the posts ``stage`` (default: the study's) has not scored at its version; returns
    how many. Run after the relevance pass: when only a head's model changed, the relevance
    stage selects no post, and this pass rescores them (nothing to do costs one query)."""
    from wildsift.engine.local import run_local
    from wildsift.sift.stages.lexicon_match import LexiconStage

    stage = stage if stage is not None else TaskHeadsStage.for_study(study)
    counts = run_local(study.store, [LexiconStage(lexicon), stage], select_by=stage,
                       batch_size=batch_size or study.settings.sift.batch_size,
                       progress=progress, workers=workers)
    return counts.posts
