"""The import formats of platform packages (Meta, CrowdTangle, Weibo), by name, without imports
(for ``wildsift import --help``); :mod:`wildsift.sources.files.platform_detect` tells them
from a file's first bytes and opens them."""

from __future__ import annotations

PLATFORM_FORMATS: dict[str, str] = {
    "mcl-csv": "Meta Content Library results as CSV (dotted columns: post_owner.id, ...)",
    "mcl-json": "Meta Content Library results as JSON (a job's file, a response, or lines)",
    "crowdtangle-csv": "a CrowdTangle CSV export (Facebook pages/groups or Instagram)",
    "weibo-crawler-csv": "dataabc weibo-crawler's <user id>.csv",
    "weibo-spider-csv": "dataabc weiboSpider's <user id>.csv",
    "weibo-json": "weibo-crawler/weiboSpider <user id>.json, or saved Weibo API statuses",
}
