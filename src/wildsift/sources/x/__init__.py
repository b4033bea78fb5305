"""X: recent or full-archive search through tweepy.

``client`` (XSource, build), ``mapping`` (tweet + includes -> RawPost, also used by the twarc2
importer), ``errors``. The registry imports ``client`` only when a study uses this source, and
this file imports nothing, so a mapper can be used without the platform's SDK.
"""
