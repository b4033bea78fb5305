"""SYNTHETIC demo data: a seeded, labelled corpus of wildlife-trade posts and its images."""

from wildsift.lazy import lazy_attributes

# Loaded on first use (wildsift/lazy.py), so a light submodule does not load the package.
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


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = ["COLUMNS", "DEFAULT_DEMO_SIZE", "DEMO_POSITIVE_SHARE", "SOURCE", "CorpusInfo",
           "generate_posts", "write_corpus", "write_demo_images"]
