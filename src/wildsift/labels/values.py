"""One spelling per label value, and the labels of one field as a post x annotator table.

Why: people and tools write "1", "yes", "True" or "Relevant" for the same answer; agreement and
consensus must count them as one category, or two identical judgements look like a disagreement.
"""

from __future__ import annotations

import math

import pandas as pd

LABEL_COLUMNS = ("post_pk", "field", "value", "annotator", "created_at")
YES = frozenset({"1", "true", "yes", "y", "relevant"})
NO = frozenset({"0", "false", "no", "n", "not relevant", "not_relevant", "irrelevant"})
BINARY_FIELDS = frozenset({"relevant", "scam", "urgent"})
# what the label queue records beside an answer (why it chose the post): not a judgement
BOOKKEEPING_FIELDS = frozenset({"queue_reason"})


def normalise_value(field: str, value: object) -> str | None:
    """The canonical text of a label value: ``"1"``/``"0"`` for yes/no fields, the stripped
    lower-cased text otherwise; None for an empty value (no judgement)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    lowered = text.lower()
    if field in BINARY_FIELDS:
        if lowered in YES:
            return "1"
        if lowered in NO:
            return "0"
    return lowered


def stored_value(field: str, value: object) -> str | None:
    """A value as exports carry it: yes/no fields as ``"1"``/``"0"``, anything else as it was
    written (case kept: "Manis javanica" must come back as it went out)."""
    canonical = normalise_value(field, value)
    if canonical is None or field in BINARY_FIELDS and canonical in ("0", "1"):
        return canonical
    return str(value).strip()


def check_labels(labels: pd.DataFrame) -> None:
    """Raise ValueError naming the missing columns (a programming error, not bad user input)."""
    missing = [c for c in ("post_pk", "field", "value", "annotator") if c not in labels]
    if missing:
        raise ValueError(f"labels frame lacks column(s) {missing}; expected {list(LABEL_COLUMNS)}")


def field_labels(labels: pd.DataFrame, field: str) -> pd.DataFrame:
    """The labels of one field with normalised values, one per (post, annotator): the latest
    when a frame holds several (the store keeps one; merged files may not)."""
    check_labels(labels)
    frame = labels[labels["field"] == field]
    if "created_at" in frame:
        frame = frame.sort_values("created_at", na_position="first", kind="stable")
    frame = frame.assign(value=[normalise_value(field, v) for v in frame["value"]])
    frame = frame[frame["value"].notna()]
    frame = frame.drop_duplicates(["post_pk", "annotator"], keep="last")
    return frame[["post_pk", "annotator", "value"]].reset_index(drop=True)


def label_matrix(labels: pd.DataFrame, field: str) -> pd.DataFrame:
    """Posts (rows) x annotators (columns) of normalised values, NaN where one did not label."""
    frame = field_labels(labels, field)
    if frame.empty:
        return pd.DataFrame()
    return frame.pivot(index="post_pk", columns="annotator", values="value").sort_index()


def fields_of(labels: pd.DataFrame, exclude: frozenset[str] = BOOKKEEPING_FIELDS) -> list[str]:
    """The label fields present, in a stable order, without bookkeeping ones."""
    check_labels(labels)
    return sorted(set(labels["field"].astype(str)) - exclude)
