"""Identify: turn the sifted store into numbers, one concept per module.

Every function here takes pandas DataFrames read from the store (see :mod:`.data`) and returns
DataFrames or small dataclasses, so each figure in a report can be recomputed from the store.
No SQL lives here.
"""

from wildsift.analysis.data import StudyData, load_study_data

__all__ = ["StudyData", "load_study_data"]
