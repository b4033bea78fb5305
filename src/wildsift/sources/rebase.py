"""A ``requests.Session`` that sends an SDK's hard-coded API host to another base URL.

tweepy (``https://api.twitter.com`` in ``BaseClient.request``) and vk_api
(``https://api.vk.ru/method/`` in ``VkApi.method``) write their host into the code, but both
send every call through a ``requests.Session`` they let us replace (``client.session``,
``VkApi(session=...)``). Rewriting the URL there is the lowest level that keeps the whole SDK
(auth headers, parameter encoding, its error classes) in the path: tests point it at a local
server, and a study may point it at a proxy or a mirror (``base_url``).
"""

from __future__ import annotations

import requests

from wildsift.sources.http import USER_AGENT


class RebasedSession(requests.Session):
    """Rewrites URLs that start with ``host`` to start with ``base_url`` instead."""

    def __init__(self, host: str, base_url: str | None, *, timeout: float = 30.0):
        super().__init__()
        self.host = host.rstrip("/")
        self.base_url = (base_url or host).rstrip("/")
        self.timeout = timeout
        self.headers["User-Agent"] = USER_AGENT

    def rebase(self, url: str) -> str:
        if self.base_url != self.host and url.startswith(self.host):
            return self.base_url + url[len(self.host):]
        return url

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout)  # the SDKs set none: a stalled socket waits
        return super().request(method, self.rebase(str(url)), *args, **kwargs)
