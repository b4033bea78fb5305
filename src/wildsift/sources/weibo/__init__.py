"""Weibo: the outputs of the crawlers researchers use, the web API's JSON, and a live source
for the official open API's account timelines.

``files`` (weibo-crawler CSV/JSON, weiboSpider CSV/JSON, saved web API JSON), ``mapping`` (each
shape -> RawPost: pure functions), ``ids`` (bid <-> mid), ``places`` (发布于 广东 -> place and
country), ``client`` (WeiboSource over statuses/user_timeline), ``errors``. This file imports
nothing, so a mapper loads without httpx.
"""
