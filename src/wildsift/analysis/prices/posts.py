"""Products, quantities and prices of kept posts, and their summary by taxon and product.

An analysis over kept posts, not a sift stage: extraction is deterministic, fast (about 0.2 ms
of CPU a post) and versioned (``METHOD``), reads only what the store already holds (the
redacted text, language, date, country and the lexicon stage's matches), concerns only the posts
the decision kept, and its US dollar figure depends on a rate table a study may replace; so the
report recomputes it from the store each time, and every row names the method and the rate used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from wildsift.analysis.prices.money import find_money, item_price
from wildsift.analysis.prices.quantities import (
    canonical_unit,
    find_quantities,
    kg_per,
    offered_quantity,
)
from wildsift.analysis.prices.rates import UnknownCurrency, to_usd

METHOD = "prices-v2"  # v2: the rules added after the third handwritten set
COLUMNS = ["pk", "products", "quantity", "unit", "mass_kg", "price_amount", "currency",
           "price_per", "usd", "usd_per_kg", "currency_basis", "rate", "method"]


def _day(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def post_prices(text: str | None, lang: str | None = None, country: str | None = None,
                created: dt.date | None = None) -> dict:
    """The product-independent fields of one post (see :data:`COLUMNS`)."""
    quantity = offered_quantity(find_quantities(text))
    price = item_price(find_money(text, lang, country))
    row = {"quantity": quantity.value if quantity else None,
           "unit": quantity.unit if quantity else None,
           "mass_kg": quantity.mass_kg if quantity else None,
           "price_amount": None, "currency": None, "price_per": None, "usd": None,
           "usd_per_kg": None, "currency_basis": None, "rate": None, "method": METHOD}
    if price is None:
        return row
    row.update(price_amount=price.amount, currency=price.currency,
               price_per=canonical_unit(price.per_unit) if price.per_unit else None,
               currency_basis=price.basis)
    try:
        conversion = to_usd(price.amount, price.currency, created)
    except UnknownCurrency:
        row["rate"] = f"no rate for {price.currency}"
        return row
    row.update(usd=conversion.usd, rate=conversion.rate)
    per_kg = kg_per(price.per_unit)
    if per_kg:
        row["usd_per_kg"] = conversion.usd / per_kg
    elif price.per_unit is None and row["mass_kg"]:
        row["usd_per_kg"] = conversion.usd / row["mass_kg"]
    return row


def _products(matches: pd.DataFrame, groups: Mapping[str, str]) -> dict[int, list[str]]:
    """post pk -> sorted 'group:product' ('group:unspecified' when only a name matched)."""
    out: dict[int, set[str]] = {}
    for pk, taxon, product in zip(matches["post_pk"], matches["taxon"], matches["product"]):
        group = groups.get(taxon, taxon)
        label = f"{group}:{product}" if isinstance(product, str) and product else None
        out.setdefault(int(pk), set()).add(label or f"{group}:unspecified")
    return {pk: sorted(labels - {label for label in labels if label.endswith(":unspecified")
                                 and any(other.startswith(label.split(":")[0] + ":")
                                         and other != label for other in labels)})
            for pk, labels in out.items()}


def prices_table(posts: pd.DataFrame, texts: Mapping[int, str], matches: pd.DataFrame,
                 groups: Mapping[str, str], countries: pd.Series | None = None) -> pd.DataFrame:
    """One row per kept post: its products, quantity, price, currency and US dollars.

    ``posts`` needs pk and created_at (lang optional); ``texts``: pk -> stored (redacted) text;
    ``matches``: the lexicon stage's rows (post_pk, taxon, product) without negatives;
    ``countries``: country code by pk (decides '/=' or '元' where the sign is ambiguous).
    """
    products = _products(matches, groups) if not matches.empty else {}
    langs = posts["lang"] if "lang" in posts else pd.Series([None] * len(posts), index=posts.index)
    rows = []
    for pk, created, lang in zip(posts["pk"], posts["created_at"], langs):
        pk = int(pk)
        country = countries.get(pk) if countries is not None else None
        country = country if isinstance(country, str) and len(country) == 2 else None
        row = post_prices(texts.get(pk), lang if isinstance(lang, str) else None, country,
                          _day(created))
        rows.append({"pk": pk, "products": products.get(pk, []), **row})
    return pd.DataFrame(rows, columns=COLUMNS)


def summary_by_product(table: pd.DataFrame) -> pd.DataFrame:
    """Per group and product: posts, posts with a quantity, total kg stated, posts with a price
    in US dollars (n) and their median, and the median US dollars per kg where it is known."""
    columns = ["group", "product", "posts", "with_quantity", "kg_stated", "n_usd", "median_usd",
               "n_usd_per_kg", "median_usd_per_kg"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    long = table.explode("products").dropna(subset=["products"])
    if long.empty:
        return pd.DataFrame(columns=columns)
    split = long["products"].str.split(":", n=1, expand=True)
    long = long.assign(group=split[0], product=split[1])
    rows = []
    for (group, product), part in long.groupby(["group", "product"], sort=True):
        usd = part["usd"].dropna().astype(float)
        per_kg = part["usd_per_kg"].dropna().astype(float)
        rows.append({"group": group, "product": product, "posts": len(part),
                     "with_quantity": int(part["quantity"].notna().sum()),
                     "kg_stated": float(part["mass_kg"].dropna().sum()),
                     "n_usd": len(usd), "median_usd": float(usd.median()) if len(usd) else None,
                     "n_usd_per_kg": len(per_kg),
                     "median_usd_per_kg": float(per_kg.median()) if len(per_kg) else None})
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["posts", "group", "product"], ascending=[False, True, True]).reset_index(drop=True)
