"""eBay: Browse API item search per marketplace, with an OAuth application token (httpx).

``client`` (EbaySource, build), ``mapping`` (item summary -> RawPost), ``errors``. The registry
imports ``client`` only when a study uses this source, and this file imports nothing, so a mapper
can be used without the platform's SDK.
"""
