"""Labels: what people said of a post, one value per (post, field, annotator); and the queue
of posts nobody has labelled yet, read batch by batch with their latest scores.

"Unlabelled" is a correlated NOT EXISTS on the labels table (one index probe per post through
``uq_labels_post_field_annotator``); keyset pagination keeps memory bounded on any store size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd
from sqlalchemy import Engine, select

from wildsift.records import Label
from wildsift.store import schema
from wildsift.store.faults import translated
from wildsift.store.repository import Repository, driver_connection
from wildsift.store.rows import frame_of as _frame
from wildsift.store.rows import now as _now
from wildsift.store.scores import Scores
from wildsift.store.sqlite_bulk import SQLITE_UPSERT_LABEL, sqlite_datetime

QUEUE_SCORE_FIELDS = ("relevance", "relevance_method", "lexicon_hits")


class Labels(Repository):
    """The labels table, and the unlabelled posts of a field."""

    def __init__(self, engine: Engine, scores: Scores):
        super().__init__(engine)
        self.scores = scores

    def add(self, labels: Sequence[Label]) -> tuple[int, list[str]]:
        """Upsert labels by post_id; returns (stored, post ids not found).

        A label that names its platform is matched on (platform, post_id) only.
        """
        if not labels:
            return 0, []
        if self.is_sqlite and all(lab.platform for lab in labels):
            # One indexed upsert per label, the post's pk found by a subquery (no round trip).
            now = sqlite_datetime(_now())
            upserts = [(lab.field, lab.value, lab.annotator,
                        sqlite_datetime(lab.created_at) if lab.created_at else now,
                        lab.platform, lab.post_id) for lab in labels]
            with translated(self.engine), self.engine.begin() as conn:
                raw = driver_connection(conn)
                before = raw.total_changes
                raw.executemany(SQLITE_UPSERT_LABEL, upserts)
                stored = raw.total_changes - before
                missing: list[str] = []
                if stored < len(upserts):
                    keys = list(dict.fromkeys((lab.platform, lab.post_id) for lab in labels))
                    found = set()
                    for start in range(0, len(keys), 400):
                        chunk = keys[start:start + 400]
                        found.update(raw.execute(
                            "SELECT platform, post_id FROM posts WHERE (platform, post_id) IN "
                            f"(VALUES {','.join(['(?, ?)'] * len(chunk))})",
                            [x for key in chunk for x in key]).fetchall())
                    missing = [lab.post_id for lab in labels
                               if (lab.platform, lab.post_id) not in found]
            return stored, missing
        p = schema.posts.c
        ids = sorted({label.post_id for label in labels})
        pk_of: dict[tuple[str | None, str], int] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                for pk, platform, post_id in conn.execute(
                    select(p.pk, p.platform, p.post_id).where(p.post_id.in_(ids[start:start + 500]))
                ):
                    pk_of[(None, post_id)] = pk
                    pk_of[(platform, post_id)] = pk
        rows: list[dict[str, object]] = []
        missing = []
        for label in labels:
            pk = pk_of.get((label.platform, label.post_id))
            if pk is None:
                missing.append(label.post_id)
                continue
            rows.append({"post_pk": pk, "field": label.field,
                         "value": label.value, "annotator": label.annotator,
                         "created_at": label.created_at or _now()})
        if rows:
            statement = self.upsert(schema.labels)
            statement = statement.on_conflict_do_update(
                index_elements=["post_pk", "field", "annotator"],
                set_={"value": statement.excluded.value, "created_at": statement.excluded.created_at},
            )
            with self.engine.begin() as conn:
                conn.execute(statement, rows)
        return len(rows), missing

    def frame(self, field: str | None = None) -> pd.DataFrame:
        """Labels joined to posts: post_pk, post_id, field, value, annotator, created_at."""
        lab, p = schema.labels.c, schema.posts.c
        query = select(lab.post_pk, p.post_id, lab.field, lab.value, lab.annotator,
                       lab.created_at).join(schema.posts, p.pk == lab.post_pk)
        if field:
            query = query.where(lab.field == field)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(lab.post_pk)).all()
        return pd.DataFrame(rows, columns=["post_pk", "post_id", "field", "value", "annotator",
                                           "created_at"])

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
        versions = self.scores.versions()
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
            scores = self.scores.latest_between(
                list(score_fields), first, last, versions=versions)
            frame = frame.merge(scores.rename(columns={"post_pk": "pk"}), on="pk", how="left")
            for name in score_fields:
                if name not in frame:
                    frame[name] = None
            yield frame
