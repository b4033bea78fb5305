"""CrowdTangle historical exports (CSV): Facebook pages and groups, and Instagram accounts.

CrowdTangle (Meta, shut down 14 August 2024) let researchers download a search or a list as
CSV. The Facebook columns (the set 4CAT's importer checks): ``Page Name`` (``Group Name`` in a
group export), ``User Name``, ``Facebook Id``, ``Page Category``, ``Page Admin Top Country``,
``Page Description``, ``Page Created``, ``Likes at Posting``, ``Followers at Posting``,
``Post Created`` (``2021-03-04 12:34:56 CET``: the dashboard's zone), ``Post Created Date``,
``Post Created Time``, ``Type``, ``Total Interactions``, the reaction counts, video fields,
``URL``, ``Message``, ``Link``, ``Final Link``, ``Image Text``, ``Link Text``, ``Description``,
``Sponsor Id``, ``Sponsor Name``, ``Sponsor Category``, an ``Overperforming Score`` column.
Instagram exports: ``Account``, ``User Name``, ``Followers at Posting``, ``Post Created``,
``Type``, ``Likes``, ``Comments``, ``Views``, ``URL``, ``Link``, ``Photo``, ``Title``,
``Description``.

What is kept: the post id is ``<Facebook Id>_<last number of the URL>`` (the Graph API's
form), Instagram's the shortcode of ``/p/<code>/``; the author is the page's or group's
Facebook id (Instagram: the account's user name, CrowdTangle gives no id); the text is the
message with what a reader also saw (the text CrowdTangle read in the image, the link's title
and description); ``Page Description`` is the author description and ``Page Admin Top
Country`` the profile location (where the page is run from, not where the post is). Names are
identifiers: none is stored, and the page's own names in its text become a handle token.
Counts (likes, views, interactions) are not kept.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawMedia, RawPost
from wildsift.sources.base import SHAPE_ERRORS, FileSourceError, unexpected_shape
from wildsift.sources.files.lines import open_binary
from wildsift.sources.files.reader import Chunk, FileReader
from wildsift.sources.meta.own_names import names_as_handles

FORMAT = "crowdtangle-csv"
FACEBOOK_COLUMNS = {"Facebook Id", "URL", "Message"}
INSTAGRAM_COLUMNS = {"Account", "User Name", "Photo", "URL"}
_HASHTAG = re.compile(r"#([^\s#.,!?;:()\[\]{}\"'“”]+)")  # \w would cut Thai marks
_NUMBER = re.compile(r"\d+")
# CrowdTangle wrote "Post Created" in the dashboard user's zone, named by its abbreviation.
ZONES = {"UTC": 0, "GMT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
         "MSK": 3, "IST": 5.5, "ICT": 7, "WIB": 7, "+07": 7, "HKT": 8, "SGT": 8, "PHT": 8,
         "AWST": 8, "CST": -6, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "EST": -5,
         "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "WAT": 1,
         "CAT": 2, "EAT": 3, "SAST": 2}


def is_crowdtangle(columns: set[str]) -> bool:
    """A CrowdTangle header (the exact column names, case kept)."""
    return FACEBOOK_COLUMNS <= columns and bool(columns & {"Page Name", "Group Name",
                                                            "User Name"}) or \
        INSTAGRAM_COLUMNS <= columns


def post_created(value: str, where: str) -> datetime | None:
    """``2021-03-04 12:34:56 CET`` -> aware UTC; an unknown zone name is taken as UTC."""
    value = value.strip()
    if not value:
        return None
    parts = value.split(" ")
    zone = parts[2] if len(parts) > 2 else "UTC"
    try:
        local = datetime.strptime(" ".join(parts[:2]), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise RecordError("Post Created is not 'YYYY-MM-DD HH:MM:SS ZONE'", location=where,
                          field="Post Created") from None
    offset = ZONES.get(zone.upper(), 0)
    return local.replace(tzinfo=timezone(timedelta(hours=offset))).astimezone(UTC)


def post_id(url: str, account: str | None, instagram: bool) -> str | None:
    """``<account>_<last number in the URL>`` (Facebook), the shortcode (Instagram)."""
    path = [p for p in urlsplit(url.strip()).path.split("/") if p]
    if instagram:
        return path[path.index("p") + 1] if "p" in path[:-1] else (path[-1] if path else None)
    numbers = [p for p in path if _NUMBER.fullmatch(p)]
    last = numbers[-1] if numbers else (path[-1] if path else None)
    if not last:
        return None
    return f"{account}_{last}" if account and last != account else last


class CrowdTangleReader(FileReader):
    """A CrowdTangle CSV export (Facebook or Instagram)."""

    def __init__(self, path: Path | str):
        super().__init__(path, format="csv", platform="facebook")
        self.format = FORMAT
        header = set(_header(self.path))
        self.instagram = INSTAGRAM_COLUMNS <= header and "Facebook Id" not in header
        self.platform = "instagram" if self.instagram else "facebook"
        self._plan = {c.lower(): c for c in header}
        text = "Description" if self.instagram else "Message"
        if "URL" not in header or text not in header:
            raise FileSourceError(f"{self.path.name} lacks CrowdTangle's 'URL' or '{text}' "
                                  "column; is it a CrowdTangle export?")
        self._plan["url"], self._plan[text.lower()] = "id", "text"

    def chunks(self, size: int = 1000) -> Iterator[Chunk]:
        with open_binary(self.path) as handle:
            yield from self._csv(handle, size)

    def _parse_csv(self, chunk: Chunk) -> list[RawPost | Quarantined]:
        out: list[RawPost | Quarantined] = []
        text_column = "Description" if self.instagram else "Message"
        for item in chunk.items:
            if isinstance(item, Quarantined):
                out.append(item)
                continue
            line, row = item
            cells = {({"id": "URL", "text": text_column}.get(f, f)): cell.strip()
                     for f, cell in zip(chunk.fields, row) if f is not None and cell.strip()}
            try:
                out.append(self.map_row(cells, self._where(line)))
            except RecordError as exc:
                out.append(self._quarantine(line, exc.reason, exc.field))
            except SHAPE_ERRORS as exc:
                out.append(self._quarantine(line, unexpected_shape(exc, "a CrowdTangle row")))
        return out

    def map_row(self, cells: dict[str, str], where: str) -> RawPost:
        """One row (column -> value) -> RawPost."""
        get = cells.get
        account = get("Facebook Id") if not self.instagram else get("User Name")
        source_id = post_id(get("URL", ""), account, self.instagram)
        if not source_id:
            raise RecordError("no post URL", location=where, field="URL")
        if self.instagram:
            parts = [get("Title"), get("Description")]
            names = [get("Account"), get("User Name")]
        else:
            parts = [get("Message"), get("Image Text"), get("Link Text"), get("Description")]
            names = [get("Page Name"), get("Group Name"), get("User Name")]
        text = "\n".join(dict.fromkeys(p for p in parts if p))
        if account:
            text = names_as_handles(text, [(account, names)],
                                    prefix="ig" if self.instagram else "fb")
        media = [RawMedia(url=get("Photo"), kind="image")] if get("Photo") else []
        return RawPost(
            platform=self.platform, source_id=source_id, text=text,
            created_at=post_created(get("Post Created") or get("Created") or "", where),
            author=account,
            author_description=get("Page Description"),
            author_location=get("Page Admin Top Country"),
            hashtags=_HASHTAG.findall(text), media=media,
            source=self.source, location=where)


def _header(path: Path) -> list[str]:
    with open_binary(path) as handle:
        first = handle.readline().decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        return [c.strip() for c in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        raise FileSourceError(f"{path.name}:1: cannot read the header") from None
