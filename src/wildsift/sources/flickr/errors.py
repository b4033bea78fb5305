"""Errors of the Flickr connector; one subclass tree per source::

    SourceError
    └── FlickrError
        ├── FlickrCredentialsError      (also CredentialsError)
        └── FlickrRateLimited           (also RateLimited)

A ``...RateLimited`` carries ``retry_after`` (seconds): the run stops, its cursor is kept, and
the same command run later resumes.
"""

from __future__ import annotations

from wildsift.errors import CredentialsError, RateLimited, SourceError


class FlickrError(SourceError):
    """Flickr failed, or answered something we cannot use."""


class FlickrCredentialsError(FlickrError, CredentialsError):
    """The API key is missing or Flickr refused it (error 100)."""


class FlickrRateLimited(FlickrError, RateLimited):
    """Flickr asked us to wait (3,600 calls an hour per key)."""
