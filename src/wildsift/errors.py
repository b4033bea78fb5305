"""One exception tree for wildsift; every message says how to fix the problem.

    WildsiftError
    ├── ConfigError          wildsift.toml or a command option is wrong
    ├── StudyNotFound        no study folder where one was expected
    ├── InputError           a file a user gave cannot be read at all
    ├── RecordError          one record is malformed (quarantined, the batch goes on)
    ├── SourceError          a platform connector failed
    │   ├── CredentialsError credentials missing or refused
    │   └── RateLimited      the platform asked us to wait
    ├── ModelError           a model artifact is missing, stale or cannot be trained
    └── StoreError           the database refused an operation
"""

from __future__ import annotations


class WildsiftError(Exception):
    """Base of every error wildsift raises on purpose."""


class ConfigError(WildsiftError):
    pass


class StudyNotFound(WildsiftError):
    pass


class InputError(WildsiftError):
    pass


class RecordError(WildsiftError):
    """A single malformed record. ``location`` is 'file:line' and ``field`` the offending field."""

    def __init__(self, reason: str, *, location: str = "", field: str | None = None):
        self.reason = reason
        self.location = location
        self.field = field
        where = f"{location}: " if location else ""
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}{what}{reason}")


class SourceError(WildsiftError):
    pass


class CredentialsError(SourceError):
    pass


class RateLimited(SourceError):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class ModelError(WildsiftError):
    pass


class StoreError(WildsiftError):
    pass
