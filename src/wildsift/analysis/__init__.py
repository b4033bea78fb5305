"""Identify: turn the sifted store into numbers, one concept per module.

Every function here takes pandas DataFrames read from the store (see :mod:`.data`) and returns
DataFrames or small dataclasses, so each figure in a report can be recomputed from the store.
No SQL lives here.
"""

import importlib
from typing import Any

# Loaded on first use (PEP 562), so that importing a light submodule (a constant for a help
# text) does not load the whole package.
_LAZY = {
    "StudyData": "wildsift.analysis.data",
    "load_study_data": "wildsift.analysis.data",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["StudyData", "load_study_data"]
