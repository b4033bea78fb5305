"""What the labelling queue reads: unlabelled posts batch by batch, with their latest scores.

A mixin of :class:`wildsift.store.Store` (it uses ``self.engine`` and the score readers of
:class:`wildsift.store.outputs.StageOutputs`). Keyset pagination keeps memory bounded on any
store size; "unlabelled" is a correlated NOT EXISTS on the labels table (one index probe per post
through ``uq_labels_post_field_annotator``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd
from sqlalchemy import Engine, select

from wildsift.store import schema
from wildsift.store.rows import frame_of as _frame

QUEUE_SCORE_FIELDS = ("relevance", "relevance_method", "lexicon_hits")


class LabelQueue:
    """Unlabelled posts for active learning; mixed into Store."""

    engine: Engine

    def iter_unlabelled(self, field: str = "relevant",
                        columns: Sequence[str] = ("pk", "platform", "post_id", "text", "lang"),
                        *, score_fields: Sequence[str] = QUEUE_SCORE_FIELDS,
                        batch_size: int = 5000) -> Iterator[pd.DataFrame]:
        """Batches of posts nobody has labelled for ``field``, with the latest value of each of
        ``score_fields`` as a column (missing when the post was never scored)."""
        p, lab = schema.posts.c, schema.labels.c
        cols = [p[name] for name in columns]
        if "pk" not in columns:
            cols.insert(0, p.pk)
        names = [c.name for c in cols]
        versions = self.score_versions()  # type: ignore[attr-defined]
        labelled = select(lab.post_pk).where(lab.post_pk == p.pk, lab.field == field)
        last = 0
        while True:
            query = (select(*cols).where(p.pk > last, ~labelled.exists())
                     .order_by(p.pk).limit(batch_size))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            frame = _frame(rows, names)
            first, last = int(frame["pk"].iloc[0]), int(frame["pk"].iloc[-1])
            scores = self.latest_scores_between(  # type: ignore[attr-defined]
                list(score_fields), first, last, versions=versions)
            frame = frame.merge(scores.rename(columns={"post_pk": "pk"}), on="pk", how="left")
            for name in score_fields:
                if name not in frame:
                    frame[name] = None
            yield frame

    def matched_terms(self, pks: Sequence[int]) -> dict[int, list[str]]:
        """Lexicon terms matched in each of ``pks`` (as "term (taxon)"), for showing a post."""
        m = schema.matches.c
        wanted = sorted({int(pk) for pk in pks})
        found: dict[int, list[str]] = {pk: [] for pk in wanted}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                rows = conn.execute(select(m.post_pk, m.term, m.taxon).where(
                    m.post_pk.in_(wanted[start:start + 500]))).all()
                for pk, term, taxon in rows:
                    text = f"{term} ({taxon})"
                    if text not in found[int(pk)]:
                        found[int(pk)].append(text)
        return found
