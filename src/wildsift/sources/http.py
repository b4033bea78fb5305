"""One httpx client per connector, with the retry rules every platform needs.

429 waits for ``Retry-After`` (or the platform's reset header), 5xx and timeouts back off with
jitter, 401/403 raise the connector's credentials error with its hint, other 4xx raise its error
naming the call. Connectors whose API has no SDK worth using (Mastodon, eBay, Flickr, Bluesky's
public search) build on this; the others use the same :class:`RetryPolicy` around their SDK.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from wildsift import __version__
from wildsift.errors import CredentialsError, RateLimited, SourceError
from wildsift.sources.retry import RetryPolicy, Wait, retry_after

USER_AGENT = f"wildsift/{__version__} (wildlife-trade research; +https://github.com/wildsift)"
RESET_HEADERS = ("Retry-After", "X-RateLimit-Reset", "x-rate-limit-reset", "RateLimit-Reset")


@dataclass(frozen=True)
class PlatformErrors:
    """The error classes of one connector, and what to tell a user whose credentials fail."""

    error: type[SourceError] = SourceError
    credentials: type[CredentialsError] = CredentialsError
    rate_limited: type[RateLimited] = RateLimited
    credentials_hint: str = "check the credentials of this source"


class _Transient(Exception):
    def __init__(self, wait: Wait):
        self.wait = wait


class HttpClient:
    """``get``/``post`` that retry what is transient and explain what is not."""

    def __init__(self, base_url: str, *, errors: PlatformErrors = PlatformErrors(),
                 policy: RetryPolicy | None = None, headers: dict[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None, timeout: float = 20.0):
        self.base_url = base_url.rstrip("/")
        self.errors = errors
        self.policy = policy or RetryPolicy()
        self.client = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout,
                                   headers={"User-Agent": USER_AGENT, **(headers or {})},
                                   follow_redirects=True)

    def close(self) -> None:
        self.client.close()

    def get(self, path: str, params: dict | None = None, **kwargs) -> httpx.Response:
        return self.request("GET", path, params=params, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        what = f"{method} {self.base_url}{path}" if path.startswith("/") else f"{method} {path}"
        return self.policy.run(lambda: self._once(method, path, what, kwargs), _classify,
                               what=what, error=self.errors.error,
                               rate_limited=self.errors.rate_limited)

    def _once(self, method: str, path: str, what: str, kwargs: dict) -> httpx.Response:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise _Transient(Wait(why="timeout")) from None
        except httpx.TransportError as exc:
            raise _Transient(Wait(why=f"{type(exc).__name__} (check base_url and the network)")
                             ) from None
        status = response.status_code
        if status == 429:
            seconds = next((s for h in RESET_HEADERS
                            if (s := retry_after(response.headers.get(h))) is not None), None)
            raise _Transient(Wait(seconds, rate_limited=True, why="rate limited (429)"))
        if status >= 500:
            raise _Transient(Wait(why=f"server error {status}"))
        if status in (401, 403):
            raise self.errors.credentials(f"{what}: refused ({status}); "
                                          f"{self.errors.credentials_hint}")
        if status >= 400:
            raise self.errors.error(f"{what}: HTTP {status}: {_brief(response)}")
        return response


def json_object(response: httpx.Response, what: str, error: type[SourceError],
                hint: str = "") -> dict:
    """The answer's JSON object, or ``error`` saying it is not one (a proxy's HTML page, a wrong
    base_url) with ``hint`` on what to check."""
    try:
        body = response.json()
    except ValueError:
        raise error(f"{what}: the answer is not JSON" + (f"; {hint}" if hint else "")) from None
    if not isinstance(body, dict):
        raise error(f"{what}: expected a JSON object, got {type(body).__name__}")
    return body


def _classify(exc: BaseException) -> Wait | None:
    return exc.wait if isinstance(exc, _Transient) else None


def _brief(response: httpx.Response) -> str:
    """The start of an error body (APIs explain a bad query there); never request headers."""
    text = response.text.strip().replace("\n", " ")
    return text[:200] or response.reason_phrase
