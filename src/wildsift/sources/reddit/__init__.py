"""Reddit: subreddit or site-wide search through praw's OAuth session.

``client`` (RedditSource, build), ``mapping`` (Listing child -> RawPost), ``errors``. The registry
imports ``client`` only when a study uses this source, and this file imports nothing, so a mapper
can be used without the platform's SDK.
"""
