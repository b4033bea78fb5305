"""Weibo exports: weibo-crawler and weiboSpider (dataabc) CSV and JSON, and saved API JSON.

- **weibo-crawler CSV** (``weibo/<name or id>/<user id>.csv``, UTF-8 with a BOM): ``id`` (the
  mid, written with a tab after it so spreadsheets keep its digits), ``bid``, ``正文``,
  ``头条文章url``, ``原始图片url`` (comma-separated), ``视频url`` and ``Live Photo视频url``
  (semicolon-separated), ``位置``, ``日期``, ``工具``, ``点赞数``, ``评论数``, ``转发数``,
  ``话题``, ``@用户`` (comma-separated), ``完整日期``, ``是否编辑过``, ``编辑次数``; unless only
  originals were crawled, ``是否原创``, ``源用户id``, ``源用户昵称`` and the reposted weibo's
  columns prefixed ``源微博``. The file is one user's: the user id is the file's name.
- **weiboSpider CSV** (``weibo/<user id>.csv``): ``微博id`` (the bid), ``微博正文``,
  ``头条文章url``, ``原始图片url``, [``被转发微博原始图片url``, ``是否为原创微博``],
  ``微博视频url``, ``发布位置``, ``发布时间``, ``发布工具``, ``点赞数``, ``转发数``, ``评论数``;
  ``无`` means none.
- **JSON**: either crawler's ``<user id>.json`` (``{"user": {...}, "weibo": [...]}``), or
  statuses of the web API as tools save them: one per line, an array, or an answer
  (``{"data": {"list": [...]}}``, ``{"statuses": [...]}``, m.weibo.cn ``data.cards[].mblog``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import orjson

from wildsift.errors import RecordError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import SHAPE_ERRORS, FileSourceError, unexpected_shape
from wildsift.sources.files.json_items import DamagedJson, iter_objects
from wildsift.sources.files.lines import file_size, loads, open_binary
from wildsift.sources.files.reader import Chunk, FileReader
from wildsift.sources.weibo.mapping import PLATFORM, map_crawler, map_spider, map_status

CRAWLER_CSV = "weibo-crawler-csv"
SPIDER_CSV = "weibo-spider-csv"
JSON = "weibo-json"
CRAWLER_COLUMNS = {
    "id": "id", "bid": "bid", "正文": "text", "头条文章url": "article_url",
    "原始图片url": "pics", "视频url": "video_url", "Live Photo视频url": "live_photo_url",
    "位置": "location", "日期": "created_at", "工具": "tool", "点赞数": "attitudes_count",
    "评论数": "comments_count", "转发数": "reposts_count", "话题": "topics",
    "@用户": "at_users", "完整日期": "full_created_at", "是否编辑过": "edited",
    "编辑次数": "edit_count", "是否原创": "is_original", "源用户id": "retweet_user_id",
    "源用户昵称": "retweet_screen_name",
}
SPIDER_COLUMNS = {
    "微博id": "id", "微博正文": "content", "头条文章url": "article_url",
    "原始图片url": "original_pictures", "被转发微博原始图片url": "retweet_pictures",
    "是否为原创微博": "original", "微博视频url": "video_url", "发布位置": "publish_place",
    "发布时间": "publish_time", "发布工具": "publish_tool", "点赞数": "up_num",
    "转发数": "retweet_num", "评论数": "comment_num",
}
_STATUS_PREFIXES = {"item": "status", "data.list.item": "status", "statuses.item": "status",
                    "data.statuses.item": "status", "data.cards.item": "status",
                    "user": "user", "weibo.item": "weibo"}


def crawler_plan() -> dict[str, str]:
    """weibo-crawler's CSV columns -> its JSON keys, the reposted weibo's (源微博...) too."""
    plan = dict(CRAWLER_COLUMNS)
    for column, key in CRAWLER_COLUMNS.items():
        if not key.startswith("retweet_") and key not in ("is_original",):
            plan["源微博" + column] = "retweet_" + key
    return plan


def user_of(path: Path) -> str | None:
    """The user id a crawler named the file by (``1669879400.csv``)."""
    return path.stem if path.stem.isdigit() else None


class _WeiboCsv(FileReader):
    """A crawler's CSV: columns renamed to the crawler's own keys, then mapped."""

    columns: ClassVar[dict[str, str]] = {}
    text_column = ""
    kind = ""

    def __init__(self, path: Path | str):
        super().__init__(path, format="csv", platform=PLATFORM)
        self.format = self.kind
        self.user_id = user_of(self.path)
        plan = self.columns
        self._names = {key: column for column, key in plan.items()}
        self._plan = {column.lower(): ("id" if key == "id" else "text" if
                                       column == self.text_column else key)
                      for column, key in plan.items()}

    def chunks(self, size: int = 1000) -> Iterator[Chunk]:
        with open_binary(self.path) as handle:
            yield from self._csv(handle, size)

    def _parse_csv(self, chunk: Chunk) -> list[RawPost | Quarantined]:
        out: list[RawPost | Quarantined] = []
        text_key = self.columns[self.text_column]
        for item in chunk.items:
            if isinstance(item, Quarantined):
                out.append(item)
                continue
            line, row = item
            cells = {(text_key if f == "text" else f): cell.strip()
                     for f, cell in zip(chunk.fields, row) if f is not None}
            try:
                out.append(self.map(cells, self._where(line)))
            except RecordError as exc:
                out.append(self._quarantine(line, exc.reason, exc.field))
            except SHAPE_ERRORS as exc:
                out.append(self._quarantine(line, unexpected_shape(exc, f"a {self.kind} row")))
        return out

    def map(self, cells: dict[str, Any], where: str) -> RawPost:
        raise NotImplementedError


class WeiboCrawlerCsvReader(_WeiboCsv):
    """weibo-crawler's ``<user id>.csv``."""

    columns = crawler_plan()
    text_column = "正文"
    kind = CRAWLER_CSV

    def map(self, cells: dict[str, Any], where: str) -> RawPost:
        return map_crawler(cells, user_id=self.user_id, screen_name=None, source=self.source,
                           location=where)


