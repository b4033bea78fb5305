"""Package attributes loaded on first use (PEP 562).

Why: ``wildsift --help`` must not import pandas, scikit-learn or SQLAlchemy. A package whose
``__init__`` re-exports names from heavy submodules would load them all when any light submodule
(a constant for a help text) is imported; with this, a name's module loads when the name is
first read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_attributes(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports ``where[name]`` on first use."""

    def __getattr__(name: str) -> Any:
        if name in where:
            return getattr(importlib.import_module(where[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
