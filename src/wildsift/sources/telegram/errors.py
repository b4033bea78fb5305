"""Errors of the Telegram connector; one subclass tree per source::

    SourceError
    └── TelegramError
        ├── TelegramCredentialsError    (also CredentialsError)
        └── TelegramRateLimited         (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class TelegramError(SourceError):
    """Telegram refused a channel or kept failing."""


class TelegramCredentialsError(TelegramError, CredentialsError):
    """api_id/api_hash missing, or the session is not logged in."""


class TelegramRateLimited(TelegramError, RateLimited):
    """Telegram sent a FloodWait longer than we are willing to sleep."""
