"""The Source protocol and the one error subclass per source.

A live source yields *pages*: ``fetch(query, cursor) -> Page``. The cursor is an opaque string the
source alone understands; the runner stores it with each committed page
(:meth:`wildsift.store.Store.save_page`) so that a killed run resumes where it stopped.

Errors (all derive from :class:`wildsift.errors.SourceError`)::

    SourceError
    ├── FileSourceError          an export file cannot be read at all (also an InputError)
    └── MastodonError            a Mastodon server failed or refused
        └── MastodonCredentialsError   token missing or refused (also a CredentialsError)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from wildsift.errors import CredentialsError, InputError, SourceError
from wildsift.records import Quarantined, RawPost


class FileSourceError(SourceError, InputError):
    """A CSV/JSONL export cannot be opened or has no usable header."""


class MastodonError(SourceError):
    """A Mastodon server kept failing, or answered something we cannot use."""


class MastodonCredentialsError(MastodonError, CredentialsError):
    """The access token is missing from the environment or the server refused it."""


@dataclass(slots=True)
class Page:
    """One page of a live source.

    ``next_cursor`` is what to store now (``None``: keep the stored one); ``more`` says whether
    another call in this run may return more records.
    """

    records: list[RawPost | Quarantined] = field(default_factory=list)
    next_cursor: str | None = None
    more: bool = False
    request: str = ""  # the call made, for logs and --dry-run (never holds a token)


@runtime_checkable
class Source(Protocol):
    """A live source: a name (the cursor key) and one method that returns a page."""

    name: str

    def fetch(self, query: str, cursor: str | None) -> Page: ...
