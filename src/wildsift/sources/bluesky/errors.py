"""Errors of the Bluesky and Jetstream connectors; one subclass tree per source::

    SourceError
    ├── BlueskyError
    │   ├── BlueskyCredentialsError     (also CredentialsError)
    │   └── BlueskyRateLimited          (also RateLimited)
    └── JetstreamError
        └── JetstreamRateLimited        (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class BlueskyError(SourceError):
    """Bluesky kept failing, or answered something we cannot use."""


class BlueskyCredentialsError(BlueskyError, CredentialsError):
    """The handle or app password is missing, or Bluesky refused them."""


class BlueskyRateLimited(BlueskyError, RateLimited):
    """Bluesky asked us to wait longer than we are willing to sleep."""


class JetstreamError(SourceError):
    """The Jetstream server could not be reached, or closed on us again and again."""


class JetstreamRateLimited(JetstreamError, RateLimited):
    """The server refused the connection with 429 for longer than we wait."""
