"""Errors of the Meta Content Library connector::

    SourceError
    └── MetaError
        ├── MetaCredentialsError        (also CredentialsError)
        └── MetaRateLimited             (also RateLimited)

A ``MetaRateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class MetaError(SourceError):
    """The Content Library kept failing, or answered something we cannot use."""


class MetaCredentialsError(MetaError, CredentialsError):
    """The client is missing (wildsift runs outside the clean room) or refused the session."""


class MetaRateLimited(MetaError, RateLimited):
    """The Content Library asked us to wait (60 searches a minute; the weekly query budget)."""
