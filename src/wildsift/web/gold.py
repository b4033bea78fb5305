"""Gold questions in the web app: which posts are gold, when a volunteer gets one, and each
person's skill on them, kept up to date as they answer.

Gold answers are what researchers settled (``wildsift.labels.gold.gold_answers``): an
adjudication, else the answer the researchers and admins who labelled a post agree on. A
volunteer's queue serves a gold post they have not answered whenever ``GoldRate.due`` says so
(``[labeling] gold_rate`` of the posts they are served). Their answer on it is stored like any
label (with ``queue_reason = gold``) and scored against the gold answer; it is a test, not a
vote, so it never retires or disputes the post. Skill is ``skill_scores``' Beta(1, 1)
posterior mean over every gold answer a person gave (served as gold or met in the queue).

How skill weighs: it is shown on the Skill page, and a volunteer whose skill is below
``min_skill`` after at least ``skill_after`` gold answers stops counting toward retirement
(their answers stay stored, exported and in the agreement figures; the queue asks others).
Nothing else uses it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from wildsift.labels.gold import GoldRate, gold_answers, skill_scores
from wildsift.labels.values import field_labels, normalise_value

GOLD = "gold"  # the queue_reason of an answer to a gold post served as a test


@dataclass
class GoldBook:
    rate: GoldRate = field(default_factory=GoldRate)
    min_skill: float = 0.5
    skill_after: int = 5
    fields: tuple[str, ...] = ("relevant",)
    answers: dict[int, dict[str, str]] = field(default_factory=dict)  # pk -> field -> value
    experts: frozenset[str] = frozenset()
    volunteers: frozenset[str] = frozenset()
    answered: Counter = field(default_factory=Counter)  # person -> gold answers given
    correct: Counter = field(default_factory=Counter)
    served: Counter = field(default_factory=Counter)  # person -> posts answered in the queue
    gold_served: Counter = field(default_factory=Counter)  # ... of which gold tests
    tested: dict[str, set[int]] = field(default_factory=dict)  # person -> gold posts answered
    contested: set[tuple[int, str]] = field(default_factory=set)  # experts disagree there
    settled: set[int] = field(default_factory=set)  # adjudicated posts

    @classmethod
    def from_labels(cls, labels: pd.DataFrame, *, experts: Iterable[str],
                    volunteers: Iterable[str], fields: Iterable[str], rate: float = 0.1,
                    min_skill: float = 0.5, skill_after: int = 5) -> GoldBook:
        """The gold answers and everyone's counts as the store has them now."""
        book = cls(GoldRate(rate), min_skill, skill_after, tuple(fields),
                   experts=frozenset(experts), volunteers=frozenset(volunteers))
        if labels.empty:
            return book
        gold = gold_answers(labels, book.experts, list(book.fields))
        by_experts = labels[labels["annotator"].isin(book.experts)]
        for name in book.fields:
            part = field_labels(by_experts, name)
            split = part.groupby("post_pk")["value"].nunique()
            book.contested |= {(int(pk), name) for pk in split[split > 1].index}
        adjudicated = labels[labels["field"].astype(str).str.startswith("adjudicated_")]
        book.settled = {int(pk) for pk in adjudicated["post_pk"]}
        for row in gold.itertuples(index=False):
            book.answers.setdefault(int(row.post_pk), {})[str(row.field)] = str(row.value)
        scores = skill_scores(labels, gold, exclude=set(book.experts))
        for row in scores.itertuples(index=False):
            book.answered[row.annotator] = int(row.answered)
            book.correct[row.annotator] = int(row.correct)
        reasons = labels[labels["field"] == "queue_reason"]
        tests = reasons[reasons["value"] == GOLD]
        book.gold_served.update(tests["annotator"].tolist())
        for who, pk in zip(tests["annotator"], tests["post_pk"]):
            book.tested.setdefault(str(who), set()).add(int(pk))
        book.served.update(labels[labels["field"] == "relevant"]["annotator"].tolist())
        return book

    def know(self, who: str, role: str | None) -> None:
        """Note a person's role (accounts made after the queue was built)."""
        if role in ("admin", "researcher"):
            self.experts = self.experts | {who}
        elif role == "volunteer":
            self.volunteers = self.volunteers | {who}

    # -- serving --------------------------------------------------------------------------
    def due(self, who: str) -> bool:
        return bool(self.answers) and self.rate.rate > 0 and self.rate.due(
            self.served[who], self.gold_served[who])

    def pick(self, who: str, done: set[int], lang_ok) -> int | None:
        """A gold post this person has not answered, in a language they read."""
        for pk in sorted(self.answers):
            if pk not in done and lang_ok(pk):
                return pk
        return None

    # -- scoring --------------------------------------------------------------------------
    def _score(self, who: str, pk: int, values: Mapping[str, str], sign: int) -> None:
        if who in self.experts:
            return
        for name, expected in (self.answers.get(pk) or {}).items():
            given = normalise_value(name, values.get(name))
            if given is None:
                continue
            self.answered[who] += sign
            self.correct[who] += sign * int(given == expected)

    def record(self, who: str, pk: int, values: Mapping[str, str], *, test: bool) -> None:
        """Someone answered a post (``test``: a gold post served as a test). A researcher's
        or admin's answer makes the post gold at once, unless another one answered otherwise."""
        if who in self.experts:
            self._expert(pk, values)
            return
        if "relevant" in values:
            self.served[who] += 1
            self.gold_served[who] += int(test)
        if test:
            self.tested.setdefault(who, set()).add(pk)
        self._score(who, pk, values, +1)

    def forget(self, who: str, pk: int, values: Mapping[str, str], *, test: bool) -> None:
        """Undo of an answer :meth:`record` counted (an expert's stays gold until the next
        build of the queue)."""
        if who in self.experts:
            return
        if "relevant" in values:
            self.served[who] -= 1
            self.gold_served[who] -= int(test)
        if test:
            self.tested.get(who, set()).discard(pk)
        self._score(who, pk, values, -1)

    def _expert(self, pk: int, values: Mapping[str, str]) -> None:
        if pk in self.settled:
            return
        for name in self.fields:
            given = normalise_value(name, values.get(name))
            if given is None or (pk, name) in self.contested:
                continue
            known = self.answers.setdefault(pk, {}).get(name)
            if known is None:
                self.answers[pk][name] = given
            elif known != given:
                del self.answers[pk][name]
                self.contested.add((pk, name))
        if not self.answers.get(pk):
            self.answers.pop(pk, None)

    def settle(self, pk: int, values: Mapping[str, str]) -> None:
        """A researcher adjudicated a post: its answers are gold from now on (earlier answers
        to it are scored at the next build of the queue)."""
        settled = {k: v for k, v in ((n, normalise_value(n, values.get(n)))
                                     for n in self.fields) if v is not None}
        self.settled.add(pk)
        if settled:
            self.answers[pk] = settled

    # -- skill ----------------------------------------------------------------------------
    def skill(self, who: str) -> float:
        """Beta(1, 1) posterior mean accuracy, as ``wildsift.labels.gold.skill_scores``."""
        return (self.correct[who] + 1) / (self.answered[who] + 2)

    def counts(self, who: str) -> bool:
        """Whether this person's answers count toward retiring a post."""
        return not (who in self.volunteers and self.answered[who] >= self.skill_after
                    and self.skill(who) < self.min_skill)

    def table(self) -> list[dict]:
        """Everyone with a gold answer: pseudonym, answered, correct, skill, counting."""
        rows = [{"annotator": who, "answered": n, "correct": self.correct[who],
                 "skill": self.skill(who), "volunteer": who in self.volunteers,
                 "gold_served": self.gold_served[who], "counts": self.counts(who)}
                for who, n in self.answered.items() if n > 0]
        return sorted(rows, key=lambda r: (r["skill"], r["annotator"]))
