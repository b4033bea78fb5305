"""Errors of the VK connector; one subclass tree per source::

    SourceError
    └── VkError
        ├── VkCredentialsError          (also CredentialsError)
        └── VkRateLimited               (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class VkError(SourceError):
    """VK kept failing, or answered something we cannot use."""


class VkCredentialsError(VkError, CredentialsError):
    """The access token is missing or VK refused it (error 5)."""


class VkRateLimited(VkError, RateLimited):
    """VK asked us to wait (errors 6, 9, 29) longer than we are willing to sleep."""
