"""The append-only, hash-chained log of labels and adjudications made in the web app.

Why a chain: a study's findings rest on who labelled what, when. Each row's ``hash`` is the
sha256 of the previous row's hash and of the row's own fields, so changing, inserting or
deleting any row breaks every hash after it (:func:`verify` says where). Triggers refuse UPDATE
and DELETE (migration 0006); the chain also catches what goes around them (a raw edit of the
file, a dropped trigger). Rows hold pseudonyms and label values only.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, text

from wildsift.store import schema
from wildsift.store.rows import now as _now

GENESIS = "0" * 64
ACTIONS = ("label", "undo", "adjudicate", "urgent", "ack", "import")
_LOCK = threading.Lock()  # one appender at a time in a process (the chain's last hash)


@dataclass(frozen=True, slots=True)
class Entry:
    post_pk: int
    action: str
    field: str
    value: str
    annotator: str


@dataclass(frozen=True, slots=True)
class Broken:
    """Where the chain breaks: the first row whose hash does not follow."""

    seq: int
    reason: str


def entry_hash(prev_hash: str, seq: int, entry: Entry, created_at: str) -> str:
    body = json.dumps([seq, entry.post_pk, entry.action, entry.field, entry.value,
                       entry.annotator, created_at], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def append(conn: Connection, entries: Sequence[Entry]) -> None:
    """Append ``entries`` inside the caller's transaction (with the label rows they record)."""
    if not entries:
        return
    log = schema.label_log.c
    with _LOCK:
        if conn.dialect.name == "postgresql":  # other processes: one appender at a time
            conn.execute(text("LOCK TABLE label_log IN EXCLUSIVE MODE"))
        last = conn.execute(select(log.seq, log.hash).order_by(log.seq.desc()).limit(1)).first()
        seq, prev = (int(last.seq), last.hash) if last else (0, GENESIS)
        when = _now().isoformat(timespec="microseconds")
        rows = []
        for entry in entries:
            if entry.action not in ACTIONS:
                raise ValueError(f"unknown label log action {entry.action!r}")
            seq += 1
            digest = entry_hash(prev, seq, entry, when)
            rows.append({"seq": seq, "post_pk": entry.post_pk, "action": entry.action,
                         "field": entry.field, "value": entry.value,
                         "annotator": entry.annotator, "created_at": when,
                         "prev_hash": prev, "hash": digest})
            prev = digest
        conn.execute(insert(schema.label_log), rows)


def verify(engine: Engine, batch_size: int = 10000) -> tuple[int, Broken | None]:
    """(rows checked, the first break or None): recompute every hash in order."""
    log = schema.label_log.c
    prev, expected_seq, checked = GENESIS, 1, 0
    last = 0
    with engine.connect() as conn:
        while True:
            rows = conn.execute(select(schema.label_log).where(log.seq > last)
                                .order_by(log.seq).limit(batch_size)).all()
            if not rows:
                return checked, None
            for row in rows:
                if row.seq != expected_seq:
                    return checked, Broken(expected_seq, f"row {expected_seq} is missing")
                if row.prev_hash != prev:
                    return checked, Broken(row.seq, "prev_hash does not match the row before")
                entry = Entry(row.post_pk, row.action, row.field, row.value, row.annotator)
                if entry_hash(prev, row.seq, entry, row.created_at) != row.hash:
                    return checked, Broken(row.seq, "the row was changed after it was written")
                prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
            last = rows[-1].seq


def last_hash(engine: Engine) -> str:
    """The newest row's hash (GENESIS when empty): kept elsewhere, it shows a cut-off tail."""
    log = schema.label_log.c
    with engine.connect() as conn:
        row = conn.execute(select(log.hash).order_by(log.seq.desc()).limit(1)).first()
    return row[0] if row else GENESIS


def entries_for(engine: Engine, post_pk: int) -> list[dict]:
    """The log of one post, oldest first (the post page's history)."""
    log = schema.label_log.c
    with engine.connect() as conn:
        rows = conn.execute(select(log.seq, log.action, log.field, log.value, log.annotator,
                                   log.created_at).where(log.post_pk == post_pk)
                            .order_by(log.seq)).all()
    return [dict(row._mapping) for row in rows]
