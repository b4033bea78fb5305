"""The demo's planted spike (demo/spike.py): only the time of the chosen posts changes, they all
land in the spike week, and everything else is what the generator made."""

from __future__ import annotations

import csv
from datetime import datetime

from wildsift.demo.corpus import generate_posts
from wildsift.demo.data import write_corpus
from wildsift.demo.spike import SPIKE_DAYS, SPIKE_START, in_spike, plant_spike


def test_the_spike_moves_a_few_vietnamese_pangolin_posts_into_one_week(tmp_path):
    original = list(generate_posts(3000, 0, include_topic=True))
    planted = list(plant_spike(dict(r) for r in original))
    moved = [p for o, p in zip(original, planted, strict=True) if o != {**p, "topic": o["topic"]}]
    chosen = [o for o in original if in_spike(o)]
    assert 5 <= len(chosen) == len(moved) <= 60  # a few posts of one taxon and country
    for post in moved:
        when = datetime.fromisoformat(post["created_at"])
        assert 0 <= (when - SPIKE_START).total_seconds() < SPIKE_DAYS * 86400
        assert post["lang"] == "vi" and post["label"] == "1"
    for o, p in zip(original, planted, strict=True):
        assert "topic" not in p
        if not in_spike(o):
            assert {**p, "topic": o["topic"]} == o  # nothing else changed
        else:
            assert {k: v for k, v in p.items() if k != "created_at"} == \
                {k: v for k, v in o.items() if k not in ("created_at", "topic")}


def test_the_demo_corpus_file_carries_the_spike(tmp_path):
    info = write_corpus(tmp_path / "demo.csv", 3000, 0)
    with info.path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    start = SPIKE_START.isoformat()[:10]
    in_week = [r for r in rows if "2024-05-13" <= r["created_at"][:10] <= "2024-05-19"
               and r["lang"] == "vi" and r["label"] == "1"]
    assert start == "2024-05-13" and len(in_week) >= 5
    assert "topic" not in rows[0]
