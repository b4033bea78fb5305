"""SYNTHETIC demo data: a seeded, labelled corpus of wildlife-trade posts and its images."""

import importlib
from typing import Any

# Loaded on first use (PEP 562), so that importing a light submodule (a constant for a help
# text) does not load the whole package.
_LAZY = {
    "COLUMNS": "wildsift.demo.corpus",
    "DEMO_POSITIVE_SHARE": "wildsift.demo.corpus",
    "SOURCE": "wildsift.demo.corpus",
    "generate_posts": "wildsift.demo.corpus",
    "DEFAULT_DEMO_SIZE": "wildsift.demo.data",
    "CorpusInfo": "wildsift.demo.data",
    "write_corpus": "wildsift.demo.data",
    "write_demo_images": "wildsift.demo.images",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["COLUMNS", "DEFAULT_DEMO_SIZE", "DEMO_POSITIVE_SHARE", "SOURCE", "CorpusInfo",
           "generate_posts", "write_corpus", "write_demo_images"]
