"""YouTube: search, videos and comment threads through google-api-python-client, with a quota
ledger.

``client`` (YouTubeSource, build), ``mapping`` (video/comment -> RawPost), ``errors``. The registry
imports ``client`` only when a study uses this source, and this file imports nothing, so a mapper
can be used without the platform's SDK.
"""
