"""Identify: turn the sifted store into numbers, one concept per module.

Every function here takes pandas DataFrames read from the store (see :mod:`.data`) and returns
DataFrames or small dataclasses, so each figure in a report can be recomputed from the store.
No SQL lives here.
"""

from wildsift.lazy import lazy_attributes

# Loaded on first use (wildsift/lazy.py), so a light submodule does not load the package.
_LAZY = {
    "StudyData": "wildsift.analysis.data",
    "load_study_data": "wildsift.analysis.data",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = ["StudyData", "load_study_data"]
