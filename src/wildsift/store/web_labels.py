"""Labels as the web app writes them: each write goes to ``labels`` and to the hash-chained
``label_log`` in one transaction, so the log and the labels never disagree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Engine, and_, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from wildsift.records import Label
from wildsift.store import schema
from wildsift.store.label_log import Entry, append
from wildsift.store.rows import now as _now

URGENT, URGENT_ACK = "urgent", "urgent_ack"


def _upsert(engine: Engine):
    insert = sqlite.insert if engine.dialect.name == "sqlite" else postgresql.insert
    statement = insert(schema.labels)
    return statement.on_conflict_do_update(
        index_elements=["post_pk", "field", "annotator"],
        set_={"value": statement.excluded.value, "created_at": statement.excluded.created_at})


def write(engine: Engine, post_pk: int, annotator: str, values: Mapping[str, str], *,
          action: str = "label") -> None:
    """Store ``values`` (field -> value) as ``annotator``'s labels of a post, and log them."""
    if not values:
        return
    now = _now()
    rows = [{"post_pk": post_pk, "field": f, "value": v, "annotator": annotator,
             "created_at": now} for f, v in values.items()]
    with engine.begin() as conn:
        conn.execute(_upsert(engine), rows)
        append(conn, [Entry(post_pk, action, f, v, annotator) for f, v in values.items()])


def write_imported(engine: Engine, labels: Sequence[Label]) -> tuple[int, list[str]]:
    """Labels read from an outside tool's export (a Zooniverse file uploaded in the app),
    stored with their own times and logged as 'import', in one transaction. A label is
    matched to its post by (platform, post_id), or by post_id when it names no platform.
    Returns (labels stored, post ids not in the study)."""
    p = schema.posts.c
    ids = sorted({label.post_id for label in labels})
    pk_of: dict[tuple[str | None, str], int] = {}
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            for pk, platform, post_id in conn.execute(select(p.pk, p.platform, p.post_id).where(
                    p.post_id.in_(ids[start:start + 500]))):
                pk_of[(None, post_id)] = pk_of[(platform, post_id)] = int(pk)
    rows: list[dict] = []
    entries: list[Entry] = []
    missing: list[str] = []
    now = _now()
    for label in labels:
        pk = pk_of.get((label.platform, label.post_id)) or pk_of.get((None, label.post_id))
        if pk is None:
            missing.append(label.post_id)
            continue
        rows.append({"post_pk": pk, "field": label.field, "value": label.value,
                     "annotator": label.annotator, "created_at": label.created_at or now})
        entries.append(Entry(pk, "import", label.field, label.value, label.annotator))
    if rows:
        with engine.begin() as conn:
            conn.execute(_upsert(engine), rows)
            append(conn, entries)
    return len(rows), missing


def remove(engine: Engine, post_pk: int, annotator: str, fields: Sequence[str]) -> int:
    """Undo: delete ``annotator``'s labels of these fields on a post (logged as 'undo')."""
    lab = schema.labels.c
    with engine.begin() as conn:
        gone = conn.execute(delete(schema.labels).where(
            lab.post_pk == post_pk, lab.annotator == annotator,
            lab.field.in_(list(fields)))).rowcount
        append(conn, [Entry(post_pk, "undo", f, "", annotator) for f in fields])
    return int(gone or 0)


def values_of(engine: Engine, field: str) -> list[tuple[int, str, str]]:
    """(post_pk, annotator, value) of every label of ``field`` (the queue's starting state)."""
    lab = schema.labels.c
    with engine.connect() as conn:
        rows = conn.execute(select(lab.post_pk, lab.annotator, lab.value)
                            .where(lab.field == field)).all()
    return [(int(pk), str(who), str(value)) for pk, who, value in rows]


def labels_of(engine: Engine, post_pk: int) -> list[tuple[str, str, str]]:
    """(field, value, annotator) of every label of one post."""
    lab = schema.labels.c
    with engine.connect() as conn:
        rows = conn.execute(select(lab.field, lab.value, lab.annotator)
                            .where(lab.post_pk == post_pk)
                            .order_by(lab.field, lab.annotator)).all()
    return [(str(f), str(v), str(a)) for f, v, a in rows]


def open_urgent(engine: Engine, limit: int = 200) -> list[int]:
    """Posts flagged 'urgent: live animal' that no researcher has acknowledged yet."""
    lab, ack = schema.labels.c, schema.labels.alias("ack")
    acknowledged = select(ack.c.post_pk).where(
        and_(ack.c.post_pk == lab.post_pk, ack.c.field == URGENT_ACK)).exists()
    with engine.connect() as conn:
        rows = conn.execute(select(lab.post_pk).distinct().where(
            lab.field == URGENT, lab.value == "1", ~acknowledged)
            .order_by(lab.post_pk).limit(limit)).all()
    return [int(r[0]) for r in rows]
