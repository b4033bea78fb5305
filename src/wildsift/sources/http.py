"""One httpx client per connector, with the retry rules every platform needs.

429 waits for ``Retry-After`` (or the platform's reset header), 5xx and timeouts back off with
jitter, 401/403 raise the connector's credentials error with its hint, other 4xx raise its error
naming the call. Connectors whose API has no SDK worth using (Mastodon, eBay, Flickr, Bluesky's
public search) build on this; the others use the same :class:`RetryPolicy` around their SDK.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx

from wildsift import __version__
from wildsift.errors import CredentialsError, RateLimited, SourceError
from wildsift.sources.retry import RetryPolicy, Wait, http_date, retry_after

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
            seconds = wait_from_headers(response.headers)
            raise _Transient(Wait(seconds, rate_limited=True, why="rate limited (429)"))
        if status >= 500:
            raise _Transient(Wait(why=f"server error {status}"))
        if status in (401, 403):
            raise self.errors.credentials(f"{what}: refused ({status}); "
                                          f"{self.errors.credentials_hint}")
        if status >= 400:
            raise self.errors.error(f"{what}: HTTP {status}: {_brief(response)}")
        if _cut_json(response):
            raise _Transient(Wait(why="a truncated or unreadable JSON body"))
        return response


def wait_from_headers(headers) -> float | None:
    """Seconds a 429 asks us to wait: ``Retry-After`` (measured from the answer's ``Date``) or
    the platform's reset header; None when none is readable (then: backoff). Of several
    ``Date`` headers (a proxy and the server both wrote one) the earliest counts: the longer
    wait is never early."""
    dates = headers.get_list("Date") if hasattr(headers, "get_list") else [headers.get("Date")]
    readable = [(when, d) for d in dates if (when := http_date(d)) is not None]
    date = min(readable)[1] if readable else None
    return next((s for h in RESET_HEADERS
                 if (s := retry_after(headers.get(h), date=date)) is not None), None)


def _cut_json(response: httpx.Response) -> bool:
    """True for a 2xx that says JSON but does not parse: a body cut by a proxy or a dropped
    connection. Retried like a 5xx; failing on it would end the run with the page unread."""
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if not (kind == "application/json" or kind.endswith("+json")) or not response.content:
        return False
    try:
        json.loads(response.content)
    except ValueError:
        return True
    return False


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