class WeiboSpiderCsvReader(_WeiboCsv):
    """weiboSpider's ``<user id>.csv``."""

    columns = SPIDER_COLUMNS
    text_column = "微博正文"
    kind = SPIDER_CSV

    def map(self, cells: dict[str, Any], where: str) -> RawPost:
        return map_spider(cells, user_id=self.user_id, screen_name=None, source=self.source,
                          location=where)


class WeiboJsonReader:
    """A crawler's ``<user id>.json``, or saved web API statuses (lines, array or answer)."""

    format = JSON

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.source = f"import:{self.path.name}"
        self.size = file_size(self.path)
        self.bytes_read = 0
        self.unknown_columns: list[str] = []
        self.user_id = user_of(self.path)
        self.screen_name: str | None = None

    def note_unknown(self, columns) -> None:
        """Nothing to note: the keys are known."""

    def __iter__(self) -> Iterator[RawPost | Quarantined]:
        with open_binary(self.path) as handle:
            first = handle.readline().removeprefix(b"\xef\xbb\xbf").strip()
        if first.startswith(b"{") and _a_status(first):
            yield from self._lines()
        else:
            yield from self._document()

    def _lines(self) -> Iterator[RawPost | Quarantined]:
        with open_binary(self.path) as handle:
            for number, raw in enumerate(handle, start=1):
                self.bytes_read += len(raw)
                if not raw.strip():
                    continue
                where = f"{self.path.name}:{number}"
                try:
                    status = loads(raw.removeprefix(b"\xef\xbb\xbf"))
                except orjson.JSONDecodeError as exc:
                    yield Quarantined(self.path.name, where, f"not valid JSON: {exc.msg}")
                    continue
                yield self._map("status", status, where)

    def _document(self) -> Iterator[RawPost | Quarantined]:
        count = 0
        try:
            for kind, value, offset in iter_objects(self.path, _STATUS_PREFIXES):
                self.bytes_read = offset
                if kind == "user":
                    if isinstance(value, dict):
                        self.user_id = str(value.get("id") or "") or self.user_id
                        self.screen_name = value.get("screen_name") or value.get("nickname")
                    continue
                count += 1
                yield self._map(kind, value, f"{self.path.name}:weibo #{count}")
        except DamagedJson as exc:
            yield Quarantined(self.path.name, f"{self.path.name}:weibo #{count + 1}",
                              f"not valid {exc.what} after weibo #{count} (the file is cut "
                              "off or damaged); export it again")
        self.bytes_read = self.size
        if count == 0:
            raise FileSourceError(f"{self.path.name} holds no weibo (a crawler's user file "
                                  "with 'weibo', or web API statuses)")

    def _map(self, kind: str, value: Any, where: str) -> RawPost | Quarantined:
        try:
            if not isinstance(value, dict):
                raise RecordError("a weibo is not a JSON object", location=where)
            if kind == "weibo" and "content" in value and "publish_time" in value:
                return map_spider(value, user_id=self.user_id, screen_name=self.screen_name,
                                  source=self.source, location=where)
            if kind == "weibo":
                return map_crawler(value, user_id=self.user_id, screen_name=self.screen_name,
                                   source=self.source, location=where)
            return map_status(value, source=self.source, location=where)
        except RecordError as exc:
            return Quarantined(self.path.name, exc.location or where, exc.reason, exc.field)
        except SHAPE_ERRORS as exc:
            return Quarantined(self.path.name, where, unexpected_shape(exc, "a weibo"))


def _a_status(line: bytes) -> bool:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return isinstance(value, dict) and bool(value.keys() & {"idstr", "mblogid", "mblog",
                                                             "text_raw", "mid"})
