"""The web app's accounts and sessions (tables ``users`` and ``web_sessions``).

Why a repository of its own: the store's other parts know posts; these rows know people, and
only the web app and ``wildsift users`` read them. Nothing here hashes passwords or makes
pseudonyms (the caller does, with argon2 and the study's secret): this module stores what it
is given and never sees a name or a password in clear.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from wildsift.errors import InputError
from wildsift.store import schema
from wildsift.store.rows import now as _now

ROLES = ("admin", "researcher", "annotator", "volunteer")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    login: str
    annotator: str
    role: str
    languages: tuple[str, ...]
    password_hash: str
    must_change: bool
    graphic_opt_in: bool
    disabled: bool


def token_hash(token: str) -> str:
    """What is stored of a session token: its sha256 (a stolen table opens no session)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row) -> User:
    return User(int(row.id), row.login, row.annotator, row.role, tuple(row.languages or ()),
                row.password_hash, bool(row.must_change), bool(row.graphic_opt_in),
                bool(row.disabled))


class Users:
    """Accounts and sessions over a store's engine."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # -- accounts -------------------------------------------------------------------------
    def add(self, login: str, annotator: str, role: str, languages: list[str],
            password_hash: str, *, must_change: bool = True) -> User:
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        row = {"login": login, "annotator": annotator, "role": role, "languages": languages,
               "password_hash": password_hash, "must_change": int(must_change),
               "graphic_opt_in": 0, "disabled": 0, "created_at": _now()}
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(schema.users).values(**row))
        except IntegrityError as exc:
            raise InputError("a user of that name exists already") from exc
        found = self.by_login(login)
        assert found is not None
        return found

    def by_login(self, login: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(schema.users.c.login == login)).first()
        return _user(row) if row else None

    def by_id(self, user_id: int) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(schema.users.c.id == user_id)).first()
        return _user(row) if row else None

    def all(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.users).order_by(schema.users.c.id)).all()
        return [_user(row) for row in rows]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.users)).scalar_one()

    def update(self, user_id: int, **values: object) -> None:
        allowed = {"password_hash", "must_change", "graphic_opt_in", "disabled", "languages",
                   "role"}
        unknown = set(values) - allowed
        if unknown:
            raise InputError(f"cannot change {sorted(unknown)} of a user")
        values = {k: int(v) if isinstance(v, bool) else v for k, v in values.items()}
        with self.engine.begin() as conn:
            conn.execute(update(schema.users).where(schema.users.c.id == user_id).values(**values))
            if "password_hash" in values or values.get("disabled"):
                conn.execute(delete(schema.web_sessions).where(
                    schema.web_sessions.c.user_id == user_id))

    # -- sessions -------------------------------------------------------------------------
    def open_session(self, user_id: int, token: str, csrf: str, lifetime: timedelta) -> None:
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(delete(schema.web_sessions).where(
                schema.web_sessions.c.expires_at < now))
            conn.execute(insert(schema.web_sessions).values(
                token_hash=token_hash(token), user_id=user_id, csrf=csrf, created_at=now,
                expires_at=now + lifetime))

    def session(self, token: str) -> tuple[User, str] | None:
        """The user and CSRF token of a live session, or None (unknown, expired, disabled)."""
        s, u = schema.web_sessions.c, schema.users.c
        with self.engine.connect() as conn:
            row = conn.execute(select(s.user_id, s.csrf, s.expires_at).where(
                s.token_hash == token_hash(token))).first()
            if row is None or _aware(row.expires_at) < _now():
                return None
            user = conn.execute(select(schema.users).where(u.id == row.user_id)).first()
        if user is None or user.disabled:
            return None
        return _user(user), row.csrf

    def close_session(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(schema.web_sessions).where(
                schema.web_sessions.c.token_hash == token_hash(token)))


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns (stored as UTC)."""
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)
