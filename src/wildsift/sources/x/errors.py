"""Errors of the X connector; one subclass tree per source::

    SourceError
    └── XError
        ├── XCredentialsError           (also CredentialsError)
        └── XRateLimited                (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class XError(SourceError):
    """The X API kept failing, or answered something we cannot use."""


class XCredentialsError(XError, CredentialsError):
    """The bearer token is missing, or X refused it (401/403: also an access-tier problem)."""


class XRateLimited(XError, RateLimited):
    """X asked us to wait (429) longer than we are willing to sleep."""
