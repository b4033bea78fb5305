"""Errors of the YouTube connector; one subclass tree per source::

    SourceError
    └── YouTubeError
        ├── YouTubeCredentialsError     (also CredentialsError)
        └── YouTubeRateLimited          (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class YouTubeError(SourceError):
    """The YouTube Data API failed, or answered something we cannot use."""


class YouTubeCredentialsError(YouTubeError, CredentialsError):
    """The API key is missing or refused."""


class YouTubeRateLimited(YouTubeError, RateLimited):
    """The day's quota is spent (or YouTube asked us to slow down)."""
