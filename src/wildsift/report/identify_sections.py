"""The report's "Products and prices" and "Conservation context" sections (issue 12, 3 and 4).

Both read only the store and local files: the kept posts' stored (redacted) texts, languages,
dates and lexicon matches, the bundled exchange rates, and the newest registry snapshots in the
study folder (``wildsift lexicon refresh``). Nothing here reaches the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from wildsift.analysis import conservation
from wildsift.analysis.prices.posts import prices_table, summary_by_product
from wildsift.lexicon.registries.snapshot import latest_snapshots

TEXT_BATCH = 20_000  # kept posts whose texts are read at once


def _lexicon_date() -> str:
    manifest = resources.files("wildsift.lexicon").joinpath("data/lexicon.yaml")
    return str(yaml.safe_load(manifest.read_text(encoding="utf-8")).get("date", ""))


def _texts_and_langs(study: Any, pks: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    texts: dict[int, str] = {}
    langs: dict[int, str] = {}
    for start in range(0, len(pks), TEXT_BATCH):
        frame = study.store.posts.frame(["pk", "text", "lang"], pks=pks[start:start + TEXT_BATCH])
        texts.update(zip(frame["pk"].astype(int), frame["text"].fillna("")))
        langs.update(zip(frame["pk"].astype(int), frame["lang"]))
    return texts, langs


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def identify_context(study: Any, kept: pd.DataFrame, matches: pd.DataFrame,
                     taxa: Mapping[str, Any], located: pd.DataFrame) -> dict[str, Any]:
    """``prices`` and ``conservation`` for the template (see prices.html, conservation.html).

    ``located``: the kept posts' countries (index of ``kept``; column ``country``, and
    ``confidence`` when the location stage gives one).
    """
    pks = [int(pk) for pk in kept["pk"]] if "pk" in kept else []
    countries = located["country"].set_axis(kept["pk"]) if len(kept) else pd.Series(dtype=object)
    confidence = (located["confidence"].set_axis(kept["pk"])
                  if "confidence" in located and len(kept) else None)
    groups = conservation.taxon_groups(taxa)
    texts, langs = _texts_and_langs(study, pks)
    posts = kept[["pk", "created_at"]].assign(lang=[langs.get(pk) for pk in pks])
    table = prices_table(posts, texts, matches, groups, countries)
    summary = summary_by_product(table)
    facts = conservation.effective_facts(taxa, latest_snapshots(study.root), _lexicon_date())
    detections = conservation.detections_table(matches, kept, facts, countries, confidence)
    by_taxon = conservation.conservation_by_taxon(detections, facts)
    names = {key: getattr(taxon, "scientific_name", key) for key, taxon in taxa.items()}
    by_taxon.insert(1, "scientific_name", by_taxon["taxon"].map(names))
    priced = table["usd"].notna()
    return {
        "prices": {"posts": len(table), "with_price": int(table["price_amount"].notna().sum()),
                   "with_usd": int(priced.sum()),
                   "with_quantity": int(table["quantity"].notna().sum()),
                   "currencies": _rows(table.loc[table["currency"].notna(), "currency"]
                                       .value_counts().rename_axis("currency")
                                       .reset_index(name="posts")),
                   "by_product": _rows(summary), "method": table["method"].iloc[0]
                   if len(table) else ""},
        "conservation": {"by_taxon": _rows(by_taxon), "detections": len(detections),
                         "snapshots": sorted(s.label for s in latest_snapshots(
                             study.root).values())},
    }
