"""Train the fusion model from the study's ``relevant`` labels of posts with images, and judge
it against the text model alone before it is kept.

:func:`train_fusion` learns :class:`~wildsift.sift.models.fusion.FusionModel` on out-of-fold
text and OCR-text scores, judges it out of fold on all labelled posts
(:func:`wildsift.sift.learn.fusion_judge.judge_fusion`) and saves it as the artifact ``fusion``
with a card that says whether it was kept (``kept``, both sides' figures, ``why``). The fusion
stage (``sift/stages/fusion.py``) loads it; a fusion that was not kept steps aside.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wildsift.errors import ModelError
from wildsift.sift.learn.fusion_judge import judge_fusion
from wildsift.sift.models.artifact import save_model
from wildsift.sift.models.fusion import FusionModel
from wildsift.sift.rules.signals import match_texts
from wildsift.sift.stages.fusion import FUSION_MODEL, FusionStage

MIN_PER_CLASS = 5  # labelled posts with images, of each class, before fusion is trained


def train_fusion(study, *, folds: int = 3, lexicon: Any | None = None) -> dict[str, Any]:
    """Fit :class:`FusionModel` on the labelled posts that have images, judge it against the
    text model alone and save it (artifact ``fusion``); returns the card.

    The text and OCR-text scores it learns from are out-of-fold (``folds``-fold CV of the study's
    default text model on all labelled posts), as are the fusion's own probabilities, so the
    judgement compares out-of-fold scores of the training posts only: fused (posts without
    images keep the text decision, as in the stage) against text-only. The card's ``kept`` says
    which won; when fusion lost, ``for_models_dir`` makes a stage that steps aside."""
    from sklearn.model_selection import StratifiedKFold

    from wildsift.sift.learn.train import training_frame
    from wildsift.sift.models.registry import make_model
    from wildsift.sift.vision.post_images import post_image_features

    X, y = training_frame(study, lexicon)
    features = post_image_features(study, X["pk"].tolist()) if len(y) else None
    with_images = (features["n_images"] > 0).to_numpy() if features is not None else []
    counts = np.bincount(y[with_images], minlength=2) if len(y) else np.zeros(2, dtype=int)
    if counts.min() < MIN_PER_CLASS or np.bincount(y, minlength=2).min() < folds:
        raise ModelError(f"too few labelled posts with images to train fusion: {int(counts[1])} "
                         f"relevant and {int(counts[0])} not; label at least {MIN_PER_CLASS} of "
                         "each (until then sift uses the documented rule)")
    sift = study.settings.sift
    targets = {"target_precision": getattr(sift, "target_precision", None),
               "target_recall": getattr(sift, "target_recall", None)}
    stage = FusionStage(lexicon=lexicon)
    text = np.zeros(len(y))
    ocr_texts = [t if w else "" for t, w in zip(features["ocr_text"], with_images)]
    ocr = np.full(len(y), np.nan)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    for train, test in splitter.split(np.zeros(len(y)), y):
        stage.text_model = make_model("default", **targets).fit(X.iloc[train], y[train])
        text[test] = stage.text_model.decision_scores(X.iloc[test])
        ocr[test] = stage.ocr_features([ocr_texts[i] for i in test])[0]
    hits = np.array([len(found) for found in match_texts(stage.lexicon, ocr_texts)], float)
    frame = pd.DataFrame({"text_score": text, "image_score": features["image_score"],
                          "ocr_score": ocr, "ocr_lexicon_hits": hits})[with_images]
    model = FusionModel().fit(frame, y[with_images])
    fused = text.copy()
    fused[with_images] = model.oof_proba_
    judged = judge_fusion(y, text, fused, text_rows=~with_images, **targets)
    card = {"data_size": int(with_images.sum()),
            "class_balance": {"relevant": int(counts[1]), "not_relevant": int(counts[0])},
            "kept": judged.kept, "why": judged.reason, "judgement": judged.as_dict(),
            "threshold": judged.fused["threshold"], "coefficients": model.coefficients_,
            "features": list(frame.columns), "params": model.get_params(),
            "text_scores": f"out-of-fold, {folds}-fold CV of the default text model",
            "study": study.settings.study.name}
    return save_model(model, study.models_dir, card, name=FUSION_MODEL)
