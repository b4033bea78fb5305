"""Cross-validated evaluation of a relevance model on any labelled CSV, and the metrics shared
with training.

Metrics are those of the positive class at each model's own threshold (each model chooses it
inside each training fold from inner cross-validation, never on the test fold; the default model
also chooses its candidate there, see sift/models/selection.py): precision, recall, F1, macro-F1,
Matthews correlation (MCC), plus PR-AUC (average
precision), ROC AUC and scoring throughput (posts per second, features included), all from
out-of-fold predictions. Duplicates are removed before splitting, folds are grouped by author
when authors are known, and 95% bootstrap intervals are given for precision, recall, F1 and MCC.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)

from wildsift.errors import InputError, ModelError
from wildsift.sift.learn.bootstrap import bootstrap_ci
from wildsift.sift.learn.splits import deduplicate, fold_count, split
from wildsift.sift.models.registry import make_model as make_named_model
from wildsift.sift.models.text import FIELD_PREFIX, TextRelevanceModel, prepare

REQUIRED_KEYS = ("precision", "recall", "f1", "macro_f1", "mcc", "pr_auc", "posts_per_second")


@dataclass
class LabelledData:
    """Texts and 0/1 labels read from a file, with what reading them took."""

    texts: list[str]
    y: np.ndarray
    rows: int = 0
    skipped_missing_label: int = 0
    rows_recoded: int = 0  # rows with bytes that were not UTF-8 (decoded as Windows-1252)
    notes: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)  # each text column on its own
    groups: list[str] | None = None  # the --group-column value of each row (e.g. the seller)
    images: dict[str, list[str]] = field(default_factory=dict)  # each --image-column's cells


def _fix_cell(value: Any) -> tuple[Any, bool]:
    """A cell read as Latin-1 back to its real text: UTF-8 if it is, else Windows-1252."""
    if not isinstance(value, str) or value.isascii():
        return value, False
    raw = value.encode("latin-1")
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), True


def _normalise_label(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    if text == "" or text.lower() in {"na", "nan", "null", "none"}:
        return None
    try:
        number = float(text)
        return str(int(number)) if number.is_integer() else text
    except ValueError:
        return text.lower()


def read_labelled_csv(path: Path, text_columns: Sequence[str], label_columns: Sequence[str],
                      positive: Sequence[str] = ("1",),
                      group_column: str | None = None,
                      image_columns: Sequence[str] = ()) -> LabelledData:
    """Read a CSV robustly: any bytes, quoted newlines; rows missing a label are skipped.

    A row is positive when *every* label column holds one of ``positive`` (so two columns with
    ``positive=("0",)`` mean "label1 == 0 and label2 == 0"); otherwise negative.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        frame = pd.read_csv(io.StringIO(raw.decode("latin-1")), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV: {exc}") from exc
    extra = ([group_column] if group_column else []) + list(image_columns)
    missing = [c for c in [*text_columns, *label_columns, *extra] if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: no column(s) {missing}; columns are {list(frame.columns)}")
    recoded = np.zeros(len(frame), dtype=bool)
    for column in [*text_columns, *label_columns, *extra]:
        fixed = [_fix_cell(v) for v in frame[column].tolist()]
        frame[column] = [v for v, _ in fixed]
        recoded |= np.array([bad for _, bad in fixed], dtype=bool)
    wanted = {_normalise_label(p) for p in positive}
    labels = [[_normalise_label(v) for v in frame[c]] for c in label_columns]
    keep = [all(col[i] is not None for col in labels) for i in range(len(frame))]
    y = np.array([int(all(col[i] in wanted for col in labels))
                  for i in range(len(frame)) if keep[i]], dtype=int)
    kept = frame[np.array(keep, dtype=bool)] if len(frame) else frame
    texts = kept[list(text_columns)].fillna("").astype(str).agg(" \n ".join, axis=1).tolist()
    fields = ({c: kept[c].fillna("").astype(str).tolist() for c in text_columns}
              if len(text_columns) > 1 else {})
    groups = kept[group_column].astype(str).tolist() if group_column else None
    images = {c: [str(v).strip() for v in kept[c].fillna("")] for c in image_columns}
    return LabelledData(texts=texts, y=y, rows=len(frame),
                        skipped_missing_label=int(len(frame) - sum(keep)),
                        rows_recoded=int(recoded.sum()), fields=fields, groups=groups,
                        images=images)


def metrics_from_scores(y: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> dict:
    """Positive-class precision/recall/F1, macro-F1, MCC, PR-AUC and ROC AUC."""
    predicted = (scores >= threshold).astype(int)
    return {
        "precision": float(precision_score(y, predicted, zero_division=0)),
        "recall": float(recall_score(y, predicted, zero_division=0)),
        "f1": float(f1_score(y, predicted, zero_division=0)),
        "macro_f1": float(f1_score(y, predicted, average="macro", zero_division=0)),
        "mcc": float(matthews_corrcoef(y, predicted)),
        "pr_auc": float(average_precision_score(y, scores)),
        "roc_auc": float(roc_auc_score(y, scores)),
    }


def metrics_from_predictions(y: np.ndarray, predicted: np.ndarray,
                             scores: np.ndarray) -> dict:
    """Like :func:`metrics_from_scores`, for 0/1 predictions made at per-fold thresholds."""
    y, predicted = np.asarray(y, dtype=int), np.asarray(predicted, dtype=int)
    metrics = metrics_from_scores(y, scores)
    metrics.update(
        precision=float(precision_score(y, predicted, zero_division=0)),
        recall=float(recall_score(y, predicted, zero_division=0)),
        f1=float(f1_score(y, predicted, zero_division=0)),
        macro_f1=float(f1_score(y, predicted, average="macro", zero_division=0)),
        mcc=float(matthews_corrcoef(y, predicted)))
    return metrics


def _out_of_fold(X: pd.DataFrame, y: np.ndarray, splits: list, make_model: Callable[[], Any],
                 resamples: int, random_state: int) -> dict[str, Any]:
    scores = np.zeros(len(y), dtype=np.float64)
    predicted = np.zeros(len(y), dtype=int)
    thresholds, winners, scoring_seconds = [], [], 0.0
    for train_idx, test_idx in splits:
        model = make_model().fit(X.iloc[train_idx], y[train_idx])
        if getattr(model, "winner_", None):  # the default model chose a candidate in this fold
            winners.append(model.winner_)
        if getattr(model, "use_fusion_", None) is not None:  # text + images: fused or not
            winners.append("fusion" if model.use_fusion_ else "text only (fusion stepped aside)")
        started = time.perf_counter()
        scores[test_idx] = model.decision_scores(X.iloc[test_idx])
        scoring_seconds += time.perf_counter() - started
        threshold = float(getattr(model, "threshold_", 0.5))
        predicted[test_idx] = scores[test_idx] >= threshold
        thresholds.append(threshold)
    metrics = metrics_from_predictions(y, predicted, scores)
    metrics.update(posts_per_second=float(len(y) / max(scoring_seconds, 1e-9)),
                   thresholds=thresholds, threshold=float(np.mean(thresholds)),
                   winners=winners,
                   ci=bootstrap_ci(y, predicted, resamples=resamples, random_state=random_state))
    return metrics


def cross_validate(X: pd.DataFrame, y: np.ndarray, *, folds: int = 5, random_state: int = 0,
                   make_model: Callable[[], Any] = TextRelevanceModel,
                   groups: Sequence[Any] | None = None, resamples: int = 1000,
                   make_baseline: Callable[[], Any] | None = None,
                   multimodal: tuple[pd.DataFrame, Callable[[], Any]] | None = None
                   ) -> dict[str, Any]:
    """Stratified (grouped by ``groups`` when given) k-fold CV: metrics of the out-of-fold
    predictions, each fold at the threshold its model chose, with bootstrap CIs (``ci``) and
    scoring throughput. ``make_baseline``: also run it on the same folds (key ``baseline``);
    ``multimodal``: (its frame, row for row with ``X``; its model), same folds (key
    ``multimodal``)."""
    y = np.asarray(y, dtype=int)
    counts = np.bincount(y, minlength=2)
    if counts.min() < 2:
        raise ModelError(f"cross-validation needs at least 2 examples of each class; have "
                         f"{int(counts[0])} negative and {int(counts[1])} positive")
    group_array = None if groups is None else np.asarray(groups)
    folds = fold_count(y, folds, group_array)
    splits = list(split(y, folds, group_array, random_state))
    metrics = _out_of_fold(X, y, splits, make_model, resamples, random_state)
    metrics.update(folds=folds, n=len(y), positives=int(counts[1]), negatives=int(counts[0]),
                   grouped=group_array is not None)
    if make_baseline is not None:
        metrics["baseline"] = _out_of_fold(X, y, splits, make_baseline, resamples, random_state)
    if multimodal is not None:
        metrics["multimodal"] = _out_of_fold(multimodal[0], y, splits, multimodal[1], resamples,
                                             random_state)
    return metrics


def evaluate_file(path: Path, text_columns: Sequence[str], label_columns: Sequence[str], *,
                  positive: Sequence[str] = ("1",), folds: int = 5, model: str = "default",
                  baseline: bool = False, group_column: str | None = None,
                  dedup: bool = True, resamples: int = 1000,
                  image_columns: Sequence[str] = (), image_model: str | Any = "default",
                  fetch: Callable[[str], bytes] | None = None,
                  ocr: Any | None = None) -> dict[str, Any]:
    """Read a labelled CSV and cross-validate a model (by name, see sift.models.registry) on it,
    and the TF-IDF baseline on the same folds when ``baseline``.

    ``image_columns``: cells are image paths relative to the CSV or http(s) URLs (fetched with
    ``fetch``); text + images (``sift/learn/multimodal.py``) is then cross-validated on the same
    folds (key ``multimodal``, what loading the images did under ``images``). ``image_model``: a
    name in ``sift.models.registry.IMAGE_MODEL_FACTORIES`` or a ready model; ``ocr``: an OCR engine
    or None. With images, a duplicate is the same text *and* the same image references."""
    data = read_labelled_csv(path, text_columns, label_columns, positive, group_column,
                             image_columns)
    if len(data.y) == 0:
        raise InputError(f"{path}: no rows with a label in {list(label_columns)}")
    references = [list(row) for row in zip(*data.images.values())] if image_columns else []
    keys = ([f"{t}\x00{'|'.join(r)}" for t, r in zip(data.texts, references)] if image_columns
            else data.texts)
    found = deduplicate(keys, data.y) if dedup else None
    keep = found.keep if found is not None else np.arange(len(data.y))
    raw = pd.DataFrame({"text": [data.texts[i] for i in keep]})
    for column, values in data.fields.items():
        raw[FIELD_PREFIX + column] = [values[i] for i in keep]
    y = data.y[keep]
    groups = None if data.groups is None else [data.groups[i] for i in keep]
    use_lexicon = True
    try:
        X = prepare(raw, use_lexicon=True)
    except ModelError:
        use_lexicon = False
        X = prepare(raw, use_lexicon=False)
    make_model = lambda: make_named_model(model, use_lexicon=use_lexicon)
    multimodal, images = None, None
    if image_columns:
        multimodal, images = _multimodal(X, [references[i] for i in keep], Path(path).parent,
                                         make_model, image_model, fetch, ocr, use_lexicon)
    result = cross_validate(
        X, y, folds=folds, groups=groups, resamples=resamples, make_model=make_model,
        make_baseline=(lambda: make_named_model("baseline")) if baseline else None,
        multimodal=multimodal)
    if images is not None:
        result.update(images=images, image_columns=list(image_columns))
    result.update(file=str(path), rows=data.rows, skipped_missing_label=data.skipped_missing_label,
                  rows_recoded=data.rows_recoded, text_columns=list(text_columns),
                  label_columns=list(label_columns), positive=list(positive),
                  lexicon_features=use_lexicon, model=model, group_column=group_column,
                  duplicates_removed=found.removed if found else 0,
                  duplicates_conflicting=found.conflicting if found else 0)
    return result


def _multimodal(X: pd.DataFrame, references: list[list[str]], base_dir: Path,
                make_model: Callable[[], Any], image_model: str | Any,
                fetch: Callable[[str], bytes] | None, ocr: Any | None,
                use_lexicon: bool) -> tuple[tuple[pd.DataFrame, Callable[[], Any]], dict]:
    """The frame and model factory of the text + images run, and what loading images did."""
    from wildsift.sift.learn.multimodal import MultimodalModel, multimodal_frame
    from wildsift.sift.models.registry import make_image_model

    embedder = make_image_model(image_model) if isinstance(image_model, str) else image_model
    lexicon = None
    if use_lexicon:
        from wildsift.sift.rules.signals import load_lexicon

        lexicon = load_lexicon()
    frame, images = multimodal_frame(X, references, base_dir, image_model=embedder, fetch=fetch,
                                     ocr=ocr, lexicon=lexicon)
    return (frame, lambda: MultimodalModel(make_text_model=make_model)), images
