"""Mastodon: hashtag timelines or full-text search on one or several servers (httpx).

``client`` (MastodonSource, build), ``mapping`` (status -> RawPost), ``hashtags`` (query ->
hashtags), ``errors``. The registry imports ``client`` only when a study uses this source, and this
file imports nothing, so a mapper can be used without the platform's SDK.
"""
