"""What ``wildsift watch`` remembers between runs, in the study folder (watch/state.json): when
it last ran each step and which alerts each channel has delivered. A restarted watcher reads it
and goes on where it stopped; written atomically so a crash leaves the previous state."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_NAME = "watch/state.json"


@dataclass
class WatchState:
    last_started: str | None = None  # ISO time of the last run's start
    last_finished: str | None = None  # ... and of its end (None after a crash mid-run)
    runs: int = 0
    sent: dict[str, list[str]] = field(default_factory=dict)  # channel -> alert keys
    last_error: str | None = None

    @classmethod
    def load(cls, root: Path) -> WatchState:
        path = Path(root) / STATE_NAME
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc}); delete it to start afresh "
                             "(every current alert will be sent again)") from exc
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def save(self, root: Path) -> None:
        path = Path(root) / STATE_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)

    def unsent(self, channel: str, keys: list[str]) -> list[str]:
        done = set(self.sent.get(channel, []))
        return [k for k in keys if k not in done]

    def mark_sent(self, channel: str, keys: list[str]) -> None:
        self.sent[channel] = list(dict.fromkeys([*self.sent.get(channel, []), *keys]))
