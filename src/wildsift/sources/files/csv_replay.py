"""Lines for ``csv.reader`` that can be read again: one unbalanced quote costs one line.

In a CSV export a cell that opens a quote and never closes it (a cut or hand-edited line) makes
``csv.reader`` read every following line into that cell, up to the next quote or the end of the
file: one broken line would take thousands of good rows with it. :class:`Replay` keeps the
physical lines of the row being read, with their numbers; when the row turns out to be such a
swallow (:func:`swallowed`), the reader quarantines its first line and gives the others back
(:meth:`Replay.give_back`) to be read again as rows of their own.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator


class Replay:
    """An iterator of text lines for ``csv.reader`` that remembers the current row's lines."""

    def __init__(self, lines: Iterator[tuple[int, str]]):
        self._lines = lines
        self._again: deque[tuple[int, str]] = deque()
        self.row: list[tuple[int, str]] = []  # (line number, text) read for the current row

    def __iter__(self) -> Replay:
        return self

    def __next__(self) -> str:
        item = self._again.popleft() if self._again else next(self._lines)
        self.row.append(item)
        return item[1]

    def next_row(self) -> None:
        """Call before reading a row: forget the lines of the last one."""
        self.row = []

    def give_back(self, lines: list[tuple[int, str]]) -> None:
        """Read ``lines`` again, before any line not yet read."""
        self._again.extendleft(reversed(lines))


def swallowed(row: list[str], lines: list[tuple[int, str]], width: int) -> bool:
    """Did an unbalanced quote on the first of ``lines`` swallow the others?

    Only a row read over several lines whose cell count is not the header's ``width`` is a
    suspect, and only when one of its later lines is, on its own, a row of exactly ``width``
    cells: a legitimate multi-line cell (an address, a post with line breaks) is never cut."""
    if len(lines) < 2 or len(row) == width:
        return False
    for _number, text in lines[1:]:
        try:
            cells = next(csv.reader([text]), [])
        except csv.Error:
            continue
        if len(cells) == width:
            return True
    return False
