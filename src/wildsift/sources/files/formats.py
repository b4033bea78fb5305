"""The import formats by name, in a module without imports.

Kept apart from :mod:`wildsift.sources.files.detect` (which imports every reader) so that the CLI can
list them in ``wildsift import --help`` without loading the readers.
"""

from __future__ import annotations

FORMATS: dict[str, str] = {
    "csv": "CSV with a header row (columns named as the fields, or --map)",
    "jsonl": "JSON Lines, one post object per line (keys named as the fields, or --map)",
    "twarc2": "twarc2 output: one X API v2 page (data, includes) per line",
    "twarc2-flat": "twarc2 flatten output: one tweet with its expansions inline per line",
    "zeeschuimer": "Zeeschuimer NDJSON (TikTok, Instagram, X, Threads, Douyin, RedNote)",
    "4cat-csv": "a 4CAT dataset downloaded as CSV",
    "4cat-ndjson": "a 4CAT dataset of Zeeschuimer items downloaded as NDJSON",
    "telegram-desktop": "Telegram Desktop 'Export chat history' as JSON (result.json)",
}
GENERIC = ("csv", "jsonl")

from wildsift.sources.files.platform_formats import PLATFORM_FORMATS  # import-free too

FORMATS.update(PLATFORM_FORMATS)
