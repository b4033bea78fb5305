"""Errors of the eBay connector; one subclass tree per source::

    SourceError
    └── EbayError
        ├── EbayCredentialsError        (also CredentialsError)
        └── EbayRateLimited             (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class EbayError(SourceError):
    """The Browse API failed, or answered something we cannot use."""


class EbayCredentialsError(EbayError, CredentialsError):
    """client_id/client_secret missing, or eBay refused them or the token."""


class EbayRateLimited(EbayError, RateLimited):
    """eBay asked us to wait (the Browse API allows 5,000 calls a day by default)."""
