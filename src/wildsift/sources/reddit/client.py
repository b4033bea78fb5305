"""Reddit: search submissions in subreddits, newest first, through praw (OAuth app).

``praw.Reddit(client_id, client_secret, user_agent[, username, password])`` handles OAuth
(application-only, or the "script" grant with a username), the user agent and Reddit's
``x-ratelimit-*`` pacing; we call ``reddit.request("GET", "/r/<subs>/search", ...)``, which
returns the parsed Listing JSON, so each ``t3`` child is mapped by the pure :func:`map_submission`
and one malformed child is quarantined while the page goes on (praw's objects would fail the
whole listing). Pointing praw elsewhere: its documented ``oauth_url`` and ``reddit_url`` config
settings (the tests' local server answers ``/api/v1/access_token`` and the listing).

Reddit's own 429s (``TooManyRequests``, ``Retry-After``) and connection errors go to our
:class:`RetryPolicy`; 5xx are first retried by prawcore (twice, a few seconds apart), then by us.

Cursor (per source and term), JSON::

    {"since": <created_utc of the newest post of the last finished run>,
     "seen": [<fullnames created at exactly that second>],
     "top": <newest created_utc of this run>, "after": "<fullname to continue back from>"}

``sort=new`` lists newest first, so a later run stops at the first post not newer than
``since``: it reads only what is new. A run stopped by ``max_pages`` keeps ``after``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from wildsift import __version__
from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import dump_cursor, load_cursor
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms, or_queries
from wildsift.sources.reddit.errors import RedditCredentialsError, RedditError, RedditRateLimited
from wildsift.sources.reddit.mapping import PLATFORM, float_or_none, map_submission
from wildsift.sources.retry import RetryPolicy, Wait, cut_page, header_wait, retry_after

if TYPE_CHECKING:
    import requests

MAX_QUERY = 512  # Reddit truncates longer search queries
APP_HINT = ("register a 'script' app at https://www.reddit.com/prefs/apps (Reddit now approves "
            "Data API access case by case: see docs/sources.md)")


class RedditOptions(BaseModel):
    """``options`` of a ``type = "reddit"`` source."""

    model_config = ConfigDict(extra="forbid")
    subreddits: list[str] = Field(default_factory=lambda: ["all"])
    user_agent: str | None = None  # Reddit asks for "<platform>:<app id>:<version> (by /u/<you>)"
    limit: int = Field(default=100, ge=1, le=100)
    client_id_env: str | None = None
    client_secret_env: str | None = None
    username_env: str | None = None
    password_env: str | None = None


def build(settings, credentials, *, dry_run: bool = False, timeout: float = 16.0,
          **options) -> RedditSource:
    """The registry's entry point (see sources/registry.py). ``timeout``: seconds a call may
    take before our :class:`RetryPolicy` retries it (praw's own setting takes whole seconds)."""
    if dry_run:
        return RedditSource(settings, reddit=None, **options)
    import praw  # only when Reddit is used: it is an optional dependency

    opts = parse_options(RedditOptions, settings)
    keys = {"client_id": credentials.get("client_id", hint=APP_HINT),
            "client_secret": credentials.get("client_secret", hint=APP_HINT)}
    username = credentials.get("username", required=False)
    if username:
        keys |= {"username": username,
                 "password": credentials.get("password", hint="the script account's password")}
    urls = {}
    if settings.base_url:
        urls = {"oauth_url": settings.base_url.rstrip("/"),
                "reddit_url": settings.base_url.rstrip("/")}
    session = timeout_session(timeout)
    session.hooks["response"].append(retry_after_in_seconds)
    reddit = praw.Reddit(
        user_agent=opts.user_agent or f"python:wildsift:{__version__} (wildlife-trade research)",
        check_for_updates=False, check_for_async=False, requestor_kwargs={"session": session},
        **urls, **keys)
    return RedditSource(settings, reddit=reddit, **options)


class RedditSource:
    """One ``[[sources]] type = "reddit"`` entry."""

    platform = PLATFORM

    def __init__(self, settings, *, reddit=None, policy: RetryPolicy | None = None, sleep=None,
                 jitter=None, max_retries: int = 5, max_wait: float = 900.0):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(RedditOptions, settings)
        self.reddit = reddit
        self.base_url = (settings.base_url or "https://oauth.reddit.com").rstrip("/")
        policy = policy or RetryPolicy(max_retries=max_retries, max_wait=max_wait)
        policy.sleep = sleep or policy.sleep
        policy.jitter = jitter or policy.jitter
        self.policy = policy
        subs = [s.strip().removeprefix("r/") for s in self.options.subreddits if s.strip()]
        self.path = f"/r/{'+'.join(subs) or 'all'}/search"
        self.restrict = subs != ["all"]

    def close(self) -> None:
        pass  # praw keeps one requests session for the process; nothing to release

    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """OR-queries of the lexicon's terms (Reddit's search understands OR and quotes)."""
        return or_queries(lexicon_terms(query, languages, lexicon), max_length=MAX_QUERY)

    def params(self, term: str, cursor: str | None) -> dict[str, str]:
        params = {"q": term, "sort": "new", "t": "all", "limit": str(self.options.limit),
                  "raw_json": "1", "restrict_sr": "on" if self.restrict else "off"}
        after = load_cursor(cursor).get("after")
        return params | {"after": after} if after else params

    def describe(self, term: str, cursor: str | None) -> Call:
        return Call(f"GET {self.base_url}{self.path}?{urlencode(self.params(term, cursor))}")

    def fetch(self, term: str, cursor: str | None) -> Page:
        if self.reddit is None:
            raise RedditCredentialsError(f"source '{self.name}' was built for --dry-run only")
        params = self.params(term, cursor)
        request = f"GET {self.base_url}{self.path}?{urlencode(params)}"
        answer = self.policy.run(
            lambda: self.reddit.request(method="GET", path=self.path, params=params),
            _classify, what=request, error=RedditError, rate_limited=RedditRateLimited)
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("children"), list):
            raise RedditError(f"{request}: expected a Listing, got {str(answer)[:120]}")
        state = load_cursor(cursor)
        since, seen = state.get("since"), set(state.get("seen") or [])
        top = state.get("top", since)
        records: list[RawPost | Quarantined] = []
        reached_old = False
        for index, child in enumerate(data["children"]):
            location = f"{request} #{index}"
            item = child.get("data") if isinstance(child, dict) else None
            created = float_or_none((item or {}).get("created_utc"))
            if since is not None and created is not None and (
                    created < since or (created == since and item.get("name") in seen)):
                reached_old = True  # sort=new: everything from here on was read before
                break
            try:
                post = map_submission(child, term, f"{PLATFORM}:{self.name}", location=location)
            except RecordError as exc:
                records.append(Quarantined(f"{PLATFORM}:{self.name}", location, exc.reason,
                                           exc.field))
                continue
            records.append(post)
            if top is None or created > top:
                top, state["top_seen"] = created, [item["name"]]
            elif created == top:
                state.setdefault("top_seen", []).append(item["name"])
        if data.get("after") and not reached_old and data["children"]:
            state |= {"top": top, "after": data["after"]}
            return Page(records, dump_cursor(state, drop_none=True), more=True, request=request)
        if top is None:
            return Page(records, None, more=False, request=request)
        seen_now = state.get("top_seen") or []
        if top == since:
            seen_now = sorted(seen | set(seen_now))
        return Page(records, dump_cursor({"since": top, "seen": seen_now}, drop_none=True), more=False,
                    request=request)


