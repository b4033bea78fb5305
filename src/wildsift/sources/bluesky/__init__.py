"""Bluesky: ``app.bsky.feed.searchPosts`` through atproto, and the Jetstream firehose.

``client`` (BlueskySource, build), ``jetstream`` (JetstreamSource, build), ``mapping`` (post view
or record -> RawPost), ``errors``. The registry imports ``client`` only when a study uses this
source, and this file imports nothing, so a mapper can be used without the platform's SDK.
"""
