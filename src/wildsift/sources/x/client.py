"""X (Twitter): API v2 recent search (7 days) or full-archive search, through tweepy.

``tweepy.Client(bearer_token=...)`` makes the calls (``search_recent_tweets``, or
``search_all_tweets`` with ``options = {archive = true}``) with the expansions ``author_id``,
``attachments.media_keys`` and ``geo.place_id``; :mod:`wildsift.sources.x.mapping` joins the answer's
``includes`` (users, media, places) onto each tweet. We ask tweepy for plain dicts
(``return_type=dict``) so the map is a pure function of the documented JSON.

Pointing tweepy elsewhere: ``BaseClient.request`` hard-codes ``https://api.twitter.com`` but
sends everything through ``client.session`` (a public ``requests.Session`` attribute); we
replace it with :class:`~wildsift.sources.rebase.RebasedSession`, which rewrites that host to
``base_url`` (the tests' local server). tweepy's own waiting is off (``wait_on_rate_limit=False``):
its ``TooManyRequests`` (429, ``x-rate-limit-reset`` epoch) and ``TwitterServerError`` go to our
:class:`RetryPolicy`; ``Unauthorized``/``Forbidden`` become :class:`XCredentialsError`.

Terms: the lexicon's names packed into OR-queries of at most 512 characters (recent) or 1024
(archive), each ending in `` -is:retweet``. The cursor (per source and OR-query) is JSON::

    {"since": "<newest id of the last finished run>", "top": "<newest id of this run>",
     "next": "<next_token while paging back>"}

A run pages back with ``next_token`` (the same ``since_id`` on every page, as the API requires);
when no ``next_token`` is left, ``top`` becomes ``since`` and the next run asks only for newer
tweets. A run stopped by ``max_pages`` keeps its ``next`` and resumes the back-fill.
"""

from __future__ import annotations

from urllib.parse import urlencode

import requests
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.cursor import dump_cursor, load_cursor
from wildsift.sources.options import parse_options
from wildsift.sources.query import lexicon_terms, or_queries
from wildsift.sources.rebase import RebasedSession
from wildsift.sources.retry import RetryPolicy, Wait, cut_page, header_wait
from wildsift.sources.x.errors import XCredentialsError, XError, XRateLimited
from wildsift.sources.x.mapping import Includes, api_error, map_tweet

API_HOST = "https://api.twitter.com"
SUFFIX = " -is:retweet"
EXPANSIONS = ["author_id", "attachments.media_keys", "geo.place_id"]
TWEET_FIELDS = ["created_at", "lang", "entities", "geo", "public_metrics", "author_id",
                "in_reply_to_user_id", "attachments"]
USER_FIELDS = ["description", "location"]  # location: resolved at ingest, not kept
MEDIA_FIELDS = ["type", "url", "preview_image_url", "variants"]
PLACE_FIELDS = ["country_code", "full_name", "geo", "name"]
TOKEN_HINT = ("create a Project and App at https://developer.x.com (Basic tier or higher for "
              "search) and copy its Bearer Token")


class XOptions(BaseModel):
    """``options`` of a ``type = "x"`` source."""

    model_config = ConfigDict(extra="forbid")
    archive: bool = False  # full-archive search (Pro/Enterprise or academic access)
    max_results: int = Field(default=100, ge=10, le=500)

    @field_validator("max_results")
    @classmethod
    def _page_size(cls, value: int, info: ValidationInfo) -> int:
        if value > 100 and not info.data.get("archive"):
            raise ValueError("recent search returns at most 100 tweets a page (500 with "
                             "archive = true)")
        return value
    token_env: str | None = None  # accepted for symmetry; the top-level token_env wins


def build(settings, credentials, *, dry_run: bool = False, **options) -> XSource:
    """The registry's entry point (see sources/registry.py)."""
    if dry_run:
        return XSource(settings, client=None, **options)
    token = credentials.get("token", hint=TOKEN_HINT)
    return XSource(settings, token=token, **options)




