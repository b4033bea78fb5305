"""The Source protocol, what a live source returns, and the file importers' error.

A live source turns a study query (a taxon or group such as "pangolin") into the platform's own
search terms (``terms``: hashtags, OR-queries, several calls where OR is not supported), and
yields *pages* for each term: ``fetch(term, cursor) -> Page``. The cursor is an opaque string the
source alone understands; the runner stores it with each committed page
(:meth:`wildsift.store.Store.save_page`) so that a killed run resumes where it stopped.
``describe(term, cursor)`` says what the next call would be and what quota it uses, without
making it (``wildsift mine --dry-run``). Connectors are registered in ``sources/registry.py``.

Errors derive from :class:`wildsift.errors.SourceError`: :class:`FileSourceError` here (an
export file cannot be read at all, also an InputError), and one subclass tree per platform in
its package (``sources/<platform>/errors.py``: ``MastodonError``, ``BlueskyError``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from wildsift.errors import InputError, SourceError
from wildsift.records import Quarantined, RawPost


class FileSourceError(SourceError, InputError):
    """A CSV/JSONL export cannot be opened or has no usable header."""


# What a mapper may raise on an item of a shape it does not expect (a list where a dict was,
# a string where a number was, an int beyond any date, a missing key): the item is quarantined
# with :func:`unexpected_shape` as its reason and the file goes on. MemoryError is not caught.
SHAPE_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError,
                OSError, RecursionError, UnicodeError)


def unexpected_shape(exc: BaseException, what: str) -> str:
    """A quarantine reason for an item a mapper could not read. It names the exception's
    type only: its message may quote the item's values, which may be personal."""
    return (f"not the shape of {what} ({type(exc).__name__} while mapping it); the file may be "
            "damaged or from another tool version")


@dataclass(slots=True)
class Call:
    """A call a source would make: the request (never with a secret) and its quota cost in the
    platform's units (YouTube search.list = 100 of 10,000 a day; most APIs: 1 request)."""

    request: str
    quota: int = 1
    unit: str = "request"


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
    deletions: list[str] = field(default_factory=list)  # source ids deleted at the source


@runtime_checkable
class Source(Protocol):
    """A live source: a name (the cursor key), its platform, and what the runner calls."""

    name: str
    platform: str

    def terms(self, query: str, languages: list[str], lexicon) -> list[str]:
        """The platform's search terms for a study query, in the platform's syntax."""
        ...

    def describe(self, term: str, cursor: str | None) -> Call:
        """The next call for ``term`` from ``cursor`` (for --dry-run); makes no request."""
        ...

    def fetch(self, term: str, cursor: str | None) -> Page: ...

    def close(self) -> None: ...
