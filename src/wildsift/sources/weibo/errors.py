"""Errors of the Weibo connector::

    SourceError
    └── WeiboError
        ├── WeiboCredentialsError       (also CredentialsError)
        └── WeiboRateLimited            (also RateLimited)

A ``WeiboRateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class WeiboError(SourceError):
    """Weibo kept failing, or answered something we cannot use."""


class WeiboCredentialsError(WeiboError, CredentialsError):
    """The access token is missing, expired or refused (errors 21301, 21327, 21332)."""


class WeiboRateLimited(WeiboError, RateLimited):
    """Weibo's hourly limits were reached (errors 10022, 10023, 10024)."""
