"""Label Studio round trip: tasks out with the model's predictions (and the labels people
already gave), Label Studio's JSON export back in as labels.

Out (``build_tasks``): a list of tasks in Label Studio's import shape, ``data`` holding the
redacted text and the wildsift post id and platform, ``predictions[].result`` the relevance
stage's decision as a ``choices`` result with its score, and ``annotations[].result`` the labels
already stored, each annotation's ``completed_by`` the annotator's pseudonym as an address under
the reserved ``.invalid`` domain (RFC 2606: it can never reach anyone). ``label_config`` writes
the matching labelling interface. In (``read_export``): the JSON export (a list of tasks with
``annotations[].result`` and ``completed_by``, an id or a user object with an e-mail); cancelled
annotations are skipped; e-mails and ids become keyed pseudonyms before anything is stored.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pandas as pd

from wildsift.errors import InputError
from wildsift.labels.mapping import AnswerMapping
from wildsift.labels.people import annotator_pseudonym, is_pseudonym
from wildsift.labels.values import stored_value
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.records import Label

TEXT_TAG = "text"
PSEUDONYM_DOMAIN = "@wildsift.invalid"
FREE_TEXT_FIELDS = frozenset({"note"})  # a TextArea in Label Studio, not Choices


def _result_id(*parts: object) -> str:
    """A stable region id (Label Studio's are 10 characters): the same labels, the same file."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:10]


def _result(task_key: str, field_name: str, answer: str, *parts: object) -> dict:
    kind, value = (("textarea", {"text": [answer]}) if field_name in FREE_TEXT_FIELDS
                   else ("choices", {"choices": [answer]}))
    return {"id": _result_id(task_key, answer, *parts), "from_name": task_key,
            "to_name": TEXT_TAG, "type": kind, "value": value, "origin": "manual"}


def _iso(value: object) -> str | None:
    when = pd.to_datetime(value, utc=True, errors="coerce")
    return None if pd.isna(when) else when.isoformat().replace("+00:00", "Z")


def build_tasks(posts: pd.DataFrame, labels: pd.DataFrame, mapping: AnswerMapping, *,
                scores: pd.DataFrame | None = None) -> list[dict]:
    """Tasks for ``posts`` (``pk, post_id, platform, text``); ``labels`` as the store gives
    them; ``scores``: ``post_pk, relevance, relevant, relevance_method`` for predictions."""
    relevant = mapping.by_field("relevant")
    by_post = {pk: group for pk, group in labels.groupby("post_pk")} if len(labels) else {}
    score_of = ({int(r.post_pk): r for r in scores.itertuples(index=False)}
                if scores is not None and len(scores) else {})
    tasks = []
    for post in posts.itertuples(index=False):
        task: dict = {"data": {TEXT_TAG: post.text if isinstance(post.text, str) else "",
                               "wildsift_post": str(post.post_id),
                               "wildsift_platform": str(post.platform or "")}}
        score = score_of.get(int(post.pk))
        if relevant is not None and score is not None and pd.notna(score.relevant):
            answer = relevant.answer("1" if int(score.relevant) else "0")
            task["predictions"] = [{
                "model_version": str(score.relevance_method or "wildsift"),
                "score": None if pd.isna(score.relevance) else round(float(score.relevance), 6),
                "result": [_result(relevant.task, "relevant", answer, post.post_id, "model")]}]
        annotations = []
        for who, group in (by_post[post.pk].groupby("annotator") if post.pk in by_post else []):
            result = []
            for task_map in mapping.tasks:
                picked = group[group["field"] == task_map.field]
                value = stored_value(task_map.field, picked["value"].iloc[-1]) if len(picked) \
                    else None
                if value:
                    result.append(_result(task_map.task, task_map.field, task_map.answer(value),
                                          post.post_id, who))
            if result:
                annotations.append({"completed_by": {"email": f"{who}{PSEUDONYM_DOMAIN}"},
                                    "created_at": _iso(group["created_at"].max()),
                                    "was_cancelled": False, "ground_truth": False,
                                    "result": result})
        if annotations:
            task["annotations"] = annotations
        tasks.append(task)
    return tasks


def label_config(mapping: AnswerMapping) -> str:
    """A Label Studio labelling interface for the mapped fields (Project > Settings >
    Labeling Interface > Code)."""
    lines = ["<View>", f'  <Text name="{TEXT_TAG}" value="${TEXT_TAG}"/>']
    for task in mapping.tasks:
        if task.field in FREE_TEXT_FIELDS:
            lines.append(f"  <TextArea name={quoteattr(task.task)} toName=\"{TEXT_TAG}\"/>")
            continue
        lines.append(f"  <Choices name={quoteattr(task.task)} toName=\"{TEXT_TAG}\" "
                     'choice="single-radio">')
        lines += [f"    <Choice value={quoteattr(answer)}/>" for answer in task.answers]
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


@dataclass
class ExportImport:
    """What :func:`read_export` found: labels, problems (file: task n: what), skip counts."""

    labels: list[Label] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


def _annotator(completed_by: object, pseudonyms: Pseudonymizer) -> str:
    if isinstance(completed_by, dict):
        email = str(completed_by.get("email") or "").strip().lower()
        if email.endswith(PSEUDONYM_DOMAIN) and is_pseudonym(email[:-len(PSEUDONYM_DOMAIN)]):
            return email[:-len(PSEUDONYM_DOMAIN)]  # wildsift's own export
        key = f"label-studio:{email}" if email else f"label-studio:id:{completed_by.get('id')}"
    else:
        key = f"label-studio:id:{completed_by}"
    return annotator_pseudonym(pseudonyms, key)


def _answers(item: dict) -> list[str]:
    value = item.get("value") or {}
    if "choices" in value:
        return [str(v) for v in value["choices"]]
    if "text" in value:
        return [str(v) for v in value["text"]]
    if "taxonomy" in value:  # paths from the root: the leaf is the answer
        return [str(path[-1]) for path in value["taxonomy"] if path]
    raise ValueError(f"result type '{item.get('type')}' (only choices, textarea, taxonomy)")


def _time(text: object) -> datetime | None:
    if not text:
        return None
    parsed = datetime.fromisoformat(str(text))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _task_labels(task: dict, mapping: AnswerMapping, pseudonyms: Pseudonymizer, where: str,
                 found: ExportImport) -> None:
    data = task.get("data") or {}
    post_id = str(data.get("wildsift_post") or "").strip()
    if not post_id:
        if task.get("annotations"):
            found.problems.append(f"{where}: field 'data.wildsift_post' is missing (a task "
                                  "not exported by wildsift)")
        else:
            found.skipped["unlabelled task from elsewhere"] += 1
        return
    platform = data.get("wildsift_platform") or None
    for annotation in task.get("annotations") or []:
        if annotation.get("was_cancelled"):
            found.skipped["cancelled annotation"] += 1
            continue
        who = _annotator(annotation.get("completed_by"), pseudonyms)
        when = _time(annotation.get("created_at"))
        for item in annotation.get("result") or []:
            task_map = mapping.by_task(str(item.get("from_name")))
            if task_map is None:
                found.skipped[f"unmapped control {item.get('from_name')}"] += 1
                continue
            try:
                answers = _answers(item)
            except ValueError as exc:
                found.problems.append(f"{where}: control {task_map.task}: {exc}")
                continue
            values = [task_map.value(a) for a in answers]
            if not values or any(v is None for v in values):
                found.problems.append(f"{where}: control {task_map.task}: answer(s) {answers} "
                                      f"not in the mapping's answers {sorted(task_map.answers)}")
                continue
            found.labels.append(Label(post_id=post_id, field=task_map.field,
                                      value="|".join(sorted(values)), annotator=who,
                                      created_at=when, platform=platform))


def read_export(path: Path, mapping: AnswerMapping, pseudonyms: Pseudonymizer) -> ExportImport:
    """Labels from a Label Studio JSON export (or wildsift's own task file)."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}: not JSON: {exc.msg}") from exc
    if not isinstance(tasks, list):
        raise InputError(f"{path}: expected a list of tasks (Label Studio's JSON export), got "
                         f"{type(tasks).__name__}")
    found = ExportImport()
    for n, task in enumerate(tasks, start=1):
        where = f"{path}: task {n}" + (f" (id {task.get('id')})" if isinstance(task, dict)
                                       and task.get("id") is not None else "")
        if not isinstance(task, dict):
            found.problems.append(f"{where}: not an object")
            continue
        try:
            _task_labels(task, mapping, pseudonyms, where, found)
        except ValueError as exc:
            found.problems.append(f"{where}: field 'created_at': {exc}")
    return found
