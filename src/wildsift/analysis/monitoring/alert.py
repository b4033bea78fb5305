"""One alert: what ``wildsift alerts`` lists, ``watch`` sends and ``export --what alerts``
writes (a module of its own so that every kind of alert can make one without a cycle)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_POSTS = 50  # post ids listed per alert (the count is ``observed``)


@dataclass
class Alert:
    kind: str  # spike | change_point | effort | new_cluster
    series: str
    window: list[str]  # first and last day (ISO dates)
    observed: float
    expected: float | None
    score: float
    posts: list[str] = field(default_factory=list)
    direction: str = "up"
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.series}|{self.window[0]}|{self.direction}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"key": self.key}
