"""Products, quantities and prices of the kept posts, as columns of the posts export.

The same extraction the report's "Products and prices" section runs
(:func:`wildsift.analysis.prices.posts.prices_table`), so a number in the export is the number
behind the report's medians. Only posts the filter kept (``relevant`` = 1) get values: a price
found in a discarded post is not trade evidence, and every other row is left empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from wildsift.analysis.prices.posts import prices_table

NEGATIVE_KIND = "negative"  # a cue that a post is *not* about the animal: never a product
# prices_table's column -> the export's column ("rate" and "method" alone would be ambiguous
# beside the score columns)
PRICE_COLUMNS = {"products": "products", "quantity": "quantity", "unit": "unit",
                 "mass_kg": "mass_kg", "price_amount": "price_amount", "currency": "currency",
                 "price_per": "price_per", "usd": "usd", "usd_per_kg": "usd_per_kg",
                 "currency_basis": "currency_basis", "rate": "usd_rate",
                 "method": "price_method"}
NUMERIC = ("quantity", "mass_kg", "price_amount", "usd", "usd_per_kg")


def _countries(posts: pd.DataFrame) -> pd.Series:
    """Country by pk: the location stage's, else the one the platform attached."""
    empty = pd.Series([None] * len(posts), index=posts.index, dtype=object)
    located = posts.get("location_country", empty)
    values = located.where(located.notna(), posts.get("country", empty))
    return pd.Series(list(values), index=[int(pk) for pk in posts["pk"]])


def add_price_columns(posts: pd.DataFrame, matches: pd.DataFrame,
                      taxa: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """``posts`` (the export frame before ``pk`` is dropped: pk, text, lang, created_at,
    relevant, ...) with one column per :data:`PRICE_COLUMNS` value, filled for kept posts.

    ``matches``: the lexicon stage's rows (post_pk, taxon, product, kind); ``taxa``: lexicon
    taxa by key, to name products by group ('elephant:ivory'); the default lexicon's if None.
    """
    out = posts.copy()
    for column in PRICE_COLUMNS.values():
        out[column] = None
    out["products"] = [[] for _ in range(len(out))]
    if "relevant" not in out:
        return out
    kept = out[pd.to_numeric(out["relevant"], errors="coerce") == 1]
    if kept.empty:
        return out
    if taxa is None:
        from wildsift.analysis.conservation import load_taxa

        taxa = load_taxa()
    from wildsift.analysis.conservation import taxon_groups

    if not matches.empty:
        kinds = matches["kind"].fillna("") if "kind" in matches else ""
        matches = matches[(kinds != NEGATIVE_KIND) & matches["post_pk"].isin(kept["pk"])]
    texts = dict(zip(kept["pk"].astype(int), kept["text"].fillna("")))
    table = prices_table(kept[["pk", "created_at", "lang"]], texts, matches,
                         taxon_groups(taxa), _countries(kept))
    table = table.rename(columns=PRICE_COLUMNS).set_index("pk")
    position = {int(pk): i for i, pk in enumerate(out["pk"])}
    rows = [position[int(pk)] for pk in table.index]
    for column in PRICE_COLUMNS.values():
        values = out[column].astype(object).tolist()
        for row, value in zip(rows, table[column].tolist()):
            values[row] = value
        out[column] = values
    for column in NUMERIC:  # floats, empty where not stated, so Parquet types them as double
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    return out
