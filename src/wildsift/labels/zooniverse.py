"""Zooniverse round trip: subjects out as the panoptes command-line uploader takes them, and a
project's classification export back in as labels.

Out (``write_subjects``): one manifest CSV per number of images (the uploader fixes a manifest's
file columns on its first row, so every row must have the same number of files), each row a
text file (the redacted post) and its images with faces blurred, re-encoded under the 1 MiB the
uploader accepts; hidden metadata columns (``#`` prefix: Zooniverse never shows them to
volunteers) carry the wildsift post id and platform, and come back in every classification's
``subject_data``. No author pseudonym leaves. ``write_classifications`` writes labels in the
classification export's shape (the round trip, and gold answers to compare with).

In (``read_classifications``): the export's columns ``classification_id, user_name, user_id,
user_ip, workflow_id, workflow_name, workflow_version, created_at, gold_standard, expert,
metadata, annotations, subject_data, subject_ids``; ``annotations`` is JSON with each task's
answer as label text, mapped to fields by an :class:`~wildsift.labels.mapping.AnswerMapping`.
``user_ip`` is never read; ``user_name``/``user_id`` become keyed pseudonyms at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from PIL import Image

from wildsift.errors import InputError
from wildsift.labels.mapping import AnswerMapping
from wildsift.labels.people import annotator_pseudonym, is_pseudonym
from wildsift.labels.values import stored_value
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.records import Label

POST_COLUMN, PLATFORM_COLUMN = "#wildsift_post", "#wildsift_platform"
CLASSIFICATION_COLUMNS = ("classification_id", "user_name", "user_id", "user_ip", "workflow_id",
                          "workflow_name", "workflow_version", "created_at", "gold_standard",
                          "expert", "metadata", "annotations", "subject_data", "subject_ids")
MAX_FILE_BYTES = 1024 * 1024  # panoptes-cli refuses larger files
TIME_FORMAT = "%Y-%m-%d %H:%M:%S UTC"
EMPTY_TEXT = "(this post has no text)"  # the uploader refuses empty files


@dataclass
class SubjectExport:
    """What :func:`write_subjects` wrote."""

    manifests: dict[str, int] = field(default_factory=dict)  # file name -> subjects
    images: int = 0
    blurred_faces: int = 0
    missing_images: int = 0


def _fit(data: bytes) -> bytes:
    """An image under the uploader's limit: re-encoded smaller as JPEG when too large."""
    if len(data) <= MAX_FILE_BYTES:
        return data
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        side = 2048
        while True:
            image.thumbnail((side, side))
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=85)
            if buffer.tell() <= MAX_FILE_BYTES or side <= 256:
                return buffer.getvalue()
            side //= 2


def write_subjects(posts: pd.DataFrame, out_dir: Path, *,
                   images: dict[str, list[Path]] | None = None,
                   blur: Callable[[bytes], tuple[bytes, int]] | None = None,
                   max_images: int = 3) -> SubjectExport:
    """Manifests and files for ``posts`` (columns ``post_id``, ``platform``, ``text``).
    ``images``: post_id -> stored image files; ``blur``: bytes -> (blurred bytes, faces found),
    required when any post has images (volunteers never see an unblurred face)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "subjects").mkdir(exist_ok=True)
    images = images or {}
    done = SubjectExport()
    groups: dict[int, list[list[str]]] = {}
    for n, post in enumerate(posts.itertuples(index=False), start=1):
        stem = f"subjects/{n:06d}"
        text = str(post.text) if isinstance(post.text, str) and post.text.strip() else EMPTY_TEXT
        (out_dir / f"{stem}.txt").write_text(text, encoding="utf-8")
        files = []
        for path in images.get(str(post.post_id), [])[:max_images]:
            if not Path(path).is_file():
                done.missing_images += 1
                continue
            if blur is None:
                raise ValueError("posts have images: pass blur= so that faces are blurred")
            data, faces = blur(Path(path).read_bytes())
            fitted = _fit(data)
            name = f"{stem}-{len(files) + 1}{Path(path).suffix if fitted is data else '.jpg'}"
            (out_dir / name).write_bytes(fitted)
            files.append(name)
            done.images += 1
            done.blurred_faces += faces
        groups.setdefault(len(files), []).append([f"{stem}.txt", *files, str(post.post_id),
                                                  str(post.platform or "")])
    for count, rows in sorted(groups.items()):
        name = "manifest.csv" if count == 0 else f"manifest-{count}-images.csv"
        header = ["text_file", *[f"image_{i}" for i in range(1, count + 1)], POST_COLUMN,
                  PLATFORM_COLUMN]
        with (out_dir / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        done.manifests[name] = len(rows)
    return done


def write_classifications(labels: pd.DataFrame, mapping: AnswerMapping, path: Path, *,
                          workflow_name: str = "wildsift") -> int:
    """Labels (``post_pk, post_id, field, value, annotator, created_at``; ``platform`` when
    known) as a classification export: one row per post and annotator, the answers of every
    mapped field in ``annotations``. Returns the rows written."""
    frame = labels[labels["field"].map(lambda f: mapping.by_field(str(f)) is not None)].copy()
    frame["when"] = pd.to_datetime(frame["created_at"], utc=True, errors="coerce")
    rows = []
    keys = ["post_pk", "annotator"]
    for n, ((pk, annotator), group) in enumerate(frame.sort_values(keys).groupby(keys), start=1):
        annotations = []
        for task in mapping.tasks:
            picked = group[group["field"] == task.field]
            if not picked.empty:
                value = stored_value(task.field, picked["value"].iloc[-1]) or ""
                annotations.append({"task": task.task, "task_label": task.field,
                                    "value": task.answer(value)})
        when = group["when"].max()
        first = group.iloc[0]
        subject = {"retired": None, POST_COLUMN: str(first["post_id"])}
        if isinstance(first.get("platform"), str):
            subject[PLATFORM_COLUMN] = first["platform"]
        rows.append([n, annotator, "", "", mapping.workflow_id or "", workflow_name, "1.1",
                     when.strftime(TIME_FORMAT) if pd.notna(when) else "", "", "",
                     json.dumps({"source": "wildsift"}), json.dumps(annotations),
                     json.dumps({str(pk): subject}), str(pk)])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLASSIFICATION_COLUMNS)
        writer.writerows(rows)
    return len(rows)


@dataclass
class ClassificationImport:
    """What :func:`read_classifications` found: labels to store, problems (file:line: field:
    what), and counts of what was skipped on purpose."""

    labels: list[Label] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


def _answer_texts(value: object) -> list[str]:
    """An annotation value as answer texts: a question's label, a multiple-answer list, a
    dropdown's selected labels; empty for no answer."""
    if value is None or value == "":
        return []
    if isinstance(value, str | int | float):
        return [str(value)]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                item = item.get("label", item.get("value"))
            if item not in (None, ""):
                out.append(str(item))
        return out
    raise ValueError(f"an answer of type {type(value).__name__} (not a question or dropdown)")


