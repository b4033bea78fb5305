"""Where a Weibo post says it was made: ``region_name`` ("发布于 广东", the province or country
of the poster's IP address, shown since 2022) and the check-in place of the crawlers (位置,
发布位置: "北京·三里屯"). Both are the post's own place (``place``, and ``country`` when it is
known): the location step (``wildsift.places``) treats it as the platform's place for the post.

Province short names are not in the gazetteer under these forms, so they are listed here; a
foreign region ("发布于 美国") and check-in places go to the gazetteer.
"""

from __future__ import annotations

from functools import lru_cache

_PREFIXES = ("发布于", "来自", "IP属地：", "IP属地:", "IP属地")
_NONE = {"", "无", "未知", "其他", "None", "null"}
_CN = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
       "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
       "云南", "陕西", "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏", "新疆")
REGIONS = {**dict.fromkeys(_CN, "CN"), "香港": "HK", "澳门": "MO", "台湾": "TW",
           "中国香港": "HK", "中国澳门": "MO", "中国台湾": "TW"}


def region(value: object) -> str | None:
    """"发布于 广东" -> "广东"; None when empty or "无"."""
    text = str(value or "").strip()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
            break
    return None if text in _NONE else text[:256]


@lru_cache(maxsize=4096)
def place_and_country(value: str | None) -> tuple[str | None, str | None]:
    """(place, ISO country) of a region or a check-in place; the country only when known."""
    place = region(value)
    if place is None:
        return None, None
    head = place.split("·")[0].split(" ")[0]
    for name, code in REGIONS.items():
        if head.startswith(name):
            return place, code
    from wildsift.places.resolve import locate_field  # the gazetteer loads on first use

    found = locate_field(place, "field")
    return place, found.country if found is not None and found.confidence >= 0.5 else None
