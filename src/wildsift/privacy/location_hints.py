"""Where a post points, from what ingest reads but never stores: the profile location and the
phone numbers. Called by :meth:`wildsift.privacy.ingest.Protector.protect` before redaction.

- ``profile_place`` / ``profile_country``: the gazetteer's place and country for the author's
  free-text profile location ("Hà Nội", "Spartanburg, SC, United States"); the text is dropped;
- ``phone_country``: the country of an international number in the text or the profile
  description (:func:`~wildsift.privacy.phone_country.phone_country`); the number is redacted.
"""

from __future__ import annotations

from functools import lru_cache

from wildsift.places.resolve import locate_field
from wildsift.privacy.phone_country import phone_country
from wildsift.records import RawPost


@lru_cache(maxsize=16384)
def _profile(location: str) -> tuple[str | None, str | None]:
    """(place, country) of a profile location; accounts post many times, so cached."""
    found = locate_field(location, "profile")
    return (found.place, found.country) if found is not None else (None, None)


def location_hints(raw: RawPost) -> dict[str, str | None]:
    """The Post fields ``profile_place``, ``profile_country`` and ``phone_country``."""
    place, country = _profile(raw.author_location.strip()[:200]) if raw.author_location \
        else (None, None)
    return {"profile_place": place, "profile_country": country,
            "phone_country": phone_country(raw.text, raw.author_description)}
