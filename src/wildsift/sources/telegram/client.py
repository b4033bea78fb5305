"""Telegram: search the messages of public channels, through Telethon (MTProto, a user account).

Telethon speaks MTProto over TCP, not HTTP, so no local HTTP server can stand in for Telegram:
the connector talks to a one-method interface, :class:`MessageClient`
(``messages(channel, search, min_id, limit)``), that :class:`TelethonClient` implements with
``TelegramClient.iter_messages(channel, search=term, min_id=..., reverse=True)``. Tests use a
fake client that returns real ``telethon.tl.types.Message`` objects and raises the real
``FloodWaitError``; there is no network test for Telegram.

Login: Telegram needs one interactive login (phone number and code) per session file. The
session lives in the study folder (``sessions/telegram-<source>.session``, mode 0600), never in
the database; ``api_id`` / ``api_hash`` come from :class:`Credentials`
(``WILDSIFT_TELEGRAM_API_ID`` / ``WILDSIFT_TELEGRAM_API_HASH``). docs/sources.md gives the
one-line login command.

The cursor (per source and term) is JSON: ``{"min": {"<channel>": <last message id>},
"at": <index of the channel being read>}``. Messages are read oldest-first above ``min_id``, so
a page cap or an interruption never leaves a gap and a later run reads only what is new.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from wildsift.errors import ConfigError, RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import dump_cursor, load_cursor
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms
from wildsift.sources.retry import RetryPolicy, Wait
from wildsift.sources.telegram.errors import (
    TelegramCredentialsError,
    TelegramError,
    TelegramRateLimited,
)
from wildsift.sources.telegram.mapping import map_message

API_HINT = "get api_id and api_hash at https://my.telegram.org (API development tools)"


class TelegramOptions(BaseModel):
    """``options`` of a ``type = "telegram"`` source."""

    model_config = ConfigDict(extra="forbid")
    channels: list[str] = Field(min_length=1)  # public channel usernames ("@name" or "name")
    limit: int = Field(default=100, ge=1, le=1000)
    session: str | None = None  # default: sessions/telegram-<source name> in the study
    api_id_env: str | None = None
    api_hash_env: str | None = None


class MessageClient(Protocol):
    """What the connector needs from Telegram (the test double implements the same)."""

    def messages(self, channel: str, search: str, min_id: int, limit: int) -> list[Any]:
        """Up to ``limit`` messages of ``channel`` matching ``search`` with id > ``min_id``,
        oldest first."""
        ...

    def close(self) -> None: ...


class TelethonClient:
    """:class:`MessageClient` on Telethon, on its own event loop (the runner is synchronous)."""

    def __init__(self, session: Path, api_id: int, api_hash: str):
        from telethon import TelegramClient

        self.loop = asyncio.new_event_loop()
        session.parent.mkdir(parents=True, exist_ok=True, mode=0o700)

        async def connect():
            client = TelegramClient(str(session), api_id, api_hash)
            await client.connect()
            return client, await client.is_user_authorized()

        self.client, authorized = self.loop.run_until_complete(connect())
        for path in session.parent.glob(session.name + "*"):
            os.chmod(path, 0o600)  # the session is a login: only its owner may read it
        if not authorized:
            self.close()
            raise TelegramCredentialsError(
                f"the Telegram session {session} is not logged in; log in once as described "
                "in docs/sources.md (Telegram), then run 'wildsift mine' again")

    def messages(self, channel: str, search: str, min_id: int, limit: int) -> list[Any]:
        async def collect():
            return [m async for m in self.client.iter_messages(
                channel, search=search or None, min_id=min_id, limit=limit, reverse=True)]

        return self.loop.run_until_complete(collect())

    def close(self) -> None:
        self.loop.run_until_complete(self.client.disconnect())
        self.loop.close()


def build(settings, credentials, *, dry_run: bool = False, client: MessageClient | None = None,
          **options) -> TelegramSource:
    """The registry's entry point (see sources/registry.py)."""
    opts = parse_options(TelegramOptions, settings,
                          hint='e.g. options = {channels = ["somepublicchannel"]}')
    if dry_run or client is not None:
        return TelegramSource(settings, client=client, **options)
    api_id = credentials.get("api_id", hint=API_HINT)
    api_hash = credentials.get("api_hash", hint=API_HINT)
    if not api_id.isdigit():
        raise ConfigError(f"source '{settings.name}': api_id must be a number (from "
                          "https://my.telegram.org)")
    return TelegramSource(settings, client=TelethonClient(
        session_path(settings, opts, credentials.study_root), int(api_id), api_hash), **options)


