"""Which question of an outside tool is which wildsift label field, and which answer is which
value: a small TOML or YAML file, so a Zooniverse workflow or a Label Studio project built by
someone else can be read without renaming its questions.

```toml
workflow_id = 12345        # Zooniverse only: other workflows' rows are skipped (optional)
[[task]]
task = "T0"                # Zooniverse task key, or a Label Studio control tag's name
field = "relevant"         # the wildsift label field it fills
answers = { "Yes" = "1", "No" = "0" }   # answer text -> stored value; omitted: the text itself
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from wildsift.errors import InputError

RELEVANT_ZOONIVERSE = {"Yes": "1", "No": "0"}
RELEVANT_LABEL_STUDIO = {"Relevant": "1", "Not relevant": "0"}


@dataclass(frozen=True)
class TaskMapping:
    """One question (task) and the field it fills; ``answers`` maps answer text to values."""

    task: str
    field: str
    answers: dict[str, str] = field(default_factory=dict)

    def value(self, answer: str) -> str | None:
        """The stored value of an answer; None when ``answers`` is given and lacks it."""
        if not self.answers:
            return answer
        return self.answers.get(answer)

    def answer(self, value: str) -> str:
        """The answer text that stands for a stored value (the value itself when unmapped)."""
        for text, stored in self.answers.items():
            if stored == value:
                return text
        return value


@dataclass(frozen=True)
class AnswerMapping:
    """Every mapped task, by task key and by field."""

    tasks: tuple[TaskMapping, ...]
    workflow_id: str | None = None

    def by_task(self, task: str) -> TaskMapping | None:
        return next((t for t in self.tasks if t.task == task), None)

    def by_field(self, name: str) -> TaskMapping | None:
        return next((t for t in self.tasks if t.field == name), None)

    def to_toml(self) -> str:
        """The mapping as a file :func:`load_mapping` reads back."""
        lines = [f'workflow_id = "{self.workflow_id}"\n'] if self.workflow_id else []
        for task in self.tasks:
            lines.append(f'[[task]]\ntask = "{task.task}"\nfield = "{task.field}"\n')
            if task.answers:
                pairs = ", ".join(f'"{k}" = "{v}"' for k, v in task.answers.items())
                lines.append(f"answers = {{ {pairs} }}\n")
        return "\n".join(lines)


def default_mapping(fields: list[str], *, tool: str) -> AnswerMapping:
    """What wildsift's own exports use: Zooniverse tasks T0, T1, ... in field order
    (``relevant`` first, answered Yes/No); Label Studio control tags named after the fields
    (``relevant`` answered Relevant / Not relevant). Other fields carry their values as text."""
    ordered = sorted(fields, key=lambda name: (name != "relevant", name))
    tasks = []
    for i, name in enumerate(ordered):
        key = f"T{i}" if tool == "zooniverse" else name
        answers = {}
        if name == "relevant":
            answers = dict(RELEVANT_ZOONIVERSE if tool == "zooniverse" else RELEVANT_LABEL_STUDIO)
        tasks.append(TaskMapping(key, name, answers))
    return AnswerMapping(tuple(tasks))


def load_mapping(path: Path) -> AnswerMapping:
    """A mapping file (``.toml``, ``.yaml`` or ``.yml``); errors name the file and the entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the mapping: {exc.strerror}") from exc
    try:
        raw = (yaml.safe_load(text) if path.suffix.lower() in (".yaml", ".yml")
               else tomllib.loads(text)) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: not valid {path.suffix.lstrip('.').upper()}: {exc}") from exc
    entries = raw.get("task") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: no [[task]] entries; each needs 'task' and 'field' "
                         "(see docs/labelling.md)")
    tasks = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("task") or not entry.get("field"):
            raise InputError(f"{path}: task entry {n}: needs 'task' (the tool's question key) "
                             "and 'field' (the wildsift label field)")
        answers = entry.get("answers") or {}
        if not isinstance(answers, dict):
            raise InputError(f"{path}: task entry {n} ({entry['task']}): 'answers' must map "
                             "answer text to a value")
        tasks.append(TaskMapping(str(entry["task"]), str(entry["field"]),
                                 {str(k): str(v) for k, v in answers.items()}))
    workflow = raw.get("workflow_id")
    return AnswerMapping(tuple(tasks), None if workflow in (None, "") else str(workflow))
