"""The store: the only package that speaks SQL (SQLite by default, PostgreSQL for teams)."""

from wildsift.store.store import Store

__all__ = ["Store"]