class StalledCall(Exception):
    """A call that timed out, raised in place of requests' ``Timeout``: prawcore retries a
    ``ReadTimeout`` at once and with its own sleeps (0-4 s, not ours), so a stalled Reddit
    would be asked again before the backoff our :class:`RetryPolicy` promises."""


def timeout_session(timeout: float) -> requests.Session:
    """praw's ``requests`` session: our timeout on every call (prawcore passes its own, in whole
    seconds), and a timeout raised as :class:`StalledCall`, for our retry policy to wait."""
    import requests

    class TimeoutSession(requests.Session):
        def request(self, method, url, *args, **kwargs):  # type: ignore[override]
            kwargs["timeout"] = timeout
            try:
                return super().request(method, url, *args, **kwargs)
            except requests.Timeout as exc:
                raise StalledCall(f"no answer within {timeout:g} s (timeout)") from exc

    return TimeoutSession()


def retry_after_in_seconds(response: requests.Response, *args, **kwargs) -> requests.Response:
    """A ``requests`` response hook: an HTTP-date ``Retry-After`` becomes seconds, measured from
    the answer's own ``Date``. prawcore reads the header with ``float()`` (an HTTP date makes
    its TooManyRequests fail with ValueError) and knows nothing of the server's clock."""
    value = response.headers.get("retry-after")
    if response.status_code == 429 and value and not value.strip().isdigit():
        seconds = header_wait(response.headers, reset=())
        if seconds is not None:
            response.headers["Retry-After"] = str(int(seconds + 0.999))  # never shorter
    return response


def _classify(exc: BaseException) -> Wait | None:
    from prawcore import exceptions as pe

    if isinstance(exc, pe.TooManyRequests):
        # prawcore's own retry_after ignores the Date header: read the answer's headers
        seconds = header_wait(exc.response.headers)
        return Wait(retry_after(exc.retry_after) if seconds is None else seconds,
                    rate_limited=True, why="rate limited (429)")
    if isinstance(exc, (pe.OAuthException, pe.InvalidToken, pe.Forbidden,
                        pe.InsufficientScope)):
        raise RedditCredentialsError(f"Reddit refused the credentials ({exc}); {APP_HINT}"
                                     ) from None
    if isinstance(exc, pe.RequestException) and isinstance(exc.original_exception,
                                                           StalledCall):
        return Wait(why=str(exc.original_exception))
    if isinstance(exc, pe.BadJSON):  # a 200 whose page was cut: ask for the same page again
        return Wait(why="the answer was cut or is not JSON")
    if isinstance(exc, (pe.ServerError, pe.RequestException)):
        return Wait(why=str(exc) or type(exc).__name__)
    if isinstance(exc, pe.ResponseException):
        raise RedditError(f"Reddit answered {exc.response.status_code}: "
                          f"{exc.response.text[:200]}") from None
    return cut_page(exc)


