"""Gold questions for volunteers: posts whose answer researchers settled, mixed into a
volunteer's queue at a set rate, and a skill score per person from their answers on them.

Why: Dawid-Skene learns reliability from agreement alone, which needs overlap; a volunteer who
labelled twenty posts nobody else saw has none. Gold answers measure them directly (Zooniverse's
gold standard works the same way). The skill is the share of gold answers right, shrunk towards
a prior for people with few answers (a Beta(1, 1) posterior mean), so one lucky answer is not a
perfect score.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wildsift.labels.values import field_labels, normalise_value

GOLD_COLUMNS = ("post_pk", "field", "value")
SKILL_COLUMNS = ("annotator", "answered", "correct", "accuracy", "skill")


@dataclass(frozen=True)
class GoldRate:
    """How often a volunteer's queue serves a gold post (``rate`` of all posts served)."""

    rate: float = 0.1

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"gold rate must be between 0 and 1, got {self.rate}")

    def due(self, served: int, gold_served: int) -> bool:
        """Whether the next post should be gold, given how many posts (and gold ones) this
        person was served so far: keeps the gold share at ``rate`` without randomness, so a
        volunteer cannot learn to spot gold by its rhythm any better than by chance."""
        return gold_served < self.rate * (served + 1)


def gold_from_labels(labels: pd.DataFrame, experts: set[str] | frozenset[str],
                     fields: list[str] | None = None) -> pd.DataFrame:
    """Gold answers from the labels of trusted people (researchers, adjudications): per post and
    field, the value the experts agree on; posts where experts disagree are left out."""
    expert = labels[labels["annotator"].isin(experts)]
    rows = []
    for name in fields if fields is not None else sorted(set(expert["field"])):
        frame = field_labels(expert, name)
        for pk, values in frame.groupby("post_pk")["value"]:
            if values.nunique() == 1:
                rows.append((pk, name, values.iloc[0]))
    return pd.DataFrame(rows, columns=list(GOLD_COLUMNS))


def skill_scores(labels: pd.DataFrame, gold: pd.DataFrame, *, exclude: set[str] | None = None,
                 prior_correct: float = 1.0, prior_wrong: float = 1.0) -> pd.DataFrame:
    """Per annotator: gold posts ``answered``, ``correct``, raw ``accuracy`` and ``skill`` (the
    posterior mean accuracy under a Beta(prior_correct, prior_wrong) prior). Every field with a
    gold answer counts. ``exclude``: people not to score (the experts who made the gold)."""
    if gold.empty or labels.empty:
        return pd.DataFrame(columns=list(SKILL_COLUMNS))
    answers = []
    for name, expected in gold.groupby("field"):
        frame = field_labels(labels, str(name))
        truth = {pk: normalise_value(str(name), v) for pk, v in zip(expected["post_pk"],
                                                                   expected["value"])}
        frame = frame[frame["post_pk"].isin(truth)]
        answers.append(frame.assign(right=[truth[pk] == v for pk, v in
                                           zip(frame["post_pk"], frame["value"])]))
    scored = pd.concat(answers, ignore_index=True) if answers else pd.DataFrame()
    if scored.empty:
        return pd.DataFrame(columns=list(SKILL_COLUMNS))
    if exclude:
        scored = scored[~scored["annotator"].isin(exclude)]
    table = scored.groupby("annotator")["right"].agg(answered="size", correct="sum")
    table["correct"] = table["correct"].astype(int)
    table["accuracy"] = table["correct"] / table["answered"]
    table["skill"] = ((table["correct"] + prior_correct)
                      / (table["answered"] + prior_correct + prior_wrong))
    return table.reset_index().sort_values("skill", ascending=False, kind="stable")[
        list(SKILL_COLUMNS)].reset_index(drop=True)


ADJUDICATED_PREFIX = "adjudicated_"


def gold_answers(labels: pd.DataFrame, experts: set[str] | frozenset[str],
                 fields: list[str]) -> pd.DataFrame:
    """Gold answers of ``fields``: a researcher's adjudication (label ``adjudicated_<field>``,
    the post's final answer, whoever else said what) wins; else the value the experts agree on
    (:func:`gold_from_labels`). Values in one spelling (``normalise_value``)."""
    adjudicated = labels[labels["field"].astype(str).str.startswith(ADJUDICATED_PREFIX)]
    adjudicated = adjudicated.assign(
        field=adjudicated["field"].str.slice(len(ADJUDICATED_PREFIX)))
    adjudicated = adjudicated[adjudicated["field"].isin(fields)]
    rows = {}
    for row in gold_from_labels(labels, experts, fields).itertuples(index=False):
        rows[(int(row.post_pk), row.field)] = row.value
    for name in fields:  # the latest adjudication of a post's field, when several
        for row in field_labels(adjudicated, name).itertuples(index=False):
            rows[(int(row.post_pk), name)] = row.value
    return pd.DataFrame([(pk, f, v) for (pk, f), v in sorted(rows.items())],
                        columns=list(GOLD_COLUMNS))
