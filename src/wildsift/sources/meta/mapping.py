"""Meta Content Library records to posts: pure functions, shared by the live source and the
importer, tested against records in the shape of the data dictionary (API v6.0).

An MCL record arrives nested (``{"post_owner": {"id": ...}}``, from the API or a saved job) or
flattened with dots (``post_owner.id``, as ``pandas.json_normalize`` writes it into a CSV);
:func:`flatten` makes both the second. What the record is follows from its fields:

- Facebook post: ``id, creation_time, text, lang, post_owner.{id,name,username,type},
  surface.{id,name,type}, multimedia[{type,url}], shared_post_id``;
- Facebook Marketplace listing: ``id, creation_time, description, listing_details.{title,
  location, price.amount, price.currency, category}``;
- comment (Facebook or Instagram): ``id, post_id, parent_id, text, creation_time,
  owner.{id,name,username}``;
- Instagram post: ``id, creation_time, caption`` (or ``text``), the account as
  ``owner.*`` or ``producer_{id,username,name}``.

MCL ids are the library's own (not Facebook's): the post id and the author (the owner's MCL id)
are kept as MCL gives them, so a post read live and later imported is stored once. Names and
usernames are identifiers: they are not kept, and where the post's text names its own page or
profile they become a handle token (:mod:`wildsift.sources.meta.own_names`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from wildsift.errors import RecordError
from wildsift.records import RawMedia, RawPost
from wildsift.sources.fields import parse_datetime
from wildsift.sources.meta.own_names import names_as_handles

FACEBOOK = "facebook"
INSTAGRAM = "instagram"
_HASHTAG = re.compile(r"#([^\s#.,!?;:()\[\]{}\"'“”]+)")  # \w would cut Thai marks
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
KINDS = ("post", "listing", "comment", "instagram-post")


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; lists are kept as they are."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def record_kind(keys: set[str]) -> str | None:
    """Which MCL record these (flattened) keys describe; None when none."""
    if "id" not in keys:
        return None
    if any(k.startswith("listing_details.") for k in keys):
        return "listing"
    if "post_id" in keys and any(k.startswith("owner.") for k in keys):
        return "comment"
    if "caption" in keys or any(k.startswith("producer_") for k in keys):
        return "instagram-post"
    if "creation_time" in keys and (
            "text" in keys or any(k.startswith(("post_owner.", "surface.")) for k in keys)):
        return "post"
    return None


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):  # pandas' NaN
        return ""
    return str(value).strip()


def _id(value: Any, where: str, field: str) -> str | None:
    """An MCL id as text; a number in scientific notation (a spreadsheet rounded it) cannot
    be trusted and raises."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if not value.is_integer() or value >= 2 ** 53:
            raise RecordError("an id stored as a rounded number; export the ids as text",
                              location=where, field=field)
        value = int(value)
    text = str(value).strip()
    if _SCIENTIFIC.match(text):
        raise RecordError("an id in scientific notation lost its digits (a spreadsheet saved "
                          "it); export the ids as text", location=where, field=field)
    return text or None


