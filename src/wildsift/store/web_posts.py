"""What the web app reads about posts: one post with its scores, images, lexicon matches; a
filtered page of posts; posts sharing a contact token or an image.

Why here: the store is the only package that speaks SQL. Every filter is a typed field of
:class:`PostFilter` (a fixed list, validated by the web app), bound as a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, distinct, exists, func, literal, or_, select

from wildsift.store import schema

POST_FIELDS = ("pk", "platform", "post_id", "created_at", "text", "author", "lang", "country",
               "place", "hashtags", "query")
LIST_FIELDS = ("pk", "platform", "created_at", "lang", "country", "text")
LABEL_STATES = ("unlabelled", "labelled", "disputed", "adjudicated", "urgent")


@dataclass(frozen=True)
class PostFilter:
    min_score: float | None = None
    max_score: float | None = None
    decision: str | None = None  # "1" relevant, "0" not
    taxon: str | None = None
    platform: str | None = None
    country: str | None = None
    lang: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    label_state: str | None = None
    text: str | None = None  # words the redacted text contains


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def decision_source(engine: Engine) -> tuple[str, str] | None:
    """(stage, version) whose 'relevance' rows are the current decision: fusion when it ran,
    else the relevance stage; the newest version of it."""
    s = schema.scores.c
    with engine.connect() as conn:
        for stage in ("fusion", "relevance"):
            row = conn.execute(select(s.model_version).where(
                s.stage == stage, s.field == "relevance").order_by(s.scored_at.desc())
                .limit(1)).first()
            if row:
                return stage, str(row[0])
    return None


def stored_decision(versions: Sequence[tuple[str, str]]):
    """The post's one final decision as the store holds it: its latest ``relevant`` score row
    (what ``store.scores.latest(["relevant"])`` gives: fusion's when it ran after the relevance
    stage), as a correlated subquery over the (stage, version, post) index; None: no stage
    wrote one."""
    s, p = schema.scores.c, schema.posts.c
    if not versions:
        return None
    return (select(s.value).where(s.stage.in_(sorted({v[0] for v in versions})),
                                  s.model_version.in_(sorted({v[1] for v in versions})),
                                  s.post_pk == p.pk, s.field == "relevant")
            .order_by(s.scored_at.desc()).limit(1).scalar_subquery())


def search(engine: Engine, f: PostFilter, source: tuple[str, str] | None, *,
           limit: int = 50, offset: int = 0,
           versions: Sequence[tuple[str, str]] = ()) -> tuple[list[dict], int]:
    """One page of posts matching ``f``, newest first, with their decision score; and the
    number of matching posts. The ``decision`` filter reads the stored decision
    (:func:`stored_decision` over ``versions``), not a cut of the score."""
    p, s, lab, m = (schema.posts.c, schema.scores.c, schema.labels.c, schema.matches.c)
    score = None
    if source is not None:
        score = (select(s.value).where(s.post_pk == p.pk, s.stage == source[0],
                                       s.model_version == source[1], s.field == "relevance")
                 .limit(1).scalar_subquery())
    where = []
    if score is not None:
        if f.min_score is not None:
            where.append(score >= f.min_score)
        if f.max_score is not None:
            where.append(score <= f.max_score)
    if f.decision is not None:
        decision = stored_decision(versions)
        if decision is None:  # nothing decided yet: no post has a decision
            where.append(literal(False))
        else:
            where.append(decision == (1.0 if f.decision == "1" else 0.0))
    for column, value in (("platform", f.platform), ("country", f.country), ("lang", f.lang)):
        if value:
            where.append(p[column] == value)
    if f.date_from:
        where.append(p.created_at >= f.date_from)
    if f.date_to:
        where.append(p.created_at <= f.date_to)
    if f.text:
        where.append(p.text.ilike(_like(f.text), escape="\\"))
    if f.taxon:
        where.append(exists(select(m.post_pk).where(m.post_pk == p.pk, m.taxon == f.taxon)))
    relevant = select(lab.post_pk).where(lab.post_pk == p.pk, lab.field == "relevant")
    if f.label_state == "unlabelled":
        where.append(~relevant.exists())
    elif f.label_state == "labelled":
        where.append(relevant.exists())
    elif f.label_state == "disputed":
        where.append(select(func.count(distinct(lab.value))).where(
            lab.post_pk == p.pk, lab.field == "relevant").scalar_subquery() > 1)
    elif f.label_state in ("adjudicated", "urgent"):
        field = "adjudicated_relevant" if f.label_state == "adjudicated" else "urgent"
        where.append(select(lab.post_pk).where(lab.post_pk == p.pk, lab.field == field).exists())
    condition = and_(*where) if where else literal(True)
    decided = stored_decision(versions)
    columns = [p[c] for c in LIST_FIELDS] + [
        (score if score is not None else literal(None)).label("score"),
        (decided if decided is not None else literal(None)).label("decision")]
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(schema.posts)
                             .where(condition)).scalar_one()
        rows = conn.execute(select(*columns).where(condition).order_by(p.pk.desc())
                            .limit(limit).offset(offset)).all()
    return [dict(row._mapping) for row in rows], int(total)


def post(engine: Engine, pk: int) -> dict | None:
    p = schema.posts.c
    with engine.connect() as conn:
        row = conn.execute(select(*[p[c] for c in POST_FIELDS]).where(p.pk == pk)).first()
    return dict(row._mapping) if row else None


def scores_of(engine: Engine, pk: int, versions: Sequence[tuple[str, str]]) -> list[dict]:
    """The latest value of each score field of one post: stage, version, field, value."""
    s = schema.scores.c
    if not versions:
        return []
    pairs = or_(*[and_(s.stage == st, s.model_version == v) for st, v in versions])
    with engine.connect() as conn:
        rows = conn.execute(select(s.stage, s.model_version, s.field, s.value, s.text_value)
                            .where(pairs, s.post_pk == pk).order_by(s.scored_at)).all()
    latest: dict[str, dict] = {}
    for stage, version, field, value, text_value in rows:
        latest[field] = {"stage": stage, "version": version, "field": field,
                         "value": value if value is not None else text_value}
    return sorted(latest.values(), key=lambda r: r["field"])


def relevance_of(engine: Engine, pk: int, versions: Sequence[tuple[str, str]]) -> float | None:
    for row in scores_of(engine, pk, versions):
        if row["field"] == "relevance" and isinstance(row["value"], float):
            return row["value"]
    return None


def images_of(engine: Engine, pk: int) -> list[dict]:
    pi, im = schema.post_images.c, schema.images.c
    with engine.connect() as conn:
        rows = conn.execute(select(pi.sha256, pi.position, pi.frame, im.faces, im.ocr_text)
                            .join(schema.images, im.sha256 == pi.sha256, isouter=True)
                            .where(pi.post_pk == pk).order_by(pi.position, pi.frame)).all()
    return [dict(row._mapping) for row in rows]


def sharing_images(engine: Engine, pk: int, limit: int = 20) -> list[int]:
    """Other posts that show one of this post's images (the same file, content-addressed)."""
    pi = schema.post_images.c
    mine = select(pi.sha256).where(pi.post_pk == pk)
    with engine.connect() as conn:
        rows = conn.execute(select(pi.post_pk).distinct().where(
            pi.sha256.in_(mine), pi.post_pk != pk).limit(limit)).all()
    return [int(r[0]) for r in rows]