def _annotator(row: dict, pseudonyms: Pseudonymizer) -> str:
    user_id, user_name = (row.get("user_id") or "").strip(), (row.get("user_name") or "").strip()
    if not user_id and is_pseudonym(user_name):
        return user_name  # wildsift's own export: already a pseudonym
    key = f"zooniverse:id:{user_id}" if user_id else f"zooniverse:{user_name or 'anonymous'}"
    return annotator_pseudonym(pseudonyms, key)


def _time(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    for pattern in (TIME_FORMAT, "%Y-%m-%d %H:%M:%S %Z"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _row_labels(row: dict, mapping: AnswerMapping, who: str, where: str,
                result: ClassificationImport) -> Iterable[Label]:
    try:
        annotations = json.loads(row.get("annotations") or "[]")
        subjects = json.loads(row.get("subject_data") or "{}")
    except json.JSONDecodeError as exc:
        result.problems.append(f"{where}: field 'annotations'/'subject_data': not JSON ({exc})")
        return
    subject_id = (row.get("subject_ids") or "").split(";")[0].strip()
    subject = subjects.get(subject_id) or next(iter(subjects.values()), None) or {}
    post_id = str(subject.get(POST_COLUMN) or "").strip()
    if not post_id:
        result.problems.append(f"{where}: field 'subject_data': subject {subject_id} has no "
                               f"'{POST_COLUMN}' (not uploaded from a wildsift manifest)")
        return
    when = _time(row.get("created_at") or "")
    for annotation in annotations:
        task = mapping.by_task(str(annotation.get("task")))
        if task is None:
            result.skipped[f"unmapped task {annotation.get('task')}"] += 1
            continue
        try:
            answers = _answer_texts(annotation.get("value"))
        except ValueError as exc:
            result.problems.append(f"{where}: task {task.task}: {exc}")
            continue
        values = [task.value(a) for a in answers]
        if any(v is None for v in values):
            unknown = [a for a, v in zip(answers, values) if v is None]
            result.problems.append(f"{where}: task {task.task}: answer(s) {unknown} not in the "
                                   f"mapping's answers {sorted(task.answers)}")
            continue
        if values:
            yield Label(post_id=post_id, field=task.field, value="|".join(sorted(values)),
                        annotator=who, created_at=when,
                        platform=subject.get(PLATFORM_COLUMN) or None)


def read_classifications(path: Path, mapping: AnswerMapping,
                         pseudonyms: Pseudonymizer) -> ClassificationImport:
    """Labels from a Zooniverse classification export, annotators pseudonymised."""
    result = ClassificationImport()
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = {"user_name", "user_id", "workflow_id", "created_at", "annotations",
                   "subject_data", "subject_ids"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"{path}: line 1: missing column(s) {sorted(missing)}: not a "
                             "Zooniverse classification export")
        for line, row in enumerate(reader, start=2):
            row.pop("user_ip", None)  # never read, never kept
            if mapping.workflow_id and str(row.get("workflow_id")) != mapping.workflow_id:
                result.skipped[f"workflow {row.get('workflow_id')}"] += 1
                continue
            try:
                who = _annotator(row, pseudonyms)
                result.labels.extend(_row_labels(row, mapping, who, f"{path}:{line}", result))
            except ValueError as exc:
                result.problems.append(f"{path}:{line}: field 'created_at': {exc}")
    return result