def _list(value: Any) -> list:
    """A list field: a list, or the JSON of one (a CSV cell)."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return []
        return parsed if isinstance(parsed, list) else []
    return []


def _media(flat: Mapping[str, Any]) -> list[RawMedia]:
    """``multimedia[].url`` (MCL's media URLs are short-lived presigned links: download them
    in the same session, ``download_media = true``)."""
    out = []
    for item in _list(flat.get("multimedia")):
        if isinstance(item, dict) and isinstance(item.get("url"), str) and item["url"]:
            kind = "video" if str(item.get("type", "")).lower() in ("video", "reel") else "image"
            out.append(RawMedia(url=item["url"], kind=kind))
    return out


def _platform(flat: Mapping[str, Any], kind: str, hint: str | None) -> str:
    if kind == "instagram-post":
        return INSTAGRAM
    for key in ("url", "link", "permalink", "mcl_url"):
        if "instagram.com" in _text(flat.get(key)):
            return INSTAGRAM
    return hint if kind == "comment" and hint in (FACEBOOK, INSTAGRAM) else FACEBOOK


def located(value: str) -> tuple[str, str | None]:
    """A free-text place ("Hà Nội", "Lagos, Nigeria") and its country when the gazetteer is
    fairly sure of it (confidence 0.5 or more)."""
    from wildsift.places.resolve import locate_field  # the gazetteer loads on first use

    found = locate_field(value, "field")
    return value[:256], found.country if found is not None and found.confidence >= 0.5 else None


def map_record(record: Mapping[str, Any], *, source: str, location: str,
               platform: str | None = None, query: str | None = None) -> RawPost:
    """One MCL record (nested or flattened) -> RawPost, or RecordError naming the field.

    ``platform``: for comments, whose fields do not say (``facebook`` by default).
    """
    if not isinstance(record, Mapping):
        raise RecordError(f"expected a record object, got {type(record).__name__}",
                          location=location)
    flat = flatten(record)
    if _text(flat.get("id")) == "":
        raise RecordError("record without an id", location=location, field="id")
    kind = record_kind(set(flat))
    if kind is None:
        raise RecordError("not an MCL post, comment or listing (no id with creation_time, "
                          "post_owner, owner or listing_details)", location=location,
                          field="id")
    post_id = _id(flat.get("id"), location, "id")
    if not post_id:
        raise RecordError("record without an id", location=location, field="id")
    where = f"{location} (id {post_id})"
    owner, accounts = _owner(flat, kind, where)
    text = _body(flat, kind)
    place = country = None
    if kind == "listing":
        spot = _text(flat.get("listing_details.location") or
                     flat.get("listing_details.location.name"))
        if spot:
            place, country = located(spot)
    code = _text(flat.get("location.country")).upper()
    if _COUNTRY.match(code):
        country = code
    try:
        created = parse_datetime(flat["creation_time"]) if flat.get("creation_time") not in (
            None, "") else None
    except (ValueError, OverflowError, OSError):
        raise RecordError("unparseable creation_time", location=where,
                          field="creation_time") from None
    lang = _text(flat.get("lang")) or None
    return RawPost(
        platform=_platform(flat, kind, platform),
        source_id=post_id,
        text=names_as_handles(text, accounts, prefix="fb"),
        created_at=created,
        author=owner,
        lang=lang if lang and len(lang) <= 16 and lang not in ("und", "unknown") else None,
        place=place,
        country=country,
        hashtags=_HASHTAG.findall(text),
        media=_media(flat),
        query=query,
        source=source,
        location=where,
    )


def _owner(flat: Mapping[str, Any], kind: str, where: str
           ) -> tuple[str | None, list[tuple[str | None, list]]]:
    """The author (an MCL id) and every (account id, its names) the record carries."""
    accounts = []
    for prefix in ("post_owner.", "owner.", "surface.", "admin."):
        account = _id(flat.get(prefix + "id"), where, prefix + "id")
        names = [_text(flat.get(prefix + "name")), _text(flat.get(prefix + "username"))]
        if account:
            accounts.append((account, names))
    producer = _id(flat.get("producer_id"), where, "producer_id")
    if producer:
        accounts.append((producer, [_text(flat.get("producer_name")),
                                    _text(flat.get("producer_username"))]))
    order = {"post": ("post_owner.id", "surface.id"), "instagram-post": (
        "owner.id", "producer_id", "post_owner.id"), "comment": ("owner.id",),
        "listing": ("owner.id", "post_owner.id")}[kind]
    author = next((_id(flat.get(key), where, key) for key in order if flat.get(key)), None)
    return author, accounts


def _body(flat: Mapping[str, Any], kind: str) -> str:
    """What a reader sees: the text (Instagram: the caption); a listing's title, price and
    description; text read from images where the record has it (a clean-room field)."""
    if kind == "listing":
        title = _text(flat.get("listing_details.title"))
        amount = _text(flat.get("listing_details.price.amount"))
        currency = _text(flat.get("listing_details.price.currency"))
        price = f"{amount} {currency}".strip() if amount else ""
        parts = [title, price, _text(flat.get("description"))]
    elif kind == "instagram-post":
        parts = [_text(flat.get("caption")) or _text(flat.get("text"))]
    else:
        parts = [_text(flat.get("text"))]
    parts.append(_text(flat.get("image_text")))
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return "\n".join(seen)
