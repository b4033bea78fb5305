"""One broken line in the middle of an export loses that line only (issue 10, 2.3).

The 1 GB version is ``benchmarks/bench_broken_line.py`` (figures in docs/reliability.md). Here a
file of 600 posts is read in chunks of 50 by two worker processes, with the broken line at 301.
"""

from __future__ import annotations

import pytest

from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest

N = 600
BROKEN = 301  # the file line (the header is line 1)

CSV_BREAKS = {
    "an unbalanced quote": b'299,"rhino horn for sale, 2024-05-01\n',
    "bytes that are not UTF-8": b"299,rhino horn \xff\xfe for sale,2024-05-01\n",
    "too many cells": b"299,rhino,horn,for,sale,2024-05-01\n",
    "a missing id": b",rhino horn for sale,2024-05-01\n",
}
JSONL_BREAKS = {
    "a cut line": b'{"id": "299", "text": "rhino horn for sa\n',
    "bytes that are not UTF-8": b'{"id": "299", "text": "rhino \xff horn"}\n',
    "not an object": b'["299", "rhino horn"]\n',
    "a bad date": b'{"id": "299", "text": "rhino horn", "created_at": "2024-13-45"}\n',
}


def _csv(break_line: bytes) -> bytes:
    rows = [f"{i},post {i} about an ivory bangle,2024-05-01\n".encode() for i in range(N)]
    rows[BROKEN - 2] = break_line
    return b"id,text,created_at\n" + b"".join(rows)


def _jsonl(break_line: bytes) -> bytes:
    rows = [f'{{"id": "{i}", "text": "post {i} about an ivory bangle"}}\n'.encode()
            for i in range(N)]
    rows[BROKEN - 1] = break_line
    return b"".join(rows)


@pytest.mark.parametrize("how", sorted(CSV_BREAKS))
def test_a_broken_csv_line_loses_only_itself(study, tmp_path, how):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(CSV_BREAKS[how]))
    counts = ingest(study, FileReader(path), batch_size=50, workers=2)
    assert (counts.read, counts.stored, counts.quarantined) == (N, N - 1, 1)
    assert [q.location for q in study.store.quarantine.all()] == [f"export.csv:{BROKEN}"]


@pytest.mark.parametrize("how", sorted(JSONL_BREAKS))
def test_a_broken_jsonl_line_loses_only_itself(study, tmp_path, how):
    path = tmp_path / "export.jsonl"
    path.write_bytes(_jsonl(JSONL_BREAKS[how]))
    counts = ingest(study, FileReader(path), batch_size=50, workers=2)
    assert (counts.read, counts.stored, counts.quarantined) == (N, N - 1, 1)
    assert [q.location for q in study.store.quarantine.all()] == [f"export.jsonl:{BROKEN}"]


def test_a_quoted_cell_over_several_lines_is_still_one_post(study, tmp_path):
    """The unbalanced-quote recovery never cuts a legitimate multi-line cell."""
    path = tmp_path / "multi.csv"
    path.write_bytes(b'id,text,created_at\n1,"line one\nline two, with a comma\n2,not a row",'
                     b"2024-05-01\n2,next,2024-05-01\n")
    posts = [r for r in FileReader(path)]
    assert [p.source_id for p in posts] == ["1", "2"]
    assert posts[0].text == "line one\nline two, with a comma\n2,not a row"
