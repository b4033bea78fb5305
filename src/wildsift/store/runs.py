"""The runs repository: what each `wildsift sift` run did, and what is stale for a stage.

A run is written once, when it ends, by the engine (``engine/runs.py``); the report lists them.
Stale counts answer "how many posts (or images) has this stage not yet done at this version?"
from the stored outputs alone, so ``wildsift sift --explain`` runs nothing to answer it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, insert, select

from wildsift.store import schema
from wildsift.store.rows import now


@dataclass
class StageCount:
    """What one stage did in a run. ``scored``: items it did; ``skipped``: items it left
    because they were already done at this version; ``left``: items still not done after the
    run (e.g. an image whose file is missing)."""

    name: str
    over: str
    version: str
    scored: int = 0
    skipped: int = 0
    left: int = 0


@dataclass
class Unavailable:
    """Something the run could not do on the machine that ran it, and why."""

    what: str
    why: str


@dataclass
class RunRecord:
    command: str
    started_at: datetime
    finished_at: datetime | None = None
    stages: list[StageCount] = field(default_factory=list)
    unavailable: list[Unavailable] = field(default_factory=list)
    id: int | None = None


class Runs:
    """Add and list runs (SQLite or PostgreSQL: plain SQLAlchemy Core, no dialect branches)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add(self, run: RunRecord) -> int:
        row = {"command": run.command, "started_at": run.started_at,
               "finished_at": run.finished_at or now(),
               "stages": [asdict(s) for s in run.stages],
               "unavailable": [asdict(u) for u in run.unavailable]}
        with self.engine.begin() as conn:
            inserted = conn.execute(insert(schema.runs).values(**row)).inserted_primary_key
        assert inserted is not None  # an INSERT of one row always has its key
        key = inserted[0]
        run.id = int(key)
        return run.id

    def list(self, limit: int | None = None) -> list[RunRecord]:
        """The runs, newest first."""
        r = schema.runs.c
        query = select(r.id, r.command, r.started_at, r.finished_at, r.stages, r.unavailable
                       ).order_by(r.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [RunRecord(command=row.command, started_at=row.started_at,
                          finished_at=row.finished_at,
                          stages=[StageCount(**s) for s in row.stages or []],
                          unavailable=[Unavailable(**u) for u in row.unavailable or []],
                          id=int(row.id)) for row in rows]


def stale_posts(engine: Engine, stage: str, version: str) -> int:
    """Posts with no stored output of ``stage`` at ``version``."""
    p, s = schema.posts.c, schema.scores.c
    done = select(s.post_pk).where(s.stage == stage, s.model_version == version,
                                   s.post_pk == p.pk)
    query = select(func.count()).select_from(schema.posts).where(~done.exists())
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def stale_images(engine: Engine, stage: str, version: str, todo_column: str | None) -> int:
    """Images ``stage`` has still to do: its ``todo_column`` of the images table is empty, or
    (a stage with only scores) it has no score at ``version``."""
    i = schema.images.c
    if todo_column is not None:
        query = select(func.count()).select_from(schema.images).where(i[todo_column].is_(None))
    else:
        s = schema.image_scores.c
        done = select(s.sha256).where(s.stage == stage, s.model_version == version,
                                      s.sha256 == i.sha256)
        query = select(func.count()).select_from(schema.images).where(~done.exists())
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def total(engine: Engine, over: str) -> int:
    """How many posts (``over="posts"``) or distinct images (``"images"``) the store holds."""
    table = schema.images if over == "images" else schema.posts
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
