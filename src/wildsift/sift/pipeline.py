"""The default sift pipeline of a study: language -> lexicon -> relevance, stored as it goes."""

from __future__ import annotations

from typing import Any

from wildsift.engine.local import run_local
from wildsift.sift.langid import LanguageStage
from wildsift.sift.match import LexiconStage, matches_frame
from wildsift.sift.relevance import RelevanceStage
from wildsift.study import Study


def default_stages(study: Study, lexicon: Any | None = None) -> list:
    """The study's stages, in order; relevance uses the latest trained model, else the rules."""
    return [
        LanguageStage(study.settings.study.languages),
        LexiconStage(lexicon),
        RelevanceStage.for_models_dir(study.models_dir, study.settings.sift.threshold),
    ]


def sift_study(study: Study, *, batch_size: int | None = None, progress: bool = True,
               stages: list | None = None, workers: int | None = None) -> dict[str, Any]:
    """Score the posts the current relevance stage has not scored; returns what was done.

    Re-running scores nothing new unless a new model version exists (then every post is
    rescored by it). ``workers``: scoring processes (default one per CPU, 1 = this process).
    Keys: posts, batches, largest_batch, method, model_version, relevant.
    """
    stages = stages if stages is not None else default_stages(study)
    relevance = stages[-1]
    store = study.store
    relevant = 0

    def store_matches(batch) -> None:
        nonlocal relevant
        if "lexicon_matches" in batch:
            store.replace_matches(matches_frame(batch), pks=batch["pk"])
        if "relevant" in batch:
            relevant += int(batch["relevant"].sum())

    counts = run_local(store, stages, select_by=relevance,
                       batch_size=batch_size or study.settings.sift.batch_size,
                       progress=progress, after_batch=store_matches, workers=workers)
    return {"posts": counts.posts, "batches": counts.batches,
            "largest_batch": counts.largest_batch,
            "method": getattr(relevance, "method", relevance.version),
            "model_version": relevance.version, "relevant": relevant,
            "threshold": float(getattr(relevance, "threshold", 0.5))}