def session_path(settings, opts: TelegramOptions, study_root: Path | None) -> Path:
    """Where the login of this source is kept (never the database)."""
    path = Path(opts.session or f"sessions/telegram-{settings.name}").expanduser()
    if not path.is_absolute():
        path = (study_root or Path.cwd()) / path
    return path.with_suffix(".session") if path.suffix != ".session" else path




class TelegramSource:
    """One ``[[sources]] type = "telegram"`` entry: its channels, one after the other."""

    platform = "telegram"

    def __init__(self, settings, *, client: MessageClient | None = None,
                 policy: RetryPolicy | None = None, sleep=None, jitter=None,
                 max_retries: int = 5, max_wait: float = 900.0):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(TelegramOptions, settings,
                          hint='e.g. options = {channels = ["somepublicchannel"]}')
        self.channels = [c.strip().lstrip("@") for c in self.options.channels]
        self.client = client
        policy = policy or RetryPolicy(max_retries=max_retries, max_wait=max_wait)
        policy.sleep = sleep or policy.sleep
        policy.jitter = jitter or policy.jitter
        self.policy = policy

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """One search per lexicon term (Telegram's search has no OR)."""
        return lexicon_terms(query, languages, lexicon)

    def plan(self, cursor: str | None) -> tuple[dict, int, str, int]:
        state = load_cursor(cursor)
        at = state.get("at", 0) if 0 <= state.get("at", 0) < len(self.channels) else 0
        channel = self.channels[at]
        return state, at, channel, int(state.get("min", {}).get(channel, 0))

    def describe(self, term: str, cursor: str | None) -> Call:
        _, _, channel, min_id = self.plan(cursor)
        return Call(f"messages.search @{channel} q={term!r} min_id={min_id} "
                    f"limit={self.options.limit} (and {len(self.channels) - 1} more channels)",
                    quota=len(self.channels), unit="request")

    def fetch(self, term: str, cursor: str | None) -> Page:
        if self.client is None:
            raise TelegramCredentialsError(f"source '{self.name}' was built for --dry-run only")
        state, at, channel, min_id = self.plan(cursor)
        request = f"messages.search @{channel} q={term!r} min_id={min_id}"
        messages = self.policy.run(
            lambda: self.client.messages(channel, term, min_id, self.options.limit),
            lambda exc: _classify(exc, channel, self.name), what=request,
            error=TelegramError, rate_limited=TelegramRateLimited)
        source = f"telegram:{self.name}"
        records: list[RawPost | Quarantined] = []
        newest = min_id
        for index, message in enumerate(messages):
            location = f"{request} #{index}"
            if isinstance(getattr(message, "id", None), int):
                newest = max(newest, message.id)  # a service message still moves the cursor
            try:
                records.append(map_message(message, channel, term, source, location=location))
            except RecordError as exc:
                records.append(Quarantined(source, location, exc.reason, exc.field))
        state.setdefault("min", {})[channel] = newest
        if len(messages) >= self.options.limit:
            state["at"] = at  # this channel has more
            return Page(records, dump_cursor(state), more=True, request=request)
        state["at"] = at + 1 if at + 1 < len(self.channels) else 0
        return Page(records, dump_cursor(state), more=at + 1 < len(self.channels), request=request)


def _classify(exc: BaseException, channel: str, name: str) -> Wait | None:
    from telethon import errors

    if isinstance(exc, errors.FloodWaitError):
        return Wait(float(exc.seconds), rate_limited=True, why=f"FloodWait {exc.seconds} s")
    if isinstance(exc, (errors.UnauthorizedError, errors.AuthKeyError)):
        raise TelegramCredentialsError(f"Telegram refused the session ({exc}); log in again "
                                       "(docs/sources.md, Telegram)") from None
    if isinstance(exc, (errors.ChannelPrivateError, errors.UsernameNotOccupiedError,
                        errors.UsernameInvalidError, ValueError)):
        raise TelegramError(f"[[sources]] {name}: channel '{channel}' cannot be read ({exc}); "
                            "check options.channels (public channels only)") from None
    if isinstance(exc, (errors.ServerError, ConnectionError, OSError, asyncio.TimeoutError)):
        return Wait(why=f"{type(exc).__name__}")
    return None
