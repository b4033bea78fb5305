"""A planted spike in the SYNTHETIC demo corpus, so ``wildsift alerts`` has something to find.

Only the time of a few posts changes: two in three of the Vietnamese-language trade posts about
pangolins (scales or live animals) move into one week, as if a seller ring had opened a new
stock. Nothing else of a post changes, and the rest of the corpus keeps its timeline, so the
demo's other sections read as before. Posts are picked by their id (not by the generator's
random stream), which keeps every other post of a seed exactly as it was.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

SPIKE_START = datetime(2024, 5, 13, tzinfo=UTC)  # a Monday; the week runs to Sunday 19 May
SPIKE_DAYS = 7
SPIKE_LANG = "vi"
SPIKE_TOPICS = frozenset({"pangolin_scales", "live_pangolin"})  # the taxon "pangolin"
SPIKE_SHARE = (0, 1)  # ids whose number modulo 3 is one of these move


def in_spike(record: dict) -> bool:
    """Whether this record is one of the posts the spike moves."""
    number = int(str(record["id"]).rsplit("-", 1)[-1])
    return (record.get("label") == "1" and record.get("lang") == SPIKE_LANG
            and record.get("topic") in SPIKE_TOPICS and number % 3 in SPIKE_SHARE)


def plant_spike(records: Iterable[dict], keep_topic: bool = False) -> Iterator[dict]:
    """The records, with the spike's posts moved into the spike week (a time of day and a day
    drawn from the post's id). Records need a ``topic`` (``generate_posts(...,
    include_topic=True)``); it is removed unless ``keep_topic``."""
    for record in records:
        if in_spike(record):
            draw = random.Random(record["id"])
            moved = SPIKE_START + timedelta(seconds=draw.randrange(SPIKE_DAYS * 86400))
            record = record | {"created_at": moved.isoformat()}
        if not keep_topic:
            record = {k: v for k, v in record.items() if k != "topic"}
        yield record