def sharing_text(engine: Engine, token: str, pk: int, limit: int = 20) -> list[int]:
    """Other posts whose redacted text holds ``token`` (a contact token such as <PHONE:ab12>)."""
    p = schema.posts.c
    with engine.connect() as conn:
        rows = conn.execute(select(p.pk).where(p.text.like(_like(token), escape="\\"),
                                               p.pk != pk).order_by(p.pk).limit(limit)).all()
    return [int(r[0]) for r in rows]


def brief(engine: Engine, pks: Sequence[int]) -> list[dict]:
    """pk, platform, created_at and text of a few posts (lists of related posts)."""
    p = schema.posts.c
    if not pks:
        return []
    with engine.connect() as conn:
        rows = conn.execute(select(p.pk, p.platform, p.created_at, p.text)
                            .where(p.pk.in_(list(pks))).order_by(p.pk)).all()
    return [dict(row._mapping) for row in rows]


def distinct_values(engine: Engine, column: str, limit: int = 300) -> list[str]:
    """The values a filter may take (platforms, languages, countries): the dropdown lists."""
    if column not in ("platform", "lang", "country"):
        raise ValueError(f"no list of values for {column!r}")
    c = schema.posts.c[column]
    with engine.connect() as conn:
        rows = conn.execute(select(c).distinct().where(c.is_not(None)).order_by(c)
                            .limit(limit)).all()
    return [str(r[0]) for r in rows]
