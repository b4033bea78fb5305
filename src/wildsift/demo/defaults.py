"""The demo's default size, in a module without imports, so that ``wildsift demo --help`` shows
it without loading the corpus generator (:mod:`wildsift.demo.data` re-exports it)."""

from __future__ import annotations

DEFAULT_DEMO_SIZE = 3000
