"""Errors of the Reddit connector; one subclass tree per source::

    SourceError
    └── RedditError
        ├── RedditCredentialsError      (also CredentialsError)
        └── RedditRateLimited           (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class RedditError(SourceError):
    """Reddit kept failing, or answered something we cannot use."""


class RedditCredentialsError(RedditError, CredentialsError):
    """The OAuth app's id/secret (or the script account) is missing or was refused."""


class RedditRateLimited(RedditError, RateLimited):
    """Reddit asked us to wait longer than we are willing to sleep."""
