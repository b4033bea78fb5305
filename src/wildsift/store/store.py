"""Store: write posts, matches, scores, labels, quarantined records and cursors; read batches.

One class for SQLite and PostgreSQL (SQLAlchemy Core). Writes are idempotent where it matters:
a post is keyed by (platform, post_id), so re-importing a file adds nothing twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from wildsift.errors import StoreError
from wildsift.records import Label, Post, Quarantined
from wildsift.store import schema
from wildsift.store.migrate import upgrade

POST_COLUMNS = [c.name for c in schema.posts.columns]


def _now() -> datetime:
    return datetime.now(UTC)


def _frame(rows: Sequence, columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame from result rows; plain tuples make this ~5x faster than Row objects."""
    return pd.DataFrame([tuple(row) for row in rows], columns=list(columns))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    """A study's database. Open with :meth:`open`; everything else is plain method calls."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._insert = sqlite.insert if engine.dialect.name == "sqlite" else postgresql.insert

    @classmethod
    def open(cls, url: str) -> "Store":
        try:
            engine = create_engine(url, future=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            elif engine.dialect.name != "postgresql":
                raise StoreError(f"unsupported storage URL {engine.url!r}: use sqlite or postgresql")
            upgrade(engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open store {url.split('@')[-1]}: {exc}") from exc
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- posts ----------------------------------------------------------------------------
    def add_posts(self, posts: Sequence[Post]) -> int:
        """Insert posts not stored yet; returns how many were new (the rest are duplicates)."""
        if not posts:
            return 0
        now = _now()
        rows = []
        for post in posts:
            row = {name: getattr(post, name) for name in POST_COLUMNS if name != "pk"}
            row["media"] = [dataclasses.asdict(m) for m in post.media]
            row["collected_at"] = post.collected_at or now
            rows.append(row)
        statement = self._insert(schema.posts).on_conflict_do_nothing(
            index_elements=["platform", "post_id"]
        ).returning(schema.posts.c.pk)
        with self.engine.begin() as conn:
            result = conn.execute(statement, rows)
            return len(result.all())

    def count_posts(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.posts)).scalar_one()

    def pks_for(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Map (platform, post_id) to the stored primary key."""
        keys = list(keys)
        out: dict[tuple[str, str], int] = {}
        p = schema.posts.c
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            ids = [k[1] for k in chunk]
            with self.engine.connect() as conn:
                for pk, platform, post_id in conn.execute(
                    select(p.pk, p.platform, p.post_id).where(p.post_id.in_(ids))
                ):
                    out[(platform, post_id)] = pk
        return out

    def iter_posts(
        self,
        columns: Sequence[str] = ("pk", "platform", "post_id", "text", "lang"),
        *,
        batch_size: int = 5000,
        unscored_by: tuple[str, str] | None = None,
    ) -> Iterator[pd.DataFrame]:
        """Batches of posts as DataFrames (keyset pagination: bounded memory, any size).

        ``unscored_by=(stage, model_version)`` yields only posts that stage has not scored.
        """
        p = schema.posts.c
        cols = [p[name] for name in columns]
        if "pk" not in columns:
            cols.insert(0, p.pk)
        last = 0
        while True:
            query = select(*cols).where(p.pk > last).order_by(p.pk).limit(batch_size)
            if unscored_by is not None:
                s = schema.scores.c
                done = select(s.post_pk).where(
                    s.stage == unscored_by[0], s.model_version == unscored_by[1]
                )
                query = query.where(p.pk.not_in(done))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            frame = _frame(rows, [c.name for c in cols])
            last = int(frame["pk"].iloc[-1])
            yield frame

    def posts_frame(self, columns: Sequence[str] = tuple(POST_COLUMNS), *,
                    pks: Sequence[int] | None = None) -> pd.DataFrame:
        """All posts (or those with the given ``pks``), selected columns, in one DataFrame."""
        p = schema.posts.c
        query = select(*[p[c] for c in columns]).order_by(p.pk)
        with self.engine.connect() as conn:
            if pks is None:
                rows = conn.execute(query).all()
            else:
                wanted = sorted({int(pk) for pk in pks})
                rows = []
                for start in range(0, len(wanted), 500):
                    rows += conn.execute(query.where(p.pk.in_(wanted[start:start + 500]))).all()
        return _frame(rows, columns)

    # -- stage outputs --------------------------------------------------------------------
    def write_scores(self, stage: str, model_version: str, frame: pd.DataFrame,
                     fields: Sequence[str]) -> None:
        """Store stage outputs: numeric fields in ``value``, others in ``text_value``."""
        now = _now()
        rows = []
        for field in fields:
            values = frame[field].tolist()
            numeric = pd.api.types.is_numeric_dtype(frame[field])
            for pk, value in zip(frame["pk"].tolist(), values):
                rows.append({
                    "post_pk": int(pk), "stage": stage, "model_version": model_version,
                    "field": field, "scored_at": now,
                    "value": float(value) if numeric and value is not None else None,
                    "text_value": None if numeric or value is None else str(value),
                })
        if rows:
            with self.engine.begin() as conn:
                conn.execute(schema.scores.insert(), rows)

    def scored_pks(self, stage: str, model_version: str, pks: Iterable[int]) -> set[int]:
        """Which of ``pks`` this stage has already scored at this version."""
        s = schema.scores.c
        wanted = sorted({int(pk) for pk in pks})
        found: set[int] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                found.update(conn.execute(select(s.post_pk).distinct().where(
                    s.stage == stage, s.model_version == model_version,
                    s.post_pk.in_(wanted[start:start + 500]))).scalars())
        return found

    def latest_scores(self, fields: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per post, one column per score field, from the latest scoring of each.

        A field's column is numeric when all its latest values are numbers, else it holds
        numbers and texts. Built per field rather than with a pivot (a million posts in seconds).
        """
        s = schema.scores.c
        query = select(s.post_pk, s.field, s.value, s.text_value)
        if fields:
            query = query.where(s.field.in_(list(fields)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(s.scored_at)).all()
        frame = _frame(rows, ["post_pk", "field", "value", "text_value"])
        if frame.empty:
            return pd.DataFrame({"post_pk": []})
        latest = frame.drop_duplicates(["post_pk", "field"], keep="last")
        out = pd.DataFrame({"post_pk": latest["post_pk"].drop_duplicates().sort_values().to_numpy()})
        for field, part in latest.groupby("field", sort=True):
            numeric = part["value"].notna()
            values = part["value"] if numeric.all() else (
                part["value"].astype(object).where(numeric, part["text_value"]))
            out[field] = out["post_pk"].map(
                pd.Series(values.to_numpy(), index=part["post_pk"].to_numpy()))
        return out

    def replace_matches(self, frame: pd.DataFrame, pks: Iterable[int] | None = None) -> None:
        """Store lexicon matches (columns post_pk, taxon, product, lang, term, kind).

        Earlier matches of the posts in ``pks`` (default: the posts in ``frame``) are removed
        first, so a post re-matched by a new lexicon keeps no stale match.
        """
        pks = sorted({int(pk) for pk in (frame["post_pk"] if pks is None else pks)})
        rows = frame[["post_pk", "taxon", "product", "lang", "term", "kind"]].to_dict("records")
        with self.engine.begin() as conn:
            for start in range(0, len(pks), 500):
                conn.execute(delete(schema.matches).where(
                    schema.matches.c.post_pk.in_(pks[start:start + 500])))
            if rows:
                conn.execute(schema.matches.insert(), rows)

    def matches_frame(self) -> pd.DataFrame:
        m = schema.matches.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(m.post_pk, m.taxon, m.product, m.lang, m.term, m.kind)).all()
        return _frame(rows, ["post_pk", "taxon", "product", "lang", "term", "kind"])

    # -- labels ---------------------------------------------------------------------------
    def add_labels(self, labels: Sequence[Label]) -> tuple[int, list[str]]:
        """Upsert labels by post_id; returns (stored, post ids not found)."""
        p = schema.posts.c
        ids = sorted({label.post_id for label in labels})
        pk_of: dict[str, int] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                for pk, post_id in conn.execute(
                    select(p.pk, p.post_id).where(p.post_id.in_(ids[start:start + 500]))
                ):
                    pk_of[post_id] = pk
        rows, missing = [], []
        for label in labels:
            if label.post_id not in pk_of:
                missing.append(label.post_id)
                continue
            rows.append({"post_pk": pk_of[label.post_id], "field": label.field,
                         "value": label.value, "annotator": label.annotator,
                         "created_at": label.created_at or _now()})
        if rows:
            statement = self._insert(schema.labels)
            statement = statement.on_conflict_do_update(
                index_elements=["post_pk", "field", "annotator"],
                set_={"value": statement.excluded.value, "created_at": statement.excluded.created_at},
            )
            with self.engine.begin() as conn:
                conn.execute(statement, rows)
        return len(rows), missing

    def labels_frame(self, field: str | None = None) -> pd.DataFrame:
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

    # -- quarantine and cursors -----------------------------------------------------------
    def quarantine(self, items: Sequence[Quarantined]) -> None:
        if not items:
            return
        now = _now()
        rows = [dataclasses.asdict(item) | {"created_at": now} for item in items]
        with self.engine.begin() as conn:
            conn.execute(schema.quarantine.insert(), rows)

    def quarantined(self) -> list[Quarantined]:
        q = schema.quarantine.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(q.source, q.location, q.reason, q.field).order_by(q.id)).all()
        return [Quarantined(source=r[0], location=r[1], reason=r[2], field=r[3]) for r in rows]

    def get_cursor(self, source: str, query: str) -> str | None:
        c = schema.cursors.c
        with self.engine.connect() as conn:
            return conn.execute(
                select(c.cursor).where(c.source == source, c.query == query)
            ).scalar_one_or_none()

    def set_cursor(self, source: str, query: str, cursor: str) -> None:
        statement = self._insert(schema.cursors).values(
            source=source, query=query, cursor=cursor, updated_at=_now()
        )
        statement = statement.on_conflict_do_update(
            index_elements=["source", "query"],
            set_={"cursor": statement.excluded.cursor, "updated_at": statement.excluded.updated_at},
        )
        with self.engine.begin() as conn:
            conn.execute(statement)

    def save_page(self, posts: Sequence[Post], quarantined: Sequence[Quarantined],
                  source: str, query: str, cursor: str | None) -> int:
        """Commit one page of a live source and its cursor together, so a kill loses nothing."""
        stored = self.add_posts(posts)
        self.quarantine(quarantined)
        if cursor is not None:
            self.set_cursor(source, query, cursor)
        return stored
