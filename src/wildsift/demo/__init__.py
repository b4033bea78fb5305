"""SYNTHETIC demo data: a seeded, labelled corpus of wildlife-trade posts and its images."""

from wildsift.demo.corpus import COLUMNS, DEMO_POSITIVE_SHARE, SOURCE, generate_posts
from wildsift.demo.data import DEFAULT_DEMO_SIZE, CorpusInfo, write_corpus
from wildsift.demo.images import write_demo_images

__all__ = ["COLUMNS", "DEFAULT_DEMO_SIZE", "DEMO_POSITIVE_SHARE", "SOURCE", "CorpusInfo",
           "generate_posts", "write_corpus", "write_demo_images"]
