"""Country flows: one row per (post, origin country, destination country), from three sources.

- ``text``: both ends named in the text ("from Lagos to Hanoi");
- ``text+location``: one end named, the other the seller's own country, where the post (or,
  when the post was located by its text, the author's other posts) says the seller is ("ship to
  Hanoi" by a seller in Nigeria; "hàng từ Lào về" by a seller in Viet Nam);
- ``text via seller``: both ends named, and the seller is in a third country: the goods pass
  through it ("hàng từ Nigeria, ship đi Trung Quốc" by a seller in Laos: Nigeria -> Laos and
  Laos -> China);
- ``reply``: a buyer replies to a seller and both countries are known (seller -> buyer).

A flow inside one country is kept in the table (``domestic``) but never becomes an edge of the
country network.
"""

from __future__ import annotations

import pandas as pd

from wildsift.analysis.geo import UNKNOWN
from wildsift.analysis.network.posts import author_countries, sellers
from wildsift.analysis.routes.extract import RouteExtractor

FLOW_COLUMNS = ("post_pk", "platform", "created_at", "origin", "destination", "method",
                "origin_place", "destination_place", "cue")
VIA = "text via seller"
METHODS = ("text", "text+location", VIA, "reply")


def _seller_country(row, by_author: pd.Series) -> str | None:
    if row.country != UNKNOWN and row.country_from != "text":
        return row.country
    found = by_author.get(row.author)
    return None if found is None or pd.isna(found) else str(found)


def text_flows(posts: pd.DataFrame, extractor: RouteExtractor | None = None) -> pd.DataFrame:
    """Flows stated in the texts of ``posts`` (see :func:`wildsift.analysis.network.posts.
    people_posts`), completed from the seller's country when one end is missing."""
    extractor = extractor or RouteExtractor()
    by_author = author_countries(posts, skip_text=True)
    rows = []
    for row in posts.itertuples(index=False):
        routes = extractor.routes(row.text or "", row.lang)
        if not routes:
            continue
        home = _seller_country(row, by_author)
        for route in routes:
            origin, destination = route.countries
            names = (route.origin.name if route.origin else None,
                     route.destination.name if route.destination else None)
            if origin is None or destination is None:
                if home is None:
                    continue
                legs = [(origin or home, destination or home, "text+location")]
            elif home is not None and home not in (origin, destination):
                legs = [(origin, home, VIA), (home, destination, VIA)]
            else:
                legs = [(origin, destination, "text")]
            rows += [(row.pk, row.platform, row.created_at, o, d, method, *names, route.cue)
                     for o, d, method in legs]
    return pd.DataFrame(rows, columns=list(FLOW_COLUMNS))


def reply_flows(posts: pd.DataFrame) -> pd.DataFrame:
    """Seller -> buyer flows from replies: the replied-to account offers, the replying one does
    not, and both have a known country (their posts' most frequent one)."""
    offering = sellers(posts)
    countries = author_countries(posts)
    replies = posts[posts["reply_to"].isin(offering) & ~posts["author"].isin(offering)]
    rows = []
    for row in replies.itertuples(index=False):
        seller_country = countries.get(row.reply_to)
        buyer_country = countries.get(row.author)
        if seller_country is None or buyer_country is None:
            continue
        rows.append((row.pk, row.platform, row.created_at, seller_country, buyer_country,
                     "reply", None, None, "reply"))
    return pd.DataFrame(rows, columns=list(FLOW_COLUMNS))


def post_flows(posts: pd.DataFrame, extractor: RouteExtractor | None = None) -> pd.DataFrame:
    """Every flow of ``posts``: :data:`FLOW_COLUMNS` plus ``domestic`` (origin == destination)."""
    parts = [f for f in (text_flows(posts, extractor), reply_flows(posts)) if len(f)]
    flows = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=list(FLOW_COLUMNS)))
    flows = flows.drop_duplicates(["post_pk", "origin", "destination"])
    flows["domestic"] = flows["origin"] == flows["destination"]
    return flows.reset_index(drop=True)
