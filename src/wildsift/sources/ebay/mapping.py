"""Map an eBay Browse ``itemSummary`` (``GET /buy/browse/v1/item_summary/search``) to a RawPost.

Pure functions, tested on saved JSON of the real shape. The seller's username is the author
(privacy pseudonymises it). The price has no field of its own in the record model, so it is
appended to the text as ``[price: 120.00 USD]``: the sift stages and the extraction analysis
read it there, and a regex gets it back (:data:`PRICE_PATTERN`). The listing URL is not kept (the
item id is hashed unless the study keeps source ids).
"""

from __future__ import annotations

import re

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost
from wildsift.sources.fields import record_datetime

PLATFORM = "ebay"
PRICE_PATTERN = re.compile(r"\[price: (?P<value>[0-9.]+) (?P<currency>[A-Z]{3})\]")




def price_text(item: dict) -> str:
    """``[price: 120.00 USD]`` from ``price`` (fixed price) or ``currentBidPrice`` (auction)."""
    for key in ("price", "currentBidPrice"):
        price = item.get(key)
        if isinstance(price, dict) and price.get("value") not in (None, ""):
            return f"[price: {price['value']} {price.get('currency') or '???'}]"
    return ""


def _images(item: dict) -> list[RawMedia]:
    urls: list[str] = []
    candidates = [item.get("image")] + list(item.get("additionalImages") or [])
    for image in candidates:
        url = image.get("imageUrl") if isinstance(image, dict) else None
        if isinstance(url, str) and url.startswith(("http://", "https://")) and url not in urls:
            urls.append(url)
    return [RawMedia(url=url, kind="image") for url in urls]


def map_item(item: dict, marketplace: str, query: str, *, location: str = "") -> RawPost:
    """One item summary -> RawPost (personal data still inside: pass it through privacy).

    Raises RecordError (with the field) when the item lacks an id or any text.
    """
    where = location or marketplace
    if not isinstance(item, dict):
        raise RecordError("an item summary must be a JSON object", location=where)
    item_id = item.get("itemId")
    if not isinstance(item_id, str) or not item_id.strip():
        raise RecordError("item has no 'itemId'", location=where, field="itemId")
    title = (item.get("title") or "").strip()
    description = (item.get("shortDescription") or "").strip()
    if not title and not description:
        raise RecordError("item has neither title nor shortDescription", location=where,
                          field="title")
    text = "\n\n".join(part for part in (title, description) if part)
    price = price_text(item)
    if price:
        text = f"{text}\n\n{price}"
    place = item.get("itemLocation") if isinstance(item.get("itemLocation"), dict) else {}
    seller = item.get("seller") if isinstance(item.get("seller"), dict) else {}
    country = str(place.get("country") or "").strip().upper() or None
    return RawPost(
        platform=PLATFORM,
        source_id=item_id,
        text=text,
        created_at=record_datetime(item.get("itemCreationDate"), where, "itemCreationDate"),
        author=seller.get("username") or None,
        place=place.get("city") or None,
        country=country if country and len(country) == 2 else None,
        media=_images(item),
        query=query,
        source=f"{PLATFORM}:{marketplace}",
        location=where,
    )
