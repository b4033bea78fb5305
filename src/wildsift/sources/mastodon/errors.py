"""Errors of the Mastodon connector; one subclass tree per source::

    SourceError
    └── MastodonError                   a Mastodon server kept failing or refused
        ├── MastodonCredentialsError    (also CredentialsError)
        └── MastodonRateLimited         (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class MastodonError(SourceError):
    """A Mastodon server kept failing, or answered something we cannot use."""


class MastodonCredentialsError(MastodonError, CredentialsError):
    """The access token is missing from the environment or the server refused it."""


class MastodonRateLimited(MastodonError, RateLimited):
    """The server asked us to wait longer than we are willing to sleep."""