class XSource:
    """One ``[[sources]] type = "x"`` entry."""

    platform = "x"

    def __init__(self, settings, *, token: str | None = None, client=None,
                 policy: RetryPolicy | None = None, sleep=None, jitter=None,
                 max_retries: int = 5, max_wait: float = 900.0, timeout: float = 30.0):
        self.settings = settings
        self.name = settings.name
        self.options = parse_options(XOptions, settings)
        self.base_url = (settings.base_url or API_HOST).rstrip("/")
        policy = policy or RetryPolicy(max_retries=max_retries, max_wait=max_wait)
        if sleep is not None:
            policy.sleep = sleep
        if jitter is not None:
            policy.jitter = jitter
        self.policy = policy
        self.client = client
        if client is None and token is not None:
            import tweepy  # only when X is used: it is an optional dependency

            self.client = tweepy.Client(bearer_token=token, return_type=dict,
                                        wait_on_rate_limit=False)
            self.client.session = RebasedSession(API_HOST, self.base_url, timeout=timeout)

    def close(self) -> None:
        session = getattr(self.client, "session", None)
        if session is not None:
            session.close()

    # -- the Source protocol ---------------------------------------------------------------
    @property
    def max_length(self) -> int:
        return 1024 if self.options.archive else 512

    @property
    def path(self) -> str:
        return "/2/tweets/search/all" if self.options.archive else "/2/tweets/search/recent"

    def terms(self, query: str, languages: list[str], lexicon=None) -> list[str]:
        """As few OR-queries as the query-length limit allows (retweets excluded)."""
        return or_queries(lexicon_terms(query, languages, lexicon), max_length=self.max_length,
                          suffix=SUFFIX)

    def params(self, term: str, cursor: str | None) -> dict:
        state = load_cursor(cursor, bare="since")
        params: dict = {"query": term, "max_results": self.options.max_results}
        if state.get("since"):
            params["since_id"] = state["since"]
        if state.get("next"):
            params["next_token"] = state["next"]
        return params

    def describe(self, term: str, cursor: str | None) -> Call:
        return Call(f"GET {self.base_url}{self.path}?{urlencode(self.params(term, cursor))}",
                    quota=1, unit="request")

    def fetch(self, term: str, cursor: str | None) -> Page:
        if self.client is None:
            raise XCredentialsError(f"source '{self.name}' was built for --dry-run only")
        params = self.params(term, cursor)
        request = f"GET {self.base_url}{self.path}?{urlencode(params)}"
        search = (self.client.search_all_tweets if self.options.archive
                  else self.client.search_recent_tweets)
        answer = self.policy.run(
            lambda: search(expansions=EXPANSIONS, tweet_fields=TWEET_FIELDS,
                           user_fields=USER_FIELDS, media_fields=MEDIA_FIELDS,
                           place_fields=PLACE_FIELDS, **params),
            _classify, what=request, error=XError, rate_limited=XRateLimited)
        if not isinstance(answer, dict):
            raise XError(f"{request}: expected a JSON object, got {type(answer).__name__}")
        records = self._records(answer, term, request)
        meta = answer.get("meta") or {}
        state = load_cursor(cursor, bare="since")
        top = max((i for i in (state.get("top"), meta.get("newest_id"), state.get("since"))
                   if i and str(i).isdigit()), key=int, default=None)
        if meta.get("next_token"):
            state |= {"top": top, "next": meta["next_token"]}
            return Page(records, dump_cursor(state, drop_none=True), more=True, request=request)
        state = {"since": top} if top else {}
        cursor = dump_cursor(state, drop_none=True) if state else None
        return Page(records, cursor, more=False, request=request)

    def _records(self, answer: dict, term: str, request: str) -> list[RawPost | Quarantined]:
        includes = Includes.of(answer)
        source = f"x:{self.name}"
        records: list[RawPost | Quarantined] = []
        for index, tweet in enumerate(answer.get("data") or []):
            location = f"{request} #{index}"
            try:
                records.append(map_tweet(tweet, includes, term, source, location=location))
            except RecordError as exc:
                records.append(Quarantined(source, location, exc.reason, exc.field))
        for index, error in enumerate(answer.get("errors") or []):
            if isinstance(error, dict):  # a withheld, deleted or protected item on this page
                where = f"{request} errors[{index}] ({error.get('resource_id', '?')})"
                records.append(Quarantined(source, where, api_error(error),
                                           error.get("parameter") or error.get("resource_type")))
        return records


def _classify(exc: BaseException) -> Wait | None:
    """tweepy's errors -> wait or give up (credentials are never retried)."""
    import tweepy

    if isinstance(exc, tweepy.TooManyRequests):
        return Wait(header_wait(exc.response.headers), rate_limited=True,
                    why="rate limited (429)")
    if isinstance(exc, (tweepy.Unauthorized, tweepy.Forbidden)):
        status = exc.response.status_code
        detail = "; ".join(exc.api_messages) or exc.response.reason
        raise XCredentialsError(f"X refused the request ({status}: {detail}); check the bearer "
                                "token and that your access tier includes this search "
                                "(recent: Basic or higher, archive: Pro or higher)") from None
    if isinstance(exc, tweepy.TwitterServerError):
        return Wait(why=f"server error {exc.response.status_code}")
    if isinstance(exc, (requests.Timeout, requests.ConnectionError)):
        return Wait(why=f"{type(exc).__name__} (check base_url and the network)")
    if isinstance(exc, tweepy.HTTPException):
        detail = "; ".join(exc.api_messages) or exc.response.reason
        raise XError(f"X answered {exc.response.status_code}: {detail}") from None
    return cut_page(exc)
