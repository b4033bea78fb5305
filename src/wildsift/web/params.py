"""Path parameters shared by the routes, bounded where the store's columns are.

Why: a row id beyond a 64-bit integer made SQLite raise OverflowError (a 500, found by
``tests/web/test_web_fuzz.py``); bounded here, FastAPI answers 422 naming the parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

ROW_ID_MAX = 2**63 - 1  # SQLite INTEGER and PostgreSQL BIGINT

RowId = Annotated[int, Path(ge=1, le=ROW_ID_MAX, description="a row id (1 to 2**63-1)")]
