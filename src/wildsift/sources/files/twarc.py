"""twarc2 JSONL: X API v2 answers as twarc2 writes them, one per line, or flattened tweets.

``twarc2 search QUERY out.jsonl`` writes each API page as one line (``data``: up to 100 tweets,
``includes``: their users, media, places; ``__twarc``: the request URL). ``twarc2 flatten``
writes one tweet per line with its expansions inlined (``author``, ``attachments.media``, the
place merged into ``geo``; see ``twarc/expansions.py``). Both map through
:func:`wildsift.sources.x.mapping.map_tweet`, as the live X connector does, so a tweet imported and
mined gets the same post id and author pseudonym. A line may be either kind: the reader does not
trust the name it was given. Tweets that fail map alone are quarantined, the page goes on.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qs, urlparse

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import SHAPE_ERRORS, unexpected_shape
from wildsift.sources.files.lines import LineImport
from wildsift.sources.x.mapping import Includes, map_tweet

PAGE = "twarc2"
FLAT = "twarc2-flat"


@lru_cache(maxsize=256)
def _query(url: str | None) -> str | None:
    """The search query of the request twarc2 recorded in ``__twarc.url`` (None if not one)."""
    if not url:
        return None
    values = parse_qs(urlparse(url).query).get("query")
    return values[0] if values else None


def flat_includes(tweet: dict) -> Includes:
    """The ``Includes`` a flattened tweet carries inline: its author, media and place."""
    users, media, places = {}, {}, {}
    author = tweet.get("author")
    if isinstance(author, dict) and tweet.get("author_id"):
        users[str(tweet["author_id"])] = author
    attachments = tweet.get("attachments")
    if isinstance(attachments, dict):
        for item in attachments.get("media") or []:
            if isinstance(item, dict) and item.get("media_key"):
                media[str(item["media_key"])] = item
    geo = tweet.get("geo")
    if isinstance(geo, dict) and geo.get("place_id"):
        places[str(geo["place_id"])] = geo  # flatten merged the place into geo
    return Includes(users, media, places)


class TwarcReader(LineImport):
    """twarc2 output: pages (``format="twarc2"``) or flattened tweets (``"twarc2-flat"``)."""

    def __init__(self, path, *, format: str = PAGE):
        super().__init__(path)
        self.format = format

    def map_line(self, obj: dict, line: int) -> list[RawPost | Quarantined]:
        where = self.where(line)
        meta = obj.get("__twarc")
        query = _query(meta.get("url")) if isinstance(meta, dict) else None
        data = obj.get("data")
        if data is None and "id" in obj:  # a flattened (or bare v2) tweet
            return [self._tweet(obj, flat_includes(obj), query, where, line)]
        if isinstance(data, dict):  # a lookup of one tweet
            data = [data]
        if not isinstance(data, list):
            if obj.get("errors") and "data" not in obj:
                return []  # a page of only errors (withheld or deleted tweets): no tweet in it
            raise RecordError("neither a twarc2 page (data, includes) nor a tweet (id, text)",
                              location=where, field="data")
        includes = Includes.of(obj)
        return [self._tweet(tweet, includes, query, where, line) for tweet in data]

    def _tweet(self, tweet, includes: Includes, query: str | None, where: str,
               line: int) -> RawPost | Quarantined:
        try:
            post = map_tweet(tweet, includes, query or "", self.source, location=where)
        except RecordError as exc:
            return self._quarantine(line, exc.reason, exc.field, exc.location)
        except SHAPE_ERRORS as exc:  # one tweet of a page: the page's other tweets go on
            return self._quarantine(line, unexpected_shape(exc, "an X API v2 tweet"))
        post.query = query
        return post
