"""wildsift: mine, sift and identify wildlife trade online (Di Minin et al., 2019)."""

__version__ = "0.1.0"
