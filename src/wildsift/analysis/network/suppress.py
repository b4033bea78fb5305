"""Small cells are not shown: a row that rests on fewer than ``[identify] min_cell`` posts
(a country pair, a country in a period, an account, a community, a cluster) is left out of the
report, and the report says how many were."""

from __future__ import annotations

import pandas as pd


def suppress(frame: pd.DataFrame, column: str, min_cell: int) -> tuple[pd.DataFrame, int]:
    """The rows of ``frame`` whose ``column`` is at least ``min_cell``, and how many were not."""
    if frame.empty:
        return frame, 0
    keep = pd.to_numeric(frame[column], errors="coerce").fillna(0) >= min_cell
    return frame[keep].reset_index(drop=True), int((~keep).sum())
