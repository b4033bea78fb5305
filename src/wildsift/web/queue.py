"""The web app's labelling queue: several people per post, until the post retires.

Why in memory: choosing by active learning reads every post's score (seconds at 100k posts),
but a person must get the next post in well under 100 ms. So :meth:`WorkQueue.build` orders
the study once (in the background, again after ``rebuild_every`` labels): a diverse set of
the posts the model is least sure of first (``sift.active.select_batch``, as ``wildsift label
next``), the rest by uncertainty, with a uniform random share spread through the order (the
posts to use for unbiased estimates). Near-duplicate reposts (the same text once phone tokens,
numbers and spacing are set aside) are one cluster, and only one post of a cluster is queued.
:meth:`WorkQueue.next_for` then walks that order from the person's own cursor: posts they
labelled or skipped, retired posts and posts in languages they do not read are passed over.

A post retires when ``agree`` people gave it the same relevance answer, when a Dawid-Skene
posterior reaches ``posterior`` (once ``wildsift.labels.consensus`` is installed), or after
``max_labels`` answers (then it waits for adjudication). A post shown to someone is held for
them for a few minutes so that no more people label it at once than it still needs.

Volunteers also get gold posts at the study's ``gold_rate`` (:mod:`wildsift.web.gold`): their
answers there are tests, not votes; a volunteer whose gold skill fell below ``min_skill`` stops
counting toward retirement. A post is disputed when the counted relevance answers differ, or
when the answers to another question of the form (intent, taxon, ...) differ.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

import numpy as np

from wildsift.errors import WildsiftError
from wildsift.store import web_labels
from wildsift.study import Study
from wildsift.web.gold import GOLD, GoldBook
from wildsift.web.ordering import Order, cluster_key, one_per_cluster, order_posts

__all__ = ["FIELD", "HISTORY", "PersonState", "WorkQueue", "cluster_key"]

FIELD = "relevant"
HOLD_SECONDS = 300
HISTORY = 10  # undo reaches this many steps back


@dataclass
class PersonState:
    cursor: int = 0
    skipped: set[int] = field(default_factory=set)
    history: deque = field(default_factory=lambda: deque(maxlen=HISTORY))  # (action, pk)
    again: list[int] = field(default_factory=list)  # undone posts, shown first
    reasons: dict[int, str] = field(default_factory=dict)  # why each open post was served


class WorkQueue:
    """Next post per person; label, skip and undo update the state at once."""

    def __init__(self, study: Study | None, *, agree: int = 2, max_labels: int = 5,
                 random_share: float = 0.1, seed: int | None = None):
        self.study = study
        self.agree, self.max_labels, self.random_share = agree, max_labels, random_share
        self.seed = seed
        self.order = Order([], {}, {}, {})
        self.votes: dict[int, dict[str, str]] = {}  # pk -> annotator -> relevant value
        self.answers: dict[str, dict[int, dict[str, str]]] = {}  # other questions, the same
        self.compared: tuple[str, ...] = ()  # the questions whose answers are compared
        self.skilled: tuple[str, ...] = ()  # ... and those a volunteer's skill is measured on
        self.gold = GoldBook()
        self.retired: set[int] = set()
        self.adjudicated: set[int] = set()
        self.holds: dict[int, dict[str, float]] = {}
        self.people: dict[str, PersonState] = {}
        self.labels_since_build = 0
        self.rebuild_every = 500
        self._lock = threading.RLock()
        self._building = threading.Lock()

    @classmethod
    def for_study(cls, study: Study) -> WorkQueue:
        s = study.settings.labeling
        queue = cls(study, agree=s.agree, max_labels=s.max_labels, random_share=s.random_share)
        queue.build()
        return queue

    # -- building -------------------------------------------------------------------------
    def build(self) -> Order:
        """Read the study and order it (seconds at 100k posts); swaps in when done."""
        with self._building:
            started = time.perf_counter()
            pks, langs, texts, scores = self._read()
            order = order_posts(pks, texts, scores, self._threshold(),
                                random_share=self.random_share, seed=self.seed)
            order.lang = dict(zip(pks, langs))
            engine = self.study.store.engine
            tests = {(pk, who) for pk, who, why in web_labels.values_of(engine, "queue_reason")
                     if why == GOLD}  # answers to gold posts served as tests: not votes
            votes: dict[int, dict[str, str]] = {}
            for pk, who, value in web_labels.values_of(engine, FIELD):
                if (pk, who) not in tests:
                    votes.setdefault(pk, {})[who] = value
            answers: dict[str, dict[int, dict[str, str]]] = {}
            for name in self._compared():
                for pk, who, value in web_labels.values_of(engine, name):
                    if (pk, who) not in tests:
                        answers.setdefault(name, {}).setdefault(pk, {})[who] = value
            adjudicated = {pk for pk, _, _ in web_labels.values_of(
                engine, "adjudicated_" + FIELD)}
            gold = self._gold_book()
            order.pks = one_per_cluster(order.pks, pks, texts, set(votes), order.cluster_size,
                                         order.members)
            order.built_in = time.perf_counter() - started
            with self._lock:
                self.order, self.votes, self.adjudicated = order, votes, adjudicated
                self.answers, self.gold = answers, gold
                self.retired = ({pk for pk in votes if self._retires(pk)} | adjudicated
                                | self._confident(votes))
                for person in self.people.values():
                    person.cursor = 0
                self.labels_since_build = 0
            return order

    def _compared(self) -> tuple[str, ...]:
        """The questions besides relevance whose answers must agree (choices, taxa, countries)."""
        schema = self.study.settings.labeling.schema_
        self.compared = tuple(q.name for q in schema
                              if q.kind in ("choice", "taxon", "country") and q.name != FIELD)
        # a volunteer's skill, which decides whether their relevance votes count, is measured on
        # relevance, choices and taxa: where a post is is another skill
        self.skilled = tuple(q.name for q in schema
                             if q.kind in ("choice", "taxon") and q.name != FIELD)
        return self.compared

    def _gold_book(self) -> GoldBook:
        """Gold answers and skills from the store (researchers and admins are the experts)."""
        from wildsift.store.users import Users

        people = Users(self.study.store.engine).all()
        s = self.study.settings.labeling
        return GoldBook.from_labels(
            self.study.store.labels.frame(), fields=(FIELD, *self.skilled),
            experts={u.annotator for u in people if u.role in ("admin", "researcher")},
            volunteers={u.annotator for u in people if u.role == "volunteer"},
            rate=s.gold_rate, min_skill=s.min_skill, skill_after=s.skill_after)

    def _read(self) -> tuple[list[int], list, list[str], np.ndarray]:
        store = self.study.store
        versions = store.scores.versions()
        pks: list[int] = []
        langs: list = []
        texts: list[str] = []
        scores: list[float] = []
        for batch in store.posts.iter(("pk", "lang", "text"), batch_size=20000):
            first, last = int(batch["pk"].iloc[0]), int(batch["pk"].iloc[-1])
            found = store.scores.latest_between(["text_relevance", "relevance"], first, last,
                                                versions=versions)
            score = dict.fromkeys(batch["pk"].tolist(), np.nan)
            for column in ("relevance", "text_relevance"):  # the text model's own, if stored
                if column in found:
                    for pk, value in zip(found["post_pk"], found[column]):
                        if value is not None and not np.isnan(float(value)):
                            score[int(pk)] = float(value)
            pks += [int(pk) for pk in batch["pk"]]
            langs += batch["lang"].tolist()
            texts += batch["text"].fillna("").tolist()
            scores += [score[pk] for pk in batch["pk"].tolist()]
        return pks, langs, texts, np.asarray(scores, dtype=np.float64)

    def _threshold(self) -> float:
        configured = self.study.settings.sift.threshold
        if configured is not None:
            return configured
        try:
            from wildsift.sift.stages.relevance import RelevanceStage

            return float(RelevanceStage.for_models_dir(self.study.models_dir, None).threshold)
        except (ImportError, WildsiftError, OSError, ValueError):  # no usable model
            return 0.5

    # -- state ----------------------------------------------------------------------------
    def _counted(self, pk: int) -> dict[str, str]:
        """The relevance answers that count: not those of volunteers below the skill bar."""
        return {who: v for who, v in (self.votes.get(pk) or {}).items() if self.gold.counts(who)}

    def _retires(self, pk: int) -> bool:
        votes = self._counted(pk)
        if not votes:
            return pk in self.adjudicated
        top = Counter(votes.values()).most_common(1)[0][1]
        return top >= self.agree or len(votes) >= self.max_labels or pk in self.adjudicated

    def cluster_members(self, key: str, but: int, limit: int = 20) -> list[int]:
        """Other posts of a near-duplicate cluster (reposts of one ad)."""
        return [pk for pk in self.order.members.get(key, []) if pk != but][:limit]

    def _confident(self, votes: dict[int, dict[str, str]]) -> set[int]:
        """Posts whose Dawid-Skene posterior reaches the study's ``posterior`` (with 2+
        labels), when ``wildsift.labels.consensus`` is installed; computed at each build."""
        try:
            from wildsift.labels.consensus import dawid_skene, retired
        except ImportError:
            return set()
        import pandas as pd

        rows = [(pk, FIELD, value, who) for pk, by in votes.items() for who, value in by.items()
                if self.gold.counts(who)]
        if not rows:
            return set()
        frame = pd.DataFrame(rows, columns=["post_pk", "field", "value", "annotator"])
        posts = dawid_skene(frame, FIELD).posts
        threshold = self.study.settings.labeling.posterior if self.study else 0.9
        return {int(row["post_pk"]) for _, row in posts.iterrows()
                if retired(row, k=self.agree, threshold=threshold)}

    def disputed(self) -> list[int]:
        """Posts whose counted answers differ (relevance, or another question of the form)
        and that no one has adjudicated."""
        with self._lock:
            found = {pk for pk in self.votes if len(set(self._counted(pk).values())) > 1}
            for by_post in self.answers.values():
                found |= {pk for pk, by in by_post.items()
                          if len({v for w, v in by.items() if self.gold.counts(w)}) > 1}
            return sorted(found - self.adjudicated)

    def state_of(self, pk: int) -> str:
        with self._lock:
            if pk in self.adjudicated:
                return "adjudicated"
            votes = self._counted(pk)
            if not votes:
                return "unlabelled"
            if pk in self.retired:
                return "disputed" if len(set(votes.values())) > 1 else "retired"
            return "in progress"

    def _open_for(self, pk: int, who: str, now: float) -> bool:
        votes = self._counted(pk)
        holds = {w: t for w, t in (self.holds.get(pk) or {}).items() if t > now and w != who}
        top = Counter(votes.values()).most_common(1)[0][1] if votes else 0
        return len(holds) < max(self.agree - top, 1)

    def next_for(self, who: str, languages: tuple[str, ...] = (), *,
                 volunteer: bool = False) -> tuple[int, str] | None:
        """(post pk, why it was chosen) for this person, held for them; None when done.
        Volunteers get a gold post when one is due (the reason ``gold``)."""
        now = time.monotonic()
        with self._lock:
            person = self.people.setdefault(who, PersonState())
            while person.again:
                pk = person.again.pop()
                if person.reasons.get(pk) == GOLD:  # an undone gold test stays a test
                    return pk, GOLD
                if pk not in self.retired:
                    return self._serve(pk, who, now, "undone")
            order, wanted = self.order, set(languages)
            if volunteer:
                self.gold.know(who, "volunteer")
            if volunteer and self.gold.due(who):
                done = ({pk for pk, by in self.votes.items() if who in by} | person.skipped
                        | self.gold.tested.get(who, set()))
                pk = self.gold.pick(who, done, lambda p: not (
                    wanted and order.lang.get(p) and order.lang.get(p) not in wanted))
                if pk is not None:
                    person.reasons[pk] = GOLD
                    return pk, GOLD
            advancing = True
            tested = self.gold.tested.get(who, set())
            for index in range(person.cursor, len(order.pks)):
                pk = order.pks[index]
                lang = order.lang.get(pk)
                done = (pk in self.retired or pk in person.skipped or pk in tested
                        or who in (self.votes.get(pk) or {})
                        or bool(wanted and lang and lang not in wanted))
                if done:
                    if advancing:
                        person.cursor = index + 1
                    continue
                if self._open_for(pk, who, now):
                    return self._serve(pk, who, now, order.reason.get(pk, "uncertain"))
                advancing = False
            return None

    def _serve(self, pk: int, who: str, now: float, reason: str) -> tuple[int, str]:
        self.holds.setdefault(pk, {})[who] = now + HOLD_SECONDS
        self.people[who].reasons[pk] = reason
        return pk, reason

    def served_as(self, pk: int, who: str) -> str | None:
        """Why this post was served to this person (None: it was not): the form's own
        ``reason`` is not trusted, so nobody can call a gold test a vote or the reverse."""
        with self._lock:
            person = self.people.get(who)
            return person.reasons.get(pk) if person else None

    def labelled(self, pk: int, who: str, values: dict[str, str] | str | None,
                 role: str | None = None) -> None:
        """Someone answered (``values``: their answers, field -> value; a bare string is the
        relevance answer). An answer to a gold test is scored, never counted as a vote; a
        researcher's or admin's (``role``) makes gold."""
        if not isinstance(values, dict):
            values = {} if values is None else {FIELD: values}
        with self._lock:
            self.gold.know(who, role)
            (self.holds.get(pk) or {}).pop(who, None)
            person = self.people.setdefault(who, PersonState())
            test = person.reasons.pop(pk, None) == GOLD
            self.gold.record(who, pk, values, test=test)
            if not test:
                if FIELD in values:
                    self.votes.setdefault(pk, {})[who] = values[FIELD]
                for name in self.compared:
                    if name in values:
                        self.answers.setdefault(name, {}).setdefault(pk, {})[who] = values[name]
                if self._retires(pk):
                    self.retired.add(pk)
            person.history.append(("gold" if test else "label", pk))
            self.labels_since_build += 1
        if self.labels_since_build >= self.rebuild_every and self.study is not None:
            threading.Thread(target=self.build, daemon=True).start()

    def skipped(self, pk: int, who: str) -> None:
        with self._lock:
            (self.holds.get(pk) or {}).pop(who, None)
            person = self.people.setdefault(who, PersonState())
            person.skipped.add(pk)
            person.history.append(("skip", pk))

    def undo(self, who: str, given: dict[str, str] | None = None) -> tuple[str, int] | None:
        """Take back this person's last label or skip (up to HISTORY steps): the post is shown
        to them again next. ``given``: their stored answers to it, whose gold score is taken
        back too (see :meth:`last_of`). Returns (what was undone, pk); the caller deletes
        stored labels."""
        with self._lock:
            person = self.people.setdefault(who, PersonState())
            if not person.history:
                return None
            action, pk = person.history.pop()
            if action == "skip":
                person.skipped.discard(pk)
            else:
                self.gold.forget(who, pk, given or {}, test=action == "gold")
                (self.votes.get(pk) or {}).pop(who, None)
                for by_post in self.answers.values():
                    (by_post.get(pk) or {}).pop(who, None)
                if pk not in self.adjudicated and not self._retires(pk):
                    self.retired.discard(pk)
                if action == "gold":
                    person.reasons[pk] = GOLD  # shown again next, as the test it was
            person.again.append(pk)
            return ("label" if action == "gold" else action), pk

    def last_of(self, who: str) -> tuple[str, int] | None:
        """The step :meth:`undo` would take back next, without taking it."""
        with self._lock:
            person = self.people.get(who)
            return person.history[-1] if person and person.history else None

    def adjudicate(self, pk: int, values: dict[str, str] | None = None) -> None:
        """A researcher decided the post (``values``: field -> final answer): it retires and
        its answers are gold from now on."""
        with self._lock:
            self.adjudicated.add(pk)
            self.retired.add(pk)
            if values:
                self.gold.settle(pk, values)
